#!/usr/bin/env bash
# A DUT of known capacity: an exec: DUT that puts a tbf qdisc of R frames/s
# on tap0 (what the DUT reads) and then forwards with mir-trafgen fwd --tap.
# The highest loss-free rate mir-perf reports, and the knee of the
# received-vs-offered curve (the most the sink ever got), are within 5 % of R.
# (tbf: its 50 ms queue absorbs the scheduling stalls of a busy shared
# machine; R is a few kpps for the same reason, see search_common.bash: at
# 10 kpps a machine with one core kept busy lost 0.7 % at 9.6 kpps.)
ALL_TESTS="started exit_status rates_ordered best knee plots"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf" "$MP_BIN/mir-trafgen"

R=4000
bits=$((R * 60 * 8)) # a 64-byte frame is 60 bytes to the qdisc (no FCS)
tmp=$(mktemp -d /tmp/mp-t-sweep-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 2 1 1
out=$tmp/cap
dut="exec:sh -c 'tc qdisc replace dev tap0 root tbf rate ${bits}bit burst 1600 latency 50ms \
&& exec $MP_BIN/mir-trafgen fwd --in tap0 --out tap1 --tap'"
# The DUT installs a qdisc (CAP_NET_ADMIN): the rare DUT that needs root.
if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --dut-as-root --sizes 64 \
	--rates 2.8k,3.4k,3.84k,3.96k,4.12k,4.4k,5.2k; then
	sed 's/^/# /' "$out.err"
	fail_rest "mir-perf did not start"
fi
pass started "mir-perf started (run $SWEEP_ID)"
sweep_wait
check exit_status "exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
check rates_ordered "every point's rates in path order (sink <= DUT out <= DUT in <= offered)" \
	rates_ordered "$out"
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
sed 's/^/# /' "$out/stats"

# The stats summary line, as a user reads it.
best=$(sed -n 's/^# highest loss-free rate at 64 B: \([0-9]*\) pps.*/\1/p' "$out/stats")
check best "highest loss-free rate ${best:-none} pps within 5 % of $R" \
	sweep_within "${best:-0}" "$R" 5
knee=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "sink_rx_pps") c = i; next }
	$c > m { m = $c } END { printf "%d\n", m }' "$out/stats.csv")
check knee "knee: the sink got at most ${knee} pps, within 5 % of $R" sweep_within "$knee" "$R" 5
check plots "plots rendered" [ -s "$out/plots/rx_vs_offered.png" ]
