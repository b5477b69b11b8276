#!/usr/bin/env bash
# Lifecycle: SIGINT at a random moment of a run leaves nothing behind (no
# namespace, no link in the root namespace, no process) and a stats file whose
# rows are all complete; kill -9 then `mir-perf --cleanup` leaves nothing; a
# second concurrent run is refused, naming the first one's pid.
ALL_TESTS="int_status int_netns int_links int_processes int_rows int_plots int_state
	second_refused k9_state cleanup_status cleanup_netns cleanup_processes cleanup_links"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-sweep-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 0.5 0.5
links_before=$(ip -o link show | awk -F': ' '{print $2}' | sort)
# Links other tests create for a moment (mp-t...) are theirs, not ours.
links_new() { comm -13 <(echo "$links_before") <(ip -o link show | awk -F': ' '{print $2}' | sort) | grep -v '^mp-t' || true; }

# --- SIGINT at a random moment (between 0.5 and 6 s: setup or mid-sweep) ---
out=$tmp/int
if sweep_start "$out" --cfg "$tmp/cfg" --sizes 64,512 --rates 10k,20k,30k; then
	delay=$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.5 + 5.5 * r / 32767 }')
	sleep "$delay"
	kids=$(sweep_children "$SWEEP_PID")
	kill -INT "$SWEEP_PID"
	sweep_wait
	diag "SIGINT after ${delay}s; status $SWEEP_RC; $(grep -vc '^#' "$out/stats" 2>/dev/null) rows"
	check int_status "SIGINT: exit status 130, or 0 when the run had just ended (was $SWEEP_RC)" \
		eval '[ "$SWEEP_RC" -eq 130 ] || [ "$SWEEP_RC" -eq 0 ]'
	check int_netns "SIGINT: no namespace of run $SWEEP_ID left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
	check int_links "SIGINT: no new link in the root namespace" [ -z "$(links_new)" ]
	check int_processes "SIGINT: no agent or DUT process left" [ -z "$(sweep_alive $kids)" ]
	check int_rows "SIGINT: every row of stats, stats.csv complete; stats.json valid" \
		sweep_rows_complete "$out"
	rows=$(grep -vc '^#' "$out/stats" 2>/dev/null)
	check int_plots "SIGINT: plots of the $rows points measured (none when none)" \
		eval '[ "$rows" -eq 0 ] || [ -s "$out/plots/rx_vs_offered.png" ]' 
	check int_state "SIGINT: no state file left" eval '! grep -l "^run $SWEEP_ID " /run/mir-perf/* 2>/dev/null'
else
	sed 's/^/# /' "$out.err"
	not_run "SIGINT: mir-perf did not start" int_status int_netns int_links int_processes \
		int_rows int_plots int_state
fi

# --- a second concurrent run is refused; kill -9 then --cleanup ---
out=$tmp/k9
if sweep_start "$out" --cfg "$tmp/cfg" --sizes 64 --rates 10k,20k,30k,40k; then
	sweep_wait_for_ns "$SWEEP_ID"
	"$MP_BIN/mir-perf" --platform local --cfg "$tmp/cfg" -o "$tmp/second" >/dev/null \
		2>"$tmp/second.err"
	rc=$?
	check second_refused "second run refused with status 1 naming pid $SWEEP_PID (was $rc: $(head -1 "$tmp/second.err"))" \
		eval '[ $rc -eq 1 ] && grep -q "pid $SWEEP_PID" "$tmp/second.err"'
	sleep 2
	kids=$(sweep_children "$SWEEP_PID")
	kill -KILL "$SWEEP_PID"
	sweep_wait
	sleep 0.3
	# Another run starting now (other tests share this machine) would remove
	# these leftovers itself, as it should; so their presence is only noted.
	left=$(sweep_ns_left "$SWEEP_ID" | tr '\n' ' ')
	diag "kill -9 left: ${left:-nothing (another run cleaned up first)}"
	check k9_state "kill -9: the run's state file names what it left" \
		eval '[ -z "$left" ] || grep -lq "^run $SWEEP_ID " /run/mir-perf/*.state'
	for i in $(seq 120); do
		"$MP_BIN/mir-perf" --cleanup >"$tmp/cleanup.out" 2>&1
		rc=$?
		grep -q 'another mir-perf run is in progress' "$tmp/cleanup.out" || break
		sleep 1
	done
	check cleanup_status "--cleanup: status 0 (was $rc)" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/cleanup.out"
	check cleanup_netns "--cleanup: no namespace of run $SWEEP_ID left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
	check cleanup_processes "--cleanup: no agent or DUT process left" [ -z "$(sweep_alive $kids)" ]
	check cleanup_links "--cleanup: no new link in the root namespace" [ -z "$(links_new)" ]
else
	sed 's/^/# /' "$out.err"
	not_run "kill -9: mir-perf did not start" second_refused k9_state cleanup_status \
		cleanup_netns cleanup_processes cleanup_links
fi
