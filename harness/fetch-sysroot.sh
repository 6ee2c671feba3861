#!/usr/bin/env bash
# Fetch what the static aarch64 build of the idregs CLI (`make
# cross-aarch64`) links against: Debian 12's arm64 libjansson-dev and
# libjansson4, unpacked into a sysroot. Idempotent; uses the same kind of
# private apt configuration as fetch-kernels.sh (machine's apt untouched).
#
#   harness/fetch-sysroot.sh      # prints the sysroot directory
# Result: $CACHE/sysroot-arm64/usr/{include/jansson.h,lib/aarch64-linux-gnu/libjansson.a}
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${IDREGS_HARNESS_CACHE:-/var/cache/idregs-harness}
MIRROR=${IDREGS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SYSROOT=$CACHE/sysroot-arm64
PKGS=(libjansson-dev libjansson4)

die() { echo "fetch-sysroot: $*" >&2; exit 1; }

if [[ -s $SYSROOT/usr/lib/aarch64-linux-gnu/libjansson.a && -s $SYSROOT/usr/include/jansson.h ]]; then
    echo "$SYSROOT"
    exit 0
fi
command -v aarch64-linux-gnu-gcc >/dev/null || "$HERE/fetch-kernels.sh" >&2 \
    || die "fetch-kernels.sh (cross compiler) failed"

# shellcheck source=harness/apt-arm64.sh
. "$HERE/apt-arm64.sh"
[[ -r $KEYRING ]] || die "missing $KEYRING"
mkdir -p "$CACHE"
apt_arm64_setup "$CACHE/apt-bookworm" \
    "deb [signed-by=$KEYRING] $MIRROR bookworm main" \
    || die "private apt-get update failed (mirror reachable?)"

tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root"
for p in "${PKGS[@]}"; do
    apt_arm64_download "$p" "$tmp" || die "apt-get download $p failed"
done
for deb in "$tmp"/*.deb; do
    dpkg-deb -x "$deb" "$tmp/root" || die "cannot extract $deb"
    # shellcheck disable=SC2016  # dpkg's ${Field}, not the shell's
    dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" >> "$tmp/root/packages"
done
[[ -s $tmp/root/usr/lib/aarch64-linux-gnu/libjansson.a ]] || die "no libjansson.a in ${PKGS[*]}"
rm -rf "$SYSROOT.part"
mv "$tmp/root" "$SYSROOT.part"
rm -rf "$SYSROOT"
mv "$SYSROOT.part" "$SYSROOT"
echo "fetch-sysroot: cached $(paste -sd, "$SYSROOT/packages")" >&2
echo "$SYSROOT"
