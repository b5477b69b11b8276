#!/usr/bin/env bash
# Bad DUTs and sizes on the local platform: a clear error, full teardown,
# status 1, and nothing left (no namespace, link, process or state file).
ALL_TESTS="$(echo {missing,not_in_path,exits,never_ready,ignores_term,mtu,unknown_dut}_{status,why,left})
	never_ready_stopped ignores_term_group_killed"
. "$(dirname "$0")/../lib.sh"
require_root "the local platform's namespaces"
. "$MP_TOP/tests/lib_local.sh"
require_built "$DRIVE"
DRIVE_ARGS+=(--no-agent --dut-timeout 2s)

# expect_fail NAME WHAT PATTERN DRIVE-ARGS...: checks NAME_status, NAME_why, NAME_left
expect_fail() {
	local name=$1 what=$2 pattern=$3 out rc
	shift 3
	next_id
	out=$(drive --run-id "$ID" "$@" 2>&1)
	rc=$?
	check "${name}_status" "$what: status 1 (got $rc)" [ $rc -eq 1 ]
	if grep -qE -- "$pattern" <<<"$out"; then
		pass "${name}_why" "$what: says why"
	else
		fail "${name}_why" "$what: says why: expected /$pattern/, got: $out"
	fi
	check "${name}_left" "$what: nothing left" nothing_left "$ID"
}

expect_fail missing "exec: missing program" \
	"dut exec:/nonexistent/netif-forward: No such file or directory" \
	--dut "exec:/nonexistent/netif-forward --x" show
expect_fail not_in_path "exec: program not in PATH" "dut exec:mp-no-such-cmd: command not found" \
	--dut "exec:mp-no-such-cmd" show
expect_fail exits "exec: exits at once" "the DUT exited with status 3: \"tap0 busy\"" \
	--dut "exec:sh -c 'echo tap0 busy >&2; exit 3'" show
# durations unique to this script, so that pgrep finds only our processes
n0=$((0x$MP_SUFFIX + 300000))
expect_fail never_ready "exec: never ready" \
	"DUT exec:sleep $n0 not ready within 2 s: tap0 has no carrier \(no program attached to it\)" \
	--dut "exec:sleep $n0" show
check never_ready_stopped "exec: never-ready DUT process stopped" bash -c "! pgrep -x -f 'sleep $n0' >/dev/null"

# A DUT that ignores SIGTERM, with a child in its group: killed at the end.
n1=$((0x$MP_SUFFIX + 100000)) n2=$((0x$MP_SUFFIX + 200000))
expect_fail ignores_term "exec: ignores SIGTERM" "not ready within 2 s" \
	--dut "exec:sh -c 'trap \"\" TERM; sleep $n1 & sleep $n2'" show
check ignores_term_group_killed "exec: whole process group killed" \
	bash -c "! pgrep -x -f 'sleep $n1' >/dev/null && ! pgrep -x -f 'sleep $n2' >/dev/null"

expect_fail mtu "size beyond the settable MTU" \
	"cannot carry 65600 B frames \(MTU 65582\): link [a-z0-9]+ in namespace mp-t$MP_SUFFIX[0-9]+(-gen|-dut)? allows MTU 68\.\.65535" \
	--dut bridge size=9018 size=65600 show
expect_fail unknown_dut "unknown DUT" "dut 'bridgex': expected fwd, tap-fwd, bridge or exec:COMMAND" \
	--dut bridgex show
