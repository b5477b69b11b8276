#!/usr/bin/env bash
# The real-Xen check (tools/xen-check): Xen 4.17 and a Debian dom0 under qemu,
# mir-perf --platform xen --dut linux-fwd inside. It takes several minutes
# (software emulation), so `make check` runs it only with MP_XEN_CHECK=1;
# `sudo make xen-check` runs it alone. Always: its scripts parse, and the
# hop-by-hop count check tells agreeing counts from a lost frame.
. "$(dirname "$0")/../lib.sh"
xc=$MP_TOP/tools/xen-check

syntax_ok() {
	local f
	for f in "$xc"/xen-check.sh "$xc"/images.sh "$xc"/dom0-init "$xc"/dom0-check.sh; do
		bash -n "$f" || return 1
	done
	busybox sh -n "$xc"/domu-init 2>/dev/null || sh -n "$xc"/domu-init
}
tap_check "xen-check scripts parse (bash -n, sh -n)" syntax_ok

csv=$(mktemp)
on_exit "rm -f $csv"
cols=point,trial,size,target_pps,offered_pps,window_s,sent,send_errors,received,lost
cols=$cols,gen_tx_pkts,dut_in_pkts,dut_out_pkts,sink_rx_pkts,settled
printf '%s\n%s\n%s\n%s\n' "$cols" \
	0,0,64,100,99.5,2.0,300,0,300,0,300,300,300,300,1 \
	1,0,64,200,199.1,2.0,600,0,599,1,600,600,599,599,1 \
	2,0,512,100,99.9,2.0,0,0,0,0,0,0,0,0,1 >"$csv"
out=$(awk -f "$xc"/hops.awk "$csv")
tap_check "hops.awk: equal counts at every hop agree" \
	grep -qx 'agree 64 B at 100 pps: sent 300, generator 300, tap0 300, tap1 300, sink 300, received 300' <<<"$out"
tap_check "hops.awk: one frame lost between tap0 and tap1 differs" \
	grep -qx 'differ 64 B at 200 pps: sent 600, generator 600, tap0 600, tap1 599, sink 599, received 599' <<<"$out"
tap_check "hops.awk: a point with no frames at all differs" grep -q '^differ 512 B at 100 pps' <<<"$out"

if [ "${MP_XEN_CHECK:-0}" != 1 ]; then
	tap_skip "real Xen under qemu takes minutes: run 'sudo make xen-check' (or MP_XEN_CHECK=1 make check)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	tap_skip "real Xen under qemu needs root: sudo make xen-check"
	exit 0
fi
# The check's own TAP lines follow, numbered after the ones above.
"$xc"/xen-check.sh "$MP_BIN" "${MP_BUILD:-$MP_TOP/build}/xen-check" | awk -v n=$_tap_n '
	/^ok [0-9]+ / { sub(/^ok [0-9]+/, "ok " ++n) }
	/^not ok [0-9]+ / { sub(/^not ok [0-9]+/, "not ok " ++n) }
	/^1\.\./ { next }
	{ print; fflush() }'
exit "${PIPESTATUS[0]}"
