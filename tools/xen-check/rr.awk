# tools/xen-check/rr.awk: one line per point of a mir-perf rr.csv (xen-check's
# goodput mode runs a short rr sweep after its goodput points), saying whether
# the rr client's own counts and the vif counters in dom0 tell the same story:
#   agree|differ Q/R B: N completed (+W warm-up), server served S, ...; frames: generator F, tap0 F, tap1 F, sink F; back: ...
# Counts and completion, not rates (guest clocks drift under emulation):
# - transactions completed (completed > 0), none failed, and the server
#   answered at least every one the client saw complete, warm-up included
#   (served >= completed + warm-up; one timed out may still have been served);
# - every transaction crossed the DUT both ways: each request is at least one
#   frame of the data way at the generator and each response at least one
#   of the way back at the sink (the sizes here fit one frame), both at
#   least completed + warm-up, and at least that many times the request's
#   (response's) bytes;
# - each hop passes on what it got, both ways: generator = tap0 (bridge if1),
#   tap0 = tap1 (the DUT), tap1 = sink (bridge if2), in frames, within 1 %
#   and 16 frames (links' own frames, ARP).
# The hop counters cover the client's whole run, warm-up included. Columns
# are found by name in the header.
BEGIN { FS = ","; slack = 16 }
function near(a, b) { d = a - b; if (d < 0) d = -d; return d <= slack + 0.01 * (a > b ? a : b) }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{
	q = $c["req_bytes"] + 0; rs = $c["resp_bytes"] + 0
	done = $c["completed"] + 0; w = $c["warmup_transactions"] + 0
	srv = $c["server_transactions"] + 0; bad = $c["failed"] + 0; all = done + w
	g = $c["gen_tx_packets"] + 0; i0 = $c["dut_in_packets"] + 0
	o = $c["dut_out_packets"] + 0; k = $c["sink_rx_packets"] + 0
	gb = $c["gen_tx_back_packets"] + 0; ib = $c["dut_in_back_packets"] + 0
	ob = $c["dut_out_back_packets"] + 0; kb = $c["sink_rx_back_packets"] + 0
	ok = done > 0 && bad == 0 && srv >= all
	ok = ok && g >= all && kb >= all && $c["gen_tx_bytes"] >= all * q && $c["sink_rx_back_bytes"] >= all * rs
	ok = ok && near(g, i0) && near(i0, o) && near(o, k) && near(kb, ob) && near(ob, ib) && near(ib, gb)
	printf "%s %d/%d B: %d completed (+%d warm-up), %d timed out, %d failed, server served %d; frames: generator %d, tap0 %d, tap1 %d, sink %d; back: sink %d, tap1 %d, tap0 %d, generator %d\n",
		ok ? "agree" : "differ", q, rs, done, w, $c["timed_out"], bad, srv, g, i0, o, k, kb, ob, ib, gb
}
