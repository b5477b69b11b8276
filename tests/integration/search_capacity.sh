#!/usr/bin/env bash
# The search against DUTs of known capacity R (the fwd DUT, mir-trafgen fwd
# --max-pps R, for two R): the NDR found is within 2 % of R, the PDR is at
# least the NDR, every trial is in trials.csv and in stats.csv, and the
# search's plots are drawn.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
need_root 14 "runs mir-perf on the local platform"
[ -x "$MP_BIN/mir-perf" ] || { for i in $(seq 14); do tap_skip "no $MP_BIN/mir-perf"; done; exit 0; }

tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 2 0.5 0.5


for R in 10000 20000; do
	out=$tmp/r$R
	dut="fwd --max-pps $R"
	if ! search_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64 --search ndr,pdr; then
		tap_fail "R=$R: mir-perf started"
		sed 's/^/# /' "$out.err"
		for i in $(seq 6); do tap_skip "no run"; done
		continue
	fi
	tap_ok "R=$R: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	tap_check "R=$R: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	tap_check "R=$R: every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
		rates_ordered "$out"
	sed 's/^/# /' "$out/search"
	ndr=$(search_col "$out/search.csv" 64 ndr lower_pps)
	pdr=$(search_col "$out/search.csv" 64 pdr lower_pps)
	search_truth "R=$R: NDR ${ndr:-none} pps within 2 % of $R" sweep_within "${ndr:-0}" "$R" 2
	tap_check "R=$R: PDR ${pdr:-none} >= NDR ${ndr:-none}" \
		awk -v p="${pdr:-0}" -v n="${ndr:-1}" 'BEGIN { exit !(p >= n && n > 0) }'
	trials=$(search_col "$out/search.csv" 64 ndr trials)
	rows=$(($(wc -l <"$out/trials.csv") - 1))
	points=$(($(wc -l <"$out/stats.csv") - 1))
	tap_check "R=$R: $trials trials = $rows rows of trials.csv = $points points of stats.csv" \
		[ "${trials:-0}" -gt 0 -a "${trials:-0}" -eq "$rows" -a "$rows" -eq "$points" ]
	tap_check "R=$R: search plots drawn" \
		[ -s "$out/plots/search_rate.png" -a -s "$out/plots/search_trials_64.svg" ]
done
