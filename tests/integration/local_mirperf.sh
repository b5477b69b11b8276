#!/usr/bin/env bash
# The TAP-based DUTs end to end through mir-perf: tap-fwd, and exec: a
# program opening tap0/tap1 by name the way a MirageOS unix unikernel does.
# A complete short sweep, its logs in the run directory, and nothing left.
ALL_TESTS="$(echo {tapfwd,exec}_{started,exit_status,rows,logs,nothing_left,processes_gone})"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf" "$MP_BIN/mir-trafgen"

tmp=$(mktemp -d /tmp/mp-t-local-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 1 1

for n in tapfwd exec; do
	case $n in
	tapfwd) dut=tap-fwd ;;
	exec) dut="exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1" ;;
	esac
	out=$tmp/$n
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64,1518 --rates 10k; then
		fail "${n}_started" "$dut: mir-perf started"
		sed 's/^/# /' "$out.err"
		not_run "$dut: mir-perf did not start" "${n}_exit_status" "${n}_rows" "${n}_logs" \
			"${n}_nothing_left" "${n}_processes_gone"
		continue
	fi
	pass "${n}_started" "$dut: mir-perf started (run $SWEEP_ID)"
	# its agent and DUT, while they run
	kids=
	while kill -0 "$SWEEP_PID" 2>/dev/null; do
		k=$(sweep_children "$SWEEP_PID")
		[ -n "$k" ] && kids=$(printf '%s\n' $kids $k | sort -u)
		sleep 0.2
	done
	sweep_wait
	check "${n}_exit_status" "$dut: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	rows=$(grep -vc '^#' "$out/stats" 2>/dev/null || echo 0)
	check "${n}_rows" "$dut: 2 complete rows in stats (got $rows)" \
		eval '[ "$rows" -eq 2 ] && sweep_rows_complete "$out"'
	check "${n}_logs" "$dut: dut.log and agent.log in the run directory, no token there" \
		eval '[ -f "$out/dut.log" ] && [ -f "$out/agent.log" ] && ! ls "$out"/*token* 2>/dev/null'
	check "${n}_nothing_left" "$dut: no namespace, state file or runtime directory of the run left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! ls -d /run/mir-perf/run-"$SWEEP_ID"* 2>/dev/null'
	check "${n}_processes_gone" "$dut: agent and DUT processes gone ($(echo $kids))" \
		eval '[ -n "$kids" ] && [ -z "$(sweep_alive $kids)" ]'
done
