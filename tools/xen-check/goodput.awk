# tools/xen-check/goodput.awk: one line per point of a mir-perf goodput.csv
# (xen-check's goodput mode), saying whether iperf3's own byte counts and the
# vif counters in dom0 tell the same story:
#   agree|differ PROTO BUFSZ B: sent N, received N payload bytes; generator F, tap0 F, tap1 F, sink F frame bytes; back ...
# With warmup 0 the counters and iperf3's sums cover the same time, give or
# take connecting and iperf3's closing exchange. What iperf3 calls sent is
# what it wrote into its socket; under emulation TCP carries part of it
# before the end (seen: 333040 written, 131768 received, 204 kB on the
# wire: the receiver lags and counts only what it read in its window). So:
# - something arrived (received > 0), and no more than was sent;
# - the generator's and the sink's vifs carried at least the payload iperf3
#   received, and at most what was written plus headers (a frame is at most
#   1.10 x its payload at these write sizes) and iperf3's control connection
#   (256 kB allowed): received <= vif <= 1.10 x sent + 256 kB;
# - UDP: every datagram iperf3 sent left the guest: generator >= sent;
# - each bridge passes what it got: generator = tap0 and tap1 = sink within
#   1 % and 64 frames of 1514 bytes (links' own frames), data way and back;
# - something came back (TCP's ACKs, iperf3's control): sink_rx_back > 0.
# Columns are found by name in the header.
BEGIN { FS = ","; slack = 64 * 1514 }
function near(a, b) { d = a - b; if (d < 0) d = -d; return d <= slack + 0.01 * (a > b ? a : b) }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{
	p = $c["protocol"]; s = $c["bytes_sent"] + 0; r = $c["bytes_received"] + 0
	g = $c["gen_tx_bytes"] + 0; i0 = $c["dut_in_bytes"] + 0
	o = $c["dut_out_bytes"] + 0; k = $c["sink_rx_bytes"] + 0
	gb = $c["gen_tx_back_bytes"] + 0; ib = $c["dut_in_back_bytes"] + 0
	ob = $c["dut_out_back_bytes"] + 0; kb = $c["sink_rx_back_bytes"] + 0
	top = 1.10 * s + 262144
	ok = r > 0 && r <= s && k >= r && k <= top && g >= r && g <= top && (p != "udp" || g >= s)
	ok = ok && near(g, i0) && near(o, k) && near(gb, ib) && near(ob, kb) && kb > 0
	printf "%s %s %s B: sent %d, received %d payload bytes; generator %d, tap0 %d, tap1 %d, sink %d frame bytes; back: sink %d, tap1 %d, tap0 %d, generator %d\n",
		ok ? "agree" : "differ", p, $c["bufsz"], s, r, g, i0, o, k, kb, ob, ib, gb
}
