# tools/xen-check/hops.awk: one line per point of a mir-perf stats.csv, saying
# whether the generator's frames were counted at every hop of the path:
#   agree|differ SIZE B at RATE pps: sent N, received N; generator +E, tap0 +E, tap1 +E, sink +E ...
# The sink's count of the generator's own stream must equal what was sent (at
# the check's low rates nothing may be lost). The hops are interface counters,
# which also count frames that are not the generator's (seen under Xen: 4 to
# 15 per point, most in the first one, right after the links came up; what
# they are is not identified yet), so each hop must count at least every frame
# sent and at most a few more: E <= max(64, 5 %).
# A wrong counter, a flooded or doubled path, or a lost frame fails.
# Columns are found by name in the header.
BEGIN { FS = "," }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{
	s = $c["sent"] + 0; r = $c["received"] + 0
	h[1] = $c["gen_tx_pkts"] + 0; h[2] = $c["dut_in_pkts"] + 0
	h[3] = $c["dut_out_pkts"] + 0; h[4] = $c["sink_rx_pkts"] + 0
	tol = int(s * 0.05); if (tol < 64) tol = 64
	same = (s > 0 && r == s)
	for (j = 1; j <= 4; j++)
		if (h[j] < s || h[j] - s > tol) same = 0
	printf "%s %s B at %s pps: sent %d, received %d; generator %+d, tap0 %+d, tap1 %+d, sink %+d (other frames, at most %d)\n",
		same ? "agree" : "differ", $c["size"], $c["target_pps"], s, r,
		h[1] - s, h[2] - s, h[3] - s, h[4] - s, tol
}
