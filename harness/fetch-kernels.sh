#!/usr/bin/env bash
# Install the host tools the real-KVM harness needs and cache Debian's arm64
# kernel images (Linux 6.12 from bookworm-security, Linux 7.3 from
# trixie-backports).  Idempotent: already-cached kernels are not downloaded.
#
# The arm64 packages are fetched through a private apt configuration (own
# sources list, lists, status and cache); the machine's apt setup is not
# touched.
#
#   harness/fetch-kernels.sh [SERIES...]  # default: 5.10 6.1 6.12 6.18 7.3; cache dir: $IDREGS_HARNESS_CACHE
#                                       #   (default /var/cache/idregs-harness)
# Result: $CACHE/kernels/<series>/vmlinuz (symlinked series dir -> full version)
set -euo pipefail

CACHE=${IDREGS_HARNESS_CACHE:-/var/cache/idregs-harness}
MIRROR=${IDREGS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${IDREGS_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "fetch-kernels: $*" >&2; exit 1; }

# --- 1. host packages -------------------------------------------------------
need_pkgs=(qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio
           ca-certificates debian-archive-keyring)
missing=()
for p in "${need_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "fetch-kernels: installing ${missing[*]}" >&2
    [[ $(id -u) == 0 ]] || die "need root to apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
fi
[[ -r $KEYRING ]] || die "missing $KEYRING"

# --- 2. private apt configuration for arm64 --------------------------------
# shellcheck source=harness/apt-arm64.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt-arm64.sh"
mkdir -p "$CACHE/kernels"
apt_arm64_setup "$CACHE/apt" \
    "deb [signed-by=$KEYRING] $MIRROR bullseye main" \
    "deb [signed-by=$KEYRING] $SECURITY bullseye-security main" \
    "deb [signed-by=$KEYRING] $MIRROR bookworm main" \
    "deb [signed-by=$KEYRING] $MIRROR bookworm-updates main" \
    "deb [signed-by=$KEYRING] $SECURITY bookworm-security main" \
    "deb [signed-by=$KEYRING] $MIRROR trixie-backports main" \
    || die "private apt-get update failed (mirror reachable?)"

# The kernel package of a series: 5.10 and 6.1 use Debian's ABI names
# (linux-image-6.1.0-50-arm64), later series the upstream version
# (linux-image-6.18.15+deb13-arm64); from 6.19 the kernel itself is in
# linux-binary-*. Newest first, so a series pins the newest the archive has.
series_regex() {
    case $1 in
        5.10|6.1) echo "^linux-image-${1//./\\.}\\.0-[0-9]+-arm64\$" ;;
        *) echo "^linux-(image|binary)-${1//./\\.}\\.[0-9]+\\+deb1[234]-arm64\$" ;;
    esac
}

# packages matching an extended regex, newest first; linux-binary-X comes
# before linux-image-X of the same release (it holds the image)
candidates() {
    apt-cache "${APT_OPTS[@]}" pkgnames | grep -E "$1" |
        sed -E 's/^linux-(image|binary)-(.*)$/\2 \1 &/' | sort -k1,1Vr -k2,2 |
        cut -d' ' -f3
}

# fetch SERIES: cache the newest kernel of the series
fetch() {
    local series=$1 pkg rel dir tmp deb img cached=''
    # a series already cached stays pinned to its release
    if [[ -s $CACHE/kernels/$series/vmlinuz ]]; then
        rel=$(basename "$(readlink -f "$CACHE/kernels/$series")")
        echo "fetch-kernels: $series: $rel already cached" >&2
        printf '%s %s %s\n' "$series" "$rel" "$CACHE/kernels/$series/vmlinuz"
        return 0
    fi
    # the newest package whose download works (the archive's index can
    # name a package its pool no longer holds)
    for pkg in $(candidates "$(series_regex "$series")"); do
        rel=${pkg#linux-image-}; rel=${rel#linux-binary-}   # e.g. 6.12.117+deb12-arm64
        tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
        if apt_arm64_download "$pkg" "$tmp" 2>/dev/null; then
            cached=$pkg
            break
        fi
        echo "fetch-kernels: $series: $pkg cannot be downloaded, trying an older one" >&2
        rm -rf "$tmp"
    done
    [[ -n $cached ]] || die "no downloadable arm64 kernel package for Linux $series"
    dir=$CACHE/kernels/$rel
    deb=$(ls "$tmp"/*.deb)
    mkdir -p "$tmp/x"
    dpkg-deb -x "$deb" "$tmp/x" || { rm -rf "$tmp"; die "cannot extract $deb"; }
    img=$tmp/x/boot/vmlinuz-$rel
    [[ -s $img ]] || img=$tmp/x/usr/lib/modules/$rel/vmlinuz
    [[ -s $img ]] || { rm -rf "$tmp"; die "$pkg holds no kernel image"; }
    mkdir -p "$dir"
    dpkg-deb -f "$deb" Package Version > "$dir/package"
    cp "$img" "$dir/vmlinuz.part" && mv "$dir/vmlinuz.part" "$dir/vmlinuz"
    rm -rf "$tmp"
    echo "fetch-kernels: $series: cached $rel ($(sed -n 's/^Version: //p' "$dir/package"))" >&2
    ln -sfn "$rel" "$CACHE/kernels/$series"
    printf '%s %s %s\n' "$series" "$rel" "$CACHE/kernels/$series/vmlinuz"
}

# the series verified in make check-kvm, unless named on the command line
(($#)) || set -- 5.10 6.1 6.12 6.18 7.3
for s in "$@"; do
    [[ $s =~ ^[0-9]+\.[0-9]+$ ]] || die "'$s' is not a kernel series such as 6.12"
    fetch "$s"
done
