#!/usr/bin/env bash
# The real-Xen check (tools/xen-check): Xen 4.17 and a Debian dom0 under qemu,
# mir-perf --platform xen --dut linux-fwd inside. It takes several minutes
# (software emulation), so `make check` runs it only with MP_XEN_CHECK=1;
# `sudo make xen-check` runs it alone. Its TAP lines are this suite's.
. "$(dirname "$0")/../lib.sh"

if [ "${MP_XEN_CHECK:-0}" != 1 ]; then
	tap_skip "real Xen under qemu takes minutes: run 'sudo make xen-check' (or MP_XEN_CHECK=1 make check)"
	exit 0
fi
need_root 1 "boots Xen under qemu and builds a dom0 root filesystem"
exec "$MP_TOP/tools/xen-check/xen-check.sh" "$MP_BIN" "${MP_BUILD:-$MP_TOP/build}/xen-check"
