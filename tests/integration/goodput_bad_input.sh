#!/usr/bin/env bash
# Bad input of the goodput mode, refused before anything is created: a write
# size iperf3 refuses, a DUT that cannot forward both ways (on Xen: a
# prebuilt unikernel image; linux-fwd and a library's forwarder, booted with
# --bidir, do), no iperf3. Each
# gives one line on stderr naming what is wrong, status 2, no run directory,
# no namespace, no state file. So is --server dut (server = dut: the DUT is
# the server, the recipe's MirageOS iperf3 unikernel) outside the goodput
# mode, off the xen platform, with a DUT that is no library built by mir-perf,
# and a value that is neither sink nor dut; with UDP it is planned (the
# unikernel takes UDP too). And a DUT that forwards only one way at run
# time (exec: a one-way forwarder) is caught by the readiness probe of the way
# back, with status 1 and nothing left.
ALL_TESTS="$(echo {bufsz_udp,bufsz_tcp,one_way_dut,xen_image,no_iperf3}_{status,one_line,no_run_dir,nothing_made})
	$(echo server_{frames,rr,conf_frames,local,conf_local,linux_fwd,image,bad,bad_conf}_{status,one_line,no_run_dir,nothing_made})
	server_udp_planned
	oneway_exec_status oneway_exec_says oneway_exec_nothing_left"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/goodput_common.bash"
. "$(dirname "$0")/bad_input_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-goodput-XXXXXX)
on_exit "rm -rf $tmp"
goodput_cfg "$tmp/cfg" 2 0

refused bufsz-udp "expected a write size from 16 to 65507 bytes, as iperf3 takes for UDP.*got '70000'" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge --protocol udp --bufsizes 70000
refused bufsz-tcp "range-bufsz:2:3: expected a write size from 1 to 1048576 bytes, as iperf3 takes for TCP, got '2000000'" \
	sh -c 'printf "64\n  2000000\n" >"$0/range-bufsz"; exec "$@"' "$tmp/cfg" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge
echo 1200 >"$tmp/cfg/range-bufsz"
refused one-way-dut "needs a DUT that forwards both ways.*'linux-fwd' runs on the xen platform" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut linux-fwd
# Refused before the platform is looked at (this machine is no Xen dom0,
# which would be status 1): the input is wrong wherever it runs.
refused xen-image "needs a DUT that forwards both ways.*--dut linux-fwd.*not 'image:/bin/true', a prebuilt image" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --platform xen --dut image:/bin/true
# PATH through env: this case takes iperf3 away
refused no-iperf3 "no iperf3 in PATH.*apt-get install iperf3" \
	env PATH=/nonexistent "$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge

# --server dut / server = dut: the DUT is iperf3's server, the recipe's
# MirageOS iperf3 unikernel. Refused on this machine (no Xen dom0 needed, the
# input is wrong wherever it runs) before anything exists.
refused server-frames "^mir-perf: --server dut belongs to the goodput mode: the DUT is then iperf3's server \(the recipe's MirageOS iperf3 unikernel\); add --mode goodput$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --mode frames --server dut -p xen mirage-net-xen
refused server-rr "^mir-perf: --server dut belongs to the goodput mode: the rr mode's server is mir-trafgen rr, not the DUT; add --mode goodput$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --mode rr --server dut -p xen mirage-net-xen
cp -r "$tmp/cfg" "$tmp/cfg-srv"
sed -i 's/^mode = goodput$/mode = frames/' "$tmp/cfg-srv/mir-perf.conf"
echo "server = dut" >>"$tmp/cfg-srv/mir-perf.conf"
refused server-conf-frames "^mir-perf: server = dut in $tmp/cfg-srv/mir-perf.conf belongs to the goodput mode: the DUT is then iperf3's server" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg-srv" -p xen mirage-net-xen
refused server-local "^mir-perf: --server dut needs the xen platform: the server is the recipe's MirageOS iperf3 unikernel \(mirage-net-xen \[COMMIT\]\); the platform is local \(asked for by --platform local\)$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --server dut -p local --dut bridge
refused server-conf-local "^mir-perf: server = dut in $tmp/cfg-srv/mir-perf.conf needs the xen platform: .*the platform is local \(asked for by platform = local in $tmp/cfg-srv/mir-perf.conf\)$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg-srv" --mode goodput --dut bridge
refused server-linux-fwd "^mir-perf: --server dut needs a library built by mir-perf \(mirage-net-xen \[COMMIT\]\): the server is the recipe's MirageOS iperf3 unikernel, and 'linux-fwd' is not one$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --server dut -p xen --dut linux-fwd
refused server-image "needs a library built by mir-perf.*and 'image:/bin/true' is not one$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --server dut -p xen --dut image:/bin/true
check server_udp_planned "--server dut with --protocol tcp,udp: planned (--dry-run), a TCP and a UDP point to the DUT itself" \
	sh -c "'$MP_BIN/mir-perf' --dry-run --cfg '$tmp/cfg' --server dut --protocol tcp,udp --bufsizes 1448 \
		--streams 2 -p xen mirage-net-xen abcdef0 >'$tmp/udp-plan' 2>&1 &&
		grep -q 'tcp  2 streams  1448 B' '$tmp/udp-plan' && grep -q 'udp  2 streams  1448 B' '$tmp/udp-plan' &&
		grep -q 'server: the DUT itself at' '$tmp/udp-plan'"
refused server-bad "^mir-perf: --server: expected 'dut' or 'sink', got 'unikernel'$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --server unikernel -p xen mirage-net-xen
cp -r "$tmp/cfg" "$tmp/cfg-bad"
n=$(($(wc -l <"$tmp/cfg-bad/mir-perf.conf") + 1))
echo "server = Dut" >>"$tmp/cfg-bad/mir-perf.conf"
refused server-bad-conf "^$tmp/cfg-bad/mir-perf.conf:$n:10: expected 'dut' or 'sink' for 'server', got 'Dut'$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg-bad" -p xen mirage-net-xen

# A one-way exec: DUT: its probe of the way back fails; 3 checks.
sed -i 's/^duration.*/duration = 1/' "$tmp/cfg/mir-perf.conf"
oneway_exec "no probe frame came through tap1 -> tap0 (the way back, which TCP needs)"
