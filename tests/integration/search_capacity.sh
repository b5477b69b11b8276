#!/usr/bin/env bash
# The search against DUTs of known capacity R (the fwd DUT, mir-trafgen fwd
# --max-pps R, for two R of a few kpps): the NDR found is between R less 2 %
# and the most a DUT of capacity R lets through without loss in a final trial
# (see search_common.bash), the PDR is at least the NDR, every trial is in
# trials.csv and in stats.csv, and the search's plots are drawn.
# The DUT's bucket is 250 ms deep (a queue of R/4 frames): with one core kept
# busy and the load at 13, the generator stalls for more than the default
# 50 ms and sends what was due at once, and a 50 ms bucket turned that burst
# into loss (NDR 3857 for R = 4000, seen in CI). The final trials are 5 s, so
# such a DUT lets through at most R + 5 %.
ALL_TESTS="$(echo r{2000,4000}_{started,exit_status,rates_ordered,ndr,pdr,trials,plots})"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
T=5 # final trials of T s
B=250 # ms of the DUT's token bucket
sweep_cfg "$tmp/cfg" $T 0.5 0.5

for R in 2000 4000; do
	out=$tmp/r$R
	dut="fwd --max-pps $R --max-burst ${B}ms"
	# fwd --max-pps R: a token bucket of B ms (R * B / 1000 frames) on the
	# frames' kernel arrival times (trafgen/fwd.c)
	hi=$(awk -v r=$R -v t=$T -v b=$B 'BEGIN { printf "%.1f", r + r * b / 1000 / t }')
	if ! search_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64 --search ndr,pdr \
		--max-rate $((R * 4)); then
		fail "r${R}_started" "R=$R: mir-perf started"
		sed 's/^/# /' "$out.err"
		continue # this R's other checks are reported not run at exit
	fi
	pass "r${R}_started" "R=$R: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	check "r${R}_exit_status" "R=$R: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ] ||
		sed 's/^/# /' "$out.err"
	check "r${R}_rates_ordered" "R=$R: every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
		rates_ordered "$out"
	sed 's/^/# /' "$out/search"
	ndr=$(search_col "$out/search.csv" 64 ndr lower_pps)
	pdr=$(search_col "$out/search.csv" 64 pdr lower_pps)
	check "r${R}_ndr" "R=$R: NDR ${ndr:-none} pps between $R - 2 % and $hi (R + $B ms of tokens over $T s)" \
		search_between "${ndr:-0}" "$((R * 98 / 100))" "$hi"
	check "r${R}_pdr" "R=$R: PDR ${pdr:-none} >= NDR ${ndr:-none}" \
		awk -v p="${pdr:-0}" -v n="${ndr:-1}" 'BEGIN { exit !(p >= n && n > 0) }'
	trials=$(search_col "$out/search.csv" 64 ndr trials)
	rows=$(($(wc -l <"$out/trials.csv") - 1))
	points=$(($(wc -l <"$out/stats.csv") - 1))
	check "r${R}_trials" "R=$R: $trials trials = $rows rows of trials.csv = $points points of stats.csv" \
		[ "${trials:-0}" -gt 0 -a "${trials:-0}" -eq "$rows" -a "$rows" -eq "$points" ]
	check "r${R}_plots" "R=$R: search plots drawn" \
		[ -s "$out/plots/search_rate.png" -a -s "$out/plots/search_trials_64.svg" ]
done
