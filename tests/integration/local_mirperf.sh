#!/usr/bin/env bash
# The TAP-based DUTs end to end through mir-perf: tap-fwd, and exec: a
# program opening tap0/tap1 by name the way a MirageOS unix unikernel does.
# A complete short sweep, its logs in the run directory, and nothing left.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
need_root 12 "runs mir-perf on the local platform"
if [ ! -x "$MP_BIN/mir-perf" ] || [ ! -x "$MP_BIN/mir-trafgen" ]; then
	for i in $(seq 12); do tap_skip "no $MP_BIN/mir-perf or mir-trafgen"; done
	exit 0
fi

tmp=$(mktemp -d /tmp/mp-t-local-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 1 1

n=0
for dut in tap-fwd "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1"; do
	n=$((n + 1))
	out=$tmp/run$n
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64,1518 --rates 10k; then
		tap_fail "$dut: mir-perf started"
		sed 's/^/# /' "$out.err"
		for i in $(seq 5); do tap_skip "$dut: no run"; done
		continue
	fi
	tap_ok "$dut: mir-perf started (run $SWEEP_ID)"
	# its agent and DUT, while they run
	kids=
	while kill -0 "$SWEEP_PID" 2>/dev/null; do
		k=$(sweep_children "$SWEEP_PID")
		[ -n "$k" ] && kids=$(printf '%s\n' $kids $k | sort -u)
		sleep 0.2
	done
	sweep_wait
	tap_check "$dut: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	rows=$(grep -vc '^#' "$out/stats" 2>/dev/null || echo 0)
	tap_check "$dut: 2 complete rows in stats (got $rows)" \
		eval '[ "$rows" -eq 2 ] && sweep_rows_complete "$out"'
	tap_check "$dut: dut.log and agent.log in the run directory, no token there" \
		eval '[ -f "$out/dut.log" ] && [ -f "$out/agent.log" ] && ! ls "$out"/*token* 2>/dev/null'
	tap_check "$dut: no namespace, state file or runtime directory of the run left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! ls -d /run/mir-perf/run-"$SWEEP_ID"* 2>/dev/null'
	tap_check "$dut: agent and DUT processes gone ($(echo $kids))" \
		eval '[ -n "$kids" ] && [ -z "$(sweep_alive $kids)" ]'
done
