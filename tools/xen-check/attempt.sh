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

# xc_crash_lines FILE...: the lines kernels, the dynamic linker, libxl and
# mir-geninit leave when a program or a guest dies (at most 20).
xc_crash_lines() {
	grep -ahE 'segfault at|potentially unexpected fatal signal|killed by signal|traps: |XZ decompression|Invalid kernel|symbol lookup error|Kernel panic|Oops|BUG:|general protection' \
		"$@" 2>/dev/null | tr -d '\r' | head -n 20
}
