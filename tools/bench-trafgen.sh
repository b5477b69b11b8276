#!/usr/bin/env bash
# make bench-trafgen: figures, not a test. Two network namespaces of this run
# joined by a veth pair (names mp-t<suffix>-..., removed on exit, traffic only
# inside them); every rate is counted on the receiving veth's kernel counter
# (rx_packets, read inside its namespace), never taken from the generator.
#   1. max-rate pps of mir-trafgen tx against netsniff-ng's trafgen, 64 and
#      1518 B, each with one CPU and with all CPUs (trafgen's default), and
#      mir-trafgen's two backends side by side: AF_PACKET and AF_XDP (the
#      veth has a queue per CPU, so each thread binds its own);
#   2. paced accuracy, achieved/target, at 10k, 100k, 500k pps and 90 % of
#      the measured maximum (and trafgen -b at 500k for comparison);
#   3. sink completeness: mir-trafgen rx against the kernel's rx counter at
#      the maximum rate, any shortfall set against the reported ring drops;
#   4. sink capacity per backend (rx --io ring and --io xdp, 64 and 1518 B):
#      the generator at its maximum (all CPUs, its default backend) into
#      the sink, side by side: what the sink counted against what was sent,
#      and the frames it lost (sequence gaps) - the rate a sink keeps up
#      with when it loses none, its ceiling when it does.
# BENCH_DUR (s, default 6) is one run; rates are measured from 1.5 s in to
# 0.5 s before its end. BENCH_REPS (default 3) runs of each max-rate case,
# interleaved; the median is printed. BENCH_CSV=FILE also writes the figures
# as CSV (section,size,generator,target_pps,measured_pps,ratio).
# BENCH_SECTIONS=sink runs section 4 alone (default: all).
set -u
here=$(cd "$(dirname "$0")" && pwd)
TG=${MP_BIN:-$here/../bin}/mir-trafgen
DUR=${BENCH_DUR:-6}
REPS=${BENCH_REPS:-3}
NCPU=$(nproc)
SIZES=(64 1518)

die() { echo "bench-trafgen: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, AF_PACKET)"
[ -x "$TG" ] || die "no $TG: run make first"
command -v trafgen >/dev/null || die "netsniff-ng's trafgen is missing: make deps"
awk -v d="$DUR" 'BEGIN { exit !(d >= 3) }' || die "BENCH_DUR must be at least 3 s"

SUF=$(printf '%04x' $(( (RANDOM << 1 ^ $$) & 0xffff )))
G=mp-t$SUF-bg K=mp-t$SUF-bk
TMP=$(mktemp -d)
CSV=$TMP/bench.csv
echo "section,size,generator,target_pps,measured_pps,ratio" >$CSV
bg_pids=()
cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del $G 2>/dev/null
	ip netns del $K 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add $G && ip netns add $K || die "cannot create namespaces"
for ns in $G $K; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n $ns link set lo up
done
ip link add mp-t$SUF-v numtxqueues $NCPU numrxqueues $NCPU type veth peer name mp-t$SUF-w \
	numtxqueues $NCPU numrxqueues $NCPU || die "cannot create the veth pair"
ip link set mp-t$SUF-v netns $G name a0 && ip link set mp-t$SUF-w netns $K name k0 &&
	ip -n $G link set a0 up && ip -n $K link set k0 up || die "cannot set up the veth pair"

# trafgen configurations equivalent to mir-trafgen's frames (Eth/IPv4/UDP,
# correct IPv4 checksum), one per size.
for s in "${SIZES[@]}"; do
	l=$((s - 4))
	cat >$TMP/trafgen-$s.cfg <<CFG
{
  0x02, 0x6d, 0x70, 0x00, 0x00, 0x02, 0x02, 0x6d, 0x70, 0x00, 0x00, 0x01, 0x08, 0x00,
  0x45, 0x00, c16($((l - 14))), 0x00, 0x00, 0x40, 0x00, 64, 17, csumip(14, 33),
  198, 18, 0, 1, 198, 19, 0, 1,
  0x04, 0x00, 0x00, 0x09, c16($((l - 34))), 0x00, 0x00,
  fill(0x00, $((l - 42)))
}
CFG
done

# window_pps CMD...: run CMD in the generator namespace for DUR seconds and
# print the receiving veth's packet rate between 1.5 s and DUR - 0.5 s.
window_pps() {
	local w
	w=$(awk -v d="$DUR" 'BEGIN { print d - 2 }')
	ip netns exec $G timeout -s INT "$DUR" "$@" >$TMP/gen.out 2>&1 &
	local gen=$!
	bg_pids+=($gen)
	ip netns exec $K bash -c '
		f=/sys/class/net/k0/statistics/rx_packets
		sleep 1.5; t1=$EPOCHREALTIME; read -r c1 <$f
		sleep '"$w"'; t2=$EPOCHREALTIME; read -r c2 <$f
		echo "$t1 $c1 $t2 $c2"' >$TMP/win
	wait $gen 2>/dev/null
	awk '{ printf "%.0f\n", ($4 - $2) / ($3 - $1) }' $TMP/win
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
fmt_pps() { awk -v p="$1" 'BEGIN { if (p >= 1e6) printf "%.3f Mpps", p / 1e6; else printf "%.1f kpps", p / 1e3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

jv() { sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1" | head -n 1; }

# sink_run IO SIZE: rx --io IO in the sink's namespace, the generator at its
# maximum for DUR - 2 s; prints "sent received lost drops sink_pps tx_pps".
sink_run() {
	local io=$1 size=$2 rxp i
	ip netns exec $K "$TG" rx --dev k0 --io $io --json -v >$TMP/srx.json 2>$TMP/srx.err &
	rxp=$!
	bg_pids+=($rxp)
	for ((i = 0; i < 100; i++)); do grep -q ready $TMP/srx.err && break; sleep 0.05; done
	ip netns exec $G "$TG" tx --dev a0 --size $size --threads $NCPU --duration $((DUR - 2)) \
		--json >$TMP/stx.json 2>&1
	sleep 0.5
	kill -INT $rxp
	wait $rxp
	# (the rates as integers: JSON writes 1.2e+06 for 1.2 Mpps)
	echo "$(jv $TMP/stx.json sent) $(jv $TMP/srx.json received) $(jv $TMP/srx.json lost)" \
		"$(jv $TMP/srx.json ring_drops) $(jv $TMP/srx.json pps) $(jv $TMP/stx.json pps)" |
		awk '{ $5 = sprintf("%.0f", $5); $6 = sprintf("%.0f", $6); print }'
}

sink_capacity() {
	local s io sent recv lost drops spps tpps verdict
	echo "4. Sink capacity per backend: the generator at its maximum ($NCPU threads) into rx --io ring | xdp"
	echo "   (the veth has $NCPU queues; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
	printf '  %-6s %-5s %14s %14s %12s %12s %14s  %s\n' size io "offered" "counted" lost "sink drops" \
		"sink rate" verdict
	for s in "${SIZES[@]}"; do
		declare -A rate=()
		for io in ring xdp; do
			read -r sent recv lost drops spps tpps < <(sink_run $io $s)
			rate[$io]=${spps%.*}
			if [ "${lost:-x}" = 0 ] && [ "${recv:-0}" = "${sent:-x}" ]; then
				verdict="keeps up with $(fmt_pps ${tpps%.*})"
			else
				verdict="loses $(awk -v l="${lost:-0}" -v t="${sent:-0}" 'BEGIN { if (t > 0) printf "%.2f %%", 100 * l / t; else print "-" }') at $(fmt_pps ${tpps%.*})"
			fi
			printf '  %-6s %-5s %14s %14s %12s %12s %14s  %s\n' "$s B" $io "${sent:-?}" "${recv:-?}" \
				"${lost:-?}" "${drops:-?}" "$(fmt_pps ${spps%.*})" "$verdict"
			echo "sink-$io,$s,mir-trafgen rx --io $io,${tpps%.*},${spps%.*},$(ratio ${recv:-0} ${sent:-0})" >>$CSV
		done
		printf '  %-6s %-5s %14s %14s %12s %12s %14s  %s\n' "$s B" "" "" "" "" "xdp/ring" \
			"$(ratio ${rate[xdp]:-0} ${rate[ring]:-0})" "(sink rates, same run)"
	done
	echo "  offered: frames tx sent; counted: frames rx counted (lost: its sequence gaps;"
	echo "  sink drops: the ring's PACKET_STATISTICS or the XDP sockets' rx_dropped + rx_ring_full;"
	echo "  lost beyond them with xdp: dropped in the veth's own XDP ring, before the sockets)"
	echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "bench-trafgen: $(uname -r), $NCPU CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)),"
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $DUR s runs, $REPS repetitions, median shown"
echo
if [ "${BENCH_SECTIONS:-all}" = sink ]; then
	sink_capacity
	[ -n "${BENCH_CSV:-}" ] && cp $CSV "$BENCH_CSV" && echo "figures as CSV: $BENCH_CSV"
	exit 0
fi

declare -A MAX MAX1
echo "1. Maximum rate, counted on the receiving veth (rx_packets)"
printf '  %-6s %-44s %14s %10s %10s\n' size generator rate ratio "xdp/packet"
for s in "${SIZES[@]}"; do
	declare -A runs=()
	for ((r = 0; r < REPS; r++)); do
		runs[tg1]+="$(window_pps trafgen --dev a0 --conf $TMP/trafgen-$s.cfg --cpus 1) "
		runs[pkt1]+="$(window_pps "$TG" tx --dev a0 --size $s --threads 1 --backend af_packet) "
		runs[xdp1]+="$(window_pps "$TG" tx --dev a0 --size $s --threads 1 --backend af_xdp) "
		runs[tgN]+="$(window_pps trafgen --dev a0 --conf $TMP/trafgen-$s.cfg) "
		runs[pktN]+="$(window_pps "$TG" tx --dev a0 --size $s --threads $NCPU --backend af_packet) "
		runs[xdpN]+="$(window_pps "$TG" tx --dev a0 --size $s --threads $NCPU --backend af_xdp) "
	done
	for k in tg1 pkt1 xdp1 tgN pktN xdpN; do
		runs[$k]=$(printf '%s\n' ${runs[$k]} | median)
	done
	# the paced section uses the default backend (auto: AF_XDP here)
	MAX[$s]=${runs[xdpN]}
	MAX1[$s]=${runs[xdp1]}
	for n in 1 N; do
		if [ $n = 1 ]; then tn="trafgen --cpus 1" th=1; else tn="trafgen (all $NCPU CPUs, its default)" th=$NCPU; fi
		printf '  %-6s %-44s %14s\n' "$s B" "$tn" "$(fmt_pps ${runs[tg$n]})"
		printf '  %-6s %-44s %14s %10s\n' "$s B" "mir-trafgen --threads $th --backend af_packet" \
			"$(fmt_pps ${runs[pkt$n]})" "$(ratio ${runs[pkt$n]} ${runs[tg$n]})"
		printf '  %-6s %-44s %14s %10s %10s\n' "$s B" "mir-trafgen --threads $th --backend af_xdp" \
			"$(fmt_pps ${runs[xdp$n]})" "$(ratio ${runs[xdp$n]} ${runs[tg$n]})" \
			"$(ratio ${runs[xdp$n]} ${runs[pkt$n]})"
		{
			echo "max,$s,$tn,,${runs[tg$n]},"
			echo "max,$s,mir-trafgen --threads $th --backend af_packet,,${runs[pkt$n]},$(ratio ${runs[pkt$n]} ${runs[tg$n]})"
			echo "max,$s,mir-trafgen --threads $th --backend af_xdp,,${runs[xdp$n]},$(ratio ${runs[xdp$n]} ${runs[tg$n]})"
		} >>$CSV
	done
	printf '  %-6s %-44s %14s %10s\n' "$s B" "scaling, af_packet: $NCPU threads / 1" "" "$(ratio ${runs[pktN]} ${runs[pkt1]})"
	printf '  %-6s %-44s %14s %10s\n' "$s B" "scaling, af_xdp: $NCPU threads / 1" "" "$(ratio ${runs[xdpN]} ${runs[xdp1]})"
done
echo "  ratio: mir-trafgen / trafgen with the same number of CPUs (target >= 1.0);"
echo "  last column: af_xdp / af_packet (above 1.0: AF_XDP wins, and auto keeps it)"
echo

echo "2. Paced accuracy: achieved / target, on the receiving veth (target within +-1 %)"
printf '  %-6s %-12s %-10s %14s %14s %10s  %s\n' size target threads "kernel rate" "tx's own" achieved verdict
for s in "${SIZES[@]}"; do
	nine=$(awk -v m="${MAX[$s]}" 'BEGIN { printf "%.0f", m * 0.9 }')
	for target in 10000 100000 500000 $nine; do
		# One thread while one is enough (70 % of its maximum), else all.
		th=$(awk -v t=$target -v m="${MAX1[$s]}" -v n=$NCPU 'BEGIN { print (t <= 0.7 * m) ? 1 : n }')
		k=$(window_pps "$TG" tx --dev a0 --size $s --rate $target --threads $th --json)
		own=$(sed -n 's/^  "pps": \(.*\),$/\1/p' $TMP/gen.out)
		note=""
		[ "$target" = "$nine" ] && note=" (90 % of max)"
		if awk -v t=$target -v m="${MAX[$s]}" 'BEGIN { exit !(t > m) }'; then
			note=" (above the measured maximum)"
		fi
		v=$(awk -v k=$k -v t=$target 'BEGIN { r = k / t; print (r >= 0.99 && r <= 1.01) ? "ok" : "MISS" }')
		printf '  %-6s %-12s %-10s %14s %14s %10s  %s%s\n' "$s B" "$(fmt_pps $target)" $th "$(fmt_pps $k)" \
			"$(fmt_pps ${own:-0})" "$(ratio $k $target)" "$v" "$note"
		echo "paced,$s,mir-trafgen --threads $th,$target,$k,$(ratio $k $target)" >>$CSV
	done
done
tgp=$(window_pps trafgen --dev a0 --conf $TMP/trafgen-64.cfg --cpus 1 -b 500000pps)
printf '  %-6s %-12s %-10s %14s %14s %10s  %s\n' "64 B" "500.0 kpps" "trafgen -b" "$(fmt_pps $tgp)" "-" \
	"$(ratio $tgp 500000)" "(netsniff-ng trafgen's own pacing, for comparison)"
echo "paced,64,trafgen -b,500000,$tgp,$(ratio $tgp 500000)" >>$CSV
echo

echo "3. Sink completeness at the maximum rate (64 B, $NCPU sending threads)"
ip netns exec $K "$TG" rx --dev k0 --json -v >$TMP/rx.json 2>$TMP/rx.err &
rxp=$!
bg_pids+=($rxp)
for ((i = 0; i < 100; i++)); do grep -q ready $TMP/rx.err && break; sleep 0.05; done
c0=$(ip netns exec $K cat /sys/class/net/k0/statistics/rx_packets)
ip netns exec $G "$TG" tx --dev a0 --size 64 --threads $NCPU --duration $((DUR - 2)) --json >$TMP/tx.json
sleep 0.5
c1=$(ip netns exec $K cat /sys/class/net/k0/statistics/rx_packets)
kill -INT $rxp
wait $rxp
sent=$(jv $TMP/tx.json sent)
recv=$(jv $TMP/rx.json received)
drops=$(jv $TMP/rx.json ring_drops)
foreign=$(jv $TMP/rx.json foreign)
lost=$(jv $TMP/rx.json lost)
kern=$((c1 - c0))
fin=$((4 * NCPU))
unexplained=$((kern - recv - drops - foreign - fin))
printf '  %-50s %12s\n' "frames sent (mir-trafgen tx)" "$sent" \
	"kernel rx_packets on the sink's veth" "$kern" \
	"counted by mir-trafgen rx" "$recv" \
	"ring drops (PACKET_STATISTICS, the sink's loss)" "$drops" \
	"lost by sequence (includes the ring drops)" "$lost" \
	"other frames (FIN $fin, foreign $foreign)" "$((fin + foreign))" \
	"unexplained: kernel - counted - drops - other" "$unexplained"
printf '  %-50s %12s\n' "completeness: counted / kernel" "$(ratio $recv $((kern - fin - foreign)))" \
	"with the ring drops: (counted + drops) / kernel" "$(ratio $((recv + drops)) $((kern - fin - foreign)))"
echo "sink,64,mir-trafgen rx,$((kern - fin - foreign)),$recv,$(ratio $recv $((kern - fin - foreign)))" >>$CSV
echo
sink_capacity
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BENCH_CSV:-}" ]; then
	cp $CSV "$BENCH_CSV" && echo "figures as CSV: $BENCH_CSV"
fi
