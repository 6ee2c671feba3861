#!/usr/bin/env bash
# Run an `idregs sim` script (or a host probe) against real KVM/arm64: boots a
# Debian arm64 kernel under qemu-system-aarch64 (EL2 enabled) with the guest
# program harness/guest/kvmsim.c as /init, and prints the program's output.
#
#   harness/run-real-kvm.sh --kernel 6.12|7.3 --cpu max|neoverse-n1|cortex-a72|...
#                           [--smp N] [--timeout SECONDS] [--append 'ARGS']
#                           [--name NAME] [--log FILE]  SCRIPT | --probe | --cli DIR
#
#   SCRIPT      sim script ("-" = stdin); stdout gets the result lines
#   --probe     stdout gets a kind-"kvm" host profile (idregs-host/1 JSON);
#               --name sets its name (default qemu-<cpu>-<kernel>)
#   --cli DIR   run the cross-built CLI (--idregs BIN, default
#               build-aarch64/idregs from `make cross-aarch64`) in the guest:
#               DIR's files go to /, and each line of DIR/commands is run
#               by harness/guest/runcmds.c, which prints its stdout, stderr
#               and exit status between markers
#   --append    extra kernel command line (e.g. kvm-arm.mode=nvhe)
#   --log FILE  keep the full console log
#
# Exit status: 0 on success; 1 if the guest did not print its output
# markers (boot failure, timeout; the console tail goes to stderr); 2 usage.
# Kernels come from $IDREGS_HARNESS_CACHE (default /var/cache/idregs-harness),
# filled by harness/fetch-kernels.sh (run automatically if missing).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${IDREGS_HARNESS_CACHE:-/var/cache/idregs-harness}
BUILD=$HERE/build

usage() { sed -n '6,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "run-real-kvm: $1" >&2; exit "${2:-1}"; }

kernel='' cpu='' smp=1 timeout_s=300 append='' name='' log='' script='' probe=0
cli='' idregs=$HERE/../build-aarch64/idregs
while (($#)); do
    case $1 in
        --kernel) kernel=${2:?}; shift 2 ;;
        --cpu) cpu=${2:?}; shift 2 ;;
        --smp) smp=${2:?}; shift 2 ;;
        --timeout) timeout_s=${2:?}; shift 2 ;;
        --append) append=${2?}; shift 2 ;;
        --name) name=${2:?}; shift 2 ;;
        --log) log=${2:?}; shift 2 ;;
        --probe) probe=1; shift ;;
        --cli) cli=${2:?}; shift 2 ;;
        --idregs) idregs=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        -) script=-; shift ;;
        -*) echo "run-real-kvm: unknown option $1" >&2; usage ;;
        *) [[ -z $script ]] || usage; script=$1; shift ;;
    esac
done
[[ -n $kernel && -n $cpu ]] || usage
(( probe + (${#script} > 0) + (${#cli} > 0) == 1 )) || die "give one of SCRIPT, --probe, --cli DIR" 2
[[ -z $cli || -r $cli/commands ]] || die "no $cli/commands"
[[ -z $cli || -x $idregs ]] || die "no aarch64 idregs at $idregs (make cross-aarch64)"
[[ $smp =~ ^[1-9][0-9]*$ ]] || die "--smp needs a positive number" 2
[[ $kernel =~ ^[0-9]+\.[0-9]+$ ]] || die "--kernel wants a series such as 6.12 or 7.3" 2
[[ $script == - || -z $script || -r $script ]] || die "cannot read script $script"

# --- tools and kernel ------------------------------------------------------
image=$CACHE/kernels/$kernel/vmlinuz
if [[ ! -s $image ]] || ! command -v qemu-system-aarch64 >/dev/null ||
   ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v cpio >/dev/null; then
    echo "run-real-kvm: tools or kernel $kernel missing; running fetch-kernels.sh" >&2
    "$HERE/fetch-kernels.sh" "$kernel" >&2 || die "fetch-kernels.sh failed"
fi
[[ -s $image ]] || die "no cached kernel for series $kernel ($image); see harness/fetch-kernels.sh" 2

# --- guest program ---------------------------------------------------------
mkdir -p "$BUILD"
prog=kvmsim
[[ -z $cli ]] || prog=runcmds
bin=$BUILD/$prog
# Parallel boots (difftest --jobs) may build at the same time: serialise
# on a lock and build into a private temporary name.
(
    flock 9
    if [[ ! -x $bin || $HERE/guest/$prog.c -nt $bin ]]; then
        tmpbin=$(mktemp "$bin.XXXXXX")
        aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
            -o "$tmpbin" "$HERE/guest/$prog.c" || { rm -f "$tmpbin"; exit 1; }
        mv "$tmpbin" "$bin"
    fi
) 9>"$BUILD/.build.lock" || die "cannot build the guest program"

# --- initramfs -------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/idregs-kvm.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root"
cp "$bin" "$work/root/init"
if [[ -n $cli ]]; then
    cp -r "$cli/." "$work/root/"
    mkdir -p "$work/root/bin"
    cp "$idregs" "$work/root/bin/idregs"
elif ((probe)); then
    echo "${name:-qemu-$cpu-$kernel}" > "$work/root/probe"
elif [[ $script == - ]]; then
    cat > "$work/root/script.sim"
else
    cp "$script" "$work/root/script.sim"
fi
(cd "$work/root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) \
    > "$work/initrd.cpio" || die "cpio failed"

# --- boot ------------------------------------------------------------------
cpuopt=$cpu
[[ $cpu == max ]] && cpuopt=max,pauth-impdef=on
console=$work/console.log
start=$(date +%s%N)
rc=0
timeout --kill-after=10 "$timeout_s" qemu-system-aarch64 \
    -M virt,virtualization=on,gic-version=3 -cpu "$cpuopt" -smp "$smp" -m 1024 \
    -nic none -nographic -no-reboot \
    -kernel "$image" -initrd "$work/initrd.cpio" \
    -append "console=ttyAMA0 panic=-1 quiet${append:+ $append}" \
    </dev/null >"$console" 2>&1 || rc=$?
ms=$((($(date +%s%N) - start) / 1000000)); elapsed=$((ms / 1000)).$(printf %03d $((ms % 1000)))
[[ -z $log ]] || cp "$console" "$log"

tr -d '\r' <"$console" >"$work/console.txt"
awk '/^=== idregs-end ===$/ {ok=1} END {exit !ok}' "$work/console.txt" || {
    ((rc == 124 || rc == 137)) && echo "run-real-kvm: timed out after ${timeout_s}s" >&2
    echo "run-real-kvm: no output markers (qemu exit $rc, ${elapsed}s); console tail:" >&2
    tail -n 40 "$work/console.txt" >&2
    exit 1
}
# diagnostics to stderr; the program's lines (minus any kernel message) to stdout
grep '^idregs-diag: ' "$work/console.txt" >&2 || true
awk '/^=== idregs-begin ===$/ {on=1; next} /^=== idregs-end ===$/ {on=0}
     on && !/^idregs-diag: / && !/^\[ *[0-9]+\.[0-9]+\]/' "$work/console.txt"
printf 'run-real-kvm: kernel %s (%s) cpu %s smp %s: %ss\n' "$kernel" \
    "$(basename "$(readlink -f "$CACHE/kernels/$kernel")")" "$cpu" "$smp" "$elapsed" >&2
