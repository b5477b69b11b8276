#!/usr/bin/env bash
# mir-monitor on a veth pair between two test namespaces, with an exact number
# of frames sent by a paced raw-socket sender: totals exact (and equal to the
# kernel's /sys counters), rate within 1 %, CSV and JSON parse, an interface
# deleted mid-run is reported, bad input gets one line and status 2, --pcap
# writes what tcpdump reads, SIGINT ends with the summary.
. "$(dirname "$0")/../lib.sh"
: "${MP_BUILD:=$MP_TOP/build}"
MON=$MP_BIN/mir-monitor
TX=$MP_BUILD/tests/tools/mp-paced-tx
NTESTS=26
need_root $NTESTS "veth pairs in test namespaces"
if [ ! -x "$MON" ] || [ ! -x "$TX" ]; then
	for ((i = 0; i < NTESTS; i++)); do tap_fail "mir-monitor or mp-paced-tx not built (make build-tests)"; done
	exit 1
fi

A=mp-t$MP_SUFFIX-a
B=mp-t$MP_SUFFIX-b
T=$(mktemp -d)
on_exit "rm -rf $T"
for ns in $A $B; do
	mk_netns $ns
	# No IPv6 autoconfiguration: the only frames on the link are the test's.
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
veth_pair $A v0 $B v1 || { diag "cannot create the veth pair"; exit 1; }
ip -n $B link set v1 address 02:6d:70:00:00:02

# jget FILE LABEL rx|tx|- KEY: a number or boolean from mir-monitor --json
# (pretty-printed, one key per line).
jget() {
	awk -v lbl="$2" -v dir="$3" -v key="$4" '
		/"label":/ { cur = $2; gsub(/[",]/, "", cur); d = "-" }
		/"rx": \{/ { d = "rx" } /"tx": \{/ { d = "tx" } /^ *\},?$/ { if (d != "-") d = "-" }
		{ k = $1; gsub(/[":]/, "", k); v = $2; gsub(/,/, "", v)
		  if (cur == lbl && d == dir && k == key) { print v; exit } }' "$1"
}
sysc() { link_counter "$1" "$2" "$3"; }

# 1. A known number of frames at a known, modest rate.
N=15000 R=5000
tx0=$(sysc $A v0 tx_packets) rx0=$(sysc $B v1 rx_packets) rxb0=$(sysc $B v1 rx_bytes)
(sleep 0.5; ip netns exec $A "$TX" v0 $N $R 2>"$T/tx.err") &
txpid=$!
"$MON" -i 100ms -d 4.5s --csv "$T/run.csv" --json $A/v0 $B/v1 >"$T/run.json" 2>"$T/run.err"
st=$?
wait $txpid
txst=$?
tx1=$(sysc $A v0 tx_packets) rx1=$(sysc $B v1 rx_packets) rxb1=$(sysc $B v1 rx_bytes)
tap_check "mir-monitor -d 4.5s with --csv --json exits 0" [ $st -eq 0 ]
[ $txst -eq 0 ] || diag "sender failed: $(cat "$T/tx.err")"
tap_check "sent $N frames: tx_packets of v0 exactly $N" [ "$(jget "$T/run.json" $A/v0 tx packets)" = $N ]
tap_check "rx_packets of v1 exactly $N" [ "$(jget "$T/run.json" $B/v1 rx packets)" = $N ]
tap_check "rx_bytes of v1 exactly $N x 60" [ "$(jget "$T/run.json" $B/v1 rx bytes)" = $((N * 60)) ]
tap_check "totals equal the kernel's /sys counters ($((tx1 - tx0)), $((rx1 - rx0)), $((rxb1 - rxb0)))" \
	[ "$(jget "$T/run.json" $A/v0 tx packets)" = $((tx1 - tx0)) ] &&
	[ "$(jget "$T/run.json" $B/v1 rx packets)" = $((rx1 - rx0)) ] &&
	[ "$(jget "$T/run.json" $B/v1 rx bytes)" = $((rxb1 - rxb0)) ]

# Rate: counters and timestamps of the samples well inside the sending period.
rate=$(awk -F, -v B=$B '
	NR > 1 && $5 == B "/v1" && ($8 == "ok" || $8 == "first") { n++; t[n] = $2; p[n] = $9 }
	END { for (i = 2; i <= n; i++) if (p[i] > p[1]) { s = i; break }
	      for (i = n; i > 1; i--) if (p[i] > p[i - 1]) { e = i; break }
	      a = s + 3; b = e - 3
	      if (b - a < 10) { print "none"; exit }
	      printf "%.2f\n", (p[b] - p[a]) * 1e9 / (t[b] - t[a]) }' "$T/run.csv")
diag "rate measured between samples inside the sending period: $rate pps (sent at $R)"
tap_check "rate within 1 % of $R pps ($rate)" \
	awk -v r="$rate" -v R=$R 'BEGIN { exit !(r != "none" && r > R * 0.99 && r < R * 1.01) }'
pps=$(jget "$T/run.json" $B/v1 rx pps) ens=$(jget "$T/run.json" $B/v1 - elapsed_ns)
tap_check "JSON pps ($pps) is packets over the exact elapsed time ($ens ns)" \
	awk -v r="$pps" -v n=$N -v e="$ens" 'BEGIN { x = n * 1e9 / e; exit !(e > 4e9 && r > x * 0.99999 && r < x * 1.00001) }'

# 2. The CSV: header, field count, numbers, one row per hop per sample.
hdr="time_s,mono_ns,late_ns,point,hop,netns,ifname,status,rx_packets,tx_packets,rx_bytes,tx_bytes,rx_dropped,tx_dropped,rx_errors,tx_errors,interval_s,rx_packets_per_s,tx_packets_per_s,rx_bytes_per_s,tx_bytes_per_s,rx_dropped_per_s,tx_dropped_per_s,rx_errors_per_s,tx_errors_per_s,read_ns"
tap_check "CSV header names every column" [ "$(head -1 "$T/run.csv")" = "$hdr" ]
tap_check "every CSV row has 26 fields, numbers where numbers belong" awk -F, '
	NR == 1 { next }
	NF != 26 { exit 1 }
	$1 !~ /^[0-9]+\.[0-9]+$/ || $2 !~ /^[0-9]+$/ || $3 !~ /^-?[0-9]*$/ { exit 1 }
	$8 !~ /^(first|ok|wrap|reset|vanished|error)$/ { exit 1 }
	{ for (i = 9; i <= 16; i++) if ($i !~ /^[0-9]+$/) exit 1
	  for (i = 17; i <= 25; i++) if ($i !~ /^[0-9]+(\.[0-9]+)?$/ && !($8 == "first" && $i == "")) exit 1
	  if ($26 !~ /^[0-9]+$/ || $26 > 1e9) exit 1 }
	END { if (NR < 80) exit 1 }' "$T/run.csv"
samples=$(jget "$T/run.json" $B/v1 - samples)
rows=$(grep -c ",$B/v1,$B,v1," "$T/run.csv")
tap_check "CSV rows of v1 ($rows) = samples in the JSON ($samples)" [ "$rows" = "$samples" ]
tap_check "CSV times increase and scheduled samples carry their lateness" awk -F, '
	NR > 1 && $7 == "v1" { if ($2 <= last) exit 1; last = $2; if ($3 != "") late++ }
	END { if (late < 40) exit 1 }' "$T/run.csv"
tap_check "scheduled samples sit on absolute deadlines start + k x 100 ms (no drift)" awk -F, '
	NR > 1 && $7 == "v0" && $3 != "" { d = $2 - $3; if (!d0) d0 = d
		if ((d - d0) % 100000000 != 0) exit 1; n++ }
	END { if (n < 40) exit 1 }' "$T/run.csv"
late=$(awk -F, 'NR > 1 && $7 == "v0" && $3 != "" { print $3 }' "$T/run.csv" | sort -n |
	awk '{ v[NR] = $1 } END { print v[int((NR - 1) / 2) + 1] }')
tap_check "median lateness of scheduled samples under 5 ms ($late ns; shared CPU)" \
	[ "${late:-99999999}" -lt 5000000 ]

# 3. An interface deleted mid-run is reported, the others go on.
ip -n $A link add vx type veth peer name vy && ip -n $A link set vx up
(sleep 0.6; ip -n $A link del vx) &
"$MON" -i 100ms -d 1.5s --csv "$T/gone.csv" --json $A/vx $A/v0 >"$T/gone.json" 2>"$T/gone.err"
st=$?
wait
tap_check "a vanished interface ends with status 1, not a crash (status $st)" [ $st -eq 1 ]
tap_check "stderr names the vanished interface" grep -q "$A/vx.*vanished" "$T/gone.err"
tap_check "JSON: vx vanished, v0 did not" [ "$(jget "$T/gone.json" $A/vx - vanished)" = true ] &&
	[ "$(jget "$T/gone.json" $A/v0 - vanished)" = false ]
tap_check "CSV has the vanished row and v0 is sampled after it" awk -F, '
	$7 == "vx" && $8 == "vanished" { g = $2 }
	$7 == "v0" && g && $2 > g { after++ }
	END { exit !(g && after >= 5) }' "$T/gone.csv"

# 4. Bad input: one line naming it, status 2.
bad() { # bad "description" expected-text args...
	local d=$1 want=$2 st lines
	shift 2
	"$MON" -d 0.2s "$@" >/dev/null 2>"$T/bad.err"
	st=$?
	lines=$(wc -l <"$T/bad.err")
	if [ $st -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$want" "$T/bad.err"; then
		tap_ok "$d: status 2, one line: $(cat "$T/bad.err")"
	else
		tap_fail "$d: status $st, $lines lines: $(cat "$T/bad.err")"
	fi
}
bad "unknown interface" "unknown interface 'nope'" $A/nope
bad "unknown namespace" "unknown network namespace 'mp-t$MP_SUFFIX-zz'" mp-t$MP_SUFFIX-zz/v0
bad "interval below 1 ms" "'500us' is below the 1 ms minimum" -i 500us $A/v0
bad "interval not a duration" "'fast' is not a duration" -i fast $A/v0
bad "--pcap without FILE" "expected IF:FILE[:COUNT]" --pcap $B/v1 $A/v0

# 5. --pcap: the first COUNT frames, readable by tcpdump.
if command -v tcpdump >/dev/null; then
	(sleep 0.3; ip netns exec $A "$TX" v0 200 2000 2>/dev/null) &
	"$MON" -i 100ms -d 2s --pcap $B/v1:"$T/v1.pcap":25 $A/v0 >/dev/null 2>"$T/pcap.err"
	st=$?
	wait
	n=$(tcpdump -r "$T/v1.pcap" -nn -e 2>/dev/null | grep -c '02:6d:70:00:00:01 > 02:6d:70:00:00:02, ethertype Unknown (0x88b5), length 60')
	tap_check "--pcap $B/v1:FILE:25 wrote exactly the first 25 frames (tcpdump reads $n)" [ $st -eq 0 ] && [ "$n" = 25 ]
else
	tap_skip "tcpdump not installed (make deps)"
fi

# 6. Plain lines when stdout is not a terminal; SIGINT ends with the summary.
"$MON" -i 50ms $A/v0 $B/v1 >"$T/int.out" 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
st=$?
tap_check "SIGINT ends cleanly (status $st)" [ $st -eq 0 ]
tap_check "the summary follows the plain lines" grep -q '^Summary: ' "$T/int.out"
tap_check "one plain line per interface per sample" awk '
	/^ +[0-9]+\.[0-9]+ / { n[$2]++ } END { exit !(n[A "/v0"] >= 10 && n[B "/v1"] >= 10) }' A=$A B=$B "$T/int.out"
