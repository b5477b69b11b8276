#!/usr/bin/env bash
# compare on real searches: two runs of the same DUT (capacity R) show no
# regression; R against R/2 shows one (exit 3 with --fail-on-regression).
# R against R/2 is measured in one go (--dut twice), which compares by itself.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
need_root 11 "runs mir-perf on the local platform"
[ -x "$MP_BIN/mir-perf" ] || { for i in $(seq 11); do tap_skip "no $MP_BIN/mir-perf"; done; exit 0; }

R=20000
tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 2 0.5 0.5
fwd="fwd --max-pps"

out=$tmp/pair
if ! search_start "$out" --cfg "$tmp/cfg" --dut "$fwd $R" --dut "$fwd $((R / 2))" --sizes 64 \
	--search ndr; then
	tap_fail "R against R/2: mir-perf started"
	sed 's/^/# /' "$out.err"
	for i in $(seq 10); do tap_skip "no run"; done
	exit 0
fi
tap_ok "R against R/2: mir-perf started (run $SWEEP_ID)"
sweep_wait
tap_check "exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
tap_check "A and B: every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
	eval 'rates_ordered "$out/a" && rates_ordered "$out/b"'
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
sed 's/^/# /' "$out.out"
pair_ok() { [ -s "$out/a/search.csv" ] && [ -s "$out/b/search.csv" ] && grep -q 'yes, B lower' "$out.out"; }
tap_check "both runs in $out/a and $out/b, and the comparison printed: B lower beyond noise" pair_ok

again=$tmp/again
if search_start "$again" --cfg "$tmp/cfg" --dut "$fwd $R" --sizes 64 --search ndr; then
	sweep_wait
else
	SWEEP_RC=1
fi
tap_check "the same DUT again: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
tap_check "the same DUT again: every trial's rates in path order" rates_ordered "$again"

"$MP_BIN/mir-perf" compare --fail-on-regression 5 "$out/a" "$again" >"$tmp/same.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/same.out"
search_truth "compare of two runs of the same DUT: status 0 (was $rc)" [ $rc -eq 0 ]
search_truth "... and no regression reported" grep -q ', 0 regressed' "$tmp/same.out"

"$MP_BIN/mir-perf" compare --fail-on-regression 5 "$out/a" "$out/b" >"$tmp/half.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/half.out"
tap_check "compare of R against R/2: status 3 (was $rc)" [ $rc -eq 3 ]
tap_check "... reporting the regression" grep -q 'REGRESSION' "$tmp/half.out"
tap_check "comparison plot drawn" [ -s "$out/b/compare-vs-a/compare.png" ]
