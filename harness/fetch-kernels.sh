#!/usr/bin/env bash
# Install the host tools the real-KVM harness needs and cache Debian's arm64
# kernel images (Linux 6.12 from bookworm-security, Linux 7.3 from
# trixie-backports).  Idempotent: already-cached kernels are not downloaded.
#
# The arm64 packages are fetched through a private apt configuration (own
# sources list, lists, status and cache); the machine's apt setup is not
# touched.
#
#   harness/fetch-kernels.sh            # cache dir: $IDREGS_HARNESS_CACHE
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
    "deb [signed-by=$KEYRING] $SECURITY bookworm-security main" \
    "deb [signed-by=$KEYRING] $MIRROR trixie-backports main" \
    || die "private apt-get update failed (mirror reachable?)"

# newest package matching an extended regex (names only)
newest() {
    apt-cache "${APT_OPTS[@]}" pkgnames | grep -E "$1" | sort -V | tail -n1
}

# fetch SERIES PKG_REGEX PATH_IN_PACKAGE_TEMPLATE  (%s = kernel release)
fetch() {
    local series=$1 regex=$2 pathtpl=$3 pkg rel dir tmp deb
    pkg=$(newest "$regex")
    [[ -n $pkg ]] || die "no package matching /$regex/ for Linux $series"
    rel=${pkg#linux-image-}; rel=${rel#linux-binary-}       # e.g. 6.12.117+deb12-arm64
    dir=$CACHE/kernels/$rel
    if [[ -s $dir/vmlinuz ]]; then
        echo "fetch-kernels: $series: $rel already cached" >&2
    else
        tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
        apt_arm64_download "$pkg" "$tmp" \
            || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
        deb=$(ls "$tmp"/*.deb)
        mkdir -p "$tmp/x"
        dpkg-deb -x "$deb" "$tmp/x" || { rm -rf "$tmp"; die "cannot extract $deb"; }
        # shellcheck disable=SC2059
        local img=$tmp/x/$(printf "$pathtpl" "$rel")
        [[ -s $img ]] || { rm -rf "$tmp"; die "$pkg has no $(printf "$pathtpl" "$rel")"; }
        mkdir -p "$dir"
        cp "$img" "$dir/vmlinuz.part" && mv "$dir/vmlinuz.part" "$dir/vmlinuz"
        dpkg-deb -f "$deb" Package Version > "$dir/package"
        rm -rf "$tmp"
        echo "fetch-kernels: $series: cached $rel" >&2
    fi
    ln -sfn "$rel" "$CACHE/kernels/$series"
    printf '%s %s %s\n' "$series" "$rel" "$CACHE/kernels/$series/vmlinuz"
}

fetch 6.12 '^linux-image-6\.12\.[0-9]+\+deb12-arm64$' 'boot/vmlinuz-%s'
fetch 7.3  '^linux-binary-7\.3\.[0-9]+\+deb13-arm64$' 'usr/lib/modules/%s/vmlinuz'
