# tools/xen-check/endpoint.awk: one line per point of a mir-perf goodput.csv
# of a --server dut run (xen-check's goodput mode with XC_GOODPUT_DUT=endpoint),
# saying whether iperf3's byte counts and the vif counters in dom0 agree:
#   agree|differ PROTO BUFSZ B STREAMS: sent N, received N payload bytes; generator F, tap0 F frame bytes; back: tap0 F, generator F
# The path ends at the unikernel (tap0, on if1), so only the generator's vif
# and tap0 exist. As in goodput.awk (which says why):
# - something arrived (received > 0), and no more than was sent;
# - the generator's vif carried at least the payload the unikernel received
#   and at most what was written plus headers and the control connection:
#   received <= generator <= 1.10 x sent + 256 kB;
# - UDP: every datagram iperf3 sent left the guest: generator >= sent;
# - the bridge passes what it got: generator = tap0 within 1 % and 64 frames
#   of 1514 bytes, both ways;
# - the unikernel sent something back (its ACKs, on the data connections or
#   the control connection): tap0's back bytes > 0.
# Columns are found by name in the header.
BEGIN { FS = ","; slack = 64 * 1514 }
function near(a, b) { d = a - b; if (d < 0) d = -d; return d <= slack + 0.01 * (a > b ? a : b) }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{
	p = $c["protocol"]; s = $c["bytes_sent"] + 0; r = $c["bytes_received"] + 0
	g = $c["gen_tx_bytes"] + 0; i0 = $c["dut_in_bytes"] + 0
	gb = $c["gen_tx_back_bytes"] + 0; ib = $c["dut_in_back_bytes"] + 0
	top = 1.10 * s + 262144
	ok = r > 0 && r <= s && g >= r && g <= top && (p != "udp" || g >= s) && near(g, i0) && near(gb, ib) && ib > 0
	printf "%s %s %s B %s streams: sent %d, received %d payload bytes; generator %d, tap0 %d frame bytes; back: tap0 %d, generator %d\n",
		ok ? "agree" : "differ", p, $c["bufsz"], $c["streams"], s, r, g, i0, ib, gb
}
