# Shared by tests/integration/local_*.sh (source after tests/lib.sh): the
# local platform driven through tests/tools/platform_drive, and checks that
# nothing is left behind. Run ids are t<suffix><n>, so every namespace is
# mp-t<suffix>...
: "${MP_BUILD:=$MP_TOP/build}"
DRIVE=$MP_BUILD/tests/platform_drive
RUNDIR=$(mktemp -d /tmp/mp-t"$MP_SUFFIX"-XXXXXX)
on_exit "rm -rf $RUNDIR"
_run_n=0

# next_id: a fresh run id for this script, in $ID
next_id() { _run_n=$((_run_n + 1)); ID=t$MP_SUFFIX$_run_n; }

# Other runs on the machine (a sweep test, a user's run) may hold the run lock
# for minutes: every run here waits up to LOCK_WAIT seconds for it. Call
# "$DRIVE" "${DRIVE_ARGS[@]}" ... directly for a background run, so that $!
# is the driver itself.
LOCK_WAIT=600
DRIVE_ARGS=(--wait-lock ${LOCK_WAIT}s --bindir "$MP_BIN" --dir "$RUNDIR")
drive() { "$DRIVE" "${DRIVE_ARGS[@]}" "$@"; }

# Names the local platform makes, which must never stay (or appear) in the
# root namespace; dev<N> is what the kernel names a device pushed back to it.
root_links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' |
	grep -E '^(if1|if2|tap0|tap1|gen0|gen1|br0|dev[0-9]+)$' | sort; }
ROOT_LINKS_BEFORE=$(root_links)

# left_behind ID: prints anything of run ID still there (empty = clean)
left_behind() {
	ip netns list | awk '{print $1}' | grep -E "^mp-$1(-|\$)"
	[ "$(root_links)" = "$ROOT_LINKS_BEFORE" ] || echo "root links: $(root_links | tr '\n' ' ')"
	ls /run/mir-perf/run-"$1".state /run/mir-perf/run-"$1" 2>/dev/null
	pgrep -f -- "run-$1/agent" >/dev/null && echo "agent of $1 still running"
	return 0
}
nothing_left() { local l; l=$(left_behind "$1"); [ -z "$l" ] || { diag "left: $l"; return 1; }; }

# wait_for FILE PATTERN SECONDS: until FILE holds a line matching PATTERN
wait_for() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
