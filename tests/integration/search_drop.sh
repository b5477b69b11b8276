#!/usr/bin/env bash
# A DUT that loses every Nth frame (mir-trafgen fwd --drop-every N) has no
# loss-free rate at all: the search reports no NDR, and a PDR (loss <= 0.5 %)
# only when 1/N is within that tolerance.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
need_root 12 "runs mir-perf on the local platform"
[ -x "$MP_BIN/mir-perf" ] || { for i in $(seq 12); do tap_skip "no $MP_BIN/mir-perf"; done; exit 0; }

tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
# 1 s trials throughout: what is measured here is whether loss is there, not where
sweep_cfg "$tmp/cfg" 1 0.5 0.3


for N in 100 1000; do
	out=$tmp/drop$N
	dut="fwd --drop-every $N"
	if ! search_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64 --search ndr,pdr \
		--max-rate 50k; then
		tap_fail "N=$N: mir-perf started"
		sed 's/^/# /' "$out.err"
		for i in $(seq 5); do tap_skip "no run"; done
		continue
	fi
	tap_ok "N=$N: mir-perf started (run $SWEEP_ID)"
	sweep_wait
	tap_check "N=$N: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	tap_check "N=$N: every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
		rates_ordered "$out"
	sed 's/^/# /' "$out/search"
	tap_check "N=$N: no NDR: found=$(search_col "$out/search.csv" 64 ndr found), lossy down to $(search_col "$out/search.csv" 64 ndr upper_pps) pps" \
		[ "$(search_col "$out/search.csv" 64 ndr found)" = 0 ]
	tap_check "N=$N: the table says there is none" \
		grep -qE '^ +64 +NDR +none \(loss down to' "$out/search"
	if [ $N -eq 100 ]; then
		tap_check "N=100: 1 % > 0.5 %: no PDR either (found=$(search_col "$out/search.csv" 64 pdr found))" \
			[ "$(search_col "$out/search.csv" 64 pdr found)" = 0 ]
	else
		search_truth "N=1000: 0.1 % <= 0.5 %: a PDR of $(search_col "$out/search.csv" 64 pdr lower_pps) pps" \
			[ "$(search_col "$out/search.csv" 64 pdr found)" = 1 ]
	fi
done
