#!/usr/bin/env bash
# Frames pass through every DUT kind of the local platform, 64 B and jumbo:
# probe frames sent on the generator's eth0 arrive on eth1, and the kernel's
# own counters (read here) saw them at tap0 and tap1.
ALL_TESTS="$(echo {bridge,fwd,tapfwd,exec}_{frames64,jumbo,tap0,tap1_eth1,no_stray,nothing_left})
	bridge_rps badsum"
. "$(dirname "$0")/../lib.sh"
require_root "the local platform's namespaces"
. "$MP_TOP/tests/lib_local.sh"
require_built "$DRIVE" "$MP_BIN/mir-trafgen"
N=2000
NJ=200

counter() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }

# through NAME DUT: checks NAME_frames64 ... NAME_nothing_left
through() {
	local n=$1 d=$2 out pid got gotj tx0 rx1 rx
	next_id
	out=$RUNDIR/$ID.out
	"$DRIVE" "${DRIVE_ARGS[@]}" --run-id "$ID" --dut "$d" probe=$N size=9018 probe=$NJ:9018 hold \
		>"$out" 2>&1 &
	pid=$!
	on_exit "kill -9 $pid; $DRIVE --wait-lock 5s --cleanup"
	if ! wait_for "$out" '^ready' "$LOCK_WAIT"; then
		not_run "$d: run did not come up: $(tr '\n' ' ' <"$out")" "${n}_frames64" "${n}_jumbo" \
			"${n}_tap0" "${n}_tap1_eth1" "${n}_no_stray" "${n}_nothing_left"
		kill -9 "$pid"
		return
	fi
	got=$(sed -n "s/^probe sent $N received \([0-9]*\) size 64\$/\1/p" "$out")
	gotj=$(sed -n "s/^probe sent $NJ received \([0-9]*\) size 9018\$/\1/p" "$out")
	tx0=$(counter "mp-$ID" tap0 tx_packets)
	rx1=$(counter "mp-$ID" tap1 rx_packets)
	rx=$(counter "mp-$ID-gen" eth1 rx_packets)
	diag "$d: 64 B $got/$N, 9018 B $gotj/$NJ; tap0 tx $tx0, tap1 rx $rx1, eth1 rx $rx"
	# paced at 20 kpps: every frame must arrive
	check "${n}_frames64" "$d: all $N 64 B frames arrived" [ "${got:-0}" -eq $N ]
	check "${n}_jumbo" "$d: all $NJ 9018 B frames arrived (MTU 9000 on every hop)" [ "${gotj:-0}" -eq $NJ ]
	check "${n}_tap0" "$d: kernel: tap0 sent them to the DUT" [ "${tx0:-0}" -ge $((N + NJ)) ]
	check "${n}_tap1_eth1" "$d: kernel: tap1 got them from the DUT, eth1 received them" \
		[ "${rx1:-0}" -ge $((N + NJ)) -a "${rx:-0}" -ge $((N + NJ)) ]
	# readiness probes aside, nothing else (IGMP, IPv6 ND, STP) crossed the path
	check "${n}_no_stray" "$d: no stray frames on the path (eth1 rx $rx <= $((N + NJ + 20)))" \
		[ "${rx:-0}" -le $((N + NJ + 20)) ]
	# the bridge's receive processing on the last core of its own (RPS on the
	# DUT's veths): without it the bridge forwards in the sender's softirq
	if [ "$d" = bridge ]; then
		local want rps0 rps1
		# one CPU: no core to give, no mask (all zeros)
		want=$([ "$(nproc)" -ge 2 ] && printf %x $((1 << ($(nproc) - 1))))
		rps0=$(ip netns exec "mp-$ID-dut" cat /sys/class/net/tap0/queues/rx-0/rps_cpus | tr -d ',' | sed 's/^0*//')
		rps1=$(ip netns exec "mp-$ID-dut" cat /sys/class/net/tap1/queues/rx-0/rps_cpus | tr -d ',' | sed 's/^0*//')
		check bridge_rps "bridge: the DUT's tap0/tap1 steer their receive processing to the last CPU (rps_cpus '$rps0'/'$rps1', want '$want')" \
			[ "$rps0" = "$want" -a "$rps1" = "$want" ]
	fi
	kill -TERM "$pid"
	wait "$pid"
	check "${n}_nothing_left" "$d: torn down, nothing left" nothing_left "$ID"
}

through bridge bridge
through fwd fwd
through tapfwd tap-fwd
through exec "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1"

# br_netfilter out of the path: a frame with a zero IPv4 header checksum, which
# br_netfilter would drop, crosses the three bridges of the bridge DUT.
if command -v trafgen >/dev/null; then
	next_id
	out=$RUNDIR/$ID.out
	"$DRIVE" "${DRIVE_ARGS[@]}" --run-id "$ID" --dut bridge hold >"$out" 2>&1 &
	pid=$!
	on_exit "kill -9 $pid; $DRIVE --wait-lock 5s --cleanup"
	if wait_for "$out" '^ready' "$LOCK_WAIT"; then
		cat >"$RUNDIR/badsum.cfg" <<-EOF
			{ 0x02,0x6d,0x70,0x00,0x00,0x02, 0x02,0x6d,0x70,0x00,0x00,0x01, 0x08,0x00,
			  0x45,0x00,0x00,0x2e, 0x00,0x00,0x00,0x00, 0x40,0x11,0x00,0x00,
			  198,18,0,1, 198,19,0,1, 0x27,0x10,0x00,0x09,0x00,0x1a,0x00,0x00, fill(0x00, 18) }
		EOF
		before=$(counter "mp-$ID-gen" eth1 rx_packets)
		ip netns exec "mp-$ID-gen" trafgen --dev eth0 --conf "$RUNDIR/badsum.cfg" -n 100 \
			-t 100us -q >/dev/null 2>&1
		sleep 0.5
		after=$(counter "mp-$ID-gen" eth1 rx_packets)
		check badsum "bridge: 100 frames with a bad IP checksum arrived (br_netfilter off: $((after - before)))" \
			[ $((after - before)) -eq 100 ]
	else
		fail badsum "bridge: run came up: $(tr '\n' ' ' <"$out")"
	fi
	kill -TERM "$pid"
	wait "$pid" || true
else
	skip badsum "no trafgen (Debian package netsniff-ng: make deps)"
fi
