# tools/xen-check/attempt.sh: how xen-check.sh judges one boot from its console
# (sourced; tests/integration/xen_check.sh checks it on made-up consoles).
# dom0's lines start "@@XC " (see dom0-init).

# xc_platform_up CONSOLE: did the platform under the product come up -- Xen
# booted dom0, its /init ran, the toolstack started and `xl info` answered?
# Only then was the product (mir-perf, its guests, mir-trafgen) run, so only a
# boot where this fails may be retried.
xc_platform_up() {
	grep -q '@@XC BOOT' "$1" &&
		grep -q '@@XC ok - toolstack up' "$1" &&
		grep -q '@@XC ok - xl info answers' "$1"
}

# xc_platform_why CONSOLE QEMU_STATUS SECONDS: where it stopped coming up.
xc_platform_why() {
	if ! grep -q '@@XC BOOT' "$1"; then
		echo "Xen or dom0 did not boot (no /init; qemu status $2 after $3 s)"
	elif ! grep -q '@@XC ok - toolstack up' "$1"; then
		echo "the toolstack did not start"
	else
		echo "xl info did not answer"
	fi
}

# xc_platform_fault RESULTS_DIR: did the emulated platform corrupt the
# toolstack's own hotplug helper while libxl created a domain? Seen on
# 2 December 2026: mir-vif-hotplug (started by libxl once per vif) jumped to
# 0x55aae4fa1798, a code address of a PIE base that was not its own
# (0x5620cfdb9000) but looks like the one of its previous instance, a second
# earlier: stale memory of another process; also ld.so not finding
# pthread_mutex_unlock@GLIBC_2.2.5 in libc for it 2 s after the same lookup
# worked. No guest or measurement was involved yet, so a second boot is
# allowed, and said (the line is printed). A guest or mir-perf that crashes
# is never this: that is the product.
# Also a guest kernel whose xenstore thread waited on dom0's xenstored for
# 120 s ("task xenwatch:N blocked for more than 120 seconds", in xs_talkv):
# seen in a CI run with one core hogged, both guests' consoles stopping
# after their netfronts came up, 2 of 5 vifs connected, dom0's timer
# interrupts 49 ms late; the toolstack stopped answering, not the product.
xc_platform_fault() {
	grep -rahE 'mir-vif-hotplug\[[0-9]+\]: segfault at|mir-vif-hotplug: symbol lookup error|mir-vif-hotplug online \[[0-9]+\] died due to fatal signal|task xenwatch:[0-9]+ blocked for more than' \
		"$1" 2>/dev/null | tr -d '\r' | head -n 1 | grep .
}

# xc_crash_lines FILE...: the lines kernels, the dynamic linker, libxl and
# mir-geninit leave when a program or a guest dies (at most 20).
xc_crash_lines() {
	grep -ahE 'segfault at|potentially unexpected fatal signal|killed by signal|traps: |XZ decompression|Invalid kernel|symbol lookup error|Kernel panic|Oops|BUG:|general protection' \
		"$@" 2>/dev/null | tr -d '\r' | head -n 20
}
