#!/usr/bin/env bash
# Bad input of the rr mode, refused before anything is created: a size list
# entry out of range (on the command line and in range-rrsz), a DUT that
# cannot forward both ways (a Xen DUT on the local platform, a prebuilt image
# on Xen). Each gives one line on stderr naming what is
# wrong, status 2, no run directory, no namespace, no state file. And a DUT
# that forwards only one way at run time (exec: a one-way forwarder) is caught
# by the readiness probe of the way back, with status 1 and nothing left.
ALL_TESTS="$(echo {size_cli,size_file,one_way_dut,xen_image}_{status,one_line,no_run_dir,nothing_made})
	oneway_exec_status oneway_exec_says oneway_exec_nothing_left"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/rr_common.bash"
. "$(dirname "$0")/bad_input_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-rr-XXXXXX)
on_exit "rm -rf $tmp"
rr_cfg "$tmp/cfg" 1 0

refused size-cli "^--rr-sizes:1:4: expected a request size Q or Q/R \(response R\) from 1 to 1048576 bytes each, like 64 or 1/1024, got '1/2000000'$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge --rr-sizes '64 1/2000000'
refused size-file "range-rrsz:2:3: expected a request size Q or Q/R .*, got '0'$" \
	sh -c 'printf "64\n  0\n" >"$0/range-rrsz"; exec "$@"' "$tmp/cfg" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge
echo 1 >"$tmp/cfg/range-rrsz"
refused one-way-dut "the rr mode needs a DUT that forwards both ways.*'linux-fwd' runs on the xen platform" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut linux-fwd
# Refused before the platform is looked at (this machine is no Xen dom0,
# which would be status 1): on Xen linux-fwd and a library's forwarder
# forward both ways, a prebuilt image is not known to.
refused xen-image "the rr mode needs a DUT that forwards both ways.*--dut linux-fwd.*not 'image:/bin/true', a prebuilt image" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --platform xen --dut image:/bin/true

# A one-way exec: DUT: its probe of the way back fails; 3 checks.
oneway_exec "no probe frame came through tap1 -> tap0 (the way back"
