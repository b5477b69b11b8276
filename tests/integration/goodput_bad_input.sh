#!/usr/bin/env bash
# Bad input of the goodput mode, refused before anything is created: a write
# size iperf3 refuses, a DUT that cannot forward both ways (on Xen: a
# prebuilt unikernel image; linux-fwd and a library's forwarder, booted with
# --bidir, do), no iperf3. Each
# gives one line on stderr naming what is wrong, status 2, no run directory,
# no namespace, no state file. And a DUT that forwards only one way at run
# time (exec: a one-way forwarder) is caught by the readiness probe of the way
# back, with status 1 and nothing left.
ALL_TESTS="$(echo {bufsz_udp,bufsz_tcp,one_way_dut,xen_image,no_iperf3}_{status,one_line,no_run_dir,nothing_made})
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

# A one-way exec: DUT: its probe of the way back fails; 3 checks.
sed -i 's/^duration.*/duration = 1/' "$tmp/cfg/mir-perf.conf"
oneway_exec "no probe frame came through tap1 -> tap0 (the way back, which TCP needs)"
