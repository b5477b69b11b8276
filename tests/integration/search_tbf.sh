#!/usr/bin/env bash
# The search against the kernel bridge DUT whose path to the sink is limited by
# a tbf qdisc to R 64-byte frames per second (on gen1, the if2 port towards the
# sink, in the run's harness namespace): the first trial already went through
# the tbf, the NDR found is between R less 2 % and the most the tbf lets
# through without loss in a final trial (see search_common.bash), and the PDR
# is at least the NDR.
ALL_TESTS="started tbf_installed exit_status rates_ordered first_trial ndr pdr"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/search_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"
require_cmd tc iproute2

R=3000
T=3 # final trials of T s
tmp=$(mktemp -d /tmp/mp-t-search-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" $T 0.5 0.5

# tbf_install ID: as soon as gen1 exists in mp-ID, limit its egress to R frames
# of 60 bytes (64 with FCS) per second, with a bucket of B frames and a queue
# of Q: D = B + Q = 230 frames, 77 ms of the generator's stalls at R. A trial of
# T s at r then loses frames once (r - R) T > D: the NDR is at most R + D / T.
B=30 Q=200
tbf_install() {
	local i
	for ((i = 0; i < 1000; i++)); do
		if ip -n "mp-$1" link show gen1 >/dev/null 2>&1; then
			tc -n "mp-$1" qdisc replace dev gen1 root tbf rate $((R * 60 * 8))bit \
				burst $((B * 60)) limit $((Q * 60)) 2>"$tmp/tbf.err" && echo "$i" >"$tmp/tbf.ok"
			return
		fi
		sleep 0.01
	done
}

out=$tmp/tbf
# The top rate 4 R: the first trial floods the tbf, and everything stays a few
# kpps, which a busy machine still does on time.
if ! search_start "$out" --cfg "$tmp/cfg" --dut bridge --sizes 64 --search ndr,pdr \
	--max-rate $((R * 4)); then
	sed 's/^/# /' "$out.err"
	fail_rest "mir-perf did not start"
fi
pass started "mir-perf started (run $SWEEP_ID)"
tbf_install "$SWEEP_ID"
check tbf_installed "tbf installed on mp-$SWEEP_ID gen1 $(cat "$tmp/tbf.err" 2>/dev/null)" [ -s "$tmp/tbf.ok" ]
sweep_wait
check exit_status "exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
check rates_ordered "every trial's rates in path order (sink <= DUT out <= DUT in <= offered)" \
	rates_ordered "$out"
sed 's/^/# /' "$out/search"
# The first trial, at 4 R, already went through the tbf: the sink got about R,
# where the bridge alone forwards all 4 R. Its rx rate is the frames received
# over the generator's 1 s: the bucket and queue arriving on top, and frames
# the kernel still held upstream when the generator stopped, put it above R;
# 1.5 R still tells the tbf from no tbf, whatever the load.
read -r off first < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	NR == 2 { print $c["offered_pps"], $c["rx_pps"] }' "$out/trials.csv")
check first_trial "the first trial went through the tbf: offered ${off:-?} pps (>= 3 R), the sink got ${first:-?} (<= 1.5 R, R = $R)" \
	awk -v o="${off:-0}" -v x="${first:-1e9}" -v r="$R" 'BEGIN { exit !(o >= 3 * r && x > 0 && x <= r * 1.5) }'
hi=$(awk -v r=$R -v d=$((B + Q)) -v t=$T 'BEGIN { printf "%.1f", r + d / t }')
ndr=$(search_col "$out/search.csv" 64 ndr lower_pps)
pdr=$(search_col "$out/search.csv" 64 pdr lower_pps)
check ndr "NDR ${ndr:-none} pps between $R - 2 % and $hi (R + $((B + Q)) frames over $T s)" \
	search_between "${ndr:-0}" "$((R * 98 / 100))" "$hi"
check pdr "PDR ${pdr:-none} >= NDR ${ndr:-none}" \
	awk -v p="${pdr:-0}" -v n="${ndr:-1}" 'BEGIN { exit !(p >= n && n > 0) }'
