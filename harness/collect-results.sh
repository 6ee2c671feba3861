#!/usr/bin/env bash
# Run every harness/scripts/*.sim and a probe on each kernel x CPU model;
# store the outputs in harness/results/ (<kernel>-<cpu>-<script>.out,
# <kernel>-<cpu>-probe.json) and the wall times in results/timings.txt.
#
#   harness/collect-results.sh [--kernels '6.12 7.3'] [--cpus 'max neoverse-n1 cortex-a72']
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernels='6.12 7.3' cpus='max neoverse-n1 cortex-a72'
while (($#)); do
    case $1 in
        --kernels) kernels=${2:?}; shift 2 ;;
        --cpus) cpus=${2:?}; shift 2 ;;
        *) echo "usage: $0 [--kernels LIST] [--cpus LIST]" >&2; exit 2 ;;
    esac
done
R=$HERE/results
mkdir -p "$R"
T=$(mktemp -d "${TMPDIR:-/tmp}/idregs-collect.XXXXXX")   # partial outputs stay out of results/
trap 'rm -rf "$T"' EXIT
run_all() {
    local fail=0 k c what out args start st ms names=()
    for f in "$HERE"/scripts/*.sim; do names+=("$(basename "$f" .sim)"); done
    for k in $kernels; do
        for c in $cpus; do
            for what in "${names[@]}" probe; do
                if [[ $what == probe ]]; then
                    out=$R/$k-$c-probe.json; args=(--probe)
                else
                    out=$R/$k-$c-$what.out; args=("$HERE/scripts/$what.sim")
                fi
                start=$(date +%s%N)
                if "$HERE/run-real-kvm.sh" --kernel "$k" --cpu "$c" "${args[@]}" \
                       >"$T/out" 2>"$T/stderr"; then
                    mv "$T/out" "$out"
                    st=ok
                else
                    st=FAILED; fail=1
                    cat "$T/stderr" >&2
                fi
                ms=$((($(date +%s%N) - start) / 1000000))
                printf '%-5s %-12s %-10s %6d.%03ds %s\n' "$k" "$c" "$what" \
                    $((ms / 1000)) $((ms % 1000)) "$st"
            done
        done
    done
    return $fail
}
rc=0
run_all | tee "$T/timings" || rc=$?
mv "$T/timings" "$R/timings.txt"
exit $rc
