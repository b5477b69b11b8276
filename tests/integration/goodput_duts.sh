#!/usr/bin/env bash
# The goodput mode through each kind of local DUT that forwards both ways:
# mir-trafgen fwd --bidir (fwd: the harness adds --bidir), tap-fwd, and an
# exec: DUT (mir-trafgen fwd --tap --bidir as a program of the user's). TCP
# goodput flows, the data crosses every hop and the ACKs come back the other
# way, iperf3's document is kept, the run leaves nothing behind.
ALL_TESTS="$(echo {fwd,tap_fwd,exec}_{exit_status,goodput,hops,iperf3_doc,nothing_left})"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/goodput_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"
require_cmd iperf3 iperf3

tmp=$(mktemp -d /tmp/mp-t-goodput-XXXXXX)
on_exit "rm -rf $tmp"
goodput_cfg "$tmp/cfg" 2 0

# through NAME DUT: 5 checks, NAME_{exit_status,goodput,hops,iperf3_doc,nothing_left}
# (NAME's - as _)
through() {
	local name=$1 dut=$2 out=$tmp/$1 gp data acks t=${1//-/_}
	if ! sweep_start "$out" --cfg "$tmp/cfg" --dut "$dut" --bufsizes 8192; then
		sed 's/^/# /' "$out.err"
		not_run "$name: mir-perf did not start" "${t}_exit_status" "${t}_goodput" "${t}_hops" \
			"${t}_iperf3_doc" "${t}_nothing_left"
		return
	fi
	sweep_wait
	check "${t}_exit_status" "$name: exit status 0 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 0 ]
	[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
	gp=$(goodput_col "$out/goodput.csv" tcp goodput_mbps)
	check "${t}_goodput" "$name: TCP goodput ${gp:-none} Mbit/s > 0, rows complete" \
		eval 'goodput_rows_complete "$out" && awk -v g="${gp:-0}" "BEGIN { exit !(g > 0) }"'
	# what iperf3 received crossed the DUT: tap1 (DUT out) carried at least its bytes
	data=$(goodput_col "$out/goodput.csv" tcp dut_out_bytes)
	acks=$(goodput_col "$out/goodput.csv" tcp dut_in_back_packets)
	check "${t}_hops" "$name: DUT out carried ${data:-none} bytes >= iperf3's $(goodput_col "$out/goodput.csv" tcp bytes_received), ${acks:-none} ACK packets came back into tap0" \
		awk -v d="${data:-0}" -v r="$(goodput_col "$out/goodput.csv" tcp bytes_received)" \
		-v a="${acks:-0}" 'BEGIN { exit !(r > 0 && d >= r && a > 0) }'
	check "${t}_iperf3_doc" "$name: iperf3's own document kept" \
		python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit("server_output_json" not in d)' \
		"$out/iperf3/point-1.json"
	check "${t}_nothing_left" "$name: nothing of run $SWEEP_ID left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
}

through fwd fwd
through tap-fwd tap-fwd
through exec "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1 --bidir"
