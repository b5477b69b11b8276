#!/usr/bin/env bash
# Run lifecycle of the local platform: kill -9 then cleanup leaves nothing; a
# second concurrent run is refused naming the first; SIGINT tears down.
. "$(dirname "$0")/../lib.sh"
. "$MP_TOP/tests/lib_local.sh"
need_root 16 "run lifecycle"
have_trafgen || DRIVE_ARGS+=(--no-agent)

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
	tap_check "kill -9: state file lists the namespaces" \
		grep -q "^+netns mp-$ID-gen\$" "/run/mir-perf/run-$ID.state"
	# 2. a second run while the first holds the lock: refused, naming it
	out2=$("$DRIVE" --no-agent --dir "$RUNDIR" --run-id "${ID}b" --dut bridge show 2>&1)
	rc=$?
	tap_check "second concurrent run refused with status 1 (got $rc)" [ $rc -eq 1 ]
	tap_check "refusal names the first run's pid $first_pid" \
		grep -q "another run (pid $first_pid) holds /run/mir-perf/lock" <<<"$out2"
	tap_check "refused run created nothing" bash -c "! ip netns list | grep -q mp-${ID}b"
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	if ip netns exec "mp-$ID" true 2>/dev/null; then
		tap_ok "kill -9: namespaces still there before cleanup"
	elif [ ! -e "/run/mir-perf/run-$ID.state" ]; then
		tap_ok "kill -9: (another run's start already cleaned them up)"
	else
		tap_fail "kill -9: namespaces gone but the state file is still there"
	fi
	"$DRIVE" --wait-lock ${LOCK_WAIT}s --cleanup >"$RUNDIR/cleanup.out" 2>&1
	rc=$?
	tap_check "cleanup after kill -9: status 0 (got $rc)" [ $rc -eq 0 ]
	if grep -q "removed what 1 killed run left behind" "$RUNDIR/cleanup.out"; then
		tap_ok "cleanup says what it did"
	elif ! grep -q "^+netns mp-$ID" /run/mir-perf/run-*.state 2>/dev/null &&
		! ip netns exec "mp-$ID" true 2>/dev/null; then
		# the lock went free with the kill: another run waiting for it may
		# have started first, and its start removed our leftovers
		tap_ok "cleanup: another run's start had already removed them"
	else
		tap_fail "cleanup says what it did: $(cat "$RUNDIR/cleanup.out")"
	fi
	tap_check "kill -9 then cleanup: nothing left" nothing_left "$ID"
else
	tap_fail "run did not come up: $(tr '\n' ' ' <"$OUT")"
	for i in $(seq 7); do tap_fail "(not up)"; done
fi

# 3. SIGINT: teardown from the normal path, exit 130
if hold bridge; then
	kill -INT "$PID"
	wait "$PID"
	rc=$?
	tap_check "SIGINT: exit status 130 (got $rc)" [ $rc -eq 130 ]
	tap_check "SIGINT: nothing left" nothing_left "$ID"
else
	tap_fail "run did not come up: $(tr '\n' ' ' <"$OUT")"
	tap_fail "(not up)"
fi

# 4. the next run cleans a killed run's leftovers by itself
if hold bridge; then
	killed=$ID
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	next_id
	drive --run-id "$ID" --dut bridge show >/dev/null 2>&1
	tap_check "next run removed what the killed run left" nothing_left "$killed"
else
	tap_fail "run did not come up: $(tr '\n' ' ' <"$OUT")"
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
	tap_check "SIGINT while waiting for the DUT: exit 130 (got $rc)" [ $rc -eq 130 ]
	tap_check "SIGINT while waiting for the DUT: nothing left, DUT stopped" \
		bash -c "[ -z \"\$(ip netns list | grep mp-$ID)\" ] && ! pgrep -x -f 'sleep $nsig' >/dev/null"
else
	tap_fail "DUT never started: $(tr '\n' ' ' <"$out")"
	tap_fail "(not started)"
fi

# 6. a DUT that dies during the run is noticed (dut_check), and torn down
if have_trafgen; then
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
	tap_check "DUT died mid-run: status 1 (got $rc)" [ $rc -eq 1 ]
	tap_check "DUT died mid-run: says so" grep -q "DUT exec:.* exited with status 0" "$out"
	tap_check "DUT died mid-run: nothing left" nothing_left "$ID"
else
	for i in 1 2 3; do tap_skip "mir-trafgen not built"; done
fi
