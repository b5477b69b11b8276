# tools/xen-check/check.mk: sudo make xen-check — real Xen 4.17 under qemu (see tools/xen-check/).
# Installs what it needs, builds the binaries, boots Xen with a Debian dom0 that
# holds them and runs mir-perf --platform xen --dut linux-fwd inside; TAP out.
# Images are cached in /var/cache/mir-perf/xen-check; console and results of the
# last run land in $(B)/xen-check/. XC_MODE=smoke checks Xen and a guest only.
.PHONY: xen-check
xen-check: deps
	@$(MAKE) --no-print-directory all
	@tools/xen-check/xen-check.sh $(abspath $(BIN)) $(abspath $(B))/xen-check
