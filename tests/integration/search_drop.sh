#!/usr/bin/env bash
# A DUT that loses every Nth frame (mir-trafgen fwd --drop-every N) has no
# loss-free rate at all: the search reports no NDR, and a PDR (loss <= 0.5 %)
# only when 1/N is within that tolerance. The top rate (10 kpps) is well below
# what a busy machine forwards, and a trial of 2 s at the search's lowest rate
# (1 kpps) still carries 2000 frames: every trial loses at least one.
ALL_TESTS="$(echo n{100,1000}_{started,exit_status,rates_ordered,no_ndr,table_none}) n100_no_pdr n1000_pdr"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
# 2 s trials throughout: what is measured here is whether loss is there, not where
sweep_cfg "$tmp/cfg" 2 0.5 0.3

for N in 100 1000; do
	out=$tmp/drop$N
	dut="fwd --drop-every $N"
	if ! search_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64 --search ndr,pdr \
		--max-rate 10k; then
		fail "n${N}_started" "N=$N: mir-perf started"
		sed 's/^/# /' "$out.err"
		continue # this N's other checks are reported not run at exit
	fi
	pass "n${N}_started" "N=$N: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	check "n${N}_exit_status" "N=$N: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ] ||
		sed 's/^/# /' "$out.err"
	check "n${N}_rates_ordered" "N=$N: every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
		rates_ordered "$out"
	sed 's/^/# /' "$out/search"
	check "n${N}_no_ndr" "N=$N: no NDR: found=$(search_col "$out/search.csv" 64 ndr found), lossy down to $(search_col "$out/search.csv" 64 ndr upper_pps) pps" \
		[ "$(search_col "$out/search.csv" 64 ndr found)" = 0 ]
	check "n${N}_table_none" "N=$N: the table says there is none" \
		grep -qE '^ +64 +NDR +none \(loss down to' "$out/search"
	if [ $N -eq 100 ]; then
		check n100_no_pdr "N=100: 1 % > 0.5 %: no PDR either (found=$(search_col "$out/search.csv" 64 pdr found))" \
			[ "$(search_col "$out/search.csv" 64 pdr found)" = 0 ]
	else
		check n1000_pdr "N=1000: 0.1 % <= 0.5 %: a PDR of $(search_col "$out/search.csv" 64 pdr lower_pps) pps" \
			[ "$(search_col "$out/search.csv" 64 pdr found)" = 1 ]
	fi
done
