#!/usr/bin/env bash
# A DUT that stops transmitting is a finding, said in words: an exec: DUT
# (tests/tools/stall_dut.py) forwards 256 frames -- one netfront TX ring --
# and then drops everything while frames keep arriving. The run says so at
# that point, quoting the DUT's console; stops there by default (status 1),
# or keeps measuring with --on-dut-stop continue (status 0); every output
# flags the points; nothing is left behind. What the DUT does then is said
# from its CPU time: asleep between frames it drops (the stop run), or "busy"
# when it spins without transmitting (the continue run: stall_dut.py ... spin).
# A DUT that hangs (stall_dut.py ... hang: it stops reading, as a unikernel
# waiting for an event that never comes) takes nothing in either: its TAP
# counts no frame, only the generator's link does, and it is said all the
# same, at every point, never as a plain 100 % loss.
ALL_TESTS="stop_started stop_said stop_console stop_activity stop_exit_status stop_row_flagged
	stop_csv_json stop_report stop_no_ns_left continue_started continue_exit_status
	continue_said_once continue_busy continue_rows_flagged continue_nothing_out
	continue_no_ns_left hang_started hang_said hang_rows_flagged hang_no_ns_left"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"
require_cmd python3 python3

N=256
tmp=$(mktemp -d /tmp/mp-t-sweep-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 2 1 1
dut="exec:python3 $MP_TOP/tests/tools/stall_dut.py $N"

# stopped_after OUT: the N of "the DUT stopped transmitting after N frames" on stderr.
stopped_after() { sed -n 's/.*point 1: the DUT stopped transmitting after \([0-9]*\) frames.*/\1/p' "$1.err" | head -1; }

# --- the default: the run stops at the point where the DUT stopped ---
out=$tmp/stop
if sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64 --rates 2k,4k,6k; then
	pass stop_started "stop: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	sed 's/^/# /' "$out.err"
	n=$(stopped_after "$out")
	# The DUT's own 256 include the readiness probe's frames, sent before point 1.
	check stop_said "stop: said at point 1: 'the DUT stopped transmitting after ${n:-?} frames' (<= $N, >= $((N - 16)))" \
		eval '[ -n "$n" ] && [ "$n" -le $N ] && [ "$n" -ge $((N - 16)) ]'
	check stop_console "stop: ... quoting its console ('sent $N')" \
		grep -q "point 1: the DUT stopped transmitting after .*its console: .*received [0-9]* sent $N dropped" "$out.err"
	check stop_activity "stop: ... saying what the DUT does ('the DUT is ... N ms of CPU in M ms')" \
		grep -q "point 1: the DUT stopped transmitting after .*; the DUT is .*[0-9.]* ms of CPU in [0-9]* ms.*; its console: " "$out.err"
	check stop_exit_status "stop: exit status 1, the run ended after point 1 (was $SWEEP_RC)" \
		eval '[ "$SWEEP_RC" -eq 1 ] && grep -q "stopping after point 1" "$out.err"'
	rows=$(grep -vc '^#' "$out/stats" 2>/dev/null || echo 0)
	check stop_row_flagged "stop: 1 complete row, flagged in stats ('# ! point 1: the DUT stopped ...')" \
		eval '[ "$rows" -eq 1 ] && sweep_rows_complete "$out" &&
			grep -q "^# ! point 1: the DUT stopped transmitting after $n frames" "$out/stats"'
	csv=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["flags"], $c["dut_stopped_after"] }' "$out/stats.csv")
	check stop_csv_json "stop: stats.csv flags dut_stopped ($csv); stats.json status dut-stopped, dut_stopped_after $n" \
		eval '[ "$csv" = "dut_stopped $n" ] &&
			python3 -c "import json,sys; d=json.load(open(sys.argv[1])); p=d[\"points\"][0];
sys.exit(not (d[\"status\"] == \"dut-stopped\" and \"dut_stopped\" in p[\"flags\"] and p[\"dut_stopped_after\"] == $n))" "$out/stats.json"'
	check stop_report "stop: the report says it on the first screen" \
		eval 'grep -q "Read with care" "$out/report.html" &&
			grep -q "point 1 (64 B): the DUT stopped transmitting after $n frames" "$out/report.html"'
	check stop_no_ns_left "stop: no namespace of the run left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
else
	fail stop_started "stop: mir-perf started"
	sed 's/^/# /' "$out.err"
	not_run "the stop run did not start" stop_said stop_console stop_activity stop_exit_status stop_row_flagged \
		stop_csv_json stop_report stop_no_ns_left
fi

# --- --on-dut-stop continue: every point measured, each flagged ---
out=$tmp/continue
if sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut spin" --sizes 64 --rates 2k,4k,6k \
	--on-dut-stop continue; then
	pass continue_started "continue: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	sed 's/^/# /' "$out.err"
	check continue_exit_status "continue: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	n=$(stopped_after "$out")
	check continue_said_once "continue: said once, at point 1 (after ${n:-?} frames)" \
		eval '[ -n "$n" ] && [ "$(grep -c "the DUT stopped transmitting after .* its console" "$out.err")" -eq 1 ]'
	check continue_busy "continue: a DUT spinning after its last frame is said to be busy" \
		grep -q "the DUT stopped transmitting after .*; the DUT is busy: running (R), [0-9.]* ms of CPU in [0-9]* ms" "$out.err"
	rows=$(grep -vc '^#' "$out/stats" 2>/dev/null || echo 0)
	# (a spinning DUT takes a CPU from the counters' reader: another flag,
	# "DUT in > offered", may come first on a loaded machine)
	flagged=$(grep -c '^# ! point [0-9]*: .*the DUT stopped transmitting' "$out/stats")
	check continue_rows_flagged "continue: 3 complete rows, all 3 flagged (got $rows rows, $flagged flagged)" \
		eval '[ "$rows" -eq 3 ] && [ "$flagged" -eq 3 ] && sweep_rows_complete "$out"'
	out_later=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "dut_out_pkts") c = i; next }
		NR > 2 { s += $c } END { print s + 0 }' "$out/stats.csv")
	check continue_nothing_out "continue: points 2 and 3 carried nothing out of the DUT ($out_later frames)" \
		[ "$out_later" -eq 0 ]
	check continue_no_ns_left "continue: no namespace of the run left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
else
	fail continue_started "continue: mir-perf started"
	sed 's/^/# /' "$out.err"
	not_run "the continue run did not start" continue_exit_status continue_said_once continue_busy \
		continue_rows_flagged continue_nothing_out continue_no_ns_left
fi

# --- a DUT that stops reading: nothing in, nothing out, still said ---
out=$tmp/hang
if sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut hang" --sizes 64 --rates 2k,4k,6k \
	--on-dut-stop continue; then
	pass hang_started "hang: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	sed 's/^/# /' "$out.err"
	check hang_said "hang: said at point 1, none taken in, the DUT idle" \
		grep -q "point 1: the DUT stopped transmitting after [0-9]* frames (0 frames arrived since: it takes none in); the DUT is idle: " "$out.err"
	flagged=$(grep -c "^# ! point [0-9]*: .*the DUT stopped transmitting after [0-9]* frames and takes none in (the generator's link carried [1-9][0-9]*)" "$out/stats")
	check hang_rows_flagged "hang: status 0, all 3 points flagged 'takes none in' ($flagged)" \
		eval '[ "$SWEEP_RC" -eq 0 ] && [ "$flagged" -eq 3 ]'
	check hang_no_ns_left "hang: no namespace of the run left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
else
	fail hang_started "hang: mir-perf started"
	sed 's/^/# /' "$out.err"
	not_run "the hang run did not start" hang_said hang_rows_flagged hang_no_ns_left
fi
