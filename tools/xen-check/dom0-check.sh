#!/bin/bash
# tools/xen-check/dom0-check.sh MODE OUT: the checks run inside the dom0 that
# xen-check.sh boots, after /init started the toolstack. Prints TAP lines
# without numbers ("ok - ...", "not ok - ...", "# ..."); the host numbers them.
#   smoke  Xen answers, a busybox PV domU boots with a vif on a bridge and its
#          frames are counted on both ends, teardown leaves nothing.
#   mirage Xen answers, then mir-perf mirage-net-xen A, and A B (dom0-mirage.sh);
#   full   Xen answers, then mir-perf --platform xen --dut linux-fwd (see xc_full);
#   goodput Xen answers, then mir-perf --mode goodput --platform xen --dut
#          linux-fwd, a TCP and a UDP point (see xc_goodput), then --mode rr
#          the same way, two request/response sizes (see xc_rr);
#          no smoke domU: under a loaded emulator it costs minutes, and the
#          product's own guests cover what it proves.
# `xl` is used here only to check the infrastructure; the product uses libxl.
set -u
mode=$1 out=$2
export PATH=/xc/bin:/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
KVER=$(uname -r)
failed=0

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; failed=1; }
diag() { echo "# $*"; }
# check DESCRIPTION CMD...: ok when CMD succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
now() { cut -d' ' -f1 /proc/uptime; }
# run_mir_perf LOG TIMEOUT ARG...: mir-perf ARG... as ${RUN_AS[@]} says (the
# SUDO_USER= of a user's sudo, or nothing), interrupted (SIGINT, as Ctrl-C)
# if it hangs past TIMEOUT seconds, so that its teardown is checked all the
# same, and killed only 2 minutes later (destroying two domains on a busy
# emulated host takes tens of seconds). Its messages go to the console as
# they come (progress redraws excepted) and into LOG. Sets rc (its status)
# and took (its seconds).
run_mir_perf() {
	local log=$1 tmo=$2 t0
	shift 2
	t0=$(now)
	env "${RUN_AS[@]}" timeout -s INT -k 120 "$tmo" mir-perf "$@" 2>&1 |
		tee "$log" | grep --line-buffered -v $'\r' | sed -u 's/^/# mir-perf: /'
	rc=${PIPESTATUS[0]}
	took=$(awk "BEGIN { printf \"%.0f\", $(now) - $t0 }")
}
# ran_ok WHAT DONE: after run_mir_perf, "ok - WHAT: DONE in N s" or "not ok -
# WHAT exits 0 (status S after N s)".
ran_ok() {
	if [ "$rc" -eq 0 ]; then ok "$1: $2 in $took s"; else nok "$1 exits 0 (status $rc after $took s)"; fi
}
# said_rows PREFIX: each "agree ..." line on stdin an ok, each "differ ..." a
# not ok, said as PREFIX and the rest of the line (what hops.awk, goodput.awk,
# endpoint.awk and rr.awk print); rows_said: how many there were.
said_rows() {
	local row
	rows_said=0
	while IFS= read -r row; do
		case $row in
		agree\ *) ok "$1${row#agree }" ;;
		differ\ *) nok "$1${row#differ }" ;;
		*) continue ;;
		esac
		rows_said=$((rows_said + 1))
	done
}
# goodput_cfg: /xc/cfg-goodput, the check's cfg with no warm-up (the
# counters and iperf3's sums then cover the same time) in the goodput mode.
goodput_cfg() {
	mkdir -p /xc/cfg-goodput && cp /xc/cfg/* /xc/cfg-goodput/ &&
		sed -i 's/^warmup *=.*/warmup = 0s/' /xc/cfg-goodput/mir-perf.conf &&
		printf 'mode = goodput\n' >>/xc/cfg-goodput/mir-perf.conf
}
# wait_for SECONDS CMD...: poll CMD every 0.5 s.
wait_for() {
	local t=$(($1 * 2)) i
	shift
	for ((i = 0; i < t; i++)); do
		"$@" && return 0
		sleep 0.5
	done
	return 1
}

# Domains other than dom0, vif/tap backends and bridges: what teardown must remove.
leftover_domains() { xl list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }'; }
leftover_links() {
	ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
		grep -E '^(vif[0-9]|tap[0-9]|if[12]$|mp-|mpg|xenbr)' || true
}
# Only dying domains: destroyed by the toolstack (their name is gone from
# xenstore, `xl list` shows "(null)"), Xen still reclaiming their memory, which
# takes tens of seconds in a loaded emulator.
only_dying() {
	local d
	d=$(leftover_domains)
	[ -n "$d" ] && [ -z "$(grep -vx '(null)' <<<"$d")" ]
}
nothing_left() {
	local d l i
	for ((i = 0; i < 60; i++)); do
		only_dying || break
		sleep 1
	done
	[ $i -eq 0 ] || diag "waited $i s for Xen to finish destroying dying domains"
	d=$(leftover_domains)
	l=$(leftover_links)
	[ -z "$d" ] && [ -z "$l" ] && return 0
	[ -n "$d" ] && diag "domains left: $(echo $d)"
	[ -n "$l" ] && diag "links left: $(echo $l)"
	return 1
}

# left_after WHAT: after a run (WHAT names it: "mir-perf --mode rr"), no
# domain, vif or bridge left. What a killed run leaves is for --cleanup
# (checked then); the domains must go in any case, as they would slow down
# everything that follows.
left_after() {
	local d
	if nothing_left; then
		ok "after $1: no domain, vif or bridge left (xl list, ip link)"
		return
	fi
	nok "after $1: no domain, vif or bridge left (xl list, ip link)"
	timeout 180 mir-perf --cleanup >"$out/mir-perf-cleanup.log" 2>&1
	check "mir-perf --cleanup removes what the run left" nothing_left
	for d in $(leftover_domains); do xl destroy "$d"; done
}

xc_info() {
	local info
	if info=$(xl info 2>&1); then
		ok "xl info answers: Xen $(awk '/^xen_version/ { print $3 }' <<<"$info"), $(awk '/^nr_cpus/ { print $3 }' <<<"$info") CPUs, $(awk '/^free_memory/ { print $3 }' <<<"$info") MB free"
		echo "$info" >"$out/xl-info.txt"
	else
		nok "xl info answers"
		diag "$info"
		return 1
	fi
}

# The smoke domU: busybox PV guest on bridge mp-tbr0, counted on both ends.
xc_smoke() {
	local br=mp-tbr0 dom=mp-tsmoke log=/var/log/xen/console/guest-mp-tsmoke.log
	local t0 t1 vif domid line gtx vrx
	# IPv6 off on the smoke bridge only (its own frames would count at the
	# vif); the product then runs in a dom0 as it comes.
	ip link add "$br" type bridge && sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1" &&
		ip addr add 198.18.0.1/30 dev "$br" && ip link set "$br" up ||
		{ nok "smoke: bridge $br"; return 1; }
	cat >/tmp/smoke.cfg <<-EOF
		name = "$dom"
		type = "pv"
		kernel = "/boot/vmlinux-$KVER"
		ramdisk = "/xc/smoke-domu.cpio"
		extra = "console=hvc0 quiet"
		memory = 128
		vcpus = 1
		vif = [ "mac=02:00:5e:00:00:02,bridge=$br" ]
		on_crash = "preserve"
	EOF
	t0=$(now)
	if ! timeout 180 xl create -q /tmp/smoke.cfg >"$out/smoke-create.log" 2>&1; then
		nok "smoke: xl create of a busybox PV domU"
		sed 's/^/# /' "$out/smoke-create.log" | tail -20
		xl destroy "$dom" >/dev/null 2>&1
		ip link del "$br"
		return 1
	fi
	t1=$(now)
	domid=$(xl domid "$dom")
	vif=vif$domid.0
	ok "smoke: PV domU $dom created (domid $domid) in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
	check "smoke: backend $vif is a port of $br" \
		test "$(basename "$(readlink /sys/class/net/$vif/master 2>/dev/null)")" = "$br"
	if wait_for 90 grep -q 'XCDOMU tx=' "$log"; then
		line=$(grep -a 'XCDOMU tx=' "$log" | tail -1)
		gtx=$(sed 's/.*tx=\([0-9]*\).*/\1/' <<<"$line")
		vrx=$(cat /sys/class/net/$vif/statistics/rx_packets)
		if [ "$gtx" -ge 5 ] && [ "$gtx" = "$vrx" ]; then
			ok "smoke: domU sent $gtx frames, $vif received $vrx"
		else
			nok "smoke: domU sent $gtx frames, $vif received $vrx (want equal, >= 5)"
		fi
	else
		nok "smoke: domU reports its frames on its console"
		tail -20 "$log" 2>/dev/null | sed 's/^/# guest: /'
	fi
	cp "$log" "$out/" 2>/dev/null
	xl destroy "$dom" >/dev/null 2>&1
	wait_for 20 test ! -e /sys/class/net/$vif
	ip link del "$br"
	check "smoke: no domain, vif or bridge left after teardown" nothing_left
}

# run_counts RUN LABEL SIZES RATES: the counts of a frames run, as every mode
# checks them: every point in stats.csv and stats, the same frames counted at
# every hop (generator, tap0, tap1, sink) as sent and received, and the rates
# in path order. LABEL ("" or "v2.1.7: ") prefixes each description.
run_counts() {
	local run=$1 label=$2 sizes=$3 rates=$4 csv=$1/stats.csv want got hops z r n
	# Every size x rate point is in stats.csv (and in stats), once.
	want=$(for z in $sizes; do for r in $rates; do echo "$z,$r"; done; done | sort)
	n=$(grep -c . <<<"$want")
	got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["size"] "," $c["target_pps"] }' "$csv" 2>/dev/null | sort)
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		ok "${label}stats.csv holds every point: $(echo $got)"
	else
		nok "${label}stats.csv holds every point (want: $(echo $want); got: $(echo $got))"
	fi
	check "${label}stats holds a row for each of the $n points" \
		test "$(grep -cE '^ +[0-9]+ +[0-9]+ ' "$run/stats" 2>/dev/null)" = "$n"
	# Counts, hop by hop, per point (hops.awk says what agreeing means).
	hops=$(awk -f /xc/hops.awk "$csv" 2>&1)
	said_rows "${label}frames counted at every hop: " <<<"$hops"
	check "${label}hop counts checked for each of the $n points" \
		test "$(grep -cE '^(agree|differ) ' <<<"$hops")" = "$n"
	# Rates in path order on every point (sink <= DUT out <= DUT in <= offered,
	# within the frames in flight at the window's start, 2 ms of sample skew
	# and 8 stray frames), or flagged rate_order: as tests/lib.sh rates_ordered.
	check "${label}every point's rates in path order, or flagged" awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ split("offered_pps dut_in_pps dut_out_pps sink_rx_pps", hop, " ")
		  w = $c["window_s"]; lat = $c["lat_max_us"] / 1e6
		  for (h = 2; h <= 4 && w > 0; h++) {
			up = $c[hop[h - 1]]; dn = $c[hop[h]]
			if ((dn - up) * w > 8 + up * (lat + 0.002) && $c["flags"] !~ /rate_order/) {
				print "# point " $1 ": " hop[h] " " dn " > " hop[h - 1] " " up; bad = 1 } } }
		END { exit bad }' "$csv"
}

# The product: mir-perf --platform xen --dut linux-fwd, a tiny sweep (2 sizes x
# 2 low rates, short points). Under emulation rates mean nothing and guest
# clocks drift, so the checks are on counts: every point in stats, and the
# same frames counted at every hop (generator, tap0, tap1, sink) as sent and
# received, and nothing left after teardown.
SIZES="64 512" RATES="100 200"
xc_full() {
	local run=$out/run rc plots
	run_mir_perf "$out/mir-perf.log" 360 --platform xen --dut linux-fwd --cfg /xc/cfg \
		--sizes "$SIZES" --rates "$RATES" --duration 2s -o "$run" -v
	ran_ok "mir-perf --platform xen --dut linux-fwd" "4-point sweep done"
	run_counts "$run" "" "$SIZES" "$RATES"
	for f in console-gen.log console-dut.log; do
		check "run directory keeps the guest console $f" test -s "$run/$f"
	done
	# The agent's token is on the traff-gen guest's command line, which libxl
	# logs (xen.log, debug level) and a kernel may print (the consoles): every
	# file of the run must show it as <token>.
	check "the agent's token is in no file of the run directory" \
		eval '! grep -rqaE "mirperf\.token=[0-9A-Za-z]{16}" "$run"'
	plots=$(cd "$run" 2>/dev/null && find . -maxdepth 2 \( -name '*.png' -o -name '*.svg' \) -size +0 | sort)
	if [ -n "$plots" ]; then
		ok "gnuplot drew the plots: $(echo $plots)"
	else
		nok "gnuplot drew the plots (none in the run directory)"
	fi
	left_after mir-perf
}

# The goodput mode (XC_MODE=goodput): mir-perf --mode goodput --platform xen
# --dut linux-fwd, a TCP and a UDP point of 3 s each, warm-up 0 so that the
# counters and iperf3's sums cover the same time. Counts and completion, not
# rates: iperf3 ran in the traff-gen guest (client on eth0, server in its
# namespace srv on eth1) through the DUT both ways, its documents came back,
# and its byte counts agree with the vif counters in dom0 (goodput.awk).
# The two-ended modes' DUT: linux-fwd, or (XC_GOODPUT_DUT=mirage on the host,
# which puts /xc/mirage.env in the overlay) our MirageOS forwarder at commit A
# from the cache the host filled, run as its user as a user's `sudo mir-perf
# mirage-net-xen A` is (mir-perf boots it with --bidir). Sets DUT_ARGS,
# DUT_NAME and, for mirage, RUN_AS (the SUDO_USER= of the command).
DUT_ARGS=(--dut linux-fwd) DUT_NAME=linux-fwd RUN_AS=()
two_ended_dut() {
	[ -e /xc/mirage.env ] || return 0
	if ! . /xc/mirage.env 2>/dev/null || [ -z "${XC_MIRAGE_A:-}" ] || [ -z "${XC_MIRAGE_UID:-}" ]; then
		nok "mirage: /xc/mirage.env from the host names the forwarder's commit and user"
		return 1
	fi
	useradd -M -u "$XC_MIRAGE_UID" -d "$XC_MIRAGE_HOME" -s /bin/sh "$XC_MIRAGE_USER" 2>/dev/null
	chown -R "$XC_MIRAGE_USER:" "$XC_MIRAGE_HOME" 2>/dev/null
	check "mirage: user $XC_MIRAGE_USER (uid $XC_MIRAGE_UID) with the host's build cache" \
		test -s "$XC_MIRAGE_DIR_A/mir-perf.stamp"
	DUT_ARGS=(mirage-net-xen "$XC_MIRAGE_A" --sources /xc/mirage)
	DUT_NAME="mirage-net-xen ${XC_MIRAGE_A:0:12} ($XC_MIRAGE_TAG_A)"
	if [ "${XC_MIRAGE_UNIKERNEL:-}" = iperf3 ]; then
		DUT_ARGS+=(--server dut)
		DUT_NAME="the iperf3 unikernel on $DUT_NAME"
	fi
	RUN_AS=(SUDO_USER="$XC_MIRAGE_USER")
}

# mirage_both_ways RUN_DIR LABEL: with the MirageOS forwarder, its console
# says it forwarded both ways and its counts at shutdown (one line per way).
mirage_both_ways() {
	local run=$1 label=$2 con=$1/console-dut.log l line
	[ -e /xc/mirage.env ] || return 0
	check "$label: the unikernel forwarded both ways (its start-up line: 'netif 0 -> netif 1 and back')" \
		grep -q 'mir-perf forward: netif 0 -> netif 1 and back' "$con"
	for l in '0->1' '1->0'; do
		line=$(grep -o "mir-perf forward $l: received [0-9]* sent [0-9]* dropped [0-9]* tx_errors [0-9]*" "$con" | tail -1)
		# fields: 5 received, 7 sent, 9 dropped, 11 tx_errors
		check "$label: the unikernel's count of $l at shutdown: it sent something, all it received less drops and errors (${line:-no count printed})" \
			awk -v l="$line" 'BEGIN { n = split(l, f, " "); exit !(n == 11 && f[7] > 0 && f[7] == f[5] - f[9] - f[11]) }'
	done
}

xc_goodput() {
	local run=$out/run rc rows n
	goodput_cfg
	# Every frame in dom0 (headers only), for the record and a failure's story:
	# each is seen at every hop (mpg0, if1, tap0, tap1, if2, mpg1).
	tcpdump -Z root -i any -nn -e -s 128 -U -w "$out/goodput.pcap" >"$out/tcpdump.log" 2>&1 &
	local dump=$!
	run_mir_perf "$out/mir-perf.log" 600 --platform xen "${DUT_ARGS[@]}" --cfg /xc/cfg-goodput \
		--bufsizes 1448 --protocol tcp,udp --bitrate 2M --duration 3s -o "$run" -v
	kill -INT $dump && wait $dump
	# tcpdump drops to a user dom0 does not have, unless told to stay root
	tcpdump -Z root -nn -e -vv -r "$out/goodput.pcap" >"$out/goodput-frames.txt" 2>&1
	ran_ok "mir-perf --mode goodput --platform xen, DUT $DUT_NAME" "TCP and UDP points done"
	mirage_both_ways "$run" goodput
	rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["protocol"] }' \
		"$run/goodput.csv" 2>/dev/null | tr '\n' ' ')
	check "goodput.csv holds the TCP and the UDP point (got: ${rows:-none})" test "$rows" = "tcp udp "
	for n in 1 2; do
		check "iperf3's document of point $n came back from the guest (iperf3/point-$n.json parses, has its end sums)" \
			grep -q '"sum_received"' "$run/iperf3/point-$n.json"
	done
	check "the iperf3 server's log came back from the guest (iperf3/server.log)" test -e "$run/iperf3/server.log"
	said_rows "iperf3's bytes and the vif counters agree: " < <(awk -f /xc/goodput.awk "$run/goodput.csv" 2>/dev/null)
	if [ $rc -ne 0 ]; then
		diag "the first frames on tap0 and tap1 (all of them: goodput-frames.txt in the results):"
		grep -E ' (tap0|tap1) ' "$out/goodput-frames.txt" | head -40 | cut -c1-220 | sed 's/^/#   /'
	fi
	check "the traff-gen guest made the server's namespace: no goodput-ends error on its console" \
		eval '! grep -q "goodput ends:" "$run/console-gen.log"'
	left_after mir-perf
}

# The unikernel as iperf3's server (XC_GOODPUT_DUT=endpoint on the host):
# mir-perf mirage-net-xen A --mode goodput --server dut boots the recipe's
# iperf3 unikernel (mirage-tcpip over mirage-net-xen's netfront at A) on if1
# alone, and Debian's iperf3 client in the traff-gen guest runs a TCP point
# and a UDP point (4 Mbit/s), each with 2 streams, against it. Counts and
# completion, not rates:
# both points done; the unikernel's console says each test and the bytes it
# received, which are what the client's document reports as received (the
# server's count, carried by iperf3's protocol); and the vif counters agree:
# the generator's vif and tap0 carried at least those bytes and at most what
# was written plus headers and the control connection, and the unikernel sent
# something back (its ACKs).
xc_endpoint() {
	local run=$out/run-endpoint con rc rows got want
	con=$run/console-dut.log
	goodput_cfg
	run_mir_perf "$out/mir-perf-endpoint.log" 900 --platform xen "${DUT_ARGS[@]}" --cfg /xc/cfg-goodput \
		--bufsizes 1448 --protocol tcp,udp --streams 2 --bitrate 4M --duration 3s -o "$run" -v
	ran_ok "mir-perf --mode goodput --server dut, $DUT_NAME" "a TCP and a UDP point done"
	grep -E 'Solo5:|mir-perf iperf3' "$con" 2>/dev/null | head -8 | cut -c1-200 | sed 's/^/# console: /'
	check "endpoint: the unikernel listened (its console: 'mir-perf iperf3: listening on TCP port 5201')" \
		grep -q 'mir-perf iperf3: listening on TCP port 5201' "$con"
	rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["protocol"] "/" $c["streams"] }' \
		"$run/goodput.csv" 2>/dev/null | tr '\n' ' ')
	check "endpoint: goodput.csv holds the TCP and the UDP point of 2 streams (got: ${rows:-none})" test "$rows" = "tcp/2 udp/2 "
	# what the client's documents report received, and what the unikernel said
	want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { printf "%s/%s/%s ", $c["protocol"], $c["streams"], $c["bytes_received"] }' \
		"$run/goodput.csv" 2>/dev/null)
	got=$(sed -n 's/.*mir-perf iperf3: test [0-9]* from [^ ]*: \([TU][CD]P\), \([0-9]*\) streams, received \([0-9]*\) bytes.*/\1\/\2\/\3/p' "$con" 2>/dev/null |
		tr 'A-Z\n' 'a-z ')
	check "endpoint: each test the unikernel said (protocol/streams/bytes: ${got:-none}) is what the client reported received (${want:-none}), and moved data" \
		eval '[ -n "$got" ] && [ "$got" = "$want" ] && ! printf "%s" "$got" | grep -q "/0 "'
	said_rows "endpoint: iperf3's bytes and the vif counters agree: " < <(awk -f /xc/endpoint.awk "$run/goodput.csv" 2>/dev/null)
	check "endpoint: counts checked for each of the 2 points" test "$rows_said" = 2
	check "endpoint: the unikernel's summary at shutdown counts both tests completed" \
		grep -q 'mir-perf iperf3: 2 tests, 2 completed' "$con"
	# a stopped unikernel is said with what it does (the client's line)
	if [ $rc -ne 0 ] && grep -q 'the DUT is idle: ' "$out/mir-perf-endpoint.log"; then
		check "endpoint: the stop is said with the unikernel's state and its vif's event channels in Xen" \
			grep -Eq 'its vif event channels in Xen: [0-9]+ \(vif 0\) (pending|idle)' "$out/mir-perf-endpoint.log"
	fi
	if [ $rc -ne 0 ]; then
		diag "the unikernel's console:"
		tail -20 "$con" 2>/dev/null | cut -c1-220 | sed 's/^/#   /'
	fi
	left_after "mir-perf --server dut"
}

# The rr mode, after the goodput points (XC_MODE=goodput): mir-perf --mode rr
# --platform xen --dut linux-fwd, two request/response sizes of 3 s each
# (and the default 1 s warm-up), a transaction timing out only after 30 s:
# under a loaded emulator one TCP handshake through the DUT took over 5 s
# (1.6 s for the SYN to cross linux-fwd, 2.4 s for the server's SYN-ACK), so
# the default 2 s (which also bounds the client's connect) would time out
# everything. Counts and completion, not rates:
# mir-trafgen rr ran in the traff-gen guest (client on eth0, server in its
# namespace srv on eth1) through the DUT both ways, its documents came back,
# and its transaction counts agree with the vif counters in dom0 (rr.awk).
RR_SIZES="64 1/1024"
xc_rr() {
	local run=$out/run-rr rc rows n want
	mkdir -p /xc/cfg-rr && cp /xc/cfg/* /xc/cfg-rr/ &&
		printf 'mode = rr\n' >>/xc/cfg-rr/mir-perf.conf
	# every frame in dom0, headers only, as for goodput (rr-frames.txt)
	tcpdump -Z root -i any -nn -e -s 128 -U -w "$out/rr.pcap" >"$out/tcpdump-rr.log" 2>&1 &
	local dump=$!
	run_mir_perf "$out/mir-perf-rr.log" 600 --platform xen "${DUT_ARGS[@]}" --cfg /xc/cfg-rr \
		--rr-sizes "$RR_SIZES" --rr-timeout 30s --duration 3s -o "$run" -v
	kill -INT $dump && wait $dump
	tcpdump -Z root -nn -e -vv -r "$out/rr.pcap" >"$out/rr-frames.txt" 2>&1
	ran_ok "mir-perf --mode rr --platform xen, DUT $DUT_NAME" "$RR_SIZES points done"
	mirage_both_ways "$run" rr
	want="64/64 1/1024 "
	rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["req_bytes"] "/" $c["resp_bytes"] }' \
		"$run/rr.csv" 2>/dev/null | tr '\n' ' ')
	check "rr.csv holds both points (want: $want; got: ${rows:-none})" test "$rows" = "$want"
	check "rr.json holds both points" \
		test "$(grep -o '"req_bytes"' "$run/rr.json" 2>/dev/null | wc -l)" = 2
	for n in 1 2; do
		check "the rr client's document of point $n came back from the guest (rr/point-$n.json has its counts)" \
			grep -q '"completed"' "$run/rr/point-$n.json"
	done
	check "the rr server's log came back from the guest (rr/server.log)" test -e "$run/rr/server.log"
	said_rows "rr: transactions and the vif counters agree: " < <(awk -f /xc/rr.awk "$run/rr.csv" 2>/dev/null)
	check "rr: counts checked for each of the 2 points" test "$rows_said" = 2
	if [ $rc -ne 0 ]; then
		diag "the first frames of the ends on tap0 and tap1 (all of them: rr-frames.txt in the results):"
		grep -E '198\.1[89]\.0\.1' "$out/rr-frames.txt" | head -30 | cut -c1-200 | sed 's/^/#   /'
	fi
	check "rr: the traff-gen guest made the server's namespace: no goodput-ends error on its console" \
		eval '! grep -q "goodput ends:" "$run/console-gen.log"'
	left_after "mir-perf --mode rr"
}

# The diagnosis of issue 12 (XC_MODE=stress; not part of the check): the
# static mir-trafgen started XC_STRESS_N times as a forwarder in this PV dom0,
# first with no traffic, then with a generator sending through it, and the
# vector-state probe beside each; then XC_STRESS_N times more for 1.5 s each
# (past its first progress line, printed after 1 s) with stderr on a file and
# on a pty: in the guests the static forwarder died 2 s after its start,
# inside fprintf of that line to the console (a tty), writing through a NULL
# write pointer of glibc's stack buffer. dom0 has no veth module, so the links
# are taps: "wires" (the dynamic mir-trafgen fwd --tap) hold their fds and
# carry the frames: tx -> mps-x =wire=> mps-a -> [static fwd] -> mps-b =wire=>
# mps-y. Counts how each run ended and the kernel's "segfault at" lines
# (print-fatal-signals dumps land on the console, printk level 7).
# xc_stress_round LABEL N DURATION TTY
xc_stress_round() {
	local label=$1 n=$2 dur=$3 tty=$4 i rc ok=0 sig=0 other=0 t0 t1 fwd=0 seg0 seg1
	local cmd="mir-trafgen.static fwd --in mps-a --out mps-b --duration $dur"
	seg0=$(dmesg | grep -c 'segfault at')
	t0=$(now)
	for ((i = 0; i < n; i++)); do
		if [ "$tty" = 1 ]; then
			# script -e: the child's status; 128 + N when signal N killed it
			script -qfec "$cmd" /dev/null >"$out/stress-out.txt" 2>"$out/stress-err.txt" </dev/null
		else
			$cmd >"$out/stress-out.txt" 2>"$out/stress-err.txt"
		fi
		rc=$?
		if [ $rc -eq 0 ]; then
			ok=$((ok + 1))
			fwd=$((fwd + $(awk '$1 == "mps-a" { print $4 + 0 }' "$out/stress-out.txt")))
		elif [ $rc -gt 128 ]; then
			sig=$((sig + 1))
			diag "stress $label run $i: killed by signal $((rc - 128))"
		else
			other=$((other + 1))
			diag "stress $label run $i: status $rc: $(head -c 200 "$out/stress-err.txt" "$out/stress-out.txt" | tr -d '\r')"
		fi
	done
	t1=$(now)
	seg1=$(dmesg | grep -c 'segfault at')
	if [ $sig -eq 0 ] && [ $other -eq 0 ] && [ "$seg1" -eq "$seg0" ]; then
		ok "stress $label: $ok of $n runs of mir-trafgen.static fwd ended cleanly, $fwd frames forwarded, no segfault in dmesg ($(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s)"
	else
		nok "stress $label: of $n runs, $ok clean ($fwd frames forwarded), $sig killed by a signal, $other failed, $((seg1 - seg0)) 'segfault at' lines in dmesg ($(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s)"
		dmesg | grep -A3 'segfault at' | tail -8 | while IFS= read -r l; do diag "  $l"; done
	fi
}
# xc_vecstate LABEL: do this dom0's threads keep their vector registers?
xc_vecstate() {
	local r rc
	r=$(vecstate "${XC_VEC_S:-20}" 3 ${2:-} 2>&1)
	rc=$?
	case $rc in
	0) ok "vector state kept ($1): ${r#vecstate: }" ;;
	2) diag "vector state not checked ($1): $r" ;;
	*) nok "vector state kept ($1): $(echo $r)" ;;
	esac
}
xc_stress() {
	local n=${XC_STRESS_N:-200} l w1 w2 gen
	echo 7 >/proc/sys/kernel/printk
	echo 1 >/proc/sys/kernel/print-fatal-signals
	for l in mps-x mps-a mps-b mps-y; do
		ip tuntap add dev "$l" mode tap && sysctl -qw "net.ipv6.conf.$l.disable_ipv6=1" &&
			ip link set "$l" up || { nok "stress: tap $l"; return 1; }
	done
	diag "cpu flags: $(grep -m1 -oE '\b(avx[0-9a-z_]*|sse4_2|xsave[a-z]*|erms|fsrm)\b' /proc/cpuinfo | sort -u | tr '\n' ' ')"
	mir-trafgen fwd --tap --in mps-x --out mps-a >/dev/null 2>&1 &
	w1=$!
	mir-trafgen fwd --tap --in mps-b --out mps-y >/dev/null 2>&1 &
	w2=$!
	sleep 1
	xc_vecstate "no traffic"
	# Both of dom0's vCPUs on one physical CPU: Xen now switches vector
	# state between them (lazily, through CR0.TS and #NM, unless told to be
	# eager), as it does between a guest and dom0 in the full check.
	if xl vcpu-pin Domain-0 all 0 >/dev/null 2>&1; then
		xc_vecstate "dom0's 2 vCPUs pinned to one CPU"
		xc_vecstate "legacy SSE, dom0's 2 vCPUs pinned to one CPU" sse
		xl vcpu-pin Domain-0 all all >/dev/null 2>&1
	else
		diag "xl vcpu-pin Domain-0 all 0 failed"
	fi
	xc_stress_round "stderr on a file, 1.5 s" "$n" 1500ms 0
	xc_stress_round "stderr on a pty, 1.5 s (progress lines)" "$n" 1500ms 1
	xc_stress_round "without traffic" "$n" 300ms 0
	mir-trafgen tx --dev mps-x --size 64 --rate 2000 --duration 3600 >/dev/null 2>&1 &
	gen=$!
	xc_stress_round "with traffic (2000 pps into the forwarder)" "$n" 300ms 0
	xc_vecstate "with traffic"
	kill -INT $gen $w1 $w2
	wait $gen $w1 $w2
	for l in mps-x mps-a mps-b mps-y; do ip link del "$l"; done
}

# The machine keeps vector registers across Xen's vCPU switches (dom0's two
# vCPUs made to share one CPU for 5 s): without it every program in every
# domain may compute with another's registers (see xen-check.sh,
# spec-ctrl=eager-fpu). Not retried: results on such a machine mean nothing.
xc_fpu_check() {
	local r rc
	if ! xl vcpu-pin Domain-0 all 0 >/dev/null 2>&1; then
		nok "vector state across Xen's vCPU switches: xl vcpu-pin Domain-0 all 0 failed"
		return
	fi
	r=$(vecstate 5 3 2>&1)
	rc=$?
	xl vcpu-pin Domain-0 all all >/dev/null 2>&1
	case $rc in
	0) ok "vector state kept across Xen's vCPU switches (dom0's 2 vCPUs on one CPU): ${r#vecstate: }" ;;
	2) diag "vector state across vCPU switches not checked: $r" ;;
	*) nok "vector state kept across Xen's vCPU switches (dom0's 2 vCPUs on one CPU): $(echo $r)" ;;
	esac
}

xc_info || exit 1
[ "$mode" = stress ] || xc_fpu_check
case $mode in
smoke) xc_smoke ;;
full) xc_full ;;
goodput)
	# two_ended_dut reads /xc/mirage.env, which says which unikernel
	if two_ended_dut; then
		if [ "${XC_MIRAGE_UNIKERNEL:-}" = iperf3 ]; then xc_endpoint; else xc_goodput; xc_rr; fi
	fi
	;;
stress) xc_stress ;;
mirage) . /xc/dom0-mirage.sh && xc_mirage ;;
*) nok "unknown mode '$mode'" ;;
esac
exit $failed
