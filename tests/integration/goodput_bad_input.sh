#!/usr/bin/env bash
# Bad input of the goodput mode, refused before anything is created: a write
# size iperf3 refuses, a DUT that cannot forward both ways (on Xen: a
# unikernel image or library; linux-fwd is the one that does), no iperf3. Each
# gives one line on stderr naming what is wrong, status 2, no run directory,
# no namespace, no state file. And a DUT that forwards only one way at run
# time (exec: a one-way forwarder) is caught by the readiness probe of the way
# back, with status 1 and nothing left.
ALL_TESTS="$(echo {bufsz_udp,bufsz_tcp,one_way_dut,xen_image,xen_library,no_iperf3}_{status,one_line,no_run_dir,nothing_made})
	oneway_exec_status oneway_exec_says oneway_exec_nothing_left"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/goodput_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-goodput-XXXXXX)
on_exit "rm -rf $tmp"
goodput_cfg "$tmp/cfg" 2 0

# refused NAME PATTERN ARGS...: 4 checks, NAME_{status,one_line,no_run_dir,nothing_made}
# (NAME's - as _). PATH is passed through env so a
# case can take iperf3 away.
refused() {
	local name=$1 pattern=$2 out=$tmp/$1 rc=0 before after t=${1//-/_}
	shift 2
	before=$(ip netns list | wc -l; ls /run/mir-perf/*.state 2>/dev/null | wc -l)
	"$@" -o "$out" >"$out.out" 2>"$out.err" || rc=$?
	after=$(ip netns list | wc -l; ls /run/mir-perf/*.state 2>/dev/null | wc -l)
	check "${t}_status" "$name: status 2 (was $rc)" [ "$rc" -eq 2 ]
	if [ "$(wc -l <"$out.err")" -eq 1 ] && grep -qE -- "$pattern" "$out.err"; then
		pass "${t}_one_line" "$name: one line that says why: $(cat "$out.err")"
	else
		fail "${t}_one_line" "$name: one line matching /$pattern/"
		sed 's/^/# /' "$out.err"
	fi
	check "${t}_no_run_dir" "$name: no run directory" [ ! -e "$out" ]
	# other runs on this machine may come and go: only a growth would be ours
	check "${t}_nothing_made" "$name: no namespace or state file made" \
		awk -v b="$(echo $before)" -v a="$(echo $after)" 'BEGIN { split(b, x); split(a, y); exit !(y[1] <= x[1] && y[2] <= x[2]) }'
}

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
refused xen-image "needs a DUT that forwards both ways.*--dut linux-fwd.*not 'image:/bin/true'" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --platform xen --dut image:/bin/true
refused xen-library "needs a DUT that forwards both ways.*--dut linux-fwd.*not 'mirage-net-xen'" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --platform xen mirage-net-xen
refused no-iperf3 "no iperf3 in PATH.*apt-get install iperf3" \
	env PATH=/nonexistent "$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge

# A one-way exec: DUT (mir-trafgen fwd --tap without --bidir): the probe of
# the way back fails; 3 checks.
out=$tmp/oneway
sed -i 's/^duration.*/duration = 1/' "$tmp/cfg/mir-perf.conf"
if ! sweep_start "$out" --cfg "$tmp/cfg" \
	--dut "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1" ; then
	sed 's/^/# /' "$out.err"
	fail_rest "one-way exec: mir-perf did not start"
fi
sweep_wait
check oneway_exec_status "one-way exec: status 1 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 1 ]
if grep -q "no probe frame came through tap1 -> tap0 (the way back, which TCP needs)" "$out.err"; then
	pass oneway_exec_says "one-way exec: says the way back does not forward"
else
	fail oneway_exec_says "one-way exec: says the way back does not forward"
	sed 's/^/# /' "$out.err"
fi
check oneway_exec_nothing_left "one-way exec: nothing of run $SWEEP_ID left" \
	eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
