# shellcheck shell=bash
# Sourced by the harness's fetch scripts: a private apt configuration for
# Debian arm64 packages (own sources list, lists, status and cache under
# DIR), so the machine's apt setup is never touched.
#
#   apt_arm64_setup DIR 'deb [signed-by=...] MIRROR SUITE main' ...
#       writes DIR/etc/sources.list from the arguments, sets APT_OPTS and
#       runs apt-get update;
#   apt_arm64_download PKG DESTDIR   downloads PKG's .deb into DESTDIR.

KEYRING=${KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

apt_arm64_setup() {
    local dir=$1; shift
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" \
             "$dir/etc/sources.list.d" "$dir/etc/preferences.d"
    touch "$dir/status"
    printf '%s\n' "$@" > "$dir/etc/sources.list"
    APT_OPTS=(-o APT::Architecture=arm64 -o APT::Architectures=arm64
              -o Dir::State::Lists="$dir/lists" -o Dir::State::status="$dir/status"
              -o Dir::Etc::SourceList="$dir/etc/sources.list"
              -o Dir::Etc::SourceParts="$dir/etc/sources.list.d"
              -o Dir::Etc::Preferences="$dir/etc/preferences"
              -o Dir::Etc::PreferencesParts="$dir/etc/preferences.d"
              -o Dir::Cache="$dir/cache")
    apt-get "${APT_OPTS[@]}" -qq update
}

apt_arm64_download() {
    chown _apt "$2" 2>/dev/null || true     # apt downloads as user _apt
    (cd "$2" && apt-get "${APT_OPTS[@]}" -qq download "$1")
}
