#!/bin/sh
# Install what idregs needs to build and test on Debian 12 (run as root).
# Idempotent: does nothing when everything is already installed.
set -eu
pkgs="build-essential pkg-config python3 libjansson-dev libcmocka-dev clang chromium"
# clang's sanitizer and libFuzzer runtimes (make tsan, asan, fuzz): only a
# Recommends of clang, which --no-install-recommends leaves out
pkgs="$pkgs libclang-rt-14-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
