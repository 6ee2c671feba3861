#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Bad input, tried: every kind of malformed file and argument the CLI reads
# (host profiles, CPU models, Firecracker templates, sim scripts, register
# names, values and ids, options), each with the exact error it must give.
#
#   IDREGS=build/idregs sh tests/bad-input.sh              run the checks
#   IDREGS=build/idregs sh tests/bad-input.sh --markdown   the table of
#                                                         docs/bad-input.md
#
# Each case: the exit status (never 0 for a refusal, never >= 128: no
# crash), the first line of stderr exactly, and that docs/bad-input.md lists
# the message. Sim script errors are results, not failures (docs/sim.md):
# the script runs on (exit 0) and the line's err= says what was wrong.
# The last line printed is "N passed, N failed".

IDREGS=${IDREGS:-build/idregs}
case $IDREGS in
/*) ;;
*) IDREGS=$(pwd)/$IDREGS ;;
esac
DOC=$(cd "$(dirname "$0")/.." && pwd)/docs/bad-input.md
MODE=check
[ "${1:-}" = "--markdown" ] && MODE=markdown

T=$(mktemp -d "${TMPDIR:-/tmp}/idregs-bad.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

passed=0
failed=0
n=0

pass() {
	passed=$((passed + 1))
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# The command as the table shows it: idregs for the binary's path.
shown() {
	out="idregs"
	shift
	for a in "$@"; do
		out="$out $a"
	done
	printf '%s' "$out"
}

# row KIND WHAT EXIT TEXT CMD...: one line of the Markdown table.
row() {
	n=$((n + 1))
	kind=$1 what=$2 want=$3 text=$4
	shift 4
	printf '| %d | %s | %s | `%s` | %s | `%s` |\n' "$n" "$kind" "$what" \
		"$(shown "$@")" "$want" "$text"
}

in_doc() {	# TEXT: docs/bad-input.md lists it
	if grep -qF -- "$1" "$DOC"; then
		pass
	else
		fail "case $n ($2): docs/bad-input.md lacks: $1"
	fi
}

# bad KIND WHAT EXIT MESSAGE -- CMD...: refused with EXIT (>= 1, < 128) and
# MESSAGE as the first line of stderr.
bad() {
	kind=$1 what=$2 want=$3 msg=$4
	shift 5
	if [ "$MODE" = markdown ]; then
		row "$kind" "$what" "$want" "$msg" "$@"
		return
	fi
	n=$((n + 1))
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -ge 128 ]; then
		fail "case $n ($what): crashed (exit status $rc): $(head -c 300 err)"
		return
	fi
	if [ "$rc" -eq "$want" ] && [ "$rc" -ne 0 ]; then
		pass
	else
		fail "case $n ($what): exit status $rc, want $want"
	fi
	got=$(head -n 1 err)
	if [ "$got" = "$msg" ]; then
		pass
	else
		fail "case $n ($what): stderr '$got', want '$msg'"
	fi
	in_doc "$msg" "$what"
}

# simline KIND WHAT LINE SCRIPT: the sim script runs to its end (exit 0)
# and its last result line is LINE.
simline() {
	kind=$1 what=$2 line=$3 script=$4
	printf '%s\n' "$script" >script.sim
	if [ "$MODE" = markdown ]; then
		n=$((n + 1))
		printf '| %d | %s | %s | `printf '"'"'%s\\n'"'"' \\| idregs sim --host neoverse-n1` | 0 | `%s` |\n' \
			"$n" "$kind" "$what" "$(printf '%s' "$script" | sed -n 'H;${x;s/^\n//;s/\n/\\n/g;p}')" "$line"
		return
	fi
	n=$((n + 1))
	"$IDREGS" sim --host neoverse-n1 script.sim >out 2>err </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s err ]; then
		pass
	else
		fail "case $n ($what): exit status $rc (want 0), stderr: $(head -c 200 err)"
	fi
	got=$(tail -n 1 out)
	if [ "$got" = "$line" ]; then
		pass
	else
		fail "case $n ($what): printed '$got', want '$line'"
	fi
	in_doc "$line" "$what"
}

# refused KIND WHAT EXIT LINE -- CMD...: a well-formed input the host
# refuses: EXIT, and LINE as the first line of stdout.
refused() {
	kind=$1 what=$2 want=$3 line=$4
	shift 5
	if [ "$MODE" = markdown ]; then
		row "$kind" "$what" "$want" "$line" "$@"
		return
	fi
	n=$((n + 1))
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass
	else
		fail "case $n ($what): exit status $rc, want $want"
	fi
	got=$(head -n 1 out)
	if [ "$got" = "$line" ]; then
		pass
	else
		fail "case $n ($what): stdout '$got', want '$line'"
	fi
	in_doc "$line" "$what"
}

# accepted KIND WHAT NOTE WANT -- CMD...: not an error (exit 0); NOTE says
# what is done with it; stdout contains WANT (when not empty).
accepted() {
	kind=$1 what=$2 note=$3 want=$4
	shift 5
	if [ "$MODE" = markdown ]; then
		n=$((n + 1))
		printf '| %d | %s | %s | `%s` | 0 | %s |\n' "$n" "$kind" "$what" \
			"$(shown "$@")" "$note"
		return
	fi
	n=$((n + 1))
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass
	else
		fail "case $n ($what): exit status $rc, want 0: $(head -c 300 err)"
	fi
	if [ -z "$want" ] || grep -qF -- "$want" out; then
		pass
	else
		fail "case $n ($what): stdout lacks '$want': $(head -c 300 out)"
	fi
}

# ---------------------------------------------------------------------------
# Input files

w() {	# FILE TEXT (printf format: \xHH-free; use printf's octal escapes)
	printf "$2" >"$1"
}

H='{"format":"idregs-host/1","kind":"raw"'
M='{"format":"idregs-model/1"'
REG='"reg_modifiers":[{"addr":"0x603000000013c030","bitmap":'

: >empty.json
w blank.json '  \n\t\n'
w trunc.json '{"format": '
# binary garbage: fixed bytes, so the message is stable
printf '\225\000\377\376\001garbage\200' >garbage.bin
w trailing.json "$H"',"cpus":[{}]} x'
printf '%s,"cpus":[{}]}\000' "$H" >nul.json
w array.json '[1, 2]'
w dupkey.json '{"format":"idregs-host/1","format":"idregs-host/1"}'
w v2.json '{"format":"idregs-host/2","kind":"raw","cpus":[{}]}'
w family.json "$M"',"regs":{}}'
w nofmt.json '{"kind":"raw","cpus":[{}]}'
w fmtint.json '{"format":1,"kind":"raw","cpus":[{}]}'
w kindint.json '{"format":"idregs-host/1","kind":5,"cpus":[{}]}'
w nameint.json "$H"',"name":5,"cpus":[{}]}'
w mode.json "$H"',"mode":"pvm","cpus":[{}]}'
w cpusobj.json "$H"',"cpus":{}}'
w cpusempty.json "$H"',"cpus":[]}'
python3 -c 'import json, sys; print(json.dumps({"format": "idregs-host/1", "kind": "raw", "cpus": [{}] * 65}))' >cpus65.json
w cpuint.json "$H"',"cpus":[5]}'
w valint.json "$H"',"cpus":[{"MIDR_EL1":1}]}'
w val65.json "$H"',"cpus":[{"MIDR_EL1":"0x10000000000000000"}]}'
w valneg.json "$H"',"cpus":[{"MIDR_EL1":"-0x1"}]}'
w val0x.json "$H"',"cpus":[{"MIDR_EL1":"0x"}]}'
w valhex.json "$H"',"cpus":[{"MIDR_EL1":"0xfg"}]}'
w valdec.json "$H"',"cpus":[{"MIDR_EL1":"123"}]}'
w unkreg.json "$H"',"cpus":[{"FOO_EL1":"0x1"}]}'
w outside.json "$H"',"cpus":[{"3.0.1.0.0":"0x1"}]}'
w kvmregs.json '{"format":"idregs-host/1","kind":"kvm","regs":[]}'
w kvmfeat.json '{"format":"idregs-host/1","kind":"kvm","regs":{},"features":"pmu"}'
w kvmfeat2.json '{"format":"idregs-host/1","kind":"kvm","regs":{},"features":["avx"]}'
w kvmkern.json '{"format":"idregs-host/1","kind":"kvm","regs":{},"kernel":7.3}'
w kvmmask.json '{"format":"idregs-host/1","kind":"kvm","regs":{},"masks":{"MIDR_EL1":"0xz"}}'
printf '%s,"name":"\377\376","cpus":[{}]}' "$H" >nonutf8.json
w nulname.json "$H"',"name":"a\\u0000b","cpus":[{}]}'
w bigint.json "$H"',"cpus":[{}],"x":123456789012345678901234567890}'
python3 -c 'print("{\"format\":\"idregs-host/1\",\"x\":" + "[" * 100000 + "]" * 100000 + "}")' >deep.json
# 20 MiB: one long string member
python3 -c '
import sys
sys.stdout.write("{\"format\":\"idregs-host/1\",\"pad\":\"" + "x" * (20 << 20) + "\"}")' >huge.json
mkdir adir
# accepted: unknown members; refused: one register under two names
w unkmember.json "$H"',"comment":"from the lab","cpus":[{}]}'
w alias.json "$H"',"cpus":[{"MIDR_EL1":"0x1","3.0.0.0.0":"0x410fd0c0"}]}'
python3 -c 'import json; print(json.dumps({"format": "idregs-host/1", "kind": "raw", "name": "\u00e9" * 100, "cpus": [{}]}, ensure_ascii=False))' >longname.json

# ---- host profiles
K="host profile"
bad "$K" "empty file" 1 "idregs sim: cannot read host: empty.json: empty file" -- \
	"$IDREGS" sim --host empty.json
bad "$K" "only white space" 1 "idregs sim: cannot read host: blank.json: line 3 column 0: '[' or '{' expected near end of file" -- \
	"$IDREGS" sim --host blank.json
bad "$K" "malformed JSON (truncated)" 1 "idregs sim: cannot read host: trunc.json: line 1 column 11: unexpected token near end of file" -- \
	"$IDREGS" sim --host trunc.json
bad "$K" "binary garbage" 1 "idregs sim: cannot read host: garbage.bin: line 1 column 0: unable to decode byte 0x95" -- \
	"$IDREGS" sim --host garbage.bin
bad "$K" "text after the document" 1 "idregs sim: cannot read host: trailing.json: line 1 column 53: end of file expected near 'x'" -- \
	"$IDREGS" sim --host trailing.json
bad "$K" "a NUL byte after the document" 1 "idregs sim: cannot read host: nul.json: line 1 column 52: end of file expected near end of file" -- \
	"$IDREGS" sim --host nul.json
bad "$K" "not an object" 1 "idregs sim: cannot read host: array.json: the document must be a JSON object" -- \
	"$IDREGS" sim --host array.json
bad "$K" "duplicate key" 1 "idregs sim: cannot read host: dupkey.json: line 1 column 34: duplicate object key near '\"format\"'" -- \
	"$IDREGS" sim --host dupkey.json
bad "$K" "wrong format version" 1 "idregs sim: cannot read host: v2.json: unsupported format version \"idregs-host/2\" (this idregs reads idregs-host/1)" -- \
	"$IDREGS" sim --host v2.json
bad "$K" "a model given as a host" 1 "idregs sim: cannot read host: family.json: \"format\" is \"idregs-model/1\", not a idregs-host document" -- \
	"$IDREGS" sim --host family.json
bad "$K" "no format" 1 "idregs sim: cannot read host: nofmt.json: missing \"format\" (expected \"idregs-host/1\")" -- \
	"$IDREGS" sim --host nofmt.json
bad "$K" "format not a string" 1 "idregs sim: cannot read host: fmtint.json: missing \"format\" (expected \"idregs-host/1\")" -- \
	"$IDREGS" sim --host fmtint.json
bad "$K" "wrong type: kind" 1 "idregs sim: cannot read host: kindint.json: \"kind\" must be \"raw\" or \"kvm\"" -- \
	"$IDREGS" sim --host kindint.json
bad "$K" "wrong type: name" 1 "idregs sim: cannot read host: nameint.json: \"name\" must be a string" -- \
	"$IDREGS" sim --host nameint.json
bad "$K" "unknown mode" 1 "idregs sim: cannot read host: mode.json: \"mode\" must be \"vhe\" or \"nvhe\"" -- \
	"$IDREGS" sim --host mode.json
bad "$K" "wrong type: cpus" 1 "idregs decode: cannot read host: cpusobj.json: \"cpus\" must be a non-empty array of register objects" -- \
	"$IDREGS" decode --host cpusobj.json
bad "$K" "no CPU types" 1 "idregs decode: cannot read host: cpusempty.json: \"cpus\" must be a non-empty array of register objects" -- \
	"$IDREGS" decode --host cpusempty.json
bad "$K" "65 CPU types" 1 "idregs decode: cannot read host: cpus65.json: \"cpus\" lists 65 CPU types (at most 64)" -- \
	"$IDREGS" decode --host cpus65.json
bad "$K" "wrong type: a CPU" 1 "idregs baseline: cannot read host: cpuint.json: cpus[0] must be an object of registers" -- \
	"$IDREGS" baseline cpuint.json
bad "$K" "wrong type: a value (number)" 1 "idregs baseline: cannot read host: valint.json: cpus[0].MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" baseline valint.json
bad "$K" "64-bit overflow (17 hex digits)" 1 "idregs baseline: cannot read host: val65.json: cpus[0].MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" baseline val65.json
bad "$K" "negative value" 1 "idregs matrix: cannot read host: valneg.json: cpus[0].MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" matrix valneg.json
bad "$K" "\"0x\" without digits" 1 "idregs matrix: cannot read host: val0x.json: cpus[0].MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" matrix val0x.json
bad "$K" "not hex" 1 "idregs check: cannot read host: valhex.json: cpus[0].MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" check family.json --host valhex.json
bad "$K" "decimal value" 1 "idregs check: cannot read host: valdec.json: cpus[0].MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" check family.json --host valdec.json
bad "$K" "unknown register" 1 "idregs sim: cannot read host: unkreg.json: cpus[0]: unknown register \"FOO_EL1\"" -- \
	"$IDREGS" sim --host unkreg.json
bad "$K" "register outside the feature-ID space" 1 "idregs sim: cannot read host: outside.json: cpus[0]: 3.0.1.0.0 is outside the feature-ID space" -- \
	"$IDREGS" sim --host outside.json
bad "$K" "kind kvm: wrong type: regs" 1 "idregs sim: cannot read host: kvmregs.json: \"regs\" must be an object of registers" -- \
	"$IDREGS" sim --host kvmregs.json
bad "$K" "kind kvm: wrong type: features" 1 "idregs sim: cannot read host: kvmfeat.json: \"features\" must be an array of strings" -- \
	"$IDREGS" sim --host kvmfeat.json
bad "$K" "kind kvm: unknown feature" 1 "idregs sim: cannot read host: kvmfeat2.json: \"features\"[0]: expected one of pmu, sve, ptrauth, el1_32bit" -- \
	"$IDREGS" sim --host kvmfeat2.json
bad "$K" "kind kvm: wrong type: kernel" 1 "idregs sim: cannot read host: kvmkern.json: \"kernel\" must be a string" -- \
	"$IDREGS" sim --host kvmkern.json
bad "$K" "kind kvm: bad mask value" 1 "idregs sim: cannot read host: kvmmask.json: masks.MIDR_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" sim --host kvmmask.json
bad "$K" "non-UTF-8 name" 1 "idregs sim: cannot read host: nonutf8.json: line 1 column 47: unable to decode byte 0xff near '\"'" -- \
	"$IDREGS" sim --host nonutf8.json
bad "$K" "NUL (\\u0000) in a name" 1 "idregs sim: cannot read host: nulname.json: line 1 column 56: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'" -- \
	"$IDREGS" sim --host nulname.json
bad "$K" "integer beyond 64 bits" 1 "idregs sim: cannot read host: bigint.json: line 1 column 85: too big integer" -- \
	"$IDREGS" sim --host bigint.json
bad "$K" "nesting 100000 deep" 1 "idregs sim: cannot read host: deep.json: line 1 column 2078: maximum parsing depth reached near '['" -- \
	"$IDREGS" sim --host deep.json
bad "$K" "huge file (20 MiB)" 1 "idregs sim: cannot read host: huge.json: larger than 16 MiB" -- \
	"$IDREGS" sim --host huge.json
bad "$K" "no such file" 1 "idregs sim: cannot read host: none.json: No such file or directory" -- \
	"$IDREGS" sim --host none.json
bad "$K" "a directory" 1 "idregs sim: cannot read host: adir: read error" -- \
	"$IDREGS" sim --host adir
bad "$K" "unknown built-in name" 1 "idregs sim: cannot read host: neoverse-n9: No such file or directory" -- \
	"$IDREGS" sim --host neoverse-n9
accepted "$K" "unknown member" "ignored (any idregs-host/1.x may add members)" "" -- \
	"$IDREGS" sim --host unkmember.json
bad "$K" "one register under two names (MIDR_EL1, 3.0.0.0.0)" 1 "idregs decode: cannot read host: alias.json: cpus[0]: register \"3.0.0.0.0\" is given twice (under another name too)" -- \
	"$IDREGS" decode --host alias.json
accepted "$K" "name of 200 bytes (100 x U+00E9)" "cut to the whole characters that fit in 127 bytes (63 x U+00E9)" \
	"[\"$(python3 -c 'print("\u00e9" * 63)')\"]" -- \
	"$IDREGS" matrix longname.json --json

# ---- CPU models
w m-empty.json ''
w m-v2.json '{"format":"idregs-model/2","regs":{}}'
w m-kern.json "$M"',"kernel":"4.19","regs":{}}'
w m-kernnum.json "$M"',"kernel":6.12,"regs":{}}'
w m-noregs.json "$M"'}'
w m-null.json "$M"',"regs":null}'
w m-feat.json "$M"',"features":["sve",3],"regs":{}}'
w m-hostbits.json "$M"',"regs":{},"host_bits":{"MIDR_EL1":"0xff"}}'
w m-prov.json "$M"',"regs":{},"provenance":"me"}'
python3 -c 'import json; print(json.dumps({"format": "idregs-model/1", "regs": {}, "provenance": {"x": "a" * 2000}}))' >m-provlong.json
w m-val65.json "$M"',"regs":{"ID_AA64ISAR0_EL1":"0x1ffffffffffffffff"}}'
w m-bool.json "$M"',"regs":{"ID_AA64ISAR0_EL1":true}}'
w m-float.json "$M"',"regs":{"ID_AA64ISAR0_EL1":1.5e300}}'
w m-name.json "$M"',"name":["x"],"regs":{}}'
w m-unkreg.json "$M"',"regs":{"ID_AA64ISAR9_EL1":"0x0"}}'
printf '%s,"name":"caf\303","regs":{}}' "$M" >m-utf8.json
python3 -c '
import sys
sys.stdout.write("{\"format\":\"idregs-model/1\",\"regs\":{},\"pad\":\"" + "x" * (20 << 20) + "\"}")' >m-huge.json
w m-more.json "$M"',"regs":{"ID_AA64ISAR0_EL1":"0x0000100010211130"}}'

K="CPU model"
bad "$K" "empty file" 1 "idregs check: cannot read model: m-empty.json: empty file" -- \
	"$IDREGS" check m-empty.json --host neoverse-n1
bad "$K" "wrong format version" 1 "idregs check: cannot read model: m-v2.json: unsupported format version \"idregs-model/2\" (this idregs reads idregs-model/1)" -- \
	"$IDREGS" check m-v2.json --host neoverse-n1
bad "$K" "a host given as a model" 1 "idregs check: cannot read model: kindint.json: \"format\" is \"idregs-host/1\", not a idregs-model document" -- \
	"$IDREGS" check kindint.json --host neoverse-n1
bad "$K" "unknown kernel release" 1 "idregs check: cannot read model: m-kern.json: \"kernel\" 4.19 is outside the releases idregs knows (see idregs releases)" -- \
	"$IDREGS" check m-kern.json --host neoverse-n1
bad "$K" "wrong type: kernel" 1 "idregs check: cannot read model: m-kernnum.json: \"kernel\" must be a string naming a kernel release" -- \
	"$IDREGS" check m-kernnum.json --host neoverse-n1
bad "$K" "no regs" 1 "idregs check: cannot read model: m-noregs.json: regs must be an object of registers" -- \
	"$IDREGS" check m-noregs.json --host neoverse-n1
bad "$K" "regs null" 1 "idregs check: cannot read model: m-null.json: regs must be an object of registers" -- \
	"$IDREGS" check m-null.json --host neoverse-n1
bad "$K" "wrong type: a feature" 1 "idregs check: cannot read model: m-feat.json: \"features\"[1]: expected one of pmu, sve, ptrauth, el1_32bit" -- \
	"$IDREGS" check m-feat.json --host neoverse-n1
bad "$K" "host_bits of a register not set" 1 "idregs check: cannot read model: m-hostbits.json: host_bits.MIDR_EL1: the register is not in \"regs\"" -- \
	"$IDREGS" check m-hostbits.json --host neoverse-n1
bad "$K" "wrong type: provenance" 1 "idregs check: cannot read model: m-prov.json: \"provenance\" must be an object" -- \
	"$IDREGS" check m-prov.json --host neoverse-n1
bad "$K" "provenance over 1023 bytes" 1 "idregs check: cannot read model: m-provlong.json: \"provenance\" is longer than 1023 bytes" -- \
	"$IDREGS" check m-provlong.json --host neoverse-n1
bad "$K" "64-bit overflow (65 bits)" 1 "idregs check: cannot read model: m-val65.json: regs.ID_AA64ISAR0_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" check m-val65.json --host neoverse-n1
bad "$K" "wrong type: a value (true)" 1 "idregs check: cannot read model: m-bool.json: regs.ID_AA64ISAR0_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" check m-bool.json --host neoverse-n1
bad "$K" "wrong type: a value (1.5e300)" 1 "idregs check: cannot read model: m-float.json: regs.ID_AA64ISAR0_EL1: value must be a string \"0x\" + 1 to 16 hex digits" -- \
	"$IDREGS" check m-float.json --host neoverse-n1
bad "$K" "wrong type: name" 1 "idregs check: cannot read model: m-name.json: \"name\" must be a string" -- \
	"$IDREGS" check m-name.json --host neoverse-n1
bad "$K" "unknown register" 1 "idregs show: cannot read m-unkreg.json: m-unkreg.json: regs: unknown register \"ID_AA64ISAR9_EL1\"" -- \
	"$IDREGS" show m-unkreg.json
bad "$K" "invalid UTF-8 (cut sequence)" 1 "idregs check: cannot read model: m-utf8.json: line 1 column 38: unable to decode byte 0xc3 near '\"caf'" -- \
	"$IDREGS" check m-utf8.json --host neoverse-n1
bad "$K" "huge file (20 MiB)" 1 "idregs template: cannot read model: m-huge.json: larger than 16 MiB" -- \
	"$IDREGS" template export m-huge.json --host neoverse-n1
bad "$K" "no such file" 1 "idregs check: cannot read model: none.json: No such file or directory" -- \
	"$IDREGS" check none.json --host neoverse-n1
refused "$K" "more than the host offers" 1 "neoverse-n1 (KVM 7.3): refused" -- \
	"$IDREGS" check m-more.json --host neoverse-n1

# ---- Firecracker templates
w t-arr.json '[]'
w t-x86.json '{"cpuid_modifiers":[]}'
w t-unk.json '{"reg_modifier":[]}'
w t-modobj.json '{"reg_modifiers":{}}'
w t-modstr.json '{"reg_modifiers":["x"]}'
w t-noaddr.json '{"reg_modifiers":[{"bitmap":"0b1"}]}'
w t-addrint.json '{"reg_modifiers":[{"addr":1,"bitmap":"0b1"}]}'
w t-addr65.json '{"reg_modifiers":[{"addr":"0x1603000000013c030","bitmap":"0b1"}]}'
w t-nobitmap.json '{"reg_modifiers":[{"addr":"0x603000000013c030"}]}'
w t-bm0b.json "{$REG\"1010\"}]}"
w t-bmnone.json "{$REG\"0b___\"}]}"
w t-bmchar.json "{$REG\"0b10z1\"}]}"
w t-bmctl.json "{$REG\"0b10\\\\u00011\"}]}"
w t-bm129.json "{$REG\"0b1$(printf '0%.0s' $(seq 128))\"}]}"
w t-bm65.json "{$REG\"0b1$(printf '0%.0s' $(seq 64))\"}]}"
w t-core.json '{"reg_modifiers":[{"addr":"0x6030000000100000","bitmap":"0b1"}]}'
w t-size.json '{"reg_modifiers":[{"addr":"0x607000000013c030","bitmap":"0b1"}]}'
w t-u32.json '{"reg_modifiers":[{"addr":"0x602000000013c030","bitmap":"0b1"}]}'
w t-twice.json "{$REG\"0b1\"},{\"addr\":\"0x603000000013c030\",\"bitmap\":\"0b0\"}]}"
w t-idx.json '{"vcpu_features":[{"index":1,"bitmap":"0b1"}]}'
w t-idxstr.json '{"vcpu_features":[{"index":"0","bitmap":"0b1"}]}'
w t-fbit.json '{"vcpu_features":[{"index":0,"bitmap":"0b10000000"}]}'
w t-fpa.json '{"vcpu_features":[{"index":0,"bitmap":"0b0100000"}]}'
w t-fsve.json '{"vcpu_features":[{"index":0,"bitmap":"0b10000"}]}'
w t-f33.json "{\"vcpu_features\":[{\"index\":0,\"bitmap\":\"0b1$(printf '0%.0s' $(seq 32))\"}]}"
w t-cap.json '{"kvm_capabilities":["abc"]}'
w t-capbig.json '{"kvm_capabilities":["99999999999"]}'
w t-capint.json '{"kvm_capabilities":[170]}'
w t-more.json "{$REG\"0b0011xxxxxxxxxxxx\"}]}"
head -c 1100000 /dev/zero | tr '\0' ' ' >t-huge.json

K="Firecracker template"
bad "$K" "empty file" 1 "idregs template: empty.json: empty file" -- \
	"$IDREGS" template import empty.json --host neoverse-n1
bad "$K" "not an object" 1 "idregs template: t-arr.json: the document must be a JSON object" -- \
	"$IDREGS" template import t-arr.json --host neoverse-n1
bad "$K" "malformed JSON" 1 "idregs template: trunc.json: line 1 column 11: unexpected token near end of file" -- \
	"$IDREGS" template import trunc.json --host neoverse-n1
bad "$K" "binary garbage" 1 "idregs template: garbage.bin: line 1 column 0: unable to decode byte 0x95" -- \
	"$IDREGS" template import garbage.bin --host neoverse-n1
bad "$K" "duplicate key" 1 "idregs template: dupkey.json: line 1 column 34: duplicate object key near '\"format\"'" -- \
	"$IDREGS" template import dupkey.json --host neoverse-n1
bad "$K" "an x86_64 template" 1 "idregs template: t-x86.json: \"cpuid_modifiers\" is an x86_64 member: this is not an aarch64 template" -- \
	"$IDREGS" template import t-x86.json --host neoverse-n1
bad "$K" "unknown member" 1 "idregs template: t-unk.json: unknown member \"reg_modifier\" (an aarch64 template has kvm_capabilities, vcpu_features and reg_modifiers)" -- \
	"$IDREGS" template import t-unk.json --host neoverse-n1
bad "$K" "wrong type: reg_modifiers" 1 "idregs template: t-modobj.json: \"reg_modifiers\" must be an array" -- \
	"$IDREGS" template import t-modobj.json --host neoverse-n1
bad "$K" "wrong type: a modifier" 1 "idregs template: t-modstr.json: reg_modifiers[0] must be an object" -- \
	"$IDREGS" template import t-modstr.json --host neoverse-n1
bad "$K" "no addr" 1 "idregs template: t-noaddr.json: reg_modifiers[0]: missing or non-string \"addr\"" -- \
	"$IDREGS" template import t-noaddr.json --host neoverse-n1
bad "$K" "wrong type: addr" 1 "idregs template: t-addrint.json: reg_modifiers[0]: missing or non-string \"addr\"" -- \
	"$IDREGS" template import t-addrint.json --host neoverse-n1
bad "$K" "64-bit overflow: addr" 1 "idregs template: t-addr65.json: reg_modifiers[0]: addr \"0x1603000000013c030\" is not \"0x\" + 1 to 16 hex digits (or \"0b\" + binary)" -- \
	"$IDREGS" template import t-addr65.json --host neoverse-n1
bad "$K" "no bitmap" 1 "idregs template: t-nobitmap.json: reg_modifiers[0]: missing or non-string \"bitmap\"" -- \
	"$IDREGS" template import t-nobitmap.json --host neoverse-n1
bad "$K" "bitmap without 0b" 1 "idregs template: t-bm0b.json: reg_modifiers[0]: bitmap \"1010\" must start with \"0b\"" -- \
	"$IDREGS" template import t-bm0b.json --host neoverse-n1
bad "$K" "bitmap without bits" 1 "idregs template: t-bmnone.json: reg_modifiers[0]: bitmap has no bits after \"0b\"" -- \
	"$IDREGS" template import t-bmnone.json --host neoverse-n1
bad "$K" "bitmap: bad character" 1 "idregs template: t-bmchar.json: reg_modifiers[0]: bitmap character 'z' is not 0, 1, x or _" -- \
	"$IDREGS" template import t-bmchar.json --host neoverse-n1
bad "$K" "bitmap: control character" 1 "idregs template: t-bmctl.json: reg_modifiers[0]: bitmap character 0x01 is not 0, 1, x or _" -- \
	"$IDREGS" template import t-bmctl.json --host neoverse-n1
bad "$K" "bitmap of 129 bits" 1 "idregs template: t-bm129.json: reg_modifiers[0]: bitmap is longer than 128 bits" -- \
	"$IDREGS" template import t-bm129.json --host neoverse-n1
bad "$K" "bitmap of 65 bits, 64-bit register" 1 "idregs template: t-bm65.json: reg_modifiers[0]: bitmap is wider than the 64-bit register 0x603000000013c030" -- \
	"$IDREGS" template import t-bm65.json --host neoverse-n1
bad "$K" "unknown register: a core register" 1 "idregs template: t-core.json: reg_modifiers[0]: addr 0x6030000000100000 is not a feature-ID system register (idregs models ONE_REG 0x603000000013xxxx with op0 3, op1 0/1/3, CRn 0, CRm 0..7)" -- \
	"$IDREGS" template import t-core.json --host neoverse-n1
bad "$K" "bad id: KVM_REG_SIZE 1024 bits" 1 "idregs template: t-size.json: reg_modifiers[0]: addr 0x607000000013c030: KVM_REG_SIZE is 1024 bits (only 32, 64 and 128-bit registers exist)" -- \
	"$IDREGS" template import t-size.json --host neoverse-n1
bad "$K" "bad id: a 32-bit sysreg id" 1 "idregs template: t-u32.json: reg_modifiers[0]: addr 0x602000000013c030 is not a feature-ID system register (idregs models ONE_REG 0x603000000013xxxx with op0 3, op1 0/1/3, CRn 0, CRm 0..7)" -- \
	"$IDREGS" template import t-u32.json --host neoverse-n1
bad "$K" "one register twice" 1 "idregs template: t-twice.json: reg_modifiers[1]: addr 0x603000000013c030 appears twice (Firecracker would silently use the last)" -- \
	"$IDREGS" template import t-twice.json --host neoverse-n1
bad "$K" "vcpu_features index 1" 1 "idregs template: t-idx.json: vcpu_features[0]: index 1: only index 0 (kvm_vcpu_init.features[0]) is used on arm64" -- \
	"$IDREGS" template import t-idx.json --host neoverse-n1
bad "$K" "wrong type: index" 1 "idregs template: t-idxstr.json: vcpu_features[0]: missing or non-integer \"index\"" -- \
	"$IDREGS" template import t-idxstr.json --host neoverse-n1
bad "$K" "unknown vCPU feature bit" 1 "idregs template: t-fbit.json: vcpu_features: bit 7 is set, and idregs models only EL1_32BIT (1), PMU_V3 (3), SVE (4) and PTRAUTH (5, 6)" -- \
	"$IDREGS" template import t-fbit.json --host neoverse-n1
bad "$K" "half of pointer authentication" 1 "idregs template: t-fpa.json: vcpu_features: PTRAUTH_ADDRESS (bit 5) and PTRAUTH_GENERIC (bit 6) must be set together (KVM refuses one alone)" -- \
	"$IDREGS" template import t-fpa.json --host neoverse-n1
bad "$K" "a feature the host lacks" 1 "idregs template: t-fsve.json: neoverse-n1 cannot run vCPUs with the features sve (KVM_ARM_VCPU_INIT: EINVAL)" -- \
	"$IDREGS" template import t-fsve.json --host neoverse-n1
bad "$K" "feature bitmap of 33 bits" 1 "idregs template: t-f33.json: vcpu_features[0]: bitmap is longer than 32 bits" -- \
	"$IDREGS" template import t-f33.json --host neoverse-n1
bad "$K" "capability not a number" 1 "idregs template: t-cap.json: kvm_capabilities[0]: expected a string \"N\" or \"!N\" (N a decimal KVM_CAP_* number)" -- \
	"$IDREGS" template import t-cap.json --host neoverse-n1
bad "$K" "capability beyond 32 bits" 1 "idregs template: t-capbig.json: kvm_capabilities[0]: expected a string \"N\" or \"!N\" (N a decimal KVM_CAP_* number)" -- \
	"$IDREGS" template import t-capbig.json --host neoverse-n1
bad "$K" "wrong type: capability" 1 "idregs template: t-capint.json: kvm_capabilities[0]: expected a string \"N\" or \"!N\" (N a decimal KVM_CAP_* number)" -- \
	"$IDREGS" template import t-capint.json --host neoverse-n1
bad "$K" "more than the host offers" 1 "idregs template: neoverse-n1 refuses the imported model under KVM 7.3 (Firecracker would fail to boot with this template there):" -- \
	"$IDREGS" template import t-more.json --host neoverse-n1
bad "$K" "huge file (over 1 MiB)" 1 "idregs template: t-huge.json: larger than 1 MiB" -- \
	"$IDREGS" template import t-huge.json --host neoverse-n1
bad "$K" "no such file" 1 "idregs template: none.json: No such file or directory" -- \
	"$IDREGS" template import none.json --host neoverse-n1
bad "$K" "a directory" 1 "idregs template: adir: read error" -- \
	"$IDREGS" template import adir --host neoverse-n1
bad "$K" "standard input" 2 "idregs template: TEMPLATE must be a file" -- \
	"$IDREGS" template import - --host neoverse-n1

# ---- migration state blobs (docs/state.md): made here byte by byte, so
# that the messages do not depend on the register database
python3 - <<'EOF'
import struct, zlib
def blob(version=1, length=None, nregs=0, body=b"", crc=None):
    b = bytearray(b"IDRGSTAT" + struct.pack("<IIIIHHI", version, 0, 0, 0, nregs, 0, 0) +
                  b"7.3".ljust(16, b"\0") + body + b"\0" * 4)
    b[12:16] = struct.pack("<I", len(b) if length is None else length)
    b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])) if crc is None else crc)
    return bytes(b)
open("s-crc.blob", "wb").write(blob(crc=0))
open("s-v2.blob", "wb").write(blob(version=2))
open("s-trunc.blob", "wb").write(blob(length=1036))
open("s-count.blob", "wb").write(blob(nregs=1))
open("s-novcpu.blob", "wb").write(blob())
open("s-reg.blob", "wb").write(blob(nregs=1, body=struct.pack("<QQ", 0x6030000000100000, 0)))
open("s-magic.blob", "wb").write(bytes(range(256)) * 3)
EOF
"$IDREGS" state save --host neoverse-v1 -o v1.blob >/dev/null 2>&1

K="migration state"
bad "$K" "empty file" 1 "idregs state: empty.json: state blob truncated: 0 bytes, not even its 8-byte magic" -- \
	"$IDREGS" state restore empty.json --host neoverse-n1
bad "$K" "binary garbage" 1 "idregs state: s-magic.blob: not an idregs state blob: wrong magic (00 01 02 03 ..., want \"IDRGSTAT\")" -- \
	"$IDREGS" state restore s-magic.blob --host neoverse-n1
bad "$K" "truncated" 1 "idregs state: s-trunc.blob: state blob truncated: 52 of the 1036 bytes its header declares" -- \
	"$IDREGS" state restore s-trunc.blob --host neoverse-n1
bad "$K" "corrupted (checksum)" 1 "idregs state: s-crc.blob: state blob corrupted: checksum mismatch (stored CRC-32 0x00000000, computed 0x411869ba)" -- \
	"$IDREGS" state restore s-crc.blob --host neoverse-n1
bad "$K" "future format version" 1 "idregs state: s-v2.blob: state blob format version 2 is newer than this library reads (version 1): restore it with a newer libidregs" -- \
	"$IDREGS" state restore s-v2.blob --host neoverse-n1
bad "$K" "counts that do not match the length" 1 "idregs state: s-count.blob: state blob: 1 registers and 0 vCPUs do not make its 52 bytes" -- \
	"$IDREGS" state show s-count.blob
bad "$K" "unknown register" 1 "idregs state: s-reg.blob: state blob: register record 0 (ONE_REG id 0x6030000000100000) is not a register this library knows" -- \
	"$IDREGS" state show s-reg.blob
bad "$K" "no vCPU" 1 "idregs state: s-novcpu.blob: state blob has no vCPU" -- \
	"$IDREGS" state restore s-novcpu.blob --host neoverse-n1
bad "$K" "no such file" 1 "idregs state: none.blob: No such file or directory" -- \
	"$IDREGS" state restore none.blob --host neoverse-n1
refused "$K" "from a richer host" 1 "neoverse-n1 (KVM 7.3): refused: the destination VM refuses 31 fields of the blob (first: ID_PFR0_EL1.DIT); nothing was restored" -- \
	"$IDREGS" state restore v1.blob --host neoverse-n1

# ---- command line: registers, values, ids, options
K="command line"
bad "$K" "unknown register name" 2 "idregs decode: unknown register 'FOO_EL1'" -- \
	"$IDREGS" decode FOO_EL1=1
bad "$K" "encoding out of range" 2 "idregs decode: unknown register '3.0.0.99.0'" -- \
	"$IDREGS" decode 3.0.0.99.0=1
bad "$K" "register outside the feature-ID space" 2 "idregs decode: unknown register '3.0.1.0.0'" -- \
	"$IDREGS" decode 3.0.1.0.0=1
bad "$K" "generic name cut short" 2 "idregs decode: unknown register 'S3_0_C0_C4_'" -- \
	"$IDREGS" decode S3_0_C0_C4_=1
bad "$K" "no =VALUE" 2 "idregs decode: 'S3_0_C0_C4_0' is not REG=VALUE" -- \
	"$IDREGS" decode S3_0_C0_C4_0
bad "$K" "value beyond 64 bits" 2 "idregs decode: bad value in 'MIDR_EL1=0x10000000000000000' (want 0x hex or decimal, 64 bits)" -- \
	"$IDREGS" decode MIDR_EL1=0x10000000000000000
bad "$K" "negative value" 2 "idregs decode: bad value in 'MIDR_EL1=-1'" -- \
	"$IDREGS" decode MIDR_EL1=-1
bad "$K" "value with a blank and a sign" 2 "idregs decode: bad value in 'MIDR_EL1= -1'" -- \
	"$IDREGS" decode 'MIDR_EL1= -1'
bad "$K" "value with a plus sign" 2 "idregs decode: bad value in 'MIDR_EL1=+5'" -- \
	"$IDREGS" decode MIDR_EL1=+5
bad "$K" "empty value" 2 "idregs decode: bad value in 'MIDR_EL1='" -- \
	"$IDREGS" decode MIDR_EL1=
bad "$K" "value with trailing garbage" 2 "idregs decode: bad value in 'MIDR_EL1=12abc' (want 0x hex or decimal, 64 bits)" -- \
	"$IDREGS" decode MIDR_EL1=12abc
bad "$K" "nothing to decode" 2 "idregs decode: nothing to decode: give REG=VALUE pairs or --host HOST" -- \
	"$IDREGS" decode
bad "$K" "option without its argument" 2 "idregs decode: unknown option or missing argument '--host'" -- \
	"$IDREGS" decode --host
bad "$K" "unknown verb" 2 "idregs: unknown verb 'frob'" -- \
	"$IDREGS" frob
bad "$K" "no verb" 2 "usage: idregs VERB [OPTIONS]" -- \
	"$IDREGS"
bad "$K" "unknown option" 2 "idregs sim: unknown option or missing argument '--frob' (see --help)" -- \
	"$IDREGS" sim --frob
bad "$K" "no --host" 2 "idregs sim: --host HOST is required (see --help)" -- \
	"$IDREGS" sim
bad "$K" "unknown kernel release" 2 "idregs sim: kernel release '5.4' is outside the releases idregs knows (5.10 to 7.3; see idregs releases)" -- \
	"$IDREGS" sim --host neoverse-n1 --kernel 5.4
bad "$K" "empty kernel release" 2 "idregs check: '' is not a kernel version (give a series such as 6.12, a release such as 6.12.117, or uname -r output such as 6.1.0-50-arm64)" -- \
	"$IDREGS" check family.json --host neoverse-n1 --kernel ''
bad "$K" "two scripts" 2 "idregs sim: more than one script given" -- \
	"$IDREGS" sim --host neoverse-n1 a.sim b.sim
bad "$K" "no such script" 1 "idregs sim: cannot read script none.sim: No such file or directory" -- \
	"$IDREGS" sim --host neoverse-n1 none.sim
bad "$K" "script is a directory" 1 "idregs sim: error reading the script" -- \
	"$IDREGS" sim --host neoverse-n1 adir
bad "$K" "unknown vCPU feature" 2 "idregs baseline: unknown vCPU feature 'avx' (known: pmu, sve, ptrauth, el1_32bit)" -- \
	"$IDREGS" baseline neoverse-n1 --features avx
bad "$K" "a feature the host lacks" 1 "idregs baseline: neoverse-n1 cannot run vCPUs with the requested features (KVM_ARM_VCPU_INIT: EINVAL)" -- \
	"$IDREGS" baseline neoverse-n1 --features sve
bad "$K" "baseline without hosts" 2 "idregs baseline: no hosts given (see --help)" -- \
	"$IDREGS" baseline
bad "$K" "check without arguments" 2 "idregs check: need MODEL and at least one --host HOST (see --help)" -- \
	"$IDREGS" check
bad "$K" "check with two models" 2 "idregs check: more than one MODEL given ('b.json')" -- \
	"$IDREGS" check a.json b.json --host neoverse-n1
bad "$K" "template without import/export" 2 "idregs template: expected 'import' or 'export' (see --help)" -- \
	"$IDREGS" template frob x.json --host neoverse-n1
bad "$K" "template import without --host" 2 "idregs template: import needs TEMPLATE and --host HOST (see --help)" -- \
	"$IDREGS" template import x.json
bad "$K" "unknown export format" 2 "idregs template: unknown --format 'xml' (firecracker or qemu)" -- \
	"$IDREGS" template export x.json --host neoverse-n1 --format xml
bad "$K" "show without arguments" 2 "idregs show: give exactly one model or host (see --help)" -- \
	"$IDREGS" show
bad "$K" "diff of one" 2 "idregs diff: give two models or hosts (see --help)" -- \
	"$IDREGS" diff a.json
bad "$K" "matrix without hosts" 2 "idregs matrix: no hosts given (see --help)" -- \
	"$IDREGS" matrix
bad "$K" "unknown argument" 2 "idregs regs: unknown argument '--frob'" -- \
	"$IDREGS" regs --frob

# ---- sim scripts: bad names, values and ids are results (exit 0)
K="sim script"
simline "$K" "before any vm" "line=1 cmd=get reg=MIDR_EL1 vcpu=0 val=0x0000000000000000 err=NO_VM readback=0x0000000000000000 readback_err=NO_VM" \
	'get MIDR_EL1'
simline "$K" "unknown register name" "line=2 cmd=get reg=FOO_EL1 vcpu=0 val=0x0000000000000000 err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG" \
	'vm
get FOO_EL1'
simline "$K" "encoding out of range" "line=2 cmd=get reg=3.0.0.99.0 vcpu=0 val=0x0000000000000000 err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG" \
	'vm
get 3.0.0.99.0'
simline "$K" "id of 17 hex digits" "line=2 cmd=get reg=0x1234567890abcdef0 vcpu=0 val=0x0000000000000000 err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG" \
	'vm
get 0x1234567890abcdef0'
simline "$K" "id: a core register" "line=2 cmd=get reg=0x6030000000100000 vcpu=0 val=0x0000000000000000 err=UNMODELED readback=0x0000000000000000 readback_err=UNMODELED" \
	'vm
get 0x6030000000100000'
simline "$K" "id: sysreg outside the feature-ID space" "line=2 cmd=get reg=S3_0_C15_C15_7 vcpu=0 val=0x0000000000000000 err=UNMODELED readback=0x0000000000000000 readback_err=UNMODELED" \
	'vm
get 0x603000000013c7ff'
simline "$K" "id: 32-bit size" "line=2 cmd=get reg=0x6020000000130000 vcpu=0 val=0x0000000000000000 err=ENOENT readback=0x0000000000000000 readback_err=ENOENT" \
	'vm
get 0x6020000000130000'
simline "$K" "id: not arm64" "line=2 cmd=get reg=0x7030000000130000 vcpu=0 val=0x0000000000000000 err=EINVAL readback=0x0000000000000000 readback_err=EINVAL" \
	'vm
get 0x7030000000130000'
simline "$K" "id: a register KVM does not describe" "line=2 cmd=get reg=CCSIDR_EL1 vcpu=0 val=0x0000000000000000 err=ENOENT readback=0x0000000000000000 readback_err=ENOENT" \
	'vm
get CCSIDR_EL1'
simline "$K" "value beyond 64 bits" "line=2 cmd=set reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000000000000000 err=BAD_VALUE readback=0x0000000000000000 readback_err=BAD_VALUE" \
	'vm
set ID_AA64ISAR0_EL1 0x10000000000000000'
simline "$K" "value with trailing garbage" "line=2 cmd=set reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000000000000000 err=BAD_VALUE readback=0x0000000000000000 readback_err=BAD_VALUE" \
	'vm
set ID_AA64ISAR0_EL1 12abc'
simline "$K" "setfield shift beyond 60" "line=2 cmd=setfield reg=ID_AA64ISAR0_EL1 vcpu=0 val=0x0000000000000000 err=BAD_VALUE readback=0x0000000000000000 readback_err=BAD_VALUE" \
	'vm
setfield ID_AA64ISAR0_EL1 64 1'
simline "$K" "vCPU that does not exist" "line=2 cmd=get reg=MIDR_EL1 vcpu=9 val=0x0000000000000000 err=NO_VCPU readback=0x0000000000000000 readback_err=NO_VCPU" \
	'vm
vcpu=9 get MIDR_EL1'
simline "$K" "vCPU index not a number" "line=2 cmd=run vcpu=-1 err=NO_VCPU" \
	'vm
vcpu=99999999999999999999 run'
simline "$K" "unknown command" "line=2 cmd=frob err=UNKNOWN_CMD" \
	'vm
frob ID_AA64ISAR0_EL1'
simline "$K" "vcpu=K and no command" "line=2 cmd= err=UNKNOWN_CMD" \
	'vm
vcpu=1'
simline "$K" "get without a register" "line=2 cmd=get reg=- vcpu=0 val=0x0000000000000000 err=BAD_REG readback=0x0000000000000000 readback_err=BAD_REG" \
	'vm
get'

if [ "$MODE" = check ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
fi
