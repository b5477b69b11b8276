#!/usr/bin/env bash
# The rr mode against DUTs whose behaviour is known.
# 1. An exec: DUT that holds every frame D (mir-trafgen fwd --tap --bidir
#    --delay D; this kernel has no sch_netem): a transaction's request and
#    response each cross it once, so no transaction takes less than 2 D, the
#    median is 2 D plus what the machine adds, and one connection cannot do
#    more than 1 / (2 D) transactions a second.
# 3. A DUT that drops every 50th frame, with a transaction timeout (100 ms)
#    below TCP's shortest retransmission timeout (200 ms): a transaction
#    whose segment was dropped times out, its connection is replaced, and
#    every transaction is still accounted for.
# 2. The kernel bridge, which loses nothing: every hop counts the same frames
#    both ways, and with one request and one response segment per transaction
#    (a response of R <= MSS bytes; the next request carries the ACK) those
#    are the transactions the server answered plus the connections' own few
#    (handshakes, the stats exchanges, a pure ACK now and then).
ALL_TESTS="delay_exit_status delay_no_agent delay_rows delay_accounted delay_min delay_p50 delay_tps delay_doc
	delay_nothing_left bridge_exit_status bridge_rows bridge_accounted bridge_hops_equal
	bridge_hops_transactions bridge_plot bridge_report bridge_nothing_left
	lossy_exit_status lossy_accounted lossy_timed_out lossy_reconnected"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/rr_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"
require_built "$MP_BIN/mir-trafgen"

D_MS=10 # the DUT's delay each way
# The median above 2 D: scheduling on a machine at load 15 (the delay line's
# thread, the forwarder's, the client's and the server's wake-ups).
SLACK_MS=10
tmp=$(mktemp -d /tmp/mp-t-rr-XXXXXX)
on_exit "rm -rf $tmp"
rr_cfg "$tmp/cfg" 3 1

# accounted CSV ROW: every transaction ended one way, none timed out or failed.
accounted() {
	local s c t f u
	s=$(rr_col "$1" "$2" started) c=$(rr_col "$1" "$2" completed)
	t=$(rr_col "$1" "$2" timed_out) f=$(rr_col "$1" "$2" failed) u=$(rr_col "$1" "$2" unfinished)
	echo "row $2: $s started = $c completed + $t timed out + $f failed + $u unfinished"
	[ -n "$s" ] && [ "$c" -gt 0 ] && [ "$s" -eq $((c + t + f + u)) ] && [ "$t" -eq 0 ] && [ "$f" -eq 0 ]
}

# --- 1. a DUT of known delay
out=$tmp/delay
if ! sweep_start "$out" --cfg "$tmp/cfg" \
	--dut "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1 --bidir --delay ${D_MS}ms"; then
	sed 's/^/# /' "$out.err"
	fail_rest "delay: mir-perf did not start"
fi
sweep_wait
check delay_exit_status "delay: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
# the rr mode's ends are the rr client and server: no generator agent
check delay_no_agent "delay: no generator agent was started (no agent.log in the run directory)" \
	[ ! -e "$out/agent.log" ]
check delay_rows "delay: rr.csv has its row, rr.json parses" rr_rows_complete "$out" 1
sed 's/^/# /' "$out/rr.csv"
csv=$out/rr.csv
check delay_accounted "delay: $(accounted "$csv" 1)" eval 'accounted "$csv" 1 >/dev/null'
min=$(rr_col "$csv" 1 lat_min_us)
p50=$(rr_col "$csv" 1 lat_p50_us)
tps=$(rr_col "$csv" 1 tps)
check delay_min "delay: the fastest transaction ${min:-none} us >= 2 D = $((2 * D_MS * 1000)) us" \
	awk -v m="${min:-0}" -v d=$D_MS 'BEGIN { exit !(m >= 2 * d * 1000) }'
check delay_p50 "delay: p50 ${p50:-none} us in [2 D, 2 D + $SLACK_MS ms] = [$((2 * D_MS * 1000)), $(((2 * D_MS + SLACK_MS) * 1000))] us" \
	awk -v p="${p50:-0}" -v d=$D_MS -v s=$SLACK_MS 'BEGIN { exit !(p >= 2 * d * 1000 && p <= (2 * d + s) * 1000) }'
check delay_tps "delay: ${tps:-none} transactions/s on one connection, at most 1 / 2 D = $((1000 / (2 * D_MS))) and at least half of that" \
	awk -v t="${tps:-0}" -v d=$D_MS 'BEGIN { m = 1000 / (2 * d); exit !(t <= m && t >= m / 2) }'
check delay_doc "delay: the client's own document kept (rr/point-1.json)" \
	python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(d["completed"] <= 0)' \
	"$out/rr/point-1.json"
check delay_nothing_left "delay: nothing of run $SWEEP_ID left" \
	eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'

# --- 2. the bridge: per-hop counts against the transactions
out=$tmp/bridge
sed -i 's/^duration.*/duration = 2/' "$tmp/cfg/mir-perf.conf"
if ! sweep_start "$out" --cfg "$tmp/cfg" --dut bridge --rr-sizes '1 64/1024' --streams '1 2'; then
	sed 's/^/# /' "$out.err"
	fail_rest "bridge: mir-perf did not start"
fi
sweep_wait
check bridge_exit_status "bridge: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
check bridge_rows "bridge: rr.csv has 4 rows (2 sizes x 2 connection counts), rr.json parses" \
	rr_rows_complete "$out" 4
sed 's/^/# /' "$out/rr.csv" | cut -c1-300
csv=$out/rr.csv
ok=1 why=
for r in 1 2 3 4; do
	why="$why$(accounted "$csv" $r); " || ok=0
	accounted "$csv" $r >/dev/null || ok=0
done
check bridge_accounted "bridge: $why" [ $ok -eq 1 ]

# hops_equal ROW: gen eth0, tap0, tap1 and the server's eth1 counted the
# same packets, each way.
hops_equal() {
	local way h v first
	for way in packets back_packets; do
		first=
		for h in gen_tx dut_in dut_out sink_rx; do
			v=$(rr_col "$csv" "$1" "${h}_$way")
			[ -n "$v" ] || return 1
			[ -z "$first" ] && first=$v
			[ "$v" -eq "$first" ] || return 1
		done
	done
}
ok=1
for r in 1 2 3 4; do hops_equal $r || ok=0; done
check bridge_hops_equal "bridge: every hop counted the same packets each way, at every point" [ $ok -eq 1 ]

# hops_transactions ROW: T answered <= packets each way <= 1.05 T + 20 per
# connection + 40 (handshakes, two stats connections, a pure ACK now and then)
hops_transactions() {
	local t c f b
	t=$(rr_col "$csv" "$1" server_transactions) c=$(rr_col "$csv" "$1" conns)
	f=$(rr_col "$csv" "$1" dut_in_packets) b=$(rr_col "$csv" "$1" dut_in_back_packets)
	echo "row $1: $t answered, $f packets there, $b back"
	awk -v t="${t:-0}" -v c="${c:-1}" -v f="${f:-0}" -v b="${b:-0}" \
		'BEGIN { hi = 1.05 * t + 20 * c + 40; exit !(t > 0 && f >= t && b >= t && f <= hi && b <= hi) }'
}
ok=1 why=
for r in 1 2 3 4; do
	why="$why$(hops_transactions $r); "
	hops_transactions $r >/dev/null || ok=0
done
check bridge_hops_transactions "bridge: a packet each way per transaction: $why" [ $ok -eq 1 ]
check bridge_plot "bridge: the latency plot drawn (plots/rr_latency_vs_size.png, a block per connection count)" \
	eval '[ -s "$out/plots/rr_latency_vs_size.png" ] && grep -q "^1 64/1024 " "$out/plots/rr.dat" && [ "$(grep -c "^0 1 " "$out/plots/rr.dat")" -eq 2 ]'
check bridge_report "bridge: report.html has the rr table and the plot" \
	eval 'grep -q "TCP request/response through the DUT" "$out/report.html" && grep -q "rr_latency_vs_size.svg" "$out/report.html"'
check bridge_nothing_left "bridge: nothing of run $SWEEP_ID left" \
	eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'

# --- 3. a lossy DUT: timeouts counted, connections replaced
out=$tmp/lossy
if ! sweep_start "$out" --cfg "$tmp/cfg" --rr-timeout 100ms \
	--dut "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1 --bidir --drop-every 50"; then
	sed 's/^/# /' "$out.err"
	fail_rest "lossy: mir-perf did not start"
fi
sweep_wait
check lossy_exit_status "lossy: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
sed 's/^/# /' "$out/rr.csv" | cut -c1-300
csv=$out/rr.csv
s=$(rr_col "$csv" 1 started) c=$(rr_col "$csv" 1 completed) t=$(rr_col "$csv" 1 timed_out)
f=$(rr_col "$csv" 1 failed) u=$(rr_col "$csv" 1 unfinished) n=$(rr_col "$csv" 1 connects)
# lost during the warm-up too (the client's own document): each loss opens a new connection
wl=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["warmup_lost"])' "$out/rr/point-1.json" 2>/dev/null)
check lossy_accounted "lossy: ${s:-?} started = ${c:-?} completed + ${t:-?} timed out + ${f:-?} failed + ${u:-?} unfinished" \
	eval '[ -n "$s" ] && [ "$c" -gt 0 ] && [ "$s" -eq $((c + t + f + u)) ]'
check lossy_timed_out "lossy: some transactions timed out (${t:-none}), and no completed one took 100 ms or more (max $(rr_col "$csv" 1 lat_max_us) us)" \
	awk -v t="${t:-0}" -v m="$(rr_col "$csv" 1 lat_max_us)" 'BEGIN { exit !(t > 0 && m != "" && m < 100000) }'
check lossy_reconnected "lossy: new connections after the losses: ${n:-?} opened, more than 1 and at most 1 + ${t:-?} timed out + ${f:-?} failed + ${wl:-?} lost in the warm-up" \
	eval '[ -n "$n" ] && [ -n "$wl" ] && [ "$n" -gt 1 ] && [ "$n" -le $((1 + t + f + wl)) ]'
