#!/usr/bin/env bash
# make bench-sweep: with --dut bridge at 64 B, the highest loss-free rate
# mir-perf reports next to what netsniff-ng's trafgen pushes through the same
# topology (measured in this run, before and after mir-perf), and the CPU the
# harness itself (mir-perf: monitor thread and agent control; not the agent,
# the DUT or gnuplot) uses during the sweep. Figures, not a pass/fail test.
#
# The trafgen topology mirrors the local platform's (harness/platform/local/local_topo.h):
#   gen ns: eth0 -veth- gen0 [if1] tap0 -veth- tap0 [br0] tap1 -veth- tap1 [if2] gen1 -veth- eth1
# three bridges, STP and br_netfilter calls off, IPv6 off.
# The local platform gives the bridge DUT's receive processing a core of its
# own (RPS on the DUT's veths, the generator pinned to the other cores):
# without it the bridge forwards in the sender's softirq and slows the sender
# instead of dropping, and every rate is the generator's. trafgen is measured
# both ways in the same run: without RPS (what the bridge path carries when
# the sender pays for it) and with it (where the bridge, on its own core,
# starts losing frames).
# The script runs at nice BENCH_NICE (default -15; 0 to keep the caller's) so
# that on a shared machine the other jobs' CPU hogs do not decide the
# figures: trafgen and mir-perf alike.
# tools/bench-sweep.sh --trafgen-only: only the trafgen figures.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# tests/lib.sh (namespaces, cleanup) wants a plan: one line, "the figures".
ALL_TESTS=figures
. "$top/tests/lib.sh"
: "${MP_BIN:=$top/bin}"
: "${BENCH_TRAFGEN_S:=8}" # seconds per trafgen measurement (the first 2 are skipped)

if [ "$(id -u)" -ne 0 ]; then
	echo "bench-sweep: needs root (network namespaces); run 'sudo make bench-sweep'" >&2
	exit 1
fi
for t in trafgen python3; do
	command -v $t >/dev/null || { echo "bench-sweep: $t is missing (make deps)" >&2; exit 1; }
done

[ "${BENCH_NICE:--15}" = 0 ] || renice -n "${BENCH_NICE:--15}" -p $$ >/dev/null
NCPU=$(nproc)
DUT_CPU=$((NCPU - 1))

S=mp-t$MP_SUFFIX
G=$S-g H=$S-h D=$S-d
ETH0_MAC=02:00:00:7e:00:01 ETH1_MAC=02:00:00:7e:00:02

topo_up() {
	local ns br
	for ns in $G $H $D; do
		mk_netns $ns || return 1
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	for br in "$H if1" "$H if2" "$D br0"; do
		set -- $br
		ip -n $1 link add $2 type bridge stp_state 0 nf_call_iptables 0 \
			nf_call_ip6tables 0 nf_call_arptables 0 || return 1
	done
	ip -n $G link add eth0 address $ETH0_MAC type veth peer name gen0 netns $H &&
	ip -n $G link add eth1 address $ETH1_MAC type veth peer name gen1 netns $H &&
	ip -n $H link add tap0 type veth peer name tap0 netns $D &&
	ip -n $H link add tap1 type veth peer name tap1 netns $D || return 1
	ip -n $H link set gen0 master if1 && ip -n $H link set tap0 master if1 &&
	ip -n $H link set gen1 master if2 && ip -n $H link set tap1 master if2 &&
	ip -n $D link set tap0 master br0 && ip -n $D link set tap1 master br0 || return 1
	for l in "$G eth0" "$G eth1" "$H gen0" "$H gen1" "$H tap0" "$H tap1" "$H if1" \
		"$H if2" "$D tap0" "$D tap1" "$D br0"; do
		set -- $l
		ip -n $1 link set $2 up || return 1
	done
}

topo_down() { local ns; for ns in $D $H $G; do ip netns del $ns 2>/dev/null; done; }
on_exit topo_down

rx_packets() { ip netns exec $G cat /sys/class/net/eth1/statistics/rx_packets; }
tx_packets() { ip netns exec $G cat /sys/class/net/eth0/statistics/tx_packets; }

# One 64-byte frame (60 without FCS): eth0 -> eth1, UDP 198.18.0.1 -> 198.19.0.1.
trafgen_cfg() {
	cat <<-EOF
	{
	  0x${ETH1_MAC//:/, 0x},
	  0x${ETH0_MAC//:/, 0x},
	  0x08, 0x00,
	  0x45, 0x00, const16(46), const16(1), 0x40, 0x00, 64, 17, csumip(14, 33),
	  198, 18, 0, 1,  198, 19, 0, 1,
	  const16(9), const16(9), const16(26), const16(0),
	  fill(0x00, 18)
	}
	EOF
}

# rps_mask CPU: the hex cpumask of one CPU, 32-bit words comma-separated.
rps_mask() { python3 -c "m = '%x' % (1 << $1); m = m.rjust((len(m) + 7) // 8 * 8, '0'); print(','.join(m[i:i + 8] for i in range(0, len(m), 8)).lstrip('0,') or '0')"; }

# trafgen_measure [rps]: trafgen at full speed on CPU 0; with rps, the DUT's
# veths steer their receive processing to the last CPU (as the local platform
# does for the bridge DUT); prints "sink_pps sent_pps".
trafgen_measure() {
	local cfg=$tmp/trafgen.cfg pid r0 r1 t0 t1 s0 s1 span=$((BENCH_TRAFGEN_S - 3)) p
	trafgen_cfg >"$cfg"
	topo_up || { echo "bench-sweep: cannot build the trafgen topology" >&2; return 1; }
	if [ "${1:-}" = rps ]; then
		for p in tap0 tap1; do
			ip netns exec $D sh -c "echo $(rps_mask $DUT_CPU) >/sys/class/net/$p/queues/rx-0/rps_cpus" ||
				{ echo "bench-sweep: cannot set RPS on $p" >&2; return 1; }
		done
	fi
	ip netns exec $G taskset -c 0 trafgen -o eth0 -i "$cfg" -P 1 -C >/dev/null 2>"$tmp/trafgen.err" &
	pid=$!
	sleep 2
	r0=$(rx_packets) s0=$(tx_packets) t0=$(date +%s.%N)
	sleep $span
	r1=$(rx_packets) s1=$(tx_packets) t1=$(date +%s.%N)
	# trafgen's workers are forked children that only stop on their own signal.
	kill -INT $(pgrep -P $pid) $pid 2>/dev/null
	wait $pid 2>/dev/null
	topo_down
	awk -v r0=$r0 -v r1=$r1 -v s0=$s0 -v s1=$s1 -v t0=$t0 -v t1=$t1 \
		'BEGIN { printf "%.0f %.0f\n", (r1 - r0) / (t1 - t0), (s1 - s0) / (t1 - t0) }'
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

tmp=$(mktemp -d /tmp/mp-t-bench-sweep-XXXXXX)
on_exit "rm -rf $tmp"
echo "bench-sweep: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "bench-sweep: load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "bench-sweep: at nice $(ps -o ni= -p $$ | tr -d ' '); netsniff-ng trafgen through the bridge path (${BENCH_TRAFGEN_S}s)..."
read -r tg1_rx tg1_tx < <(trafgen_measure) || exit 1
[ $NCPU -ge 2 ] && { read -r tgr_rx tgr_tx < <(trafgen_measure rps) || exit 1; }
if [ "${1:-}" = --trafgen-only ]; then
	echo "netsniff-ng trafgen -P 1, 64 B: received at eth1 $tg1_rx pps, sent $tg1_tx pps"
	[ $NCPU -ge 2 ] && echo "  the bridge on CPU $DUT_CPU (RPS): received $tgr_rx pps, sent $tgr_tx pps"
	pass figures "bench-sweep printed its trafgen figures"
	exit 0
fi

# mir-perf: a ladder of rates from 40 % to 300 % of what trafgen (one CPU)
# got through, and max: mir-perf sends with every core the sink leaves (the
# bridge needs none of its own) and AF_XDP, so it can go past trafgen's rate
# to where the bridge loses frames, its knee.
rates=$(awk -v t=$tg1_rx 'BEGIN { for (f = 0.40; f < 3.001; f += 0.20) printf "%s%d", (n++ ? "," : ""), t * f; print ",max" }')
mkdir -p "$tmp/cfg"
printf 'duration = 2\nwarmup = 1\nsettle = 1\ninterval = 100ms\n' >"$tmp/cfg/mir-perf.conf"
echo 64 >"$tmp/cfg/range-psz"
echo 10k >"$tmp/cfg/range-pps"
echo "bench-sweep: mir-perf --dut bridge --sizes 64 --rates $rates"
# Another run (other tests on this machine) may hold the lock: wait for it.
for i in $(seq 300); do
	"$MP_BIN/mir-perf" --platform local --cfg "$tmp/cfg" -o "$tmp/run" --dut bridge --sizes 64 \
		--rates "$rates" 2>"$tmp/run.err" >/dev/null &
	pid=$!
	on_exit "kill -INT $pid"
	while kill -0 $pid 2>/dev/null && ! grep -q '^mir-perf: run ' "$tmp/run.err"; do
		sleep 0.05
	done
	grep -q 'another mir-perf run is in progress' "$tmp/run.err" || break
	wait $pid
	sleep 1
done
c0= c1= w0= w1=
while kill -0 $pid 2>/dev/null; do
	if [ -z "$c0" ] && grep -q '^point 1/' "$tmp/run.err"; then
		c0=$(cpu_ticks $pid) w0=$(date +%s.%N)
	fi
	if [ -n "$c0" ] && ! grep -q '^[0-9]* points in\|^interrupted\|^stopped' "$tmp/run.err"; then
		c=$(cpu_ticks $pid) && [ -n "$c" ] && c1=$c w1=$(date +%s.%N)
	fi
	sleep 0.5
done
wait $pid
rc=$?
if [ $rc -ne 0 ] && ! grep -q '^mir-perf: the generator failed at ' "$tmp/run.err"; then
	echo "bench-sweep: mir-perf failed (status $rc):" >&2
	cat "$tmp/run.err" >&2
	exit 1
fi
# Points where the generator fell short are marked '# !' in the table and
# have no loss: the figures stand without them.
grep '^mir-perf: the generator failed at \|^mir-perf: local platform' "$tmp/run.err"

echo "bench-sweep: netsniff-ng trafgen again, after mir-perf..."
read -r tg2_rx tg2_tx < <(trafgen_measure) || exit 1

best=$(sed -n 's/^# highest loss-free rate at 64 B: \([0-9]*\) pps.*/\1/p' "$tmp/run/stats")
maxrow=$(awk '!/^#/ && $2 == "max" { print $3, $6 }' "$tmp/run/stats")
hz=$(getconf CLK_TCK)
cpu=$(awk -v c0=$c0 -v c1=$c1 -v w0=$w0 -v w1=$w1 -v hz=$hz \
	'BEGIN { printf "%.2f", 100 * (c1 - c0) / hz / (w1 - w0) }')
tg=$(( (tg1_rx + tg2_rx) / 2 ))
echo
sed -n '/^#  *size/,$p' "$tmp/run/stats"
echo
printf '%-58s %12s\n' "64-byte frames through if1 -> br0 -> if2" "pps"
printf '%-58s %12s\n' "netsniff-ng trafgen -P 1, received at eth1 (before)" "$tg1_rx"
printf '%-58s %12s\n' "  (trafgen sent, before)" "$tg1_tx"
if [ $NCPU -ge 2 ]; then
	printf '%-58s %12s\n' "the same, the bridge on CPU $DUT_CPU of its own (RPS), received" "$tgr_rx"
	printf '%-58s %12s\n' "  (trafgen sent)" "$tgr_tx"
	awk -v r=$tgr_rx -v s=$tgr_tx 'BEGIN { printf "%-58s %11.1f%%\n", "  lost by the bridge on its own core", (s > 0) ? 100 * (s - r) / s : 0 }'
fi
printf '%-58s %12s\n' "netsniff-ng trafgen -P 1, received at eth1 (after)" "$tg2_rx"
printf '%-58s %12s\n' "  (trafgen sent, after)" "$tg2_tx"
printf '%-58s %12s\n' "mir-perf highest loss-free rate (bridge DUT)" "${best:-none}"
gen=$(sed -n 's/^  "backend": "\(.*\)",$/\1/p' "$tmp/run/stats.json" | head -n 1)
thr=$(sed -n 's/^    "gen_threads": \([0-9]*\),$/\1/p' "$tmp/run/stats.json" | head -n 1)
printf '%-58s %12s\n' "  generator: sending threads, backend" "${thr:-?}, ${gen:-?}"
# The knee: the lowest offered rate at which the bridge lost frames (loss > 0.1 %).
knee=$(awk '!/^#/ && $8 > 0.1 { print $3; exit }' "$tmp/run/stats")
printf '%-58s %12s\n' "the bridge's knee: lowest offered rate with loss > 0.1 %" "${knee:-not reached}"
if grep -q '^# highest loss-free rate at 64 B: .*a lower bound' "$tmp/run/stats"; then
	echo "  (a lower bound: no rate mir-perf offered made the bridge lose frames)"
fi
printf '%-58s %12s\n' "mir-perf at max: offered / sink rx" "${maxrow:-?}"
cap=$(awk '!/^#/ && $2 ~ /^[0-9]|max/ { if ($6 + 0 > m) m = $6 + 0 } END { printf "%.0f", m }' "$tmp/run/stats")
printf '%-58s %12s\n' "the bridge's capacity: the highest sink rate of any point" "${cap:-?}"
awk -v b=${best:-0} -v t=$tg 'BEGIN { printf "%-58s %11.1f%%  (goal >= 95 %%)\n", "mir-perf loss-free / trafgen (mean of before and after)", 100 * b / t }'
printf '%-58s %11s%%  (goal < 3 %%)\n' "mir-perf's own CPU during the sweep, % of one core" "$cpu"
echo "bench-sweep: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
pass figures "bench-sweep printed its figures"
