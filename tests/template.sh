#!/bin/sh
# SPDX-License-Identifier: MIT
#
# End-to-end tests of `idregs template` (Firecracker CPU templates in and
# out, QEMU -cpu out).
#
#   IDREGS=build/idregs sh tests/template.sh
#
# The last line printed is "N passed, N failed"; the exit status is non-zero
# when any check failed. Checks that need /work/shared (Firecracker's own
# templates) are skipped with a note when it is absent, and not counted.

. "$(dirname "$0")/lib.sh"
REF=${FC_REFERENCE:-/work/shared/reference/firecracker/custom_cpu_templates}

lib_init template


check_grep() {	# NAME FILE FIXED_STRING
	if grep -qF -- "$3" "$2"; then
		pass
	else
		fail "$1: '$3' not in $(basename "$2"): $(head -c 300 "$2")"
	fi
}

check_same() {	# NAME FILE_A FILE_B
	if cmp -s "$2" "$3"; then
		pass
	else
		fail "$2 and $3 differ: $(diff "$2" "$3" | head -20)"
	fi
}

# expect_error NAME RC MESSAGE -- CMD...: the status and a stderr message.
expect_error() {
	name=$1 want=$2 msg=$3
	shift 4
	run "$@"
	check_rc "$name" "$want"
	check_grep "$name: message" "$T/err" "$msg"
}

# A V1N1-equivalent template, written from the filter/value table of
# docs/templates.md, The V1N1 template (ID_AA64PFR0, ISAR0, ISAR1, MMFR2),
# with '_' separators.
cat >"$T/v1n1.json" <<'EOF'
{
  "reg_modifiers": [
    { "addr": "0x603000000013c020",
      "bitmap": "0b0000_xxxxxxxxxxxx_0000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
    { "addr": "0x603000000013c030",
      "bitmap": "0b0000xxxx_00000000_xxxx_000000000000_xxxxxxxxxxxxxxxx_0001_xxxxxxxxxxxx" },
    { "addr": "0x603000000013c031",
      "bitmap": "0b000000000000_xxxxxxxxxxxxxxxxxxxx_0001_00000000_xxxxxxxx_0001" },
    { "addr": "0x603000000013c03a",
      "bitmap": "0b0000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }
  ]
}
EOF

# ---- usage ----------------------------------------------------------------

run "$IDREGS" template --help
check_rc "template --help" 0
check_grep "template --help: import" "$T/out" "usage: idregs template import TEMPLATE --host HOST"
check_grep "template --help: export" "$T/out" "idregs template export MODEL --host HOST"
run "$IDREGS" --help
check_grep "idregs --help lists template" "$T/out" "template"
expect_error "no subcommand" 2 "'import' or 'export'" -- "$IDREGS" template
expect_error "unknown subcommand" 2 "'import' or 'export'" -- "$IDREGS" template frob x --host neoverse-v1
expect_error "import without host" 2 "--host HOST" -- "$IDREGS" template import "$T/v1n1.json"
expect_error "export without model" 2 "MODEL" -- "$IDREGS" template export --host neoverse-v1
expect_error "unknown option" 2 "--bogus" -- "$IDREGS" template import "$T/v1n1.json" --bogus
expect_error "bad format" 2 "--format 'xml'" -- \
	"$IDREGS" template export m.json --host neoverse-v1 --format xml
expect_error "format on import" 2 "--format is for export" -- \
	"$IDREGS" template import "$T/v1n1.json" --host neoverse-v1 --format qemu
expect_error "bad kernel" 2 "is outside the releases idregs knows" -- \
	"$IDREGS" template import "$T/v1n1.json" --host neoverse-v1 --kernel 2.6
expect_error "unknown host" 1 "cannot read host" -- \
	"$IDREGS" template import "$T/v1n1.json" --host no-such-host

# ---- import ---------------------------------------------------------------

run "$IDREGS" template import "$T/v1n1.json" --host neoverse-v1 --kernel 6.12
check_rc "import v1n1" 0
check_grep "import v1n1: a model" "$T/out" '"format": "idregs-model/1"'
check_grep "import v1n1: name" "$T/out" '"name": "v1n1"'
check_grep "import v1n1: kernel" "$T/out" '"kernel": "6.12.91"'
check_grep "import v1n1: ISAR1" "$T/out" '"ID_AA64ISAR1_EL1": "0x0000000000100001"'
check_grep "import v1n1: summary" "$T/err" "4 registers resolved on neoverse-v1 under KVM 6.12"

run "$IDREGS" template import "$T/v1n1.json" --host neoverse-v1 --name graviton2-like -o "$T/v1n1.model"
check_rc "import -o" 0
check_grep "import -o: written" "$T/v1n1.model" '"name": "graviton2-like"'
check_grep "import -o: kvm release" "$T/v1n1.model" '"kernel": "7.3.0"'
if [ -s "$T/out" ]; then fail "import -o: stdout not empty"; else pass; fi
if ls "$T"/v1n1.model.* >/dev/null 2>&1; then
	fail "import -o: temporary file left behind"
else
	pass
fi

# the model is what the fleet tools read
run "$IDREGS" check "$T/v1n1.model" --host neoverse-v1
check_rc "check the imported model" 0

# ---- export ---------------------------------------------------------------

run "$IDREGS" template export "$T/v1n1.model" --host neoverse-v1
check_rc "export firecracker" 0
check_grep "export: ISAR0 as in V1N1" "$T/out" \
	'"bitmap": "0b0000xxxx00000000xxxx000000000000xxxxxxxxxxxxxxxx0001xxxxxxxxxxxx"'
check_grep "export: ISAR1 contracted" "$T/out" \
	'"bitmap": "0b000000000000xxxxxxxxxxxxxxxxxxxx000100000000xxxxxxxx0001"'
check_grep "export: MMFR2 AT" "$T/out" '"addr": "0x603000000013c03a"'
cp "$T/out" "$T/export1.json"

run "$IDREGS" template export "$T/v1n1.model" --host neoverse-v1 -o "$T/export2.json"
check_rc "export -o" 0
check_same "export -o" "$T/export1.json" "$T/export2.json"

# round trip: import the export, export again, same template and registers
run "$IDREGS" template import "$T/export2.json" --host neoverse-v1 -o "$T/back.model"
check_rc "import the export" 0
run "$IDREGS" template export "$T/back.model" --host neoverse-v1 -o "$T/export3.json"
check_rc "export again" 0
check_same "round trip" "$T/export1.json" "$T/export3.json"
sed -n '/"regs"/,/}/p' "$T/v1n1.model" >"$T/regs1"
sed -n '/"regs"/,/}/p' "$T/back.model" >"$T/regs2"
check_same "round trip registers" "$T/regs1" "$T/regs2"

run "$IDREGS" template export "$T/v1n1.model" --host neoverse-v1 --format qemu
check_rc "export qemu" 0
check_grep "qemu: prefix" "$T/out" "-cpu host,SYSREG_ID_AA64PFR0_EL1_DIT=0x0,"
check_grep "qemu: SHA2" "$T/out" ",SYSREG_ID_AA64ISAR0_EL1_SHA2=0x1,"
check_grep "qemu: features" "$T/out" ",pmu=off,sve=off,pauth=off"
n=$(tr ',' '\n' <"$T/out" | grep -c '^SYSREG_')
if [ "$n" -eq 16 ]; then pass; else fail "qemu: $n SYSREG_ properties, want 16"; fi

# a host's own model needs no modifier
run "$IDREGS" baseline neoverse-n1 --features pmu -o "$T/n1.model"
run "$IDREGS" template export "$T/n1.model" --host neoverse-n1
check_rc "export of the host itself" 0
check_grep "export of the host itself: empty" "$T/out" '"reg_modifiers": []'
check_grep "export of the host itself: pmu" "$T/out" '"bitmap": "0b1xxx"'

# ---- refusals -------------------------------------------------------------

printf '{ "reg_modifiers": [ { "addr": "0x603000000013c020", "bitmap": "0b10z1" } ] }\n' >"$T/bad.json"
expect_error "bad bitmap" 1 "$T/bad.json: reg_modifiers[0]: bitmap character 'z'" -- \
	"$IDREGS" template import "$T/bad.json" --host neoverse-v1
printf '{ "cpuid_modifiers": [] }\n' >"$T/x86.json"
expect_error "x86 template" 1 "is an x86_64 member" -- \
	"$IDREGS" template import "$T/x86.json" --host neoverse-v1
printf '{ "reg_modifiers": [ { "addr": "0x6030000000100000", "bitmap": "0b1" } ] }\n' >"$T/core.json"
expect_error "core register" 1 "addr 0x6030000000100000 is not a feature-ID system register" -- \
	"$IDREGS" template import "$T/core.json" --host neoverse-v1
printf '{ "reg_modifiers": [], "reg_modifiers": [] }\n' >"$T/dup.json"
expect_error "duplicate key" 1 "duplicate" -- \
	"$IDREGS" template import "$T/dup.json" --host neoverse-v1
expect_error "missing file" 1 "$T/none.json" -- \
	"$IDREGS" template import "$T/none.json" --host neoverse-v1
printf '{ "vcpu_features": [ { "index": 0, "bitmap": "0b1xxxx" } ] }\n' >"$T/sve.json"
expect_error "host without the feature" 1 "neoverse-n1 cannot run vCPUs with the features sve" -- \
	"$IDREGS" template import "$T/sve.json" --host neoverse-n1
# SHA2 3 is more than neoverse-v1 has: KVM refuses, so Firecracker would too
printf '{ "reg_modifiers": [ { "addr": "0x603000000013c030", "bitmap": "0b0011xxxxxxxxxxxx" } ] }\n' >"$T/more.json"
expect_error "host refuses the result" 1 "neoverse-v1 refuses the imported model" -- \
	"$IDREGS" template import "$T/more.json" --host neoverse-v1 -o "$T/more.model"
check_grep "host refuses the result: field" "$T/err" "SHA2"
if [ -e "$T/more.model" ]; then fail "refused import wrote a model"; else pass; fi
printf '{ "format": "idregs-model/1", "name": "odd", "regs": { "ID_AA64ISAR0_EL1": "0x0000000000000001" } }\n' >"$T/odd.model"
expect_error "qemu: bits outside fields" 1 "outside every field" -- \
	"$IDREGS" template export "$T/odd.model" --host neoverse-v1 --format qemu

# ---- Firecracker's own templates (only where the reference tree exists) ---

skipped=0
if [ -f "$REF/V1N1.json" ]; then
	run "$IDREGS" template import "$REF/V1N1.json" --host neoverse-v1 -o "$T/real.model"
	check_rc "real V1N1" 0
	sed -n '/"regs"/,/}/p' "$T/real.model" >"$T/regs3"
	check_same "real V1N1 = our V1N1" "$T/regs1" "$T/regs3"
	run "$IDREGS" template export "$T/real.model" --host neoverse-v1
	check_rc "real V1N1 export" 0
	check_same "real V1N1 export" "$T/out" "$T/export1.json"
else
	skipped=$((skipped + 4))
fi
if [ -f "$REF/AARCH64_WITH_SVE_AND_PAC.json" ]; then
	run "$IDREGS" template import "$REF/AARCH64_WITH_SVE_AND_PAC.json" --host neoverse-v1
	check_rc "real SVE+PAC" 0
	check_grep "real SVE+PAC: features" "$T/out" '"ptrauth"'
	check_grep "real SVE+PAC: capabilities kept" "$T/out" '"kvm_capabilities"'
else
	skipped=$((skipped + 3))
fi
[ "$skipped" -eq 0 ] ||
	echo "note: $skipped checks skipped: Firecracker's templates not found under $REF"

# ---------------------------------------------------------------------------

lib_finish
