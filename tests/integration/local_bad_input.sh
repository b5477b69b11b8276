#!/usr/bin/env bash
# Bad DUTs and sizes on the local platform: a clear error, full teardown,
# status 1, and nothing left (no namespace, link, process or state file).
. "$(dirname "$0")/../lib.sh"
. "$MP_TOP/tests/lib_local.sh"
need_root 23 "bad input"
DRIVE_ARGS+=(--no-agent --dut-timeout 2s)

# expect_fail WHAT PATTERN DRIVE-ARGS...: 3 tests
expect_fail() {
	local what=$1 pattern=$2 out rc
	shift 2
	next_id
	out=$(drive --run-id "$ID" "$@" 2>&1)
	rc=$?
	tap_check "$what: status 1 (got $rc)" [ $rc -eq 1 ]
	if grep -qE -- "$pattern" <<<"$out"; then
		tap_ok "$what: says why"
	else
		tap_fail "$what: says why: expected /$pattern/, got: $out"
	fi
	tap_check "$what: nothing left" nothing_left "$ID"
}

expect_fail "exec: missing program" \
	"dut exec:/nonexistent/netif-forward: No such file or directory" \
	--dut "exec:/nonexistent/netif-forward --x" show
expect_fail "exec: program not in PATH" "dut exec:mp-no-such-cmd: command not found" \
	--dut "exec:mp-no-such-cmd" show
expect_fail "exec: exits at once" "the DUT exited with status 3: \"tap0 busy\"" \
	--dut "exec:sh -c 'echo tap0 busy >&2; exit 3'" show
# durations unique to this script, so that pgrep finds only our processes
n0=$((0x$MP_SUFFIX + 300000))
expect_fail "exec: never ready" \
	"DUT exec:sleep $n0 not ready within 2 s: tap0 has no carrier \(no program attached to it\)" \
	--dut "exec:sleep $n0" show
tap_check "exec: never-ready DUT process stopped" bash -c "! pgrep -x -f 'sleep $n0' >/dev/null"

# A DUT that ignores SIGTERM, with a child in its group: killed at the end.
n1=$((0x$MP_SUFFIX + 100000)) n2=$((0x$MP_SUFFIX + 200000))
expect_fail "exec: ignores SIGTERM" "not ready within 2 s" \
	--dut "exec:sh -c 'trap \"\" TERM; sleep $n1 & sleep $n2'" show
tap_check "exec: whole process group killed" \
	bash -c "! pgrep -x -f 'sleep $n1' >/dev/null && ! pgrep -x -f 'sleep $n2' >/dev/null"

expect_fail "size beyond the settable MTU" \
	"cannot carry 65600 B frames \(MTU 65582\): link [a-z0-9]+ in namespace mp-t$MP_SUFFIX[0-9]+(-gen|-dut)? allows MTU 68\.\.65535" \
	--dut bridge size=9018 size=65600 show
expect_fail "unknown DUT" "dut 'bridgex': expected fwd, tap-fwd, bridge or exec:COMMAND" \
	--dut bridgex show
