# tools/xen-check/hops.awk: one line per point of a mir-perf stats.csv, saying
# whether the same frames were counted at every hop of the path:
#   agree|differ SIZE B at RATE pps: sent N, generator N, tap0 N, tap1 N, sink N, received N
# At the low rates of the check nothing may be lost, so all six must be equal
# (and non-zero). Columns are found by name in the header.
BEGIN { FS = "," }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{
	s = $c["sent"]; g = $c["gen_tx_pkts"]; i = $c["dut_in_pkts"]
	o = $c["dut_out_pkts"]; k = $c["sink_rx_pkts"]; r = $c["received"]
	same = (s > 0 && s == g && g == i && i == o && o == k && k == r)
	printf "%s %s B at %s pps: sent %s, generator %s, tap0 %s, tap1 %s, sink %s, received %s\n",
		same ? "agree" : "differ", $c["size"], $c["target_pps"], s, g, i, o, k, r
}
