#!/usr/bin/env bash
# Print a kind-"raw" idregs-host/1 profile of a QEMU CPU model: the
# feature-ID registers as the emulated hardware presents them, read at EL2
# by the bare-metal program harness/rawdump (no Linux, no KVM involved).
#
#   harness/raw-profile.sh --cpu CPU [--mode vhe|nvhe] [--name NAME]
#                          [--timeout SECONDS] > profile.json
#
#   --cpu      QEMU -cpu model (max gets pauth-impdef=on, as in
#              run-real-kvm.sh)
#   --mode     how Linux runs KVM on this CPU. Default: the "mode" of the
#              stored probes harness/results/*-CPU-probe.json (they must
#              agree), else vhe when ID_AA64MMFR1_EL1.VH != 0
#   --name     profile name (default qemu-CPU-raw)
#
# Exit status: 0 ok; 1 no output markers (timeout, crash) or probes that
# disagree on the mode; 2 usage.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '6,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "raw-profile: $1" >&2; exit "${2:-1}"; }

cpu='' mode='' name='' timeout_s=30
while (($#)); do
    case $1 in
        --cpu) cpu=${2:?}; shift 2 ;;
        --mode) mode=${2:?}; shift 2 ;;
        --name) name=${2:?}; shift 2 ;;
        --timeout) timeout_s=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "raw-profile: unknown argument $1" >&2; usage ;;
    esac
done
[[ -n $cpu ]] || usage
[[ -z $mode || $mode == vhe || $mode == nvhe ]] || die "--mode is vhe or nvhe" 2
command -v qemu-system-aarch64 >/dev/null && command -v aarch64-linux-gnu-gcc >/dev/null ||
    die "qemu-system-aarch64 or aarch64-linux-gnu-gcc missing (harness/fetch-kernels.sh installs them)"

make -s -C "$HERE/rawdump" OUT="$HERE/build/rawdump" >&2 || die "cannot build rawdump"
elf=$HERE/build/rawdump/rawdump.elf

# mode as Linux decided it, from the stored probes of this CPU
mode_src="--mode"
if [[ -z $mode ]]; then
    modes=$(shopt -s nullglob; for f in "$HERE"/results/*-"$cpu"-probe.json; do
                sed -n 's/^ *"mode": *"\([a-z]*\)".*/\1/p' "$f"; done | sort -u)
    case $(printf '%s' "$modes" | grep -c . || true) in
        0) mode_src="ID_AA64MMFR1_EL1.VH (no stored probe)" ;;
        1) mode=$modes; mode_src="stored probes" ;;
        *) die "stored probes of $cpu disagree on the mode ($(echo $modes)); give --mode" ;;
    esac
fi

cpuopt=$cpu
[[ $cpu == max ]] && cpuopt=max,pauth-impdef=on
work=$(mktemp -d "${TMPDIR:-/tmp}/idregs-raw.XXXXXX")
trap 'rm -rf "$work"' EXIT
rc=0
timeout --kill-after=5 "$timeout_s" qemu-system-aarch64 \
    -M virt,virtualization=on,gic-version=3 -cpu "$cpuopt" -smp 1 -m 256 \
    -nic none -nographic -no-reboot -kernel "$elf" \
    </dev/null 2>&1 | tr -d '\r' >"$work/console.txt" || rc=$?
awk '/^=== rawdump-end ===$/ {ok=1} END {exit !ok}' "$work/console.txt" || {
    echo "raw-profile: no output markers (qemu exit $rc); console tail:" >&2
    tail -n 20 "$work/console.txt" >&2
    exit 1
}
grep '^rawdump: ' "$work/console.txt" >&2 || true
awk '/^=== rawdump-begin ===$/ {on=1; next} /^=== rawdump-end ===$/ {on=0} on' \
    "$work/console.txt" >"$work/raw.json"

python3 - "$work/raw.json" "${name:-qemu-$cpu-raw}" "$cpu" "$cpuopt" "$mode" "$mode_src" <<'PY'
import json, sys
path, name, cpu, cpuopt, mode, mode_src = sys.argv[1:]
with open(path) as fh:
    doc = json.load(fh)
vh_mode = doc["mode"]
doc["name"] = name
doc["description"] = (f"QEMU {cpu} (-cpu {cpuopt}, -M virt,virtualization=on,gic-version=3): "
                      + doc["description"] + f"; mode from {mode_src}")
if mode:
    if mode != vh_mode:
        print(f"raw-profile: mode {mode} (from {mode_src}) though ID_AA64MMFR1_EL1.VH "
              f"says {vh_mode}", file=sys.stderr)
    doc["mode"] = mode
out = json.dumps(doc, indent=2)
print(out)
PY
