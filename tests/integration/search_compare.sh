#!/usr/bin/env bash
# compare on real searches: two runs of the same DUT (capacity R) show no
# regression; R against R/2 shows one (exit 3 with --fail-on-regression).
# R against R/2 is measured in one go (--dut twice), which compares by itself.
# R is a few kpps (see search_common.bash): the same DUT measures the same on
# a busy machine.
ALL_TESTS="pair_started pair_exit_status pair_rates_ordered pair_compared again_exit_status
	again_rates_ordered same_status
	same_no_regression half_status half_regression half_plot"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

R=4000
tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 3 0.5 0.5
fwd="fwd --max-burst 250ms --max-pps" # a 250 ms queue: see search_capacity.sh

out=$tmp/pair
if ! search_start "$out" --cfg "$tmp/cfg" --dut "$fwd $R" --dut "$fwd $((R / 2))" --sizes 64 \
	--search ndr --max-rate $((R * 4)); then
	sed 's/^/# /' "$out.err"
	fail_rest "R against R/2: mir-perf did not start"
fi
pass pair_started "R against R/2: mir-perf started (run $SWEEP_ID)"
sweep_wait
check pair_exit_status "exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
check pair_rates_ordered "A and B: every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
	eval 'rates_ordered "$out/a" && rates_ordered "$out/b"'
sed 's/^/# /' "$out.out"
pair_ok() { [ -s "$out/a/search.csv" ] && [ -s "$out/b/search.csv" ] && grep -q 'yes, B lower' "$out.out"; }
check pair_compared "both runs in $out/a and $out/b, and the comparison printed: B lower beyond noise" pair_ok

again=$tmp/again
if search_start "$again" --cfg "$tmp/cfg" --dut "$fwd $R" --sizes 64 --search ndr \
	--max-rate $((R * 4)); then
	sweep_wait
else
	SWEEP_RC=1
fi
check again_exit_status "the same DUT again: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
check again_rates_ordered "the same DUT again: every trial's rates in path order" rates_ordered "$again"

"$MP_BIN/mir-perf" compare --fail-on-regression 5 "$out/a" "$again" >"$tmp/same.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/same.out"
check same_status "compare of two runs of the same DUT: status 0 (was $rc)" [ $rc -eq 0 ]
check same_no_regression "... and no regression reported" grep -q ', 0 regressed' "$tmp/same.out"

"$MP_BIN/mir-perf" compare --fail-on-regression 5 "$out/a" "$out/b" >"$tmp/half.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/half.out"
check half_status "compare of R against R/2: status 3 (was $rc)" [ $rc -eq 3 ]
check half_regression "... reporting the regression" grep -q 'REGRESSION' "$tmp/half.out"
check half_plot "comparison plot drawn" [ -s "$out/b/compare-vs-a/compare.png" ]
