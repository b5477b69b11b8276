#!/usr/bin/env bash
# The sink's AF_XDP receive path (mir-trafgen rx --io xdp, trafgen/xsk_rx.c)
# on a two-queue veth pair between namespaces of this test: every frame of a
# count-limited run counted, per stream and lane, with plausible latency
# from the sink's own XDP program; both queues read (two sending threads);
# the program gone once the sink ends, even killed; --io xdp refused on a
# device without native XDP; auto keeps the ring (rx.h: AF_XDP did not win);
# the agent's sink takes the same choice and reports it.
ALL_TESTS="xdp_exact xdp_latency xdp_stamped xdp_two_queues xdp_detached xdp_killed
	xdp_refused auto_ring auto_no_xdp agent_xdp bad_io"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/trafgen_common.bash"
TG=$MP_BIN/mir-trafgen
require_root "AF_XDP sink in test namespaces"
require_built "$TG"

G=mp-t$MP_SUFFIX-g K=mp-t$MP_SUFFIX-k
TMP=$(mktemp -d) && on_exit "rm -rf $TMP"
for ns in $G $K; do
	mk_netns $ns
	# No IPv6 chatter: every frame on these links is one the test sent.
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
# Two queues each way, as the harness makes them for two sending threads.
ip link add mp-t$MP_SUFFIX-v numtxqueues 2 numrxqueues 2 type veth peer name mp-t$MP_SUFFIX-w \
	numtxqueues 2 numrxqueues 2 &&
	ip link set mp-t$MP_SUFFIX-v netns $G name a0 && ip link set mp-t$MP_SUFFIX-w netns $K name k0 &&
	ip -n $G link set a0 address 02:6d:70:00:00:01 && ip -n $K link set k0 address 02:6d:70:00:00:02 &&
	ip -n $G link set a0 up && ip -n $K link set k0 up || fail_rest "cannot make the veth pair"

xdp_on() { ip -n $K link show k0 | grep -q ' xdp'; }

# 1..3: one thread, 20000 frames at 10 kpps (room for a sink held off the CPU on a loaded machine), stream 3.
start_bg $K $TMP/rx1 $TMP/rx1.err "$TG" rx --dev k0 --io xdp --duration 30 --json -v
rx1=$bg
wait_ready $TMP/rx1.err
ip netns exec $G "$TG" tx --dev a0 --size 64 --count 20000 --rate 10k --stream 3 --json >$TMP/tx1
settle $K k0
stop_bg $rx1
rc=$?
diag "rx --io xdp: $(json_val $TMP/rx1 received) received, $(json_val $TMP/rx1 lost) lost; latency min $(json_val $TMP/rx1 lat_min_ns) p50 $(json_val $TMP/rx1 lat_p50_ns) p99 $(json_val $TMP/rx1 lat_p99_ns) max $(json_val $TMP/rx1 lat_max_ns) ns; load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $rc -eq 0 ] && [ "$(json_val $TMP/rx1 backend)" = af_xdp ] &&
	[ "$(json_val $TMP/rx1 backend_requested)" = af_xdp ] && [ "$(json_val $TMP/tx1 sent)" = 20000 ] &&
	[ "$(json_val $TMP/rx1 received)" = 20000 ] && [ "$(json_val $TMP/rx1 lost)" = 0 ] &&
	[ "$(json_val $TMP/rx1 reordered)" = 0 ] && [ "$(json_val $TMP/rx1 duplicated)" = 0 ] &&
	grep -A3 '"stream": 3,' $TMP/rx1 | grep -q '"received": 20000'; then
	pass xdp_exact "rx --io xdp, tx --count 20000: backend af_xdp, stream 3 received 20000, 0 lost, 0 reordered, 0 duplicated"
else
	fail xdp_exact "rx --io xdp, tx --count 20000: backend af_xdp, stream 3 received 20000, 0 lost, 0 reordered, 0 duplicated"
	sed 's/^/# /' $TMP/tx1 $TMP/rx1 $TMP/rx1.err
fi
if awk -v a="$(json_val $TMP/rx1 lat_min_ns)" -v b="$(json_val $TMP/rx1 lat_p50_ns)" \
	-v c="$(json_val $TMP/rx1 lat_p99_ns)" -v e="$(json_val $TMP/rx1 lat_max_ns)" \
	'BEGIN { exit !(a > 0 && a <= b && b <= c && c <= e && e < 1e9) }'; then
	pass xdp_latency "latency present and plausible: 0 < min <= p50 <= p99 <= max < 1 s"
else
	fail xdp_latency "latency present and plausible: 0 < min <= p50 <= p99 <= max < 1 s"
	grep lat_ $TMP/rx1 | sed 's/^/# /'
fi
# The sink's own program loads on this kernel (each frame's arrival time,
# not the batch's): said by -v.
check xdp_stamped "the sink's XDP program stamps arrival times here (-v: 'native, copy, stamped, 2 queues')" \
	grep -q 'AF_XDP (native, copy, stamped), 2 queues' $TMP/rx1.err || sed 's/^/# /' $TMP/rx1.err

# 4: two sending threads, one queue each (AF_XDP on the generator too): the
# sink reads both queues; each lane's sequence and FIN are counted.
start_bg $K $TMP/rx2 $TMP/rx2.err "$TG" rx --dev k0 --io xdp --stream 9 --duration 30 --json -v
rx2=$bg
wait_ready $TMP/rx2.err
ip netns exec $G "$TG" tx --dev a0 --size 128 --count 20001 --rate 10k --threads 2 --stream 9 \
	--json >$TMP/tx2
settle $K k0
stop_bg $rx2
if [ "$(json_val $TMP/tx2 sent)" = 20001 ] && [ "$(json_val $TMP/tx2 backend)" = af_xdp ] &&
	[ "$(json_val $TMP/rx2 received)" = 20001 ] && [ "$(json_val $TMP/rx2 lost)" = 0 ] &&
	[ "$(json_val $TMP/rx2 reordered)" = 0 ] && [ "$(json_val $TMP/rx2 duplicated)" = 0 ] &&
	grep -q '"fin_total": 20001' $TMP/rx2; then
	pass xdp_two_queues "tx --threads 2 (a queue each) into rx --io xdp: 20001 received, 0 lost, 0 duplicated, both lanes' FIN (20001)"
else
	fail xdp_two_queues "tx --threads 2 (a queue each) into rx --io xdp: 20001 received, 0 lost, 0 duplicated, both lanes' FIN (20001)"
	sed 's/^/# /' $TMP/tx2 $TMP/rx2 $TMP/rx2.err
fi

# 5..6: nothing stays on the device: after the sink ends, and after it is
# killed (the program hangs on a BPF link the kernel drops with the process).
if ! xdp_on; then
	pass xdp_detached "no XDP program on the sink's veth once rx --io xdp has ended"
else
	fail xdp_detached "no XDP program on the sink's veth once rx --io xdp has ended"
	ip -n $K link show k0 | sed 's/^/# /'
fi
start_bg $K $TMP/rx3 $TMP/rx3.err "$TG" rx --dev k0 --io xdp -v
rx3=$bg
wait_ready $TMP/rx3.err
xdp_on && was=on || was=off
kill -KILL $rx3
wait $rx3 2>/dev/null
sleep 0.2
if [ $was = on ] && ! xdp_on; then
	pass xdp_killed "rx --io xdp killed with SIGKILL: its program was on the veth, and is gone"
else
	fail xdp_killed "rx --io xdp killed with SIGKILL: its program was on the veth ($was), and is gone"
	ip -n $K link show k0 | sed 's/^/# /'
fi

# 7: a device without native XDP (a bridge): --io xdp is one error line naming it.
ip -n $K link add xk0 type bridge && ip -n $K link set xk0 up
out=$(ip netns exec $K "$TG" rx --dev xk0 --io xdp --duration 300ms 2>&1 >/dev/null)
rc=$?
if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ $out == *"--io xdp"*"'xk0'"* ]]; then
	pass xdp_refused "rx --io xdp on a bridge: status 1, one line ('$out')"
else
	fail xdp_refused "rx --io xdp on a bridge: status 1, one line (status $rc, '$out')"
fi

# 8..9: auto (the default) keeps the ring, where XDP would attach and where it
# would not.
start_bg $K $TMP/rx4 $TMP/rx4.err "$TG" rx --dev k0 --duration 30 --json -v
rx4=$bg
wait_ready $TMP/rx4.err
ip netns exec $G "$TG" tx --dev a0 --size 64 --count 10000 --rate 10k --threads 2 --json >$TMP/tx4
settle $K k0
stop_bg $rx4
if [ "$(json_val $TMP/rx4 backend)" = af_packet ] && ! grep -q backend_requested $TMP/rx4 &&
	[ "$(json_val $TMP/rx4 received)" = 10000 ] && [ "$(json_val $TMP/rx4 lost)" = 0 ]; then
	pass auto_ring "rx without --io on the 2-queue veth: the ring (af_packet), 10000 of 10000"
else
	fail auto_ring "rx without --io on the 2-queue veth: the ring (af_packet), 10000 of 10000"
	sed 's/^/# /' $TMP/rx4 $TMP/rx4.err
fi
ip netns exec $K "$TG" rx --dev xk0 --io auto --duration 300ms --json >$TMP/rx5 2>$TMP/rx5.err
rc=$?
if [ $rc -eq 0 ] && [ "$(json_val $TMP/rx5 backend)" = af_packet ] && [ ! -s $TMP/rx5.err ]; then
	pass auto_no_xdp "rx --io auto on a bridge: the ring, quietly, status 0"
else
	fail auto_no_xdp "rx --io auto on a bridge: the ring, quietly, status 0 (status $rc)"
	sed 's/^/# /' $TMP/rx5 $TMP/rx5.err
fi
ip -n $K link del xk0

# 10: the agent's sink, asked for AF_XDP through the client library (ctl,
# like the harness), receives with it and says so in its report.
printf 'tok-%s-%s\n' "$MP_SUFFIX" "$RANDOM$RANDOM" >$TMP/token
chmod 600 $TMP/token
SOCK=$TMP/agent.sock
CTL=("$TG" ctl --connect unix:$SOCK --token-file $TMP/token --timeout 5s)
ip netns exec $K "$TG" agent --listen unix:$SOCK --token-file $TMP/token -v >$TMP/agent.out 2>$TMP/agent.err &
agent=$!
on_exit "kill $agent"
wait_ready $TMP/agent.err
"${CTL[@]}" rx-start --dev k0 --io xdp --stream 4
rc=$?
ip netns exec $G "$TG" tx --dev a0 --size 64 --count 10000 --rate 10k --stream 4 --json >$TMP/tx6
settle $K k0
"${CTL[@]}" rx-stop >$TMP/rxstop
if [ $rc -eq 0 ] && [ "$(json_val $TMP/rxstop rx_backend)" = af_xdp ] &&
	[ "$(json_val $TMP/rxstop rx_received)" = 10000 ] && [ "$(json_val $TMP/rxstop rx_lost)" = 0 ]; then
	pass agent_xdp "agent sink with --io xdp: rx_backend af_xdp, 10000 received, 0 lost"
else
	fail agent_xdp "agent sink with --io xdp: rx_backend af_xdp, 10000 received, 0 lost (start status $rc)"
	sed 's/^/# /' $TMP/rxstop $TMP/agent.err
fi
kill $agent 2>/dev/null
wait $agent 2>/dev/null

# 11: a wrong --io is a usage error, nothing started.
out=$(ip netns exec $K "$TG" rx --dev k0 --io af_xdp 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *"--io"*"auto, xdp or ring"*"af_xdp"* ]]; then
	pass bad_io "rx --io af_xdp: status 2, '$out'"
else
	fail bad_io "rx --io af_xdp: status 2 (status $rc, '$out')"
fi
