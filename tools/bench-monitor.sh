#!/usr/bin/env bash
# make bench-monitor: what sampling costs and how exact it is, beside bmon.
#
# 8 interfaces (4 veth pairs in one test namespace), each pair carrying an exact
# number of frames from a paced sender; mir-monitor samples them at 100 ms for
# SECS seconds, then bmon reads the same interfaces at the same 0.1 s interval
# under the same traffic. Printed: timestamp jitter of mir-monitor's samples
# against their absolute deadlines (p50/p99/max), CPU of both (user+system
# over wall time: getrusage, through bash's time), and whether mir-monitor's
# totals equal the kernel's /sys counters. Needs root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
: "${MP_BIN:=$top/bin}" "${MP_BUILD:=$top/build}"
SECS=${SECS:-30}
RATE=${RATE:-2000} # frames per second per pair
PAIRS=4
MON=$MP_BIN/mir-monitor
TX=$MP_BUILD/tests/tools/mp-paced-tx

die() { echo "bench-monitor: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
[ -x "$MON" ] && [ -x "$TX" ] || die "build first: make build-tests"
command -v bmon >/dev/null || die "bmon is not installed (make deps)"
[ "$SECS" -ge 10 ] 2>/dev/null || die "SECS must be a whole number of seconds, at least 10"

NS=mp-t$(printf '%04x' $(( ($$ ^ RANDOM) & 0xffff )))-bench
T=$(mktemp -d)
txpids=()
cleanup() {
	local p
	for p in "${txpids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS" || die "cannot create namespace $NS"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ifs=()
for ((i = 0; i < PAIRS; i++)); do
	ip -n "$NS" link add p${i}a type veth peer name p${i}b || die "cannot create veth p${i}a"
	ip -n "$NS" link set p${i}a up && ip -n "$NS" link set p${i}b up
	ifs+=(p${i}a p${i}b)
done
specs=()
for i in "${ifs[@]}"; do specs+=("$NS/$i"); done
frames=$((RATE * (SECS - 4)))

# start_traffic: each pair sends exactly $frames frames, starting 1.5 s in and
# ending 2.5 s before the end, so both ends of the run are quiet.
start_traffic() {
	local i
	txpids=()
	for ((i = 0; i < PAIRS; i++)); do
		(sleep 1.5; exec ip netns exec "$NS" "$TX" p${i}a $frames $RATE 2>/dev/null) &
		txpids+=($!)
	done
}
wait_traffic() {
	local p rc=0
	for p in "${txpids[@]}"; do wait "$p" || rc=1; done
	txpids=()
	return $rc
}
snap_sys() { # FILE: every counter of every interface
	local i c
	for i in "${ifs[@]}"; do
		for c in rx_packets tx_packets rx_bytes tx_bytes; do
			echo "$i $c $(ip netns exec "$NS" cat /sys/class/net/$i/statistics/$c)"
		done
	done >"$1"
}
# timed NAME CMD...: run CMD with stdout in $T/NAME.out, stderr in $T/NAME.err and
# "elapsed user sys" (getrusage of its process tree, ms) in $T/NAME.time. A bash
# of its own, so the senders (children of this shell) are not counted.
timed() {
	local name=$1
	shift
	T=$T NAME=$name bash -c 'TIMEFORMAT="%3R %3U %3S"
		{ time "$@" >"$T/$NAME.out" 2>"$T/$NAME.err"; } 2>"$T/$NAME.time"' timed "$@"
}
# cpu_split BEFORE AFTER: how the whole machine spent the run, from /proc/stat
# ("cpu user nice system idle iowait irq softirq steal ...").
cpu_split() {
	awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
		for (i = 2; i <= 9; i++) { d[i] = y[i] - x[i]; t += d[i] }
		printf "busy %.0f %%, softirq %.0f %%, steal %.0f %%, idle %.0f %%",
			(t - d[5] - d[6]) * 100 / t, d[8] * 100 / t, d[9] * 100 / t, d[5] * 100 / t }'
}
# cpu_pct "elapsed user sys" -> percent of one core
cpu_pct() { awk '{ printf "%.2f", ($2 + $3) * 100 / $1 }' <<<"$1"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. mir-monitor
snap_sys "$T/sys0"
start_traffic
stat0=$(head -1 /proc/stat)
timed mon "$MON" -i 100ms -d ${SECS}s --csv "$T/mon.csv" --json "${specs[@]}"
st=$?
stat1=$(head -1 /proc/stat)
wait_traffic || die "a sender failed"
snap_sys "$T/sys1"
[ $st -eq 0 ] || die "mir-monitor failed (status $st): $(cat "$T/mon.err")"

# 2. bmon on the same interfaces, same interval, same traffic.
start_traffic
stat2=$(head -1 /proc/stat)
policy=$(IFS=,; echo "${ifs[*]}")
timed bmon ip netns exec "$NS" timeout -s INT ${SECS} bmon -p "$policy" -r 0.1 \
	-o 'format:fmt=$(element:name) $(attr:rxrate:packets) $(attr:txrate:packets) $(attr:rx:bytes) $(attr:tx:bytes)\n'

stat3=$(head -1 /proc/stat)
wait_traffic || die "a sender failed"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Jitter: lateness of every scheduled sample's timestamp (its first interface:
# when the kernel read the counters) against its deadline; split into the
# thread's wakeup (the request) and the kernel's answer (rtnetlink makes the
# request wait while another task holds the RTNL lock: creating or deleting
# links or namespaces).
# pcts COLUMN-EXPR: "count p50 p99 max" in ms over the scheduled rows.
pcts() {
	awk -F, -v first="$NS/${ifs[0]}" "NR > 1 && \$5 == first && \$3 != \"\" { print $1 }" "$T/mon.csv" |
		sort -n | awk '{ v[NR] = $1 } END {
		printf "%d %.3f %.3f %.3f", NR, v[int((NR - 1) * 0.50) + 1] / 1e6,
			v[int((NR - 1) * 0.99) + 1] / 1e6, v[NR] / 1e6 }'
}
read -r nsamples j50 j99 jmax <<<"$(pcts '$3')"
read -r _ w50 w99 wmax <<<"$(pcts '$3 - $26')"
read -r _ r50 r99 rmax <<<"$(pcts '$26')"

# Totals: mir-monitor's JSON against the /sys differences, every counter.
exact=0 total=0 bad=""
for i in "${ifs[@]}"; do
	for dir in rx tx; do
		for k in packets bytes; do
			want=$(( $(awk -v i=$i -v c=${dir}_$k '$1 == i && $2 == c { print $3 }' "$T/sys1") -
				 $(awk -v i=$i -v c=${dir}_$k '$1 == i && $2 == c { print $3 }' "$T/sys0") ))
			got=$(awk -v lbl="$NS/$i" -v dir=$dir -v key=$k '
				/"label":/ { cur = $2; gsub(/[",]/, "", cur); d = "" }
				/"rx": \{/ { d = "rx" } /"tx": \{/ { d = "tx" }
				{ kk = $1; gsub(/[":]/, "", kk); v = $2; gsub(/,/, "", v)
				  if (cur == lbl && d == dir && kk == key) { print v; exit } }' "$T/mon.out")
			total=$((total + 1))
			if [ "$got" = "$want" ]; then exact=$((exact + 1)); else bad+=" $i.${dir}_$k=$got/sys:$want"; fi
		done
	done
done
sent_ok=0
for ((i = 0; i < PAIRS; i++)); do
	got=$(awk -v lbl="$NS/p${i}a" '/"label":/ { cur = $2; gsub(/[",]/, "", cur) }
		/"tx": \{/ && cur == lbl { f = 1 } f && /"packets":/ { v = $2; gsub(/,/, "", v); print v; exit }' "$T/mon.out")
	[ "$got" = "$frames" ] && sent_ok=$((sent_ok + 1))
done

mon_cpu=$(cpu_pct "$(cat "$T/mon.time")")
bmon_cpu=$(cpu_pct "$(cat "$T/bmon.time")")

printf '\nbench-monitor: %d interfaces (%d veth pairs, %d pps each way), 100 ms interval, %d s per tool\n' \
	${#ifs[@]} $PAIRS "$RATE" "$SECS"
printf 'machine: %s, %d cores, kernel %s; load average before %s, after %s\n' \
	"$(uname -n)" "$(nproc)" "$(uname -r)" "$load_before" "$load_after"
printf 'machine during mir-monitor: %s\n' "$(cpu_split "$stat0" "$stat1")"
printf 'machine during bmon:        %s\n' "$(cpu_split "$stat2" "$stat3")"
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	printf 'NOTE: the machine is busy; other work delays wakeups (softirq runs before any\n'
	printf '      task) and softirq time is charged to whichever task it interrupts.\n'
fi
echo
printf '%-44s %24s %24s\n' "" "mir-monitor" "$(bmon -V 2>&1 | head -1)"
printf '%-44s %24s %24s\n' "CPU, % of one core (user+sys / wall)" "$mon_cpu" "$bmon_cpu"
printf '%-44s %24s %24s\n' "  CPU seconds (elapsed user sys)" "$(cat "$T/mon.time" | tr ' ' '/')" "$(tail -1 "$T/bmon.time" | tr ' ' '/')"
printf '%-44s %24s %24s\n' "timestamp jitter p50 / p99 / max (ms)" "$j50 / $j99 / $jmax" "no timestamps"
printf '%-44s %24s %24s\n' "  thread wakeup lateness p50 / p99 / max" "$w50 / $w99 / $wmax" ""
printf '%-44s %24s %24s\n' "  kernel's answer p50 / p99 / max" "$r50 / $r99 / $rmax" ""
printf '%-44s %24s %24s\n' "scheduled samples" "$nsamples" "-"
printf '%-44s %24s %24s\n' "totals equal to /sys (counters)" "$exact/$total" "no totals"
printf '%-44s %24s %24s\n' "tx totals equal to frames sent ($frames)" "$sent_ok/$PAIRS" "-"
printf '\ntargets: p99 jitter < 1 ms: %s; CPU < 2 %%: %s; totals exact: %s\n' \
	"$(awk -v v="$j99" 'BEGIN { print (v < 1.0) ? "yes" : "NO" }')" \
	"$(awk -v v="$mon_cpu" 'BEGIN { print (v < 2.0) ? "yes" : "NO" }')" \
	"$([ $exact -eq $total ] && [ $sent_ok -eq $PAIRS ] && echo yes || echo "NO:$bad")"
