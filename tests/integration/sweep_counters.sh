#!/usr/bin/env bash
# The stats mir-perf writes equal the kernel's own counters, read here by the
# test itself while the run goes on, within 1 %: for the bridge and fwd DUTs,
# the per-point frame counts of every hop summed over the points, the frames
# the agent says it sent and the sink says it received.
ALL_TESTS="$(echo {bridge,fwd}_{started,run_id,exit_status,rows,hops,sent,received,nothing_left})"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-sweep-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 2 1 1

# read_counters ID: "eth0_tx tap0_tx tap1_rx eth1_rx" from the kernel, or nothing.
read_counters() {
	local g h
	g=$(sweep_link_counters "mp-$1-gen") && h=$(sweep_link_counters "mp-$1") || return 1
	printf '%s\n' "$g" "$h" | awk '
		$1 == "eth0" { e0 = $3 } $1 == "eth1" { e1 = $2 }
		$1 == "tap0" { t0 = $3 } $1 == "tap1" { t1 = $2 }
		END { if (e0 == "" || e1 == "" || t0 == "" || t1 == "") exit 1; print e0, t0, t1, e1 }'
}

for dut in bridge fwd; do
	out=$tmp/$dut
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --sizes 64,512 --rates 20k,50k; then
		fail "${dut}_started" "$dut: mir-perf started"
		sed 's/^/# /' "$out.err"
		continue # the checks of this DUT are reported not run at exit
	fi
	pass "${dut}_started" "$dut: mir-perf started (run $SWEEP_ID)"
	check "${dut}_run_id" "$dut: $out/run-id ($SWEEP_ID) names the run's namespaces" \
		sweep_wait_for_ns "$SWEEP_ID"
	last=
	while kill -0 "$SWEEP_PID" 2>/dev/null; do
		c=$(read_counters "$SWEEP_ID") && last=$c
		sleep 0.1
	done
	sweep_wait
	check "${dut}_exit_status" "$dut: exit status 0, or 1 for a generator this busy machine held back (was $SWEEP_RC)" \
		sweep_completed "$out"
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	rows=$(grep -vc '^#' "$out/stats" 2>/dev/null || echo 0)
	check "${dut}_rows" "$dut: 4 complete rows in stats, stats.csv, stats.json (got $rows)" \
		eval '[ "$rows" -eq 4 ] && sweep_rows_complete "$out"'
	read -r k_eth0 k_tap0 k_tap1 k_eth1 <<<"${last:-0 0 0 0}"
	diag "$dut: kernel eth0 tx $k_eth0, tap0 tx $k_tap0, tap1 rx $k_tap1, eth1 rx $k_eth1"
	ok=1 msg=
	for pair in "gen_tx_pkts $k_eth0" "dut_in_pkts $k_tap0" "dut_out_pkts $k_tap1" \
		"sink_rx_pkts $k_eth1"; do
		set -- $pair
		s=$(sweep_csv_sum "$out/stats.csv" "$1")
		msg="$msg $1=$s/kernel=$2"
		sweep_within "$s" "$2" 1 || ok=0
	done
	check "${dut}_hops" "$dut: per-hop frames in stats.csv = kernel counters within 1 % ($msg)" [ $ok = 1 ]
	sent=$(sweep_csv_sum "$out/stats.csv" sent)
	recv=$(sweep_csv_sum "$out/stats.csv" received)
	check "${dut}_sent" "$dut: frames the agent sent ($sent) = kernel eth0 tx ($k_eth0) within 1 %" \
		sweep_within "$sent" "$k_eth0" 1
	check "${dut}_received" "$dut: frames the sink received ($recv) = kernel eth1 rx ($k_eth1) within 1 %" \
		sweep_within "$recv" "$k_eth1" 1
	check "${dut}_nothing_left" "$dut: no namespace of the run left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
done
