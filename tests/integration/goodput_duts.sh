#!/usr/bin/env bash
# The goodput mode through each kind of local DUT that forwards both ways:
# mir-trafgen fwd --bidir (fwd: the harness adds --bidir), tap-fwd, and an
# exec: DUT (mir-trafgen fwd --tap --bidir as a program of the user's). TCP
# goodput flows, the data crosses every hop and the ACKs come back the other
# way, iperf3's document is kept, the run leaves nothing behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/goodput_common.bash"
need_root 15 "runs mir-perf on the local platform"
[ -x "$MP_BIN/mir-perf" ] || { for i in $(seq 15); do tap_skip "no $MP_BIN/mir-perf"; done; exit 0; }
command -v iperf3 >/dev/null || { for i in $(seq 15); do tap_skip "no iperf3 (make deps)"; done; exit 0; }

tmp=$(mktemp -d /tmp/mp-t-goodput-XXXXXX)
on_exit "rm -rf $tmp"
goodput_cfg "$tmp/cfg" 2 0

# through NAME DUT: 5 tests
through() {
	local name=$1 dut=$2 out=$tmp/$1 gp data acks
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --bufsizes 8192; then
		tap_fail "$name: mir-perf started"
		sed 's/^/# /' "$out.err"
		for i in 1 2 3 4; do tap_skip "no run"; done
		return
	fi
	sweep_wait
	tap_check "$name: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	gp=$(goodput_col "$out/goodput.csv" tcp goodput_mbps)
	tap_check "$name: TCP goodput ${gp:-none} Mbit/s > 0, rows complete" \
		eval 'goodput_rows_complete "$out" && awk -v g="${gp:-0}" "BEGIN { exit !(g > 0) }"'
	# what iperf3 received crossed the DUT: tap1 (DUT out) carried at least its bytes
	data=$(goodput_col "$out/goodput.csv" tcp dut_out_bytes)
	acks=$(goodput_col "$out/goodput.csv" tcp dut_in_back_packets)
	tap_check "$name: DUT out carried ${data:-none} bytes >= iperf3's $(goodput_col "$out/goodput.csv" tcp bytes_received), ${acks:-none} ACK packets came back into tap0" \
		awk -v d="${data:-0}" -v r="$(goodput_col "$out/goodput.csv" tcp bytes_received)" \
		-v a="${acks:-0}" 'BEGIN { exit !(r > 0 && d >= r && a > 0) }'
	tap_check "$name: iperf3's own document kept" \
		python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit("server_output_json" not in d)' \
		"$out/iperf3/point-1.json"
	tap_check "$name: nothing of run $SWEEP_ID left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
}

through fwd fwd
through tap-fwd tap-fwd
through exec "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1 --bidir"
