#!/usr/bin/env bash
# Bad input through the whole run path (mir-perf, not the platform alone): an
# exec: DUT that does not exist or exits at once gives one clear error, status
# 1, a full teardown, and a run directory that says so (stats.json status
# "error", no point).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
need_root 8 "runs mir-perf on the local platform"
[ -x "$MP_BIN/mir-perf" ] || { for i in $(seq 8); do tap_skip "no $MP_BIN/mir-perf"; done; exit 0; }

tmp=$(mktemp -d /tmp/mp-t-sweep-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 0.5 0.5

# expect_error NAME DUT PATTERN: 4 tests
expect_error() {
	local name=$1 dut=$2 pattern=$3 out=$tmp/$1
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut"; then
		tap_fail "$name: mir-perf started a run"
		sed 's/^/# /' "$out.err"
		for i in 1 2 3; do tap_skip "no run"; done
		return
	fi
	sweep_wait
	tap_check "$name: status 1 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 1 ]
	if grep -qE -- "$pattern" "$out.err"; then
		tap_ok "$name: says why"
	else
		tap_fail "$name: says why: expected /$pattern/"
		sed 's/^/# /' "$out.err"
	fi
	tap_check "$name: nothing of run $SWEEP_ID left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
	tap_check "$name: stats.json says error, with no point" \
		python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(not (d["status"] == "error" and d["points"] == [] and d["end"]))' \
		"$out/stats.json"
}

expect_error missing "exec:/nonexistent/netif-forward --x" "No such file or directory"
expect_error exits "exec:sh -c 'echo tap0 busy >&2; exit 3'" "exited with status 3"
