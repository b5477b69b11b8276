#!/usr/bin/env bash
# mir-monitor on a veth pair between two test namespaces, with an exact number
# of frames sent by a paced raw-socket sender: totals exact (and equal to the
# kernel's /sys counters), rate within 1 %, CSV and JSON parse, an interface
# deleted mid-run is reported, bad input gets one line and status 2, --pcap
# writes what tcpdump reads, SIGINT ends with the summary.
ALL_TESTS="exit_status tx_exact rx_exact rx_bytes totals_sys rate json_pps
	csv_header csv_fields csv_rows csv_times deadlines lateness
	vanished_status vanished_stderr vanished_json vanished_csv
	bad_iface bad_netns bad_interval_min bad_interval_word bad_pcap_arg bad_option bad_no_value
	pcap sigint_status sigint_summary plain_lines"
. "$(dirname "$0")/../lib.sh"
: "${MP_BUILD:=$MP_TOP/build}"
MON=$MP_BIN/mir-monitor
TX=$MP_BUILD/tests/tools/mp-paced-tx
require_root "veth pairs in test namespaces"
require_built "$MON" "$TX"

A=mp-t$MP_SUFFIX-a
B=mp-t$MP_SUFFIX-b
T=$(mktemp -d)
on_exit "rm -rf $T"
for ns in $A $B; do
	mk_netns $ns
	# No IPv6 autoconfiguration: the only frames on the link are the test's.
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
veth_pair $A v0 $B v1 || fail_rest "cannot create the veth pair"
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

# 1. A known number of frames at a known, modest rate. The sender sleeps
# between frames at the lowest real-time priority (as mir-monitor's sampler
# does): on a busy machine a normal sleeper woke up to hundreds of ms late,
# and the rate it sent over the measured samples was 7 to 15 % off R.
N=15000 R=5000
tx0=$(sysc $A v0 tx_packets) rx0=$(sysc $B v1 rx_packets) rxb0=$(sysc $B v1 rx_bytes)
(sleep 0.5; ip netns exec $A chrt -f 1 "$TX" v0 $N $R 2>"$T/tx.err") &
txpid=$!
"$MON" -i 100ms -d 4.5s --csv "$T/run.csv" --json $A/v0 $B/v1 >"$T/run.json" 2>"$T/run.err"
st=$?
wait $txpid
txst=$?
tx1=$(sysc $A v0 tx_packets) rx1=$(sysc $B v1 rx_packets) rxb1=$(sysc $B v1 rx_bytes)
check exit_status "mir-monitor -d 4.5s with --csv --json exits 0" [ $st -eq 0 ]
[ $txst -eq 0 ] || diag "sender failed: $(cat "$T/tx.err")"
check tx_exact "sent $N frames: tx_packets of v0 exactly $N" [ "$(jget "$T/run.json" $A/v0 tx packets)" = $N ]
check rx_exact "rx_packets of v1 exactly $N" [ "$(jget "$T/run.json" $B/v1 rx packets)" = $N ]
check rx_bytes "rx_bytes of v1 exactly $N x 60" [ "$(jget "$T/run.json" $B/v1 rx bytes)" = $((N * 60)) ]
# (One command for check: all three comparisons, not only the first.)
totals_equal_sys() {
	[ "$(jget "$T/run.json" $A/v0 tx packets)" = $((tx1 - tx0)) ] &&
		[ "$(jget "$T/run.json" $B/v1 rx packets)" = $((rx1 - rx0)) ] &&
		[ "$(jget "$T/run.json" $B/v1 rx bytes)" = $((rxb1 - rxb0)) ]
}
check totals_sys "totals equal the kernel's /sys counters ($((tx1 - tx0)), $((rx1 - rx0)), $((rxb1 - rxb0)))" \
	totals_equal_sys

# Rate: counters and timestamps of the samples well inside the sending period.
rate=$(awk -F, -v B=$B '
	NR > 1 && $5 == B "/v1" && ($8 == "ok" || $8 == "first") { n++; t[n] = $2; p[n] = $9 }
	END { for (i = 2; i <= n; i++) if (p[i] > p[1]) { s = i; break }
	      for (i = n; i > 1; i--) if (p[i] > p[i - 1]) { e = i; break }
	      a = s + 3; b = e - 3
	      if (b - a < 10) { print "none"; exit }
	      printf "%.2f\n", (p[b] - p[a]) * 1e9 / (t[b] - t[a]) }' "$T/run.csv")
diag "rate measured between samples inside the sending period: $rate pps (sent at $R)"
check rate "rate within 1 % of $R pps ($rate)" \
	awk -v r="$rate" -v R=$R 'BEGIN { exit !(r != "none" && r > R * 0.99 && r < R * 1.01) }'
pps=$(jget "$T/run.json" $B/v1 rx pps) ens=$(jget "$T/run.json" $B/v1 - elapsed_ns)
check json_pps "JSON pps ($pps) is packets over the exact elapsed time ($ens ns)" \
	awk -v r="$pps" -v n=$N -v e="$ens" 'BEGIN { x = n * 1e9 / e; exit !(e > 4e9 && r > x * 0.99999 && r < x * 1.00001) }'

# 2. The CSV: header, field count, numbers, one row per hop per sample.
hdr="time_s,mono_ns,late_ns,point,hop,netns,ifname,status,rx_packets,tx_packets,rx_bytes,tx_bytes,rx_dropped,tx_dropped,rx_errors,tx_errors,interval_s,rx_packets_per_s,tx_packets_per_s,rx_bytes_per_s,tx_bytes_per_s,rx_dropped_per_s,tx_dropped_per_s,rx_errors_per_s,tx_errors_per_s,read_ns"
check csv_header "CSV header names every column" [ "$(head -1 "$T/run.csv")" = "$hdr" ]
check csv_fields "every CSV row has 26 fields, numbers where numbers belong" awk -F, '
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
check csv_rows "CSV rows of v1 ($rows) = samples in the JSON ($samples)" [ "$rows" = "$samples" ]
check csv_times "CSV times increase and scheduled samples carry their lateness" awk -F, '
	NR > 1 && $7 == "v1" { if ($2 <= last) exit 1; last = $2; if ($3 != "") late++ }
	END { if (late < 40) exit 1 }' "$T/run.csv"
check deadlines "scheduled samples sit on absolute deadlines start + k x 100 ms (no drift)" awk -F, '
	NR > 1 && $7 == "v0" && $3 != "" { d = $2 - $3; if (!d0) d0 = d
		if ((d - d0) % 100000000 != 0) exit 1; n++ }
	END { if (n < 40) exit 1 }' "$T/run.csv"
late=$(awk -F, 'NR > 1 && $7 == "v0" && $3 != "" { print $3 }' "$T/run.csv" | sort -n |
	awk '{ v[NR] = $1 } END { print v[int((NR - 1) / 2) + 1] }')
check lateness "median lateness of scheduled samples under 5 ms ($late ns; shared CPU)" \
	[ "${late:-99999999}" -lt 5000000 ]

# 3. An interface deleted mid-run is reported, the others go on.
ip -n $A link add vx type veth peer name vy && ip -n $A link set vx up
(sleep 0.6; ip -n $A link del vx) &
"$MON" -i 100ms -d 1.5s --csv "$T/gone.csv" --json $A/vx $A/v0 >"$T/gone.json" 2>"$T/gone.err"
st=$?
wait
check vanished_status "a vanished interface ends with status 1, not a crash (status $st)" [ $st -eq 1 ]
check vanished_stderr "stderr names the vanished interface" grep -q "$A/vx.*vanished" "$T/gone.err"
vx=$(jget "$T/gone.json" $A/vx - vanished) v0=$(jget "$T/gone.json" $A/v0 - vanished)
check vanished_json "JSON: vx vanished ($vx), v0 did not ($v0)" [ "$vx:$v0" = true:false ]
check vanished_csv "CSV has the vanished row and v0 is sampled after it" awk -F, '
	$7 == "vx" && $8 == "vanished" { g = $2 }
	$7 == "v0" && g && $2 > g { after++ }
	END { exit !(g && after >= 5) }' "$T/gone.csv"

# 4. Bad input: one line naming it, status 2.
bad() { # bad NAME "description" expected-text args...
	local name=$1 d=$2 want=$3 st lines
	shift 3
	"$MON" -d 0.2s "$@" >/dev/null 2>"$T/bad.err"
	st=$?
	lines=$(wc -l <"$T/bad.err")
	if [ $st -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$want" "$T/bad.err"; then
		pass "$name" "$d: status 2, one line: $(cat "$T/bad.err")"
	else
		fail "$name" "$d: status $st, $lines lines: $(cat "$T/bad.err")"
	fi
}
bad bad_iface "unknown interface" "$A/nope: expected an interface of network namespace '$A', got 'nope'" $A/nope
bad bad_netns "unknown namespace" "expected a network namespace of /run/netns, got 'mp-t$MP_SUFFIX-zz'" mp-t$MP_SUFFIX-zz/v0
bad bad_interval_min "interval below 1 ms" "-i: expected a duration of at least 1ms, like 100ms or 1s, got '500us'" -i 500us $A/v0
bad bad_interval_word "interval not a duration" "-i: expected a duration like 100ms, 1s, 1.5s, 250us, 2m, got 'fast'" -i fast $A/v0
bad bad_pcap_arg "--pcap without FILE" "--pcap: expected IF:FILE[:COUNT] with IF as [NETNS/]IF, got '$B/v1'" --pcap $B/v1 $A/v0
bad bad_option "unknown option" "mir-monitor: option: expected one of the options \`mir-monitor --help\` lists, got '--intervall'" --intervall 1s $A/v0
bad bad_no_value "option without its value" "mir-monitor: -i: expected a value after it" $A/v0 -i

# 5. --pcap: the first COUNT frames, readable by tcpdump.
if command -v tcpdump >/dev/null; then
	(sleep 0.3; ip netns exec $A "$TX" v0 200 2000 2>/dev/null) &
	"$MON" -i 100ms -d 2s --pcap $B/v1:"$T/v1.pcap":25 $A/v0 >/dev/null 2>"$T/pcap.err"
	st=$?
	wait
	n=$(tcpdump -r "$T/v1.pcap" -nn -e 2>/dev/null | grep -c '02:6d:70:00:00:01 > 02:6d:70:00:00:02, ethertype Unknown (0x88b5), length 60')
	check pcap "--pcap $B/v1:FILE:25 wrote exactly the first 25 frames (status $st, tcpdump reads $n)" \
		[ "$st:$n" = 0:25 ]
else
	skip pcap "no tcpdump (Debian package tcpdump: make deps)"
fi

# 6. Plain lines when stdout is not a terminal; SIGINT ends with the summary.
"$MON" -i 50ms $A/v0 $B/v1 >"$T/int.out" 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
st=$?
check sigint_status "SIGINT ends cleanly (status $st)" [ $st -eq 0 ]
check sigint_summary "the summary follows the plain lines" grep -q '^Summary: ' "$T/int.out"
check plain_lines "one plain line per interface per sample" awk '
	/^ +[0-9]+\.[0-9]+ / { n[$2]++ } END { exit !(n[A "/v0"] >= 10 && n[B "/v1"] >= 10) }' A=$A B=$B "$T/int.out"
