#!/bin/sh
# The matrix page renders: headless Chromium screenshots it, and the picture
# has one green cell per fitting pair and one red cell per refused pair.
# Without Chromium the page's own checks run and the picture is reported
# as skipped (CI installs Chromium, so there it always runs).
set -eu
IDREGS=${IDREGS:-build/idregs}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hosts="neoverse-n1 cortex-a76 cortex-a72"
# shellcheck disable=SC2086
"$IDREGS" matrix $hosts --kernel 7.3 --html "$tmp/m.html"
# shellcheck disable=SC2086
"$IDREGS" matrix $hosts --kernel 7.3 --json > "$tmp/m.json"
fits=$(python3 -c 'import json,sys; print(sum(p["fits"] for p in json.load(open(sys.argv[1]))["pairs"]))' "$tmp/m.json")
refused=$((9 - fits))
passed=0
if grep -q -E '(src|href)="(https?:)?//' "$tmp/m.html"; then
	echo "html: the page loads something from elsewhere"; exit 1
fi
passed=$((passed + 1))
# one cell per pair in the page itself
cells=$(grep -o 'class="cell"' "$tmp/m.html" | wc -l)
if [ "$cells" -ne 9 ]; then
	echo "html: $cells cells in the page, want 9"; exit 1
fi
passed=$((passed + 1))
if ! command -v chromium >/dev/null 2>&1; then
	echo "html: chromium not installed: the rendered picture is not checked"
	echo "$passed passed, 0 failed, 2 skipped"
	exit 0
fi
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$tmp/profile" --window-size=900,800 \
	--screenshot="$tmp/m.png" "file://$tmp/m.html" >/dev/null 2>&1
set -- $(python3 "$(dirname "$0")/png_colors.py" "$tmp/m.png" 2e7d32 c62828)
green=$1 red=$2
# a cell is 60x60 pixels less its tick or cross and count
check() {
	if [ "$2" -lt $(($3 * 3000)) ] || [ "$2" -gt $(($3 * 3600)) ]; then
		echo "html: $1 pixels $2, want $3 cells of 3000..3600"; exit 1
	fi
}
check green "$green" "$fits"
passed=$((passed + 1))
check red "$red" "$refused"
passed=$((passed + 1))
echo "html: matrix page rendered by Chromium: $fits fitting and $refused refused cells drawn"
echo "$passed passed, 0 failed"
