#!/usr/bin/env bash
# Local platform topology for each DUT kind: what the kernel holds while a run
# is up (checked with ip), SIGTERM tears it down, nothing is left.
ALL_TESTS="$(echo {bridge,exec}_{up,bridges,gen,ports,no_ipv6,nf_sysctls,dut_ports,root_ns,sigterm,nothing_left,agent})
	no_state_files"
. "$(dirname "$0")/../lib.sh"
require_root "the local platform's namespaces"
. "$MP_TOP/tests/lib_local.sh"
require_built "$DRIVE" "$MP_BIN/mir-trafgen"

# up_hold DUT: start a run that holds its topology; sets ID, PID, OUT
up_hold() {
	next_id
	OUT=$RUNDIR/$ID.out
	"$DRIVE" "${DRIVE_ARGS[@]}" --run-id "$ID" --dut "$1" show hold >"$OUT" 2>&1 &
	PID=$!
	on_exit "kill -9 $PID; $DRIVE --wait-lock 5s --cleanup"
	wait_for "$OUT" '^ready' "$LOCK_WAIT"
}

bridges_ok() {
	ip -n "mp-$ID" -d link show if1 | grep -q 'stp_state 0' &&
		ip -n "mp-$ID" -d link show if2 | grep -q 'stp_state 0' &&
		ip -n "mp-$ID" -d link show if1 | grep -q 'mcast_snooping 0' &&
		ip -n "mp-$ID" -d link show if1 |
		grep -q 'nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0'
}
gen_ok() {
	ip -n "mp-$ID-gen" link show eth0 | grep -q 'link/ether 02:6d:70:00:00:01' &&
		ip -n "mp-$ID-gen" link show eth1 | grep -q 'link/ether 02:6d:70:00:00:02' &&
		ip -n "mp-$ID-gen" link show eth0 | grep -q 'state UP'
}
ports_ok() {
	ip -n "mp-$ID" link show tap0 | grep -q 'master if1' &&
		ip -n "mp-$ID" link show tap1 | grep -q 'master if2' &&
		ip -n "mp-$ID" link show gen0 | grep -q 'master if1' &&
		ip -n "mp-$ID" link show gen1 | grep -q 'master if2'
}
# br_netfilter calls iptables when the bridge's option or the namespace's
# sysctl says so: both must be off (the sysctl exists when the module is loaded)
nf_sysctls_off() {
	local c
	[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || return 0
	for c in iptables ip6tables arptables; do
		[ "$(ip netns exec "mp-$ID" cat /proc/sys/net/bridge/bridge-nf-call-$c)" = 0 ] || return 1
	done
}
no_ipv6() { [ "$(ip netns exec "mp-$ID-gen" cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 1 ]; }
veth_dut_ok() {
	ip -n "mp-$ID" -d link show tap0 2>/dev/null | grep -q veth &&
		ip -n "mp-$ID-dut" link show tap0 | grep -q 'master br0' &&
		ip -n "mp-$ID-dut" link show tap1 | grep -q 'master br0'
}
tap_dut_ok() {
	ip -n "mp-$ID" -d link show tap0 | grep -q 'tun type tap' &&
		ip -n "mp-$ID" link show tap1 | grep -q 'LOWER_UP' &&
		! ip netns exec "mp-$ID-dut" true 2>/dev/null
}
agent_ok() { grep -q "^agent unix:/run/mir-perf/run-$ID/agent.sock token-bytes 64" "$OUT"; }

# check_run NAME DUT SPECIFIC_CHECK: checks NAME_up ... NAME_agent
check_run() {
	local n=$1 d=$2 specific=$3 rc
	if ! up_hold "$d"; then
		fail "${n}_up" "$d: run came up: $(tr '\n' ' ' <"$OUT")"
		return
	fi
	pass "${n}_up" "$d: run came up"
	check "${n}_bridges" "$d: bridges if1/if2, STP, snooping, br_netfilter calls off" bridges_ok
	check "${n}_gen" "$d: generator eth0/eth1 up, 02: MACs" gen_ok
	check "${n}_ports" "$d: tap0, gen0 on if1; tap1, gen1 on if2" ports_ok
	check "${n}_no_ipv6" "$d: IPv6 off in the namespaces" no_ipv6
	check "${n}_nf_sysctls" "$d: br_netfilter's sysctls off in the run's namespace" nf_sysctls_off
	check "${n}_dut_ports" "$d: DUT ports as this kind needs" "$specific"
	check "${n}_root_ns" "$d: nothing in the root namespace" [ "$(root_links)" = "$ROOT_LINKS_BEFORE" ]
	kill -TERM "$PID"
	wait "$PID"
	rc=$?
	check "${n}_sigterm" "$d: SIGTERM: torn down, exit status 143 (got $rc)" [ $rc -eq 143 ]
	check "${n}_nothing_left" "$d: nothing left" nothing_left "$ID"
	check "${n}_agent" "$d: agent listened on the run's socket with a 64-byte token" agent_ok
}

check_run bridge bridge veth_dut_ok
check_run exec "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1" tap_dut_ok
check no_state_files "no leftover state files of this script" \
	bash -c "! ls /run/mir-perf/run-t$MP_SUFFIX* 2>/dev/null"
