#!/bin/sh
# SPDX-License-Identifier: MIT
#
# End-to-end tests of the idregs command-line tool.
#
#   IDREGS=build/idregs sh tests/cli.sh
#
# The last line printed is "N passed, N failed"; the exit status is non-zero
# when any check failed. The sim checks follow the contract in docs/sim.md
# (the example there is reproduced byte for byte), the masks checks the
# values real 6.12 and 7.3 kernels report (harness/results/*-probe.json).

. "$(dirname "$0")/lib.sh"

lib_init cli

# sim_run SCRIPT_TEXT ARGS...: the script is given as a file.
sim_run() {
	printf '%s\n' "$1" >"$T/script"
	shift
	"$IDREGS" sim "$@" "$T/script" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}


check_same() {	# NAME EXPECTED_FILE ACTUAL_FILE
	if cmp -s "$2" "$3"; then
		pass
	else
		fail "$1: output differs"
		diff "$2" "$3" | sed 's/^/    /' | head -40
	fi
}

# check_line NAME LINE: stdout has exactly this line.
check_line() {
	if grep -qxF -- "$2" "$T/out"; then
		pass
	else
		fail "$1: no line '$2' in output:"
		sed 's/^/    /' "$T/out" | head -20
	fi
}

# check_no_match NAME TEXT: stdout does not contain TEXT.
check_no_match() {
	if grep -qF -- "$2" "$T/out"; then
		fail "$1: output contains '$2'"
	else
		pass
	fi
}

# check_count NAME PATTERN(grep -E) WANT
check_count() {
	n=$(grep -cE -- "$2" "$T/out")
	if [ "$n" -eq "$3" ]; then
		pass
	else
		fail "$1: $n lines match '$2', want $3"
	fi
}

check_lines() {	# NAME WANT: stdout line count
	n=$(wc -l <"$T/out")
	if [ "$n" -eq "$2" ]; then
		pass
	else
		fail "$1: $n output lines, want $2"
		sed 's/^/    /' "$T/out" | head -20
	fi
}

# check_err NAME TEXT...: stderr is not empty and contains every TEXT.
check_err() {
	name=$1
	shift
	if [ ! -s "$T/err" ]; then
		fail "$name: nothing on stderr"
		return
	fi
	for text in "$@"; do
		if ! grep -qF -- "$text" "$T/err"; then
			fail "$name: stderr lacks '$text': $(head -c 300 "$T/err")"
			return
		fi
	done
	pass
}

check_json() {	# NAME
	if python3 -m json.tool "$T/out" >/dev/null 2>"$T/json.err"; then
		pass
	else
		fail "$1: not valid JSON: $(cat "$T/json.err")"
	fi
}

# expect_error NAME STATUS TEXT -- CMD...: fails with STATUS, a message on
# stderr containing TEXT.
expect_error() {
	name=$1 want=$2 text=$3
	shift 4
	run "$@"
	check_rc "$name" "$want"
	check_err "$name" "$text"
}

# ---------------------------------------------------------------------------
# sim: the example of docs/sim.md, exactly, under both releases

EXAMPLE='vm
get ID_AA64ISAR0_EL1
setfield ID_AA64ISAR0_EL1 4 1
setfield ID_AA64ISAR0_EL1 4 3
run
set ID_AA64ISAR0_EL1 0'

cat >"$T/example.expected" <<'EOF'
line=1 cmd=vm vcpu=0 features=0x0 err=0
line=2 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0
line=3 cmd=setfield reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211110 err=0 readback=0x0000100010211110 readback_err=0
line=4 cmd=setfield reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211130 err=EINVAL readback=0x0000100010211110 readback_err=0
line=5 cmd=run vcpu=0 err=0
line=6 cmd=set reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000000000000000 err=EBUSY readback=0x0000100010211110 readback_err=0
EOF

for k in 6.12 7.3; do
	sim_run "$EXAMPLE" --host neoverse-n1 --kernel "$k"
	check_rc "example $k" 0
	check_same "example $k" "$T/example.expected" "$T/out"
	if [ -s "$T/err" ]; then
		fail "example $k: stderr not empty: $(head -c 200 "$T/err")"
	else
		pass
	fi
done

# the default release is the newest (7.3)
sim_run "$EXAMPLE" --host neoverse-n1
check_rc "example, default kernel" 0
check_same "example, default kernel" "$T/example.expected" "$T/out"

# the script from standard input, without a SCRIPT and with "-"
printf '%s\n' "$EXAMPLE" | "$IDREGS" sim --host neoverse-n1 --kernel 6.12 >"$T/out" 2>"$T/err"
rc=$?
check_rc "example from stdin" 0
check_same "example from stdin" "$T/example.expected" "$T/out"
printf '%s\n' "$EXAMPLE" | "$IDREGS" sim --host neoverse-n1 --kernel 7.3 - >"$T/out" 2>"$T/err"
rc=$?
check_rc "example from stdin (-)" 0
check_same "example from stdin (-)" "$T/example.expected" "$T/out"

# the same script with CRLF line ends
printf '%s\r\n' "$EXAMPLE" >"$T/script.crlf"
"$IDREGS" sim --host neoverse-n1 "$T/script.crlf" >"$T/out" 2>"$T/err"
rc=$?
check_rc "example with CRLF" 0
check_same "example with CRLF" "$T/example.expected" "$T/out"

# ---------------------------------------------------------------------------
# sim: line numbers, comments and blank lines

sim_run '# a comment

vm
   
	# an indented comment
get MIDR_EL1
#get MIDR_EL1' --host neoverse-n1
check_rc "comments" 0
check_lines "comments print nothing" 2
check_line "comments count for line numbers" "line=3 cmd=vm vcpu=0 features=0x0 err=0"
check_line "comments count for line numbers" "line=6 cmd=get reg=MIDR_EL1 vcpu=0 val=0x00000000414fd0c1 err=0 readback=0x00000000414fd0c1 readback_err=0"

# tabs separate tokens too
sim_run 'vm
get	ID_AA64ISAR0_EL1' --host neoverse-n1
check_line "tab separated" "line=2 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"

# ---------------------------------------------------------------------------
# sim: NO_VM before the first vm

sim_run 'get MIDR_EL1
set MIDR_EL1 0
setfield MIDR_EL1 0 1
rewrite MIDR_EL1
vcpu
masks
dump
run
vm' --host neoverse-n1
check_rc "NO_VM" 0
check_lines "NO_VM: one line per command" 9
check_line "NO_VM get" "line=1 cmd=get reg=MIDR_EL1 vcpu=0 val=0x0000000000000000 err=NO_VM readback=0x0000000000000000 readback_err=NO_VM"
check_count "NO_VM set/setfield/rewrite" '^line=[234] cmd=(set|setfield|rewrite) reg=MIDR_EL1 vcpu=0 val=0x0000000000000000 err=NO_VM readback=0x0000000000000000 readback_err=NO_VM$' 3
check_line "NO_VM vcpu" "line=5 cmd=vcpu vcpu=-1 features=0x0 err=NO_VM"
check_line "NO_VM masks" "line=6 cmd=masks err=NO_VM"
check_count "NO_VM dump" '^line=7 cmd=dump.* err=NO_VM$' 1
check_line "NO_VM run" "line=8 cmd=run vcpu=0 err=NO_VM"
check_line "vm after NO_VM" "line=9 cmd=vm vcpu=0 features=0x0 err=0"

# ---------------------------------------------------------------------------
# sim: vcpu=K tokens, NO_VCPU, vcpu lines

sim_run 'vm
vcpu
get MPIDR_EL1 vcpu=1
vcpu=1 get MPIDR_EL1
get vcpu=1 MPIDR_EL1
get MPIDR_EL1
get MPIDR_EL1 vcpu=2
get MPIDR_EL1 vcpu=abc
run vcpu=7
dump vcpu=2
masks vcpu=9
set MPIDR_EL1 010 vcpu=1
set MPIDR_EL1
get MIDR_EL1 vcpu=-1' --host neoverse-n1
check_rc "vcpu=K" 0
check_line "second vcpu" "line=2 cmd=vcpu vcpu=1 features=0x0 err=0"
check_line "vcpu=K at the end" "line=3 cmd=get reg=MPIDR_EL1 vcpu=1 val=0x0000000080000001 err=0 readback=0x0000000080000001 readback_err=0"
check_line "vcpu=K first" "line=4 cmd=get reg=MPIDR_EL1 vcpu=1 val=0x0000000080000001 err=0 readback=0x0000000080000001 readback_err=0"
check_line "vcpu=K in the middle" "line=5 cmd=get reg=MPIDR_EL1 vcpu=1 val=0x0000000080000001 err=0 readback=0x0000000080000001 readback_err=0"
check_line "default vcpu 0" "line=6 cmd=get reg=MPIDR_EL1 vcpu=0 val=0x0000000080000000 err=0 readback=0x0000000080000000 readback_err=0"
check_line "NO_VCPU for vcpu=2" "line=7 cmd=get reg=MPIDR_EL1 vcpu=2 val=0x0000000000000000 err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU"
check_count "NO_VCPU for vcpu=abc" '^line=8 cmd=get reg=MPIDR_EL1 .*err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU$' 1
check_line "NO_VCPU for run" "line=9 cmd=run vcpu=7 err=NO_VCPU"
check_count "NO_VCPU for dump" '^line=10 cmd=dump.* err=NO_VCPU$' 1
check_count "NO_VCPU for dump (only one line)" '^line=10 ' 1
check_line "masks needs no vCPU" "line=11 cmd=masks err=0"
check_line "octal VALUE" "line=12 cmd=set reg=MPIDR_EL1 vcpu=1 val=0x0000000000000008 err=0 readback=0x0000000000000008 readback_err=0"
check_line "missing VALUE is 0" "line=13 cmd=set reg=MPIDR_EL1 vcpu=0 val=0x0000000000000000 err=0 readback=0x0000000000000000 readback_err=0"
check_count "NO_VCPU for vcpu=-1" '^line=14 cmd=get reg=MIDR_EL1 .*err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU$' 1

# ---------------------------------------------------------------------------
# sim: BAD_REG, BAD_VALUE, UNKNOWN_CMD

sim_run 'vm
get NOPE
get 3.0.0.4
get 3.9.0.0.0
get 0xzz
get
set FOO_EL1 1
set ID_AA64ISAR0_EL1 zz
set ID_AA64ISAR0_EL1 0x
set ID_AA64ISAR0_EL1 0x1ffffffffffffffff
set ID_AA64ISAR0_EL1 12abc
setfield ID_AA64ISAR0_EL1 4 zz
setfield ID_AA64ISAR0_EL1 x 1
setfield ID_AA64ISAR0_EL1 64 1
get ID_AA64ISAR0_EL1
frobnicate ID_AA64ISAR0_EL1
GET ID_AA64ISAR0_EL1
set ID_AA64ISAR0_EL1 -1' --host neoverse-n1
check_rc "script errors" 0
check_count "BAD_REG" '^line=[2-7] cmd=(get|set) .* err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG$' 6
check_line "BAD_REG line" "line=2 cmd=get reg=NOPE vcpu=0 val=0x0000000000000000 err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG"
check_count "BAD_VALUE" '^line=(8|9|10|11|12|13|14) cmd=(set|setfield) reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000000000000000 err=BAD_VALUE ' 7
check_line "BAD_VALUE writes nothing" "line=15 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"
check_line "UNKNOWN_CMD" "line=16 cmd=frobnicate err=UNKNOWN_CMD"
check_line "commands are case-sensitive" "line=17 cmd=GET err=UNKNOWN_CMD"
# VALUE is C syntax as strtoull reads it (the in-guest program of the
# real-KVM harness does the same): -1 is all ones, which KVM refuses
check_line "VALUE -1" "line=18 cmd=set reg=ID_AA64ISAR0_EL1 vcpu=0 val=0xffffffffffffffff err=EINVAL readback=0x0000100010211120 readback_err=0"
check_lines "one line per command" 18

# ---------------------------------------------------------------------------
# sim: REG forms, ids outside the model, malformed ids

sim_run 'vm
get id_aa64isar0_el1
get 3.0.0.6.0
get S3_0_C0_C6_0
get 0x603000000013c030
get 0x603000000013C080
get S3_0_C1_C0_0
set 0x603000000013c080 0x30d00800
setfield 3.0.1.0.0 0 1
rewrite 0x603000000013c080
get 0x6030000000138000
get 0x6030000000100000
get 0x602000000013c030
get 0x7030000000130000
get CCSIDR_EL1' --host neoverse-n1
check_rc "REG forms" 0
check_line "lower-case name" "line=2 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"
check_line "dotted REG" "line=3 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"
check_line "generic REG" "line=4 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"
check_line "raw id REG" "line=5 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"
# SCTLR_EL1 (3,0,1,0,0) = 0x603000000013C080: outside the model
check_count "UNMODELED SCTLR_EL1" '^line=(6|7|8|9|10) cmd=(get|set|setfield|rewrite) reg=S3_0_C1_C0_0 vcpu=0 val=0x[0-9a-f]{16} err=UNMODELED readback=0x0000000000000000 readback_err=UNMODELED$' 5
# op0 2 id 0x6030000000138000: a debug-space encoding KVM has no register
# for; UNMODELED, or ENOENT as KVM says (docs/sim.md)
check_count "UNMODELED or ENOENT for 0x6030000000138000" '^line=11 cmd=get reg=[^ ]+ vcpu=0 val=0x0000000000000000 err=(UNMODELED|ENOENT) readback=0x0000000000000000 readback_err=(UNMODELED|ENOENT)$' 1
check_count "UNMODELED core register" '^line=12 cmd=get .* err=UNMODELED readback=0x0000000000000000 readback_err=UNMODELED$' 1
check_count "U32 sysreg id is ENOENT" '^line=13 cmd=get .* err=ENOENT readback=0x0000000000000000 readback_err=ENOENT$' 1
check_count "bad arch is EINVAL" '^line=14 cmd=get reg=0x7030000000130000 .* err=EINVAL readback=0x0000000000000000 readback_err=EINVAL$' 1
check_line "no descriptor: ENOENT" "line=15 cmd=get reg=CCSIDR_EL1 vcpu=0 val=0x0000000000000000 err=ENOENT readback=0x0000000000000000 readback_err=ENOENT"

# REG parsing as the in-guest program of the real-KVM harness does it
# (harness/guest/kvmsim.c parse_reg: decimal digits only, each part range
# checked; a raw id has 1 to 16 hex digits). A dotted or generic part that
# only fits after wrapping at 32 bits, or carries a sign, is BAD_REG there.
sim_run 'vm
get 3.0.0.4294967302.0
get S3_0_C0_C4294967302_0
get 3.0.0.6.+0
get 0x00000603000000013c030' --host neoverse-n1
check_count "dotted/generic REG wrapping at 32 bits, signed, 17+ digit id: BAD_REG" \
	'^line=[2-5] cmd=get reg=[^ ]+ vcpu=0 val=0x0000000000000000 err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG$' 4

# ---------------------------------------------------------------------------
# sim: vm and vcpu

# a second vm replaces the first (and its vCPUs, values and run state)
sim_run 'vm
vcpu
setfield ID_AA64ISAR0_EL1 4 1
run
vm
get ID_AA64ISAR0_EL1
get MPIDR_EL1 vcpu=1
setfield ID_AA64ISAR0_EL1 4 1' --host neoverse-n1
check_rc "second vm" 0
check_line "second vm" "line=5 cmd=vm vcpu=0 features=0x0 err=0"
check_line "second vm: fresh values" "line=6 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"
check_line "second vm: one vCPU" "line=7 cmd=get reg=MPIDR_EL1 vcpu=1 val=0x0000000000000000 err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU"
check_line "second vm: not run" "line=8 cmd=setfield reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211110 err=0 readback=0x0000100010211110 readback_err=0"

# vcpu with features the VM's first vCPU lacks: EINVAL; the failed vCPU
# still exists, so the next vcpu gets EEXIST
sim_run 'vm
vcpu sve
vcpu
vcpu pmu
get MPIDR_EL1 vcpu=1' --host neoverse-v1
check_rc "vcpu sve" 0
check_line "vcpu sve on a VM without sve" "line=2 cmd=vcpu vcpu=0 features=0x10 err=EINVAL"
check_line "vcpu after a failed init" "line=3 cmd=vcpu vcpu=0 features=0x0 err=EEXIST"
check_line "vcpu after a failed init (again)" "line=4 cmd=vcpu vcpu=0 features=0x8 err=EEXIST"
check_line "failed vCPUs are not usable" "line=5 cmd=get reg=MPIDR_EL1 vcpu=1 val=0x0000000000000000 err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU"

sim_run 'vm sve pmu ptrauth
vcpu sve pmu ptrauth
vm sve
get MIDR_EL1
vm pmu el1_32bit
vm bogus ptrauth' --host neoverse-v1
check_line "vm with features" "line=1 cmd=vm vcpu=0 features=0x78 err=0"
check_line "vcpu with the same features" "line=2 cmd=vcpu vcpu=1 features=0x78 err=0"
check_line "vm sve" "line=3 cmd=vm vcpu=0 features=0x10 err=0"
check_line "el1_32bit on an AArch64-only EL1" "line=5 cmd=vm vcpu=-1 features=0xa err=EINVAL"
check_line "unknown feature words are ignored" "line=6 cmd=vm vcpu=0 features=0x60 err=0"

# a host without SVE: the VM's first vCPU fails, no usable vCPU
sim_run 'vm sve
get MIDR_EL1
vcpu' --host neoverse-n1
check_line "vm sve without host SVE" "line=1 cmd=vm vcpu=-1 features=0x10 err=EINVAL"
check_line "no usable vCPU" "line=2 cmd=get reg=MIDR_EL1 vcpu=0 val=0x0000000000000000 err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU"
check_line "vcpu after a failed vm" "line=3 cmd=vcpu vcpu=-1 features=0x0 err=EEXIST"

# run with a PMU that was never initialised: EINVAL
sim_run 'vm pmu
run' --host neoverse-n1
check_line "run with an uninitialised PMU" "line=2 cmd=run vcpu=0 err=EINVAL"

# ---------------------------------------------------------------------------
# sim: dump

for k in 6.12 7.3; do
	sim_run 'vm
dump' --host neoverse-n1 --kernel "$k"
	check_rc "dump $k" 0
	check_count "dump $k lists 62 encodings" '^line=2 cmd=dump enc=3\.[013]\.0\.[0-7]\.[0-7] name=[A-Za-z0-9_]+ val=0x[0-9a-f]{16} err=[A-Z0-9]+$' 62
	check_count "dump $k: no other lines" '^line=2 ' 62
	check_line "dump $k: MIDR first" "line=2 cmd=dump enc=3.0.0.0.0 name=MIDR_EL1 val=0x00000000414fd0c1 err=0"
	check_line "dump $k: MPIDR" "line=2 cmd=dump enc=3.0.0.0.5 name=MPIDR_EL1 val=0x0000000080000000 err=0"
	check_line "dump $k: unallocated slot" "line=2 cmd=dump enc=3.0.0.3.3 name=S3_0_C0_C3_3 val=0x0000000000000000 err=0"
	check_line "dump $k: ISAR0" "line=2 cmd=dump enc=3.0.0.6.0 name=ID_AA64ISAR0_EL1 val=0x0000100010211120 err=0"
	check_no_match "dump $k: no CCSIDR_EL1 (ENOENT)" "name=CCSIDR_EL1"
	# index order: the last line is CTR_EL0
	if tail -n 1 "$T/out" | grep -q '^line=2 cmd=dump enc=3\.3\.0\.0\.1 name=CTR_EL0 '; then
		pass
	else
		fail "dump $k: CTR_EL0 is not last"
	fi
	grep -o 'enc=[0-9.]*' "$T/out" | awk -F'[=.]' '{ print $3 * 64 + $5 * 8 + $6 }' >"$T/idx"
	if sort -n -c "$T/idx" 2>/dev/null; then pass; else fail "dump $k: not in index order"; fi
done

# ---------------------------------------------------------------------------
# sim: masks as real KVM reports them (the 6.12 and 7.3 probes in
# harness/results/*-probe.json), neoverse-n1

# NAME ENCODING MASK-6.12 MASK-7.3, in index order
cat >"$T/observed" <<'EOF'
MIDR_EL1 3.0.0.0.0 0x0000000000000000 0x00000000ffffffff
REVIDR_EL1 3.0.0.0.6 0x0000000000000000 0xffffffffffffffff
ID_PFR0_EL1 3.0.0.1.0 0x00000000ffffffff 0x00000000ffffffff
ID_PFR1_EL1 3.0.0.1.1 0x00000000ffffffff 0x00000000ffffffff
ID_DFR0_EL1 3.0.0.1.2 0x00000000ffffffff 0x00000000ffffffff
ID_MMFR0_EL1 3.0.0.1.4 0x00000000ffffffff 0x00000000ffffffff
ID_MMFR1_EL1 3.0.0.1.5 0x00000000ffffffff 0x00000000ffffffff
ID_MMFR2_EL1 3.0.0.1.6 0x00000000ffffffff 0x00000000ffffffff
ID_MMFR3_EL1 3.0.0.1.7 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR0_EL1 3.0.0.2.0 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR1_EL1 3.0.0.2.1 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR2_EL1 3.0.0.2.2 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR3_EL1 3.0.0.2.3 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR4_EL1 3.0.0.2.4 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR5_EL1 3.0.0.2.5 0x00000000ffffffff 0x00000000ffffffff
ID_MMFR4_EL1 3.0.0.2.6 0x00000000ffffffff 0x00000000ffffffff
ID_ISAR6_EL1 3.0.0.2.7 0x00000000ffffffff 0x00000000ffffffff
MVFR0_EL1 3.0.0.3.0 0x00000000ffffffff 0x00000000ffffffff
MVFR1_EL1 3.0.0.3.1 0x00000000ffffffff 0x00000000ffffffff
MVFR2_EL1 3.0.0.3.2 0x00000000ffffffff 0x00000000ffffffff
ID_PFR2_EL1 3.0.0.3.4 0x00000000ffffffff 0x00000000ffffffff
ID_MMFR5_EL1 3.0.0.3.6 0x00000000ffffffff 0x00000000ffffffff
ID_AA64PFR0_EL1 3.0.0.4.0 0xffff00f00f00ffff 0xffff00f0ff00ffff
ID_AA64PFR1_EL1 3.0.0.4.1 0x0000000f000000ff 0x0f00000f0000f0ff
ID_AA64PFR2_EL1 3.0.0.4.2 0x0000000f00000000 0x0000000f0000fff0
ID_AA64ZFR0_EL1 3.0.0.4.4 0x0ff0ff0f0fff00ff 0x0fffff0f0ffff0ff
ID_AA64FPFR0_EL1 3.0.0.4.7 0x00000000f0000003 0x00000000fc0080ff
ID_AA64DFR0_EL1 3.0.0.5.0 0x000000f000f00f0f 0x000000f000f00f0f
ID_AA64ISAR0_EL1 3.0.0.6.0 0xfffffffffffffff0 0xfffffffff0fffff0
ID_AA64ISAR1_EL1 3.0.0.6.1 0xffffffff00fff00f 0xffffffff00fff00f
ID_AA64ISAR2_EL1 3.0.0.6.2 0xffff0fffffff00ff 0xffffffffffff00ff
ID_AA64ISAR3_EL1 3.0.0.6.3 0x0000000000000000 0x00000000ff0f00f0
ID_AA64MMFR0_EL1 3.0.0.7.0 0xff00f000ffffff0f 0xff00ffffffffff0f
ID_AA64MMFR1_EL1 3.0.0.7.1 0xfffff0f00ffff00f 0xffffffff0ffff00f
ID_AA64MMFR2_EL1 3.0.0.7.2 0xf0ff000ff00fffff 0xf0ff000ff00fffff
ID_AA64MMFR3_EL1 3.0.0.7.3 0x00000000000f0f0f 0x00000000000f0fff
ID_AA64MMFR4_EL1 3.0.0.7.4 0x0000000000000000 0x0000000000f00000
CLIDR_EL1 3.1.0.0.1 0x00007fffffffffff 0x00007fffffffffff
AIDR_EL1 3.1.0.0.7 0x0000000000000000 0xffffffffffffffff
CTR_EL0 3.3.0.0.1 0x00000000300f000f 0x00000000300fc00f
EOF

for k in 6.12 7.3; do
	col=3
	[ "$k" = 7.3 ] && col=4
	{
		echo "line=2 cmd=masks err=0"
		awk -v c="$col" '$c != "0x0000000000000000" {
			printf "line=2 cmd=masks enc=%s name=%s mask=%s\n", $2, $1, $c }' "$T/observed"
	} >"$T/masks.expected"
	sim_run 'vm
masks' --host neoverse-n1 --kernel "$k"
	check_rc "masks $k" 0
	grep -v '^line=1 ' "$T/out" >"$T/masks.out"
	check_same "masks $k (real probes)" "$T/masks.expected" "$T/masks.out"
	# they do not depend on the vCPU features
	sim_run 'vm pmu
masks' --host neoverse-n1 --kernel "$k"
	grep -v '^line=1 ' "$T/out" >"$T/masks.out"
	check_same "masks $k with pmu" "$T/masks.expected" "$T/masks.out"
	# without AArch32 (A64FX) the AArch32 ID registers' masks are 0
	sim_run 'vm
masks' --host a64fx --kernel "$k"
	grep -v '^line=1 ' "$T/out" >"$T/masks.out"
	grep -v 'enc=3\.0\.0\.[123]\.' "$T/masks.expected" >"$T/masks.a64fx"
	check_same "masks $k on a64fx" "$T/masks.a64fx" "$T/masks.out"
done

# ---------------------------------------------------------------------------
# sim: a kind-kvm profile file

cat >"$T/kvm.json" <<'EOF'
{ "format": "idregs-host/1", "name": "n1-kvm", "kind": "kvm", "kernel": "7.3",
  "mode": "vhe", "features": ["pmu"],
  "regs": { "MIDR_EL1": "0x00000000414fd0c1", "ID_AA64PFR0_EL1": "0x1100000011111112",
            "ID_AA64ISAR0_EL1": "0x0000100010211120", "CTR_EL0": "0x000000008444c004" } }
EOF
sim_run 'vm
get ID_AA64ISAR0_EL1' --host "$T/kvm.json"
check_rc "kind kvm host" 0
check_line "kind kvm host: vm" "line=1 cmd=vm vcpu=0 features=0x0 err=0"
check_line "kind kvm host: get" "line=2 cmd=get reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000100010211120 err=0 readback=0x0000100010211120 readback_err=0"

# ---------------------------------------------------------------------------
# error paths: a message on stderr and the documented exit status

expect_error "no verb" 2 "usage" -- "$IDREGS"
expect_error "unknown verb" 2 "frob" -- "$IDREGS" frob
expect_error "sim without --host" 2 "--host" -- "$IDREGS" sim "$T/script"
expect_error "sim --host without a value" 2 "--host" -- "$IDREGS" sim --host
expect_error "sim unknown option" 2 "--bogus" -- "$IDREGS" sim --host neoverse-n1 --bogus
expect_error "sim two scripts" 2 "script" -- "$IDREGS" sim --host neoverse-n1 "$T/script" "$T/script"
for k in 4.19 9.0 7.4 5.9.16; do
	run "$IDREGS" sim --host neoverse-n1 --kernel $k "$T/script"
	check_rc "--kernel $k outside the range" 2
	check_err "--kernel $k outside the range" "'$k' is outside" "5.10 to 7.3"
done
for k in 7 v6.12 latest 6.12x; do
	run "$IDREGS" sim --host neoverse-n1 --kernel $k "$T/script"
	check_rc "--kernel $k not a version" 2
	check_err "--kernel $k not a version" "'$k' is not a kernel version"
done
for k in 5.10 6.1 6.12.117 6.1.0-50-arm64 6.12.117+deb12-arm64 5.10.230-223.885.amzn2.aarch64 6.18 7.3; do
	run "$IDREGS" sim --host neoverse-n1 --kernel $k "$T/script"
	check_rc "--kernel $k" 0
done
run "$IDREGS" sim --host neoverse-n1 --kernel "" "$T/script"
check_rc "empty --kernel" 2
check_err "empty --kernel" "is not a kernel version" "6.12"
expect_error "sim --kernel without a value" 2 "--kernel" -- "$IDREGS" sim --host neoverse-n1 --kernel

expect_error "missing host file" 1 "$T/no-such-host.json" -- \
	"$IDREGS" sim --host "$T/no-such-host.json" "$T/script"
expect_error "unknown built-in host" 1 "neoverse-n9" -- \
	"$IDREGS" sim --host neoverse-n9 "$T/script"
expect_error "host is a directory" 1 "$T" -- "$IDREGS" sim --host "$T" "$T/script"
printf '{"format": "idregs-host/1", "kind": "raw", "cpus": [' >"$T/bad.json"
expect_error "malformed host JSON" 1 "$T/bad.json" -- "$IDREGS" sim --host "$T/bad.json" "$T/script"
printf '{"format": "idregs-host/2", "kind": "raw", "cpus": [{}]}' >"$T/v2.json"
expect_error "host format version 2" 1 "idregs-host/2" -- "$IDREGS" sim --host "$T/v2.json" "$T/script"
printf '{"format": "idregs-host/1", "kind": "raw", "cpus": [{"MIDR_EL1": "414fd0c1"}]}' >"$T/nohex.json"
expect_error "host value without 0x" 1 "MIDR_EL1" -- "$IDREGS" sim --host "$T/nohex.json" "$T/script"
: >"$T/empty.json"
expect_error "empty host file" 1 "empty" -- "$IDREGS" sim --host "$T/empty.json" "$T/script"
expect_error "missing script" 1 "$T/no-such-script" -- \
	"$IDREGS" sim --host neoverse-n1 "$T/no-such-script"
# host errors come before the script is read, and nothing is printed
run "$IDREGS" sim --host "$T/bad.json" "$T/no-such-script"
check_rc "bad host and missing script" 1
if [ -s "$T/out" ]; then fail "bad host: stdout not empty"; else pass; fi

expect_error "decode without arguments" 2 "decode" -- "$IDREGS" decode
expect_error "decode bad REG" 2 "FOO_EL1" -- "$IDREGS" decode FOO_EL1=0x1
expect_error "decode REG outside the space" 2 "3.0.1.0.0" -- "$IDREGS" decode 3.0.1.0.0=0x1
expect_error "decode bad value" 2 "zz" -- "$IDREGS" decode ID_AA64ISAR0_EL1=zz
expect_error "decode value too large" 2 "ID_AA64ISAR0_EL1" -- "$IDREGS" decode ID_AA64ISAR0_EL1=0x1ffffffffffffffff
expect_error "decode negative value" 2 "ID_AA64ISAR0_EL1" -- "$IDREGS" decode ID_AA64ISAR0_EL1=-1
expect_error "decode empty value" 2 "ID_AA64ISAR0_EL1" -- "$IDREGS" decode ID_AA64ISAR0_EL1=
expect_error "decode without =" 2 "ID_AA64ISAR0_EL1" -- "$IDREGS" decode ID_AA64ISAR0_EL1
expect_error "decode unknown option" 2 "--bogus" -- "$IDREGS" decode --bogus
expect_error "decode missing host" 1 "$T/no-such-host.json" -- "$IDREGS" decode --host "$T/no-such-host.json"
expect_error "regs unknown argument" 2 "--bogus" -- "$IDREGS" regs --bogus
expect_error "cpus unknown argument" 2 "--bogus" -- "$IDREGS" cpus --bogus

# ---------------------------------------------------------------------------
# --help, --version

for verb in sim regs cpus decode; do
	run "$IDREGS" "$verb" --help
	check_rc "$verb --help" 0
	if grep -q "usage: idregs $verb" "$T/out"; then pass; else fail "$verb --help: no usage on stdout"; fi
done
run "$IDREGS" --help
check_rc "--help" 0
for verb in sim regs cpus decode; do
	if grep -q "^  $verb " "$T/out"; then pass; else fail "--help does not list $verb"; fi
done
run "$IDREGS" --version
check_rc "--version" 0
if grep -q '^idregs [0-9]' "$T/out"; then pass; else fail "--version: $(cat "$T/out")"; fi

# ---------------------------------------------------------------------------
# regs, cpus, decode

run "$IDREGS" regs
check_rc "regs" 0
check_lines "regs: header + 62 registers" 63
check_count "regs: CTR_EL0" '^CTR_EL0 +3\.3\.0\.0\.1 +0x603000000013d801 +S3_3_C0_C0_1 *$' 1
check_count "regs: MIDR_EL1" '^MIDR_EL1 +3\.0\.0\.0\.0 +0x603000000013c000 +S3_0_C0_C0_0 *$' 1
check_count "regs: CLIDR_EL1" '^CLIDR_EL1 +3\.1\.0\.0\.1 +0x603000000013c801 ' 1

run "$IDREGS" regs --json
check_rc "regs --json" 0
check_json "regs --json"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d))' "$T/out" 2>/dev/null)
if [ "$n" = 62 ]; then pass; else fail "regs --json: $n entries, want 62"; fi
cat >"$T/check.py" <<'EOF'
import json, sys
d = {r["name"]: r for r in json.load(open(sys.argv[1]))}
c = d["CTR_EL0"]
assert c["encoding"] == "3.3.0.0.1", c
assert c["one_reg_id"] == "0x603000000013d801", c
assert c["generic_name"] == "S3_3_C0_C0_1", c
# every release by name; CTR_EL0 is invariant (no mask) until 6.11
assert c["kvm_masks"]["6.10"] == "0x0000000000000000", c
assert c["kvm_masks"]["6.12"] == "0x00000000300f000f", c
assert c["kvm_masks"]["7.3"] == "0x00000000300fc00f", c
assert "5.10" in c["kvm_masks"] and "6.1" in c["kvm_masks"], c
assert d["MIDR_EL1"]["kvm_masks"]["7.3"] == "0x00000000ffffffff"
EOF
if python3 "$T/check.py" "$T/out" >"$T/py.out" 2>&1; then pass; else fail "regs --json content: $(cat "$T/py.out")"; fi

# releases: every series 5.10 to 7.3, verified or modelled, what changed
run "$IDREGS" releases
check_rc "releases" 0
for k in 5.10 5.15 6.1 6.6 6.8 6.12 6.18 7.0 7.3; do
	check_count "releases lists $k" "^$k +(verified|modelled)" 1
done
for k in 5.10.105 6.1 6.12.91 6.18 7.3; do
	check_count "releases: $k verified" "^$k +verified on " 1
done
check_count "releases: 6.8 modelled" "^6.8 +modelled" 1
check_count "releases: 6.7 adds the masks ioctl" "^    \+masks-ioctl: " 1
run "$IDREGS" releases --resolve 6.1.0-50-arm64
check_rc "releases --resolve" 0
check_count "releases --resolve 6.1.0-50-arm64" "^6.1 " 1
check_count "releases --resolve: one release" "^[0-9]" 1
run "$IDREGS" releases --resolve 4.19
check_rc "releases --resolve 4.19" 2
check_err "releases --resolve 4.19" "outside the releases idregs knows"
run "$IDREGS" releases --json
check_rc "releases --json" 0
cat >"$T/rel.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
names = [r["name"] for r in d]
series = {n.rsplit(".", 1)[0] if n.count(".") == 2 else n for n in names}
want = {f"5.{m}" for m in range(10, 20)} | {f"6.{m}" for m in range(20)} | {f"7.{m}" for m in range(4)}
assert want <= series, sorted(want - series)
r = {x["name"]: x for x in d}
assert r["6.7"]["properties"]["masks-ioctl"] and not r["6.6"]["properties"]["masks-ioctl"]
assert r["6.1"]["verified"] and r["6.1"]["verified_on"].startswith("6.1.0-")
assert not r["6.8"]["verified"] and r["6.8"]["verified_on"] is None
assert r["6.12"]["version"] == "6.12.0" and r["6.12.60"]["point"]
assert any("masks-ioctl" in c for c in r["6.7"]["changes"])
EOF
if python3 "$T/rel.py" "$T/out" >"$T/py.out" 2>&1; then pass; else fail "releases --json: $(cat "$T/py.out")"; fi

# hosts carry their release: HOST@RELEASE, a kind-kvm profile's "kernel"
P612=harness/results/6.12-max-probe.json
P73=harness/results/7.3-max-probe.json
printf 'vm\nmasks\n' >"$T/masks.sim"
run "$IDREGS" sim --host neoverse-n1@6.1 "$T/masks.sim"
check_rc "sim HOST@6.1" 0
check_count "sim HOST@6.1: no masks ioctl" "cmd=masks err=EINVAL" 1
run "$IDREGS" sim --host "$P612" --kernel 7.3 "$T/masks.sim"
check_rc "sim: --kernel contradicts a kvm profile" 2
check_err "sim: --kernel contradicts a kvm profile" "was probed on KVM 6.12" "--kernel 7.3 contradicts it"
run "$IDREGS" sim --host "$P612" --kernel 6.12 "$T/masks.sim"
check_rc "sim: --kernel of the profile's own series" 0
run "$IDREGS" sim --host neoverse-n1@9.0 "$T/masks.sim"
check_rc "sim HOST@9.0" 1
check_err "sim HOST@9.0" "'9.0' after '@' is outside the releases idregs knows"
run "$IDREGS" sim --host neoverse-n1@foo "$T/masks.sim"
check_rc "sim HOST@foo" 1
check_err "sim HOST@foo" "'foo' after '@' is not a kernel version"
run "$IDREGS" sim --host "$P612@7.3" "$T/masks.sim"
check_rc "sim: @ contradicts a kvm profile" 1
check_err "sim: @ contradicts a kvm profile" "contradicts it"
# a 6.12 probe and a 7.3 probe: each judged by its own release
run "$IDREGS" baseline "$P612" "$P73" --json
check_rc "baseline of a 6.12 and a 7.3 probe" 0
check_count "baseline across releases: no single kernel" '^\{"hosts": 2, "kernel": null' 1
run "$IDREGS" baseline "$P612" "$P73" --kernel 7.3
check_rc "baseline: --kernel contradicting a probe" 2
check_err "baseline: --kernel contradicting a probe" "contradicts it"
# a kernel upgrade: VMs started on 6.1 move to 6.12, not back (DebugVer)
run "$IDREGS" matrix neoverse-n1@6.1 neoverse-n1@6.12 --json
check_rc "matrix across releases" 0
cat >"$T/mx.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kernel"] is None and d["kernels"] == ["6.1.0", "6.12.91"], d["kernels"]
p = {(x["from"], x["to"]): x for x in d["pairs"]}
up = p[("neoverse-n1@6.1", "neoverse-n1@6.12.91")]
down = p[("neoverse-n1@6.12.91", "neoverse-n1@6.1")]
assert up["fits"], up
assert not down["fits"] and any(r["field"] == "DebugVer" for r in down["refusals"]), down
EOF
if python3 "$T/mx.py" "$T/out" >"$T/py.out" 2>&1; then pass; else fail "matrix across releases: $(cat "$T/py.out")"; fi
run "$IDREGS" matrix neoverse-n1 cortex-a76 --upgrade 6.1:6.12
check_rc "matrix --upgrade" 0
check_count "matrix --upgrade: summary" "^upgrade 6.1 -> 6.12.91: running VMs move to upgraded hosts for 3 of 4 .* move back for 0 of 4" 1
run "$IDREGS" matrix "$P612" --upgrade 6.1:6.12
check_rc "matrix --upgrade with a probe" 2
check_err "matrix --upgrade with a probe" "carries its own KVM release"
run "$IDREGS" matrix neoverse-n1 --upgrade 6.1
check_rc "matrix --upgrade without TO" 2
check_err "matrix --upgrade without TO" "--upgrade wants FROM:TO"

# migration state across the upgrade, and back
run "$IDREGS" state save --host neoverse-n1@6.1 -o "$T/s61.blob"
check_rc "state save on 6.1" 0
run "$IDREGS" state restore "$T/s61.blob" --host neoverse-n1@6.12
check_rc "state restore of a 6.1 VM on 6.12" 0
run "$IDREGS" state save --host neoverse-n1@6.12 -o "$T/s612.blob"
run "$IDREGS" state restore "$T/s612.blob" --host neoverse-n1@6.1
check_rc "state restore of a 6.12 VM on 6.1" 1
check_count "state restore back to 6.1: DebugVer named" "^  ID_AA64DFR0_EL1.DebugVer: " 1

# an unreadable host: an entry of --json output, counted; --skip-unreadable goes on
echo '{' >"$T/broken.json"
"$IDREGS" baseline neoverse-n1 cortex-a76 -o "$T/skipm.json" 2>/dev/null
run "$IDREGS" check "$T/skipm.json" --host neoverse-n1 --host "$T/broken.json" --host cortex-a76 --json --skip-unreadable
check_rc "check --skip-unreadable" 1
cat >"$T/skip.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unreadable"] == 1 and len(d["hosts"]) == 3, d
bad = [h for h in d["hosts"] if "error" in h]
assert len(bad) == 1 and bad[0]["host"].endswith("broken.json") and not bad[0]["fits"], bad
EOF
if python3 "$T/skip.py" "$T/out" >"$T/py.out" 2>&1; then pass; else fail "check --json with an unreadable host: $(cat "$T/py.out")"; fi
check_err "check --skip-unreadable names it" "skipped unreadable host: " "broken.json"
run "$IDREGS" check "$T/skipm.json" --host neoverse-n1 --host "$T/broken.json" --host cortex-a76 --json
check_rc "check: an unreadable host stops the run" 1
check_count "check: unreadable host in the JSON" '"error": ' 1
check_count "check: the walk stopped" '"host": "cortex-a76"' 0
run "$IDREGS" baseline neoverse-n1 "$T/broken.json" cortex-a76 --skip-unreadable --json
check_rc "baseline --skip-unreadable" 1
check_count "baseline --skip-unreadable: counted" '"unreadable": 1}' 1
run "$IDREGS" matrix neoverse-n1 "$T/broken.json" cortex-a76 --skip-unreadable --json
check_rc "matrix --skip-unreadable" 0
check_count "matrix --skip-unreadable: counted" '"unreadable": 1' 1

# sim answers line by line through a pipe (a driving program waits for each)
cat >"$T/pipe.py" <<'EOF'
import subprocess, sys, threading
p = subprocess.Popen([sys.argv[1], "sim", "--host", "neoverse-n1"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
timer = threading.Timer(20, p.kill)
timer.start()
for cmd, want in (("vm", "cmd=vm "), ("get MIDR_EL1", "cmd=get reg=MIDR_EL1 ")):
    p.stdin.write(cmd + "\n")
    p.stdin.flush()
    line = p.stdout.readline()
    assert want in line, (cmd, line)
timer.cancel()
p.stdin.close()
sys.exit(p.wait())
EOF
if python3 "$T/pipe.py" "$IDREGS" >"$T/py.out" 2>&1; then pass; else fail "sim through a pipe: $(cat "$T/py.out")"; fi

run "$IDREGS" cpus
check_rc "cpus" 0
check_lines "cpus: 8 profiles" 8
for cpu in a64fx cortex-a53 cortex-a57 cortex-a72 cortex-a76 neoverse-n1 neoverse-n2 neoverse-v1; do
	check_count "cpus lists $cpu" "^$cpu " 1
done
run "$IDREGS" cpus --json
check_rc "cpus --json" 0
check_json "cpus --json"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len([c for c in d if c["name"] and c["description"]]))' "$T/out" 2>/dev/null)
if [ "$n" = 8 ]; then pass; else fail "cpus --json: $n entries, want 8"; fi

run "$IDREGS" decode ID_AA64ISAR0_EL1=0x0000100010211120
check_rc "decode" 0
check_line "decode: header" "ID_AA64ISAR0_EL1 = 0x0000100010211120"
check_count "decode: AES" '^  AES +7:4 +0x2 ' 1
check_count "decode: ATOMIC" '^  ATOMIC +23:20 +0x2 ' 1
run "$IDREGS" decode 3.3.0.0.1=2219098116 S3_0_C0_C0_0=0x414fd0c1
check_rc "decode decimal, dotted, generic" 0
check_line "decode decimal" "CTR_EL0 = 0x000000008444c004"
check_count "decode L1Ip" '^  L1Ip +15:14 +0x3 +PIPT$' 1
check_line "decode generic name" "MIDR_EL1 = 0x00000000414fd0c1"
check_count "decode Implementer" '^  Implementer +31:24 +0x41 +ARM$' 1

run "$IDREGS" decode --json ID_AA64ISAR0_EL1=0x0000100010211120 CTR_EL0=0x8444c004
check_rc "decode --json" 0
check_json "decode --json"
cat >"$T/check.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["reg"] for r in d] == ["ID_AA64ISAR0_EL1", "CTR_EL0"], d
aes = [f for f in d[0]["fields"] if f["name"] == "AES"][0]
assert aes["bits"] == "7:4" and aes["value"] == "0x2", aes
assert d[1]["value"] == "0x000000008444c004", d[1]
EOF
if python3 "$T/check.py" "$T/out" >"$T/py.out" 2>&1; then pass; else fail "decode --json content: $(cat "$T/py.out")"; fi

run "$IDREGS" decode --json --host neoverse-n1
check_rc "decode --json --host" 0
check_json "decode --json --host"
run "$IDREGS" decode --host neoverse-n1
check_rc "decode --host" 0
check_line "decode --host: ISAR0" "neoverse-n1 cpu0 ID_AA64ISAR0_EL1 = 0x0000100010211120"

# ---------------------------------------------------------------------------
# kvm: real KVM only on Linux/arm64 (harness/kvm-cli-test.py runs it there);
# elsewhere both subcommands say KVM is unavailable

run "$IDREGS" kvm --help
check_rc "kvm --help" 0
check_line "kvm --help: check" "       idregs kvm check MODEL [--json]"
expect_error "kvm without subcommand" 2 "probe or check" -- "$IDREGS" kvm
expect_error "kvm unknown subcommand" 2 "frob" -- "$IDREGS" kvm frob
expect_error "kvm check without MODEL" 2 "MODEL" -- "$IDREGS" kvm check
expect_error "kvm probe unknown option" 2 "--bogus" -- "$IDREGS" kvm probe --bogus
expect_error "kvm check missing model" 1 "$T/no-such-model.json" -- \
	"$IDREGS" kvm check "$T/no-such-model.json"
if [ "$(uname -s)-$(uname -m)" != Linux-aarch64 ]; then
	printf '{ "format": "idregs-model/1", "name": "m", "regs": {} }\n' >"$T/model.json"
	expect_error "kvm probe unavailable" 1 "KVM is unavailable" -- "$IDREGS" kvm probe
	expect_error "kvm check unavailable" 1 "KVM is unavailable" -- \
		"$IDREGS" kvm check "$T/model.json"
fi

# ---------------------------------------------------------------------------

lib_finish
