#!/usr/bin/env bash
# Run lifecycle of the local platform: kill -9 then cleanup leaves nothing; a
# second concurrent run is refused naming the first; SIGINT tears down.
ALL_TESTS="k9_state second_refused second_names_pid second_created_nothing k9_left_behind
	k9_cleanup_status k9_cleanup_says k9_nothing_left int_status int_nothing_left
	next_run_cleans int_waiting_status int_waiting_nothing_left
	dut_died_status dut_died_says dut_died_nothing_left"
. "$(dirname "$0")/../lib.sh"
require_root "the local platform's namespaces"
. "$MP_TOP/tests/lib_local.sh"
require_built "$DRIVE" "$MP_BIN/mir-trafgen"

# hold DUT: a run holding its topology in the background; sets ID PID OUT
hold() {
	next_id
	OUT=$RUNDIR/$ID.out
	"$DRIVE" "${DRIVE_ARGS[@]}" --run-id "$ID" --dut "$1" hold >"$OUT" 2>&1 &
	PID=$!
	on_exit "kill -9 $PID; $DRIVE --wait-lock 5s --cleanup"
	wait_for "$OUT" '^ready' "$LOCK_WAIT"
}

# 1. kill -9 leaves the topology (and processes) behind; cleanup removes all
if hold bridge; then
	first=$ID first_pid=$PID
	check k9_state "kill -9: state file lists the namespaces" \
		grep -q "^+netns mp-$ID-gen\$" "/run/mir-perf/run-$ID.state"
	# 2. a second run while the first holds the lock: refused, naming it
	out2=$("$DRIVE" --no-agent --dir "$RUNDIR" --run-id "${ID}b" --dut bridge show 2>&1)
	rc=$?
	check second_refused "second concurrent run refused with status 1 (got $rc)" [ $rc -eq 1 ]
	check second_names_pid "refusal names the first run's pid $first_pid" \
		grep -q "another run (pid $first_pid) holds /run/mir-perf/lock" <<<"$out2"
	check second_created_nothing "refused run created nothing" bash -c "! ip netns list | grep -q mp-${ID}b"
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	if ip netns exec "mp-$ID" true 2>/dev/null; then
		pass k9_left_behind "kill -9: namespaces still there before cleanup"
	elif [ ! -e "/run/mir-perf/run-$ID.state" ]; then
		pass k9_left_behind "kill -9: (another run's start already cleaned them up)"
	else
		fail k9_left_behind "kill -9: namespaces gone but the state file is still there"
	fi
	"$DRIVE" --wait-lock ${LOCK_WAIT}s --cleanup >"$RUNDIR/cleanup.out" 2>&1
	rc=$?
	check k9_cleanup_status "cleanup after kill -9: status 0 (got $rc)" [ $rc -eq 0 ]
	if grep -q "removed what 1 killed run left behind" "$RUNDIR/cleanup.out"; then
		pass k9_cleanup_says "cleanup says what it did"
	elif ! grep -q "^+netns mp-$ID" /run/mir-perf/run-*.state 2>/dev/null &&
		! ip netns exec "mp-$ID" true 2>/dev/null; then
		# the lock went free with the kill: another run waiting for it may
		# have started first, and its start removed our leftovers
		pass k9_cleanup_says "cleanup: another run's start had already removed them"
	else
		fail k9_cleanup_says "cleanup says what it did: $(cat "$RUNDIR/cleanup.out")"
	fi
	check k9_nothing_left "kill -9 then cleanup: nothing left" nothing_left "$ID"
else
	not_run "run did not come up: $(tr '\n' ' ' <"$OUT")" k9_state second_refused \
		second_names_pid second_created_nothing k9_left_behind k9_cleanup_status \
		k9_cleanup_says k9_nothing_left
fi

# 3. SIGINT: teardown from the normal path, exit 130
if hold bridge; then
	kill -INT "$PID"
	wait "$PID"
	rc=$?
	check int_status "SIGINT: exit status 130 (got $rc)" [ $rc -eq 130 ]
	check int_nothing_left "SIGINT: nothing left" nothing_left "$ID"
else
	not_run "run did not come up: $(tr '\n' ' ' <"$OUT")" int_status int_nothing_left
fi

# 4. the next run cleans a killed run's leftovers by itself
if hold bridge; then
	killed=$ID
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	next_id
	drive --run-id "$ID" --dut bridge show >/dev/null 2>&1
	check next_run_cleans "next run removed what the killed run left" nothing_left "$killed"
else
	not_run "run did not come up: $(tr '\n' ' ' <"$OUT")" next_run_cleans
fi

# 5. SIGINT while waiting for a DUT that never becomes ready: teardown, 130
next_id
out=$RUNDIR/$ID.out
nsig=$((0x$MP_SUFFIX + 400000)) # unique to this script, for pgrep
"$DRIVE" "${DRIVE_ARGS[@]}" --run-id "$ID" --dut-timeout 60s --dut "exec:sleep $nsig" show \
	>"$out" 2>&1 &
pid=$!
on_exit "kill -9 $pid; $DRIVE --wait-lock 5s --cleanup"
if wait_for "/run/mir-perf/run-$ID.state" '^+proc' "$LOCK_WAIT"; then
	sleep 0.3
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	check int_waiting_status "SIGINT while waiting for the DUT: exit 130 (got $rc)" [ $rc -eq 130 ]
	check int_waiting_nothing_left "SIGINT while waiting for the DUT: nothing left, DUT stopped" \
		bash -c "[ -z \"\$(ip netns list | grep mp-$ID)\" ] && ! pgrep -x -f 'sleep $nsig' >/dev/null"
else
	not_run "DUT never started: $(tr '\n' ' ' <"$out")" int_waiting_status int_waiting_nothing_left
fi

# 6. a DUT that dies during the run is noticed (dut_check), and torn down
next_id
out=$RUNDIR/$ID.out
"$DRIVE" "${DRIVE_ARGS[@]}" --run-id "$ID" \
	--dut "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1 --duration 2" hold \
	>"$out" 2>&1 &
pid=$!
on_exit "kill -9 $pid; $DRIVE --wait-lock 5s --cleanup"
wait_for "$out" '^ready' "$LOCK_WAIT"
wait "$pid"
rc=$?
check dut_died_status "DUT died mid-run: status 1 (got $rc)" [ $rc -eq 1 ]
check dut_died_says "DUT died mid-run: says so" grep -q "DUT exec:.* exited with status 0" "$out"
check dut_died_nothing_left "DUT died mid-run: nothing left" nothing_left "$ID"
