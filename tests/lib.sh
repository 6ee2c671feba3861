# SPDX-License-Identifier: MIT
# Shared by the shell tests: the idregs binary, a temporary directory, the
# pass/fail counters and the closing "N passed, N failed" line.
#
#   . "$(dirname "$0")/lib.sh"; lib_init NAME; ...; lib_finish

lib_init() {	# NAME: the temporary directory's prefix
	IDREGS=${IDREGS:-build/idregs}
	case $IDREGS in
	/*) ;;
	*) IDREGS=$(pwd)/$IDREGS ;;
	esac
	T=$(mktemp -d "${TMPDIR:-/tmp}/idregs-$1.XXXXXX") || exit 1
	trap 'rm -rf "$T"' EXIT
	trap 'exit 130' INT TERM
	passed=0
	failed=0
}

pass() {
	passed=$((passed + 1))
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# run CMD...: stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

check_rc() {	# NAME WANT
	if [ "$rc" -eq "$2" ]; then
		pass
	else
		fail "$1: exit status $rc, want $2 (stderr: $(head -c 300 "$T/err"))"
	fi
}

lib_finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
