#!/usr/bin/env bash
# Bad input through the whole run path (mir-perf, not the platform alone): an
# exec: DUT that does not exist or exits at once gives one clear error, status
# 1, a full teardown, and a run directory that says so (stats.json status
# "error", no point).
ALL_TESTS="$(echo {missing,exits}_{status,why,nothing_left,stats_json})"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-sweep-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 0.5 0.5

# expect_error NAME DUT PATTERN: checks NAME_status, NAME_why, NAME_nothing_left, NAME_stats_json
expect_error() {
	local name=$1 dut=$2 pattern=$3 out=$tmp/$1
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut"; then
		sed 's/^/# /' "$out.err"
		not_run "$name: mir-perf did not start a run" "${name}_status" "${name}_why" \
			"${name}_nothing_left" "${name}_stats_json"
		return
	fi
	sweep_wait
	check "${name}_status" "$name: status 1 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 1 ]
	if grep -qE -- "$pattern" "$out.err"; then
		pass "${name}_why" "$name: says why"
	else
		fail "${name}_why" "$name: says why: expected /$pattern/"
		sed 's/^/# /' "$out.err"
	fi
	check "${name}_nothing_left" "$name: nothing of run $SWEEP_ID left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
	check "${name}_stats_json" "$name: stats.json says error, with no point" \
		python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(not (d["status"] == "error" and d["points"] == [] and d["end"]))' \
		"$out/stats.json"
}

expect_error missing "exec:/nonexistent/netif-forward --x" "No such file or directory"
expect_error exits "exec:sh -c 'echo tap0 busy >&2; exit 3'" "exited with status 3"
