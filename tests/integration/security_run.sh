#!/usr/bin/env bash
# What runs as whom (issue 13, rows 3 and 10): an exec: DUT runs as the user
# who ran sudo (as nobody without sudo), on TAPs given to that user, and can
# neither read the agent's token, nor write where root may, nor signal the
# harness; --dut-as-root keeps root. Stale cleanup signals a recorded process
# only while its pid AND start time match: a reused pid is never killed.
# mp-timeout: 1200
ALL_TESTS="dut_run_done dut_as_nobody dut_no_token dut_no_write_signal dut_nothing_outside
	dut_as_sudo_uid dut_as_root cleanup_done cleanup_reused_pid_spared cleanup_own_stopped
	cleanup_state_removed victim_untouched"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/security_common.bash"
require_root "mir-perf runs as root"
TG=$MP_BIN/mir-trafgen

cfg=$SANDBOX/cfg && short_cfg "$cfg"
# The hostile DUT: says who it is, tries the token, a write into the
# sandbox and a signal to mir-perf, then forwards like a real one.
{
	echo '#!/bin/sh'
	echo 'echo "dut-uid=$(id -u)" >&2'
	echo 'if cat /run/mir-perf/run-*/agent.token >/dev/null 2>&1; then echo dut-token=read >&2; else echo dut-token=denied >&2; fi'
	echo "if touch '$SANDBOX/dut-wrote' 2>/dev/null; then echo dut-write=done >&2; else echo dut-write=denied >&2; fi"
	echo 'if kill -0 $PPID 2>/dev/null; then echo dut-signal=allowed >&2; else echo dut-signal=denied >&2; fi'
	echo "exec '$TG' fwd --tap --in tap0 --out tap1"
} >"$SANDBOX/dut"
chmod 755 "$SANDBOX/dut"
TUN_MODE=$(stat -c %a:%U /dev/net/tun)

# run_dut OUT [ENV...] [-- ARGS...]: one run of the hostile DUT into OUT,
# with env(1) arguments ENV and mir-perf arguments ARGS; waits past a lock
# held by another run.
run_dut() {
	local out=$1 envs=() args=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ $# -gt 0 ] && shift && args=("$@")
	for ((i = 0; i < 600; i++)); do
		env "${envs[@]}" "$MP" --cfg "$cfg" --dut "exec:$SANDBOX/dut" "${args[@]}" -o "$out" \
			>"$MPOUT" 2>&1
		MP_RC=$?
		grep -q 'another mir-perf run is in progress' "$MPOUT" || return 0
		sleep 1
	done
}

# 1..5: no SUDO_UID: the DUT runs as nobody
out=$SANDBOX/run-nobody
before=$(snap "$out")
run_dut "$out" -u SUDO_UID -u SUDO_GID
log=$(cat "$out/dut.log" 2>/dev/null)
check dut_run_done "run with a hostile exec: DUT done (status $MP_RC)" eval '[ $MP_RC -eq 0 ] && [ -s "$out/stats.json" ]'
check dut_as_nobody "the DUT ran as nobody ($(grep -o 'dut-uid=[0-9]*' <<<"$log"))" grep -q "dut-uid=$NOBODY\$" <<<"$log"
check dut_no_token "the DUT could not read the agent's token" grep -q "dut-token=denied" <<<"$log"
check dut_no_write_signal "the DUT could not write into the sandbox or signal mir-perf" eval \
	'grep -q dut-write=denied <<<"$log" && grep -q dut-signal=denied <<<"$log" && [ ! -e "$SANDBOX/dut-wrote" ]'
check dut_nothing_outside "nothing written outside the run directory; /dev/net/tun untouched" eval \
	'untouched "$before" "$out" && [ "$(stat -c %a:%U /dev/net/tun)" = "$TUN_MODE" ]'
[ $MP_RC -eq 0 ] || sed 's/^/#   /' "$MPOUT" | tail -5

# 6: under sudo: as the invoking user (uid nobody here, its own -o directory)
out=$SANDBOX/run-sudo && mkdir "$out" && chown "$NOBODY:$NOGROUP" "$out"
run_dut "$out" SUDO_UID=$NOBODY SUDO_GID=$NOGROUP
check dut_as_sudo_uid "under sudo the DUT runs as SUDO_UID ($(grep -o 'dut-uid=[0-9]*' "$out/dut.log" 2>/dev/null))" \
	eval '[ $MP_RC -eq 0 ] && grep -q "dut-uid=$NOBODY\$" "$out/dut.log"'

# 7: --dut-as-root, documented for the DUT that needs it
out=$SANDBOX/run-root
run_dut "$out" -u SUDO_UID -- --dut-as-root
check dut_as_root "--dut-as-root: the DUT runs as root" eval '[ $MP_RC -eq 0 ] && grep -q "dut-uid=0\$" "$out/dut.log"'
rm -f "$SANDBOX/dut-wrote" # root may write: that is what --dut-as-root means

# 8..12: stale cleanup and pid reuse. A state file of a killed run records
# two processes: one whose pid now leads an unrelated job's process group
# (start time differs; the job has a member started since, which the old
# cleanup killed by group id), one that still is the run's (pid and start
# time match).
start_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }
id=t${MP_SUFFIX}5ec
state=/run/mir-perf/run-$id.state
on_exit "rm -f $state"
# plant: the two jobs and the state file recording them
plant() {
	setsid bash -c 'sleep 0.5; sleep 300 & wait' &
	other=$!
	setsid sleep 300 &
	ours=$!
	on_exit "kill -KILL -- -$other $ours"
	sleep 1
	member=$(ps -o pid= --ppid "$other" | tr -d ' ' | head -1)
	mkdir -p -m 700 /run/mir-perf
	{
		echo "mir-perf-state 1"
		echo "run $id 1 1" # its owner (pid 1 with another start time) is gone
		echo "platform local"
		echo "+proc $other $(($(start_of "$other") + 7))"
		echo "+proc $ours $(start_of "$ours")"
	} >"$state.tmp" && chmod 600 "$state.tmp" && mv "$state.tmp" "$state"
}
plant
for ((i = 0; i < 600; i++)); do
	"$MP" --cleanup >"$MPOUT" 2>&1
	rc=$?
	grep -q 'another mir-perf run is in progress' "$MPOUT" || break
	# Another run's cleanup (any mir-perf on this machine cleans stale state
	# files) may have taken the planted file while we waited for the lock:
	# then this case is not judged on it; plant it again, with fresh jobs.
	if [ ! -e "$state" ]; then
		kill -KILL -- -"$other" "$ours" 2>/dev/null
		plant
	fi
	sleep 1
done
sleep 0.5
check cleanup_done "--cleanup done (status $rc)" [ "$rc" -eq 0 ]
check cleanup_reused_pid_spared "the job whose pid was reused (start time differs) is not killed, nor its member ${member:-none}" \
	eval 'kill -0 "$other" && [ -n "$member" ] && kill -0 "$member"'
check cleanup_own_stopped "the run's own process (pid and start time match) is stopped" eval \
	'! kill -0 '"$ours"' 2>/dev/null || [ "$(ps -o stat= -p '"$ours"')" = Z ]'
check cleanup_state_removed "the state file is removed" test ! -e "$state"
check victim_untouched "the victim file is untouched" victim_ok
