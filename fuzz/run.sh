#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Run each libFuzzer target for a bounded time and report its executions.
#
#   fuzz/run.sh BUILD_DIR SECONDS TARGET...
#
# Each target starts from its seed corpus (fuzz/corpus/TARGET, read only)
# plus what earlier runs found (BUILD_DIR/corpus/TARGET). A crash, leak,
# out-of-memory or property violation is a finding: the input is kept as
# BUILD_DIR/findings/TARGET-*, the log's end is shown, and the exit status
# is 1. A timeout counts only if it reproduces: its input is replayed on its
# own (a loaded machine can stall any input once); one that then runs in
# time is reported as a load stall, not a finding. The last line is
# "N targets, N findings".
set -u
B=$1 S=$2
shift 2
findings=0
targets=0
for t in "$@"; do
	targets=$((targets + 1))
	mkdir -p "$B/corpus/$t" "$B/findings" "$B/logs"
	dict=
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	# shellcheck disable=SC2086
	"$B/fuzz/$t" -max_total_time="$S" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$B/findings/$t-" $dict \
		"$B/corpus/$t" "fuzz/corpus/$t" >"$B/logs/$t.log" 2>&1
	rc=$?
	# a timeout: replay the input alone, with the same limit, twice
	if [ "$rc" -ne 0 ] && grep -q 'ERROR: libFuzzer: timeout' "$B/logs/$t.log"; then
		unit=$(sed -n 's/.*Test unit written to \(.*timeout-[0-9a-f]*\).*/\1/p' "$B/logs/$t.log" | tail -1)
		if [ -n "$unit" ] && "$B/fuzz/$t" -timeout=10 -runs=2 "$unit" >"$B/logs/$t.replay.log" 2>&1; then
			echo "fuzz: $t: a timeout under load did not reproduce on replay ($unit): not a finding"
			mv "$unit" "$unit.stall"
			rc=0
		fi
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/logs/$t.log" | tail -1)
	corpus=$(ls "$B/corpus/$t" | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: $t: ${execs:-?} executions in ${S} s, corpus $corpus inputs, 0 findings"
	else
		findings=$((findings + 1))
		echo "fuzz: $t: FINDING after ${execs:-?} executions (exit status $rc):"
		grep -A1 -E 'ERROR|PROPERTY|SUMMARY|Test unit written|runtime error' "$B/logs/$t.log" |
			grep -v '^--$' | head -20 | sed 's/^/    /'
		tail -30 "$B/logs/$t.log" | sed 's/^/  | /'
	fi
done
echo "fuzz: $targets targets, $findings findings"
[ "$findings" -eq 0 ]
