#!/usr/bin/env bash
# make bench-fwd: figures, not a test. The reference forwarder `mir-trafgen fwd`
# with its backends side by side: AF_XDP (--io xdp, what --io auto picks on
# veth: native XDP, copy mode, one UMEM for both devices), TPACKET_V2 rings
# (--io ring, the fallback; --io ring-mmsg: receive ring, sendmmsg from its
# slots, with BENCH_IOS) against the naive recvmmsg/sendmmsg AF_PACKET
# forwarder (--io mmsg), measured in the same run,
# interleaved, on one topology of this run's namespaces (mp-t<suffix>-..., removed
# on exit, traffic only inside them):
#   gen: a0 -veth- fwd: i0   fwd: o0 -veth- sink: k0
# The generator (mir-trafgen tx, 64 B, max) is pinned to CPU 0, the forwarder to
# CPU 1 (on a 2-core machine: a core each), and the forwarded rate is counted
# on k0's kernel rx counter, with the forwarder's CPU time per frame. Then its
# own cost per frame as instructions counted by valgrind --tool=callgrind
# (user space only: the kernel work the rings save is not in it), in full
# batches (bursts queued while it is stopped).
# BENCH_DUR (s, default 6) per run, BENCH_REPS (default 3) runs, median shown.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TG=${MP_BIN:-$here/../bin}/mir-trafgen
DUR=${BENCH_DUR:-6}
REPS=${BENCH_REPS:-3}
IOS=${BENCH_IOS:-mmsg ring xdp}
IOS_NEW=$(printf '%s\n' $IOS | grep -vx mmsg)
BURST=2000 NB_A=2 NB_B=6 NBURST=${BENCH_BURSTS:-100}

die() { echo "bench-fwd: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, AF_PACKET)"
[ -x "$TG" ] || die "no $TG: run make first"
awk -v d="$DUR" 'BEGIN { exit !(d >= 4) }' || die "BENCH_DUR must be at least 4 s"
NCPU=$(nproc)
CPU_GEN=0 CPU_FWD=$((NCPU > 1 ? 1 : 0))

SUF=$(printf '%04x' $(( (RANDOM << 1 ^ $$) & 0xffff )))
G=mp-t$SUF-fg F=mp-t$SUF-ff K=mp-t$SUF-fk
TMP=$(mktemp -d)
bg_pids=()
cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill -INT "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in $G $F $K; do ip netns del $ns 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in $G $F $K; do
	ip netns add $ns || die "cannot create namespace $ns"
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n $ns link set lo up
done
ip -n $G link add a0 type veth peer name i0 netns $F &&
	ip -n $F link add o0 type veth peer name k0 netns $K &&
	ip -n $G link set a0 up && ip -n $F link set i0 up && ip -n $F link set o0 up &&
	ip -n $K link set k0 up || die "cannot build the topology"

kpkts() { ip netns exec $K cat /sys/class/net/k0/statistics/rx_packets; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
HZ=$(getconf CLK_TCK)

# fwd_rate IO: forwarded pps (k0 rx) with the generator at max, from 1.5 s
# in to 0.5 s before the end, and the forwarder's CPU time (user + system,
# its own process) per forwarded frame in ns; the generator's own rate
# into $TMP/sent.
fwd_rate() {
	local io=$1 fwd gen c1 c2 t1 t2 u1 u2
	ip netns exec $F taskset -c $CPU_FWD "$TG" fwd --in i0 --out o0 --io $io >$TMP/fwd-$io.out 2>&1 &
	fwd=$!
	bg_pids+=($fwd)
	sleep 0.5
	ip netns exec $G taskset -c $CPU_GEN "$TG" tx --dev a0 --size 64 --duration $DUR --json >$TMP/tx.json 2>&1 &
	gen=$!
	sleep 1.5
	t1=$EPOCHREALTIME c1=$(kpkts) u1=$(cpu_ticks $fwd)
	sleep $(awk -v d=$DUR 'BEGIN { print d - 2 }')
	t2=$EPOCHREALTIME c2=$(kpkts) u2=$(cpu_ticks $fwd)
	wait $gen
	kill -INT $fwd
	wait $fwd 2>/dev/null
	sed -n 's/^  "pps": \(.*\),$/\1/p' $TMP/tx.json | head -n 1 >$TMP/sent
	awk -v a=$c1 -v b=$c2 -v t1=$t1 -v t2=$t2 -v u1=$u1 -v u2=$u2 -v hz=$HZ \
		'BEGIN { printf "%.0f %.0f\n", (b - a) / (t2 - t1), (b > a) ? (u2 - u1) / hz * 1e9 / (b - a) : 0 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
fmt_pps() { awk -v p="$1" 'BEGIN { if (p >= 1e6) printf "%.3f Mpps", p / 1e6; else printf "%.1f kpps", p / 1e3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "bench-fwd: $(uname -r), $NCPU CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)),"
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $DUR s runs, $REPS repetitions, median shown"
echo "  generator on CPU $CPU_GEN, forwarder on CPU $CPU_FWD"
echo
echo "1. Forwarded rate, 64 B, generator at max, counted on the sink's veth (rx_packets)"
declare -A runs=() sent=() IPF=() cpu=() cap=() BNS=()
ir=() fw=()
for ((r = 0; r < REPS; r++)); do
	for io in $IOS; do
		read -r pps ns < <(fwd_rate $io)
		runs[$io]+="$pps " cpu[$io]+="$ns "
		sent[$io]+="$(cat $TMP/sent) "
	done
done
for io in $IOS; do
	runs[$io]=$(printf '%s\n' ${runs[$io]} | median)
	cpu[$io]=$(printf '%s\n' ${cpu[$io]} | median)
	sent[$io]=$(printf '%.0f\n' ${sent[$io]} | median)
	cap[$io]=$(awk -v n=${cpu[$io]} 'BEGIN { printf "%.0f", (n > 0) ? 1e9 / n : 0 }')
done
printf '  %-42s %12s %14s %12s %14s\n' forwarder forwarded "offered (tx)" "CPU/frame" "1 core's worth"
for io in $IOS; do
	case $io in
	mmsg) name="fwd --io mmsg (naive recvmmsg/sendmmsg)" ;;
	ring) name="fwd --io ring (TPACKET_V2, the default)" ;;
	ring-mmsg) name="fwd --io ring-mmsg (rx ring, sendmmsg)" ;;
	xdp) name="fwd --io xdp (AF_XDP, one UMEM)" ;;
	*) name="fwd --io $io" ;;
	esac
	printf '  %-42s %12s %14s %9s ns %14s\n' "$name" "$(fmt_pps ${runs[$io]})" "$(fmt_pps ${sent[$io]})" \
		"${cpu[$io]}" "$(fmt_pps ${cap[$io]})"
done
for io in $IOS_NEW; do
	printf '  %-42s %12s %14s %12s %14s   (goal >= 2)\n' "$io / mmsg" "$(ratio ${runs[$io]} ${runs[mmsg]})" "" "" \
		"$(ratio ${cap[$io]} ${cap[mmsg]})"
done
echo "  CPU/frame: the forwarder's user + system time per forwarded frame; 1 core's worth:"
echo "  1 s / CPU/frame, what it would forward with a core of its own (the generator's"
echo "  softirq delivers into the forwarder's socket or ring on the generator's CPU)"
echo

# sched_ns PID: CPU time of every thread of PID, ns (schedstat: user, system
# and the softirq work done in its context).
sched_ns() { cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

echo "2. CPU time per forwarded frame in full batches, whatever the generator and the load:"
echo "   the forwarder is stopped (SIGSTOP) while $BURST frames of 64 B queue up, continued,"
echo "   $NBURST times; its threads' CPU time (schedstat) over the frames it forwarded"
for io in $IOS; do
	ip netns exec $F taskset -c $CPU_FWD "$TG" fwd --in i0 --out o0 --io $io --json >$TMP/b-$io.json 2>$TMP/b-$io.err &
	fwd=$!
	bg_pids+=($fwd)
	sleep 0.5
	n0=$(sched_ns $fwd)
	for ((b = 0; b < NBURST; b++)); do
		kill -STOP $fwd
		ip netns exec $G "$TG" tx --dev a0 --size 64 --count $BURST >/dev/null 2>&1
		kill -CONT $fwd
		sleep 0.05
	done
	sleep 0.5
	n1=$(sched_ns $fwd)
	kill -INT $fwd
	wait $fwd 2>/dev/null
	f=$(sed -n 's/^      "forwarded": \([0-9]*\),*$/\1/p' $TMP/b-$io.json | head -n 1)
	BNS[$io]=$(awk -v a=$n0 -v b=$n1 -v f=${f:-0} 'BEGIN { if (f > 0) printf "%.0f", (b - a) / f; else print 0 }')
	printf '  %-42s %8s ns/frame  (%s frames of %s sent; 1 core: %s)\n' "fwd --io $io" "${BNS[$io]}" \
		"${f:-?}" $((BURST * NBURST)) "$(fmt_pps $(awk -v n=${BNS[$io]} 'BEGIN { printf "%.0f", (n > 0) ? 1e9 / n : 0 }'))"
done
for io in $IOS_NEW; do
	printf '  %-42s %8s   (goal >= 2)\n' "mmsg / $io" "$(ratio ${BNS[mmsg]} ${BNS[$io]})"
done
echo

if command -v valgrind >/dev/null; then
	echo "3. Instructions per forwarded frame in the forwarder (valgrind --tool=callgrind: user space"
	echo "   only), in full batches: the forwarder is stopped (SIGSTOP) while $BURST frames of 64 B"
	echo "   queue up, then continued; the difference of $NB_A and $NB_B such bursts"
	for io in $IOS; do
		for nb in $NB_A $NB_B; do
			ip netns exec $F valgrind --tool=callgrind --callgrind-out-file=$TMP/cg-$io-$nb \
				"$TG" fwd --in i0 --out o0 --io $io --json >$TMP/cgfwd-$io-$nb.json 2>$TMP/cg-$io-$nb.err &
			fwd=$!
			bg_pids+=($fwd)
			for ((i = 0; i < 100; i++)); do grep -qs 'fwd i0 -> o0: ready\|Startup' $TMP/cg-$io-$nb.err && break; sleep 0.1; done
			sleep 3 # valgrind's start-up
			for ((b = 0; b < nb; b++)); do
				kill -STOP $fwd
				ip netns exec $G "$TG" tx --dev a0 --size 64 --count $BURST >/dev/null 2>&1
				kill -CONT $fwd
				sleep 1
			done
			kill -INT $fwd
			wait $fwd 2>/dev/null
			ir[$nb]=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' $TMP/cg-$io-$nb | head -n 1)
			fw[$nb]=$(sed -n 's/^      "forwarded": \([0-9]*\),*$/\1/p' $TMP/cgfwd-$io-$nb.json | head -n 1)
		done
		per=$(awk -v a=${ir[$NB_A]:-0} -v b=${ir[$NB_B]:-0} -v f=${fw[$NB_A]:-0} -v g=${fw[$NB_B]:-0} \
			'BEGIN { if (g > f) printf "%.0f", (b - a) / (g - f); else print "-" }')
		IPF[$io]=$per
		printf '  %-42s %8s instructions/frame  (%s and %s frames forwarded)\n' "fwd --io $io" "$per" \
			"${fw[$NB_A]:-?}" "${fw[$NB_B]:-?}"
	done
	for io in $IOS_NEW; do
		printf '  %-42s %8s\n' "mmsg / $io" "$(ratio ${IPF[mmsg]} ${IPF[$io]})"
	done
	echo
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
