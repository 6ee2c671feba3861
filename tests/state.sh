#!/bin/sh
# SPDX-License-Identifier: MIT
#
# End-to-end tests of `idregs state` (save, restore, show of migration
# state blobs; docs/state.md).
#
#   IDREGS=build/idregs sh tests/state.sh
#
# The last line printed is "N passed, N failed"; the exit status is non-zero
# when any check failed.

. "$(dirname "$0")/lib.sh"
PYTHON=${PYTHON:-python3}

lib_init state


check_grep() {	# NAME FILE FIXED_STRING
	if grep -qF -- "$3" "$2"; then
		pass
	else
		fail "$1: '$3' not in $(basename "$2"): $(head -c 300 "$2")"
	fi
}

check_no_grep() {	# NAME FILE FIXED_STRING
	if grep -qF -- "$3" "$2"; then
		fail "$1: '$3' unexpectedly in $(basename "$2")"
	else
		pass
	fi
}

check_json() {	# NAME FILE
	if "$PYTHON" -m json.tool "$2" >/dev/null 2>&1; then
		pass
	else
		fail "$1: not valid JSON: $(head -c 300 "$2")"
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

# patch BLOB OUT PYTHON_STATEMENTS: edit the bytes b (a bytearray), then
# reseal with zlib's CRC-32 when the statements set reseal = True.
patch() {
	"$PYTHON" - "$1" "$2" "$3" <<'EOF'
import struct, sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
reseal = False
exec(sys.argv[3])
if reseal:
    b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])) & 0xffffffff)
open(sys.argv[2], "wb").write(b)
EOF
}

mkdir "$T/w" && cd "$T/w" || exit 1

# ---- usage ----------------------------------------------------------------

run "$IDREGS" state --help
check_rc "state --help" 0
check_grep "state --help: save" "$T/out" "usage: idregs state save --host HOST"
check_grep "state --help: restore" "$T/out" "idregs state restore BLOB --host HOST"
check_grep "state --help: show" "$T/out" "idregs state show BLOB"
run "$IDREGS" state save --help
check_rc "state save --help" 0
run "$IDREGS" --help
check_grep "idregs --help lists state" "$T/out" "state"
expect_error "no subcommand" 2 "save, restore or show" -- "$IDREGS" state
expect_error "unknown subcommand" 2 "unknown subcommand 'frob'" -- "$IDREGS" state frob
expect_error "save without -o" 2 "-o BLOB" -- "$IDREGS" state save --host neoverse-n1
expect_error "save without host" 2 "--host HOST" -- "$IDREGS" state save -o x.blob
expect_error "save unknown option" 2 "--bogus" -- \
	"$IDREGS" state save --host neoverse-n1 -o x.blob --bogus
expect_error "save bad feature" 2 "unknown vCPU feature 'mte'" -- \
	"$IDREGS" state save --host neoverse-n1 --features mte -o x.blob
expect_error "save bad vcpus" 2 "--vcpus" -- \
	"$IDREGS" state save --host neoverse-n1 --vcpus 0 -o x.blob
expect_error "save bad kernel" 2 "is outside the releases idregs knows" -- \
	"$IDREGS" state save --host neoverse-n1 --kernel 2.6 -o x.blob
expect_error "save unknown host" 1 "cannot read host" -- \
	"$IDREGS" state save --host no-such-host -o x.blob
expect_error "script with features" 2 "script's 'vm' and 'vcpu' lines" -- \
	"$IDREGS" state save --host neoverse-n1 --script s.txt --features pmu -o x.blob
expect_error "restore without host" 2 "--host HOST" -- "$IDREGS" state restore x.blob
expect_error "restore two blobs" 2 "more than one BLOB" -- \
	"$IDREGS" state restore a.blob b.blob --host neoverse-n1
expect_error "show without blob" 2 "show needs BLOB" -- "$IDREGS" state show
[ ! -e x.blob ] && pass || fail "a refused save wrote x.blob"

# ---- save and show --------------------------------------------------------

run "$IDREGS" state save --host neoverse-n2 --features pmu --vcpus 2 -o n2.blob
check_rc "save n2" 0
check_grep "save n2: summary" "$T/out" "saved 64 registers (60 VM-scoped, MPIDR_EL1 and CLIDR_EL1 of 2 vCPUs) to n2.blob: 1060 bytes"
[ "$(wc -c <n2.blob)" -eq 1060 ] && pass || fail "n2.blob is $(wc -c <n2.blob) bytes"
[ -z "$(ls | grep -v '^n2.blob$')" ] && pass || fail "temporary files left: $(ls)"
run "$IDREGS" state show n2.blob
check_rc "show n2" 0
check_grep "show: header" "$T/out" "n2.blob: idregs state blob, format version 1, 1060 bytes, CRC-32 0x"
check_grep "show: kernel" "$T/out" "kernel:   7.3"
check_grep "show: features" "$T/out" "features: pmu (0x8)"
check_grep "show: flags" "$T/out" "flags:    none"
check_grep "show: MIDR" "$T/out" "MIDR_EL1             0x00000000410fd493"
check_grep "show: vCPU 1" "$T/out" "vCPU 1    MPIDR_EL1 0x0000000080000001"
run "$IDREGS" state show n2.blob --json
check_rc "show --json" 0
cp "$T/out" "$T/show.json"
check_json "show --json" "$T/show.json"
check_grep "show --json: kernel" "$T/show.json" '"kernel": "7.3.0"'
check_grep "show --json: features" "$T/show.json" '"features": ["pmu"]'
check_grep "show --json: vcpu" "$T/show.json" '{"id": 1, "MPIDR_EL1": "0x0000000080000001"'

# a sim script makes the VM; --set then writes through vCPU 0
cat >s.txt <<'EOF'
vm pmu
vcpu pmu
setfield ID_AA64ISAR0_EL1 4 1
set MPIDR_EL1 0x80000100 vcpu=1
EOF
run "$IDREGS" state save --host neoverse-n1 --kernel 6.12 --script s.txt \
	--set ID_AA64PFR0_EL1.CSV2=0 -o s.blob
check_rc "save --script: bad --set name" 2
run "$IDREGS" state save --host neoverse-n1 --kernel 6.12 --script s.txt \
	--set ID_AA64ISAR0_EL1=0x0000100010211110 -o s.blob
check_rc "save --script" 0
check_grep "save --script: script lines" "$T/out" "line=4 cmd=set reg=MPIDR_EL1 vcpu=1 val=0x0000000080000100 err=0"
check_grep "save --script: summary" "$T/out" "saved 64 registers"
run "$IDREGS" state show s.blob
check_grep "script blob: kernel" "$T/out" "kernel:   6.12"
check_grep "script blob: AES 1" "$T/out" "ID_AA64ISAR0_EL1     0x0000100010211110"
check_grep "script blob: MPIDR" "$T/out" "vCPU 1    MPIDR_EL1 0x0000000080000100"
printf '# no vm\nget MIDR_EL1\n' >novm.txt
expect_error "script without vm" 1 "made no VM" -- \
	"$IDREGS" state save --host neoverse-n1 --script novm.txt -o novm.blob
expect_error "refused --set" 1 "KVM refuses ID_AA64ISAR0_EL1=0x0000100010211190: EINVAL" -- \
	"$IDREGS" state save --host neoverse-n1 --set ID_AA64ISAR0_EL1=0x0000100010211190 -o bad.blob
[ ! -e bad.blob ] && [ ! -e novm.blob ] && pass || fail "a failed save wrote a blob"

# ---- restore --------------------------------------------------------------

run "$IDREGS" state restore n2.blob --host neoverse-n2
check_rc "restore same host" 0
check_grep "restore same host: count" "$T/out" "restored 64 registers (60 VM-scoped, MPIDR_EL1 and CLIDR_EL1 of 2 vCPUs) on neoverse-n2 (KVM 7.3)"
run "$IDREGS" state restore s.blob --host neoverse-n1
check_rc "restore script blob" 0
check_grep "restore script blob: kernel from the blob" "$T/out" "(KVM 6.12.91)"

# a richer host: cortex-a76 -> neoverse-n1, MIDR kept through the capability
run "$IDREGS" state save --host cortex-a76 -o a76.blob
check_rc "save a76" 0
run "$IDREGS" state restore a76.blob --host neoverse-n1
check_rc "restore onto a richer host" 0
check_grep "restore onto a richer host: count" "$T/out" "restored 62 registers"
# 6.12 has no writable MIDR: the capability is reported missing
run "$IDREGS" state save --host cortex-a76 --kernel 6.12 -o a76-612.blob
run "$IDREGS" state restore a76-612.blob --host neoverse-n1
check_rc "restore without writable MIDR" 1
check_grep "restore without writable MIDR: field" "$T/out" "MIDR_EL1.PartNum: model has 0xd0b"
check_grep "restore without writable MIDR: why" "$T/out" "which this KVM release cannot allow"

# a poorer host refuses with the field list
run "$IDREGS" state restore n2.blob --host neoverse-n1
check_rc "restore onto a poorer host" 1
check_grep "poorer: summary" "$T/out" "neoverse-n1 (KVM 7.3): refused: the destination VM refuses 47 fields of the blob"
check_grep "poorer: nothing restored" "$T/out" "nothing was restored"
check_grep "poorer: SHA3" "$T/out" "  ID_AA64ISAR0_EL1.SHA3: model has 1 (IMP), host offers 0 (NI): lower-is-safe field above the host [EINVAL]"
check_grep "poorer: CTR" "$T/out" "  CTR_EL0.DIC: model has 1, host offers 0"
check_no_grep "poorer: no count" "$T/out" "restored 64"
run "$IDREGS" state restore n2.blob --host neoverse-n1 --json
check_rc "restore --json refused" 1
cp "$T/out" "$T/restore.json"
check_json "restore --json" "$T/restore.json"
check_grep "restore --json: restored" "$T/restore.json" '"restored": false'
check_grep "restore --json: field" "$T/restore.json" '{"register": "ID_AA64ISAR0_EL1", "field": "SHA3"'
run "$IDREGS" state restore n2.blob --host neoverse-n2 --json
check_rc "restore --json ok" 0
cp "$T/out" "$T/restore-ok.json"
check_json "restore --json ok" "$T/restore-ok.json"
check_grep "restore --json ok: count" "$T/restore-ok.json" '"restored": true, "registers": 64, "error": null'
# the features must exist on the destination
run "$IDREGS" state save --host neoverse-v1 --features sve -o sve.blob
check_rc "save sve" 0
expect_error "restore sve on n1" 1 "neoverse-n1 cannot run the blob's vCPUs (features sve" -- \
	"$IDREGS" state restore sve.blob --host neoverse-n1

# ---- damaged blobs --------------------------------------------------------

head -c 100 n2.blob >trunc.blob
expect_error "truncated" 1 "trunc.blob: state blob truncated: 100 of the 1060 bytes its header declares" -- \
	"$IDREGS" state restore trunc.blob --host neoverse-n2
: >empty.blob
expect_error "empty" 1 "state blob truncated: 0 bytes" -- \
	"$IDREGS" state show empty.blob
patch n2.blob flip.blob 'b[500] ^= 0x10'
expect_error "bit flip" 1 "state blob corrupted: checksum mismatch" -- \
	"$IDREGS" state restore flip.blob --host neoverse-n2
patch n2.blob magic.blob 'b[0:8] = b"QEVM\0\0\0\3"; reseal = True'
expect_error "wrong magic" 1 "not an idregs state blob: wrong magic" -- \
	"$IDREGS" state restore magic.blob --host neoverse-n2
patch n2.blob future.blob 'b[8:12] = struct.pack("<I", 2); reseal = True'
expect_error "future version" 1 "state blob format version 2 is newer than this library reads (version 1)" -- \
	"$IDREGS" state restore future.blob --host neoverse-n2
patch n2.blob long.blob 'b += b"\0"'
expect_error "trailing bytes" 1 "1 bytes after the 1060 its header declares" -- \
	"$IDREGS" state show long.blob
patch n2.blob unknown.blob 'b[48:52] = struct.pack("<I", 0x0013c080); reseal = True'
expect_error "unknown register" 1 "register record 0 (ONE_REG id 0x603000000013c080) is not a register this library knows" -- \
	"$IDREGS" state restore unknown.blob --host neoverse-n2
patch n2.blob kernel.blob 'b[32:48] = b"9.9".ljust(16, b"\0"); reseal = True'
expect_error "unknown release" 2 "saved under KVM 9.9" -- \
	"$IDREGS" state restore kernel.blob --host neoverse-n2
run "$IDREGS" state restore kernel.blob --host neoverse-n2 --kernel 7.3
check_rc "unknown release with --kernel" 0
expect_error "missing blob" 1 "no-such.blob" -- \
	"$IDREGS" state restore no-such.blob --host neoverse-n2
# the CRC is zlib's CRC-32: resealing an untouched blob changes nothing
patch n2.blob same.blob 'reseal = True'
cmp -s n2.blob same.blob && pass || fail "the trailer is not zlib's CRC-32"

# ---------------------------------------------------------------------------

lib_finish
