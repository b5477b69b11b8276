#!/bin/bash
# tools/xen-check/xen-check.sh BIN_DIR OUT_DIR: the real-Xen check (sudo make xen-check).
# Boots Xen 4.17 under qemu-system-x86_64 (software emulation: no KVM needed)
# with a Debian dom0 holding the freshly built binaries, runs
# tools/xen-check/dom0-check.sh in it and prints TAP: host steps, then every
# line dom0 reported, then one closing line. Status 0 only when all passed.
#
# Environment:
#   XC_MODE=full|smoke|mirage   full (default): mir-perf --platform xen --dut linux-fwd;
#                        smoke: Xen, toolstack and a busybox domU (xl) only;
#                        mirage: mir-perf mirage-net-xen A, then A B (mirage.sh);
#                        goodput: mir-perf --mode goodput --dut linux-fwd, TCP and UDP,
#                        then --mode rr --dut linux-fwd, two request/response sizes
#   XC_GOODPUT_DUT=mirage  in goodput mode: the same two runs through our MirageOS
#                        forwarder (mir-perf mirage-net-xen A, booted with --bidir)
#                        instead of linux-fwd; A built on the host as in mirage mode
#   XC_GOODPUT_DUT=endpoint  in goodput mode: the unikernel is iperf3's server
#                        (mir-perf mirage-net-xen A --mode goodput --server dut: the
#                        recipe's iperf3 unikernel on mirage-tcpip at A, built on
#                        the host as in mirage mode), TCP with 1 and 2 streams
#   XC_CACHE=DIR         image cache (default /var/cache/mir-perf/xen-check)
#   XC_BUDGET=SECONDS    the whole check must finish within this (default 840; in
#                        goodput mode 1200: two runs, each booting both domains); in
#                        mirage mode the boot must (default 2400: three runs of the
#                        unikernel, 4-7 min each at load 10-12, bounded in dom0 by
#                        600 + 120 + 240 + 1200 s), the host's builds before it
#                        being bounded by their own steps (toolchain cold ~12 min,
#                        forwarder ~2.5 min a commit)
#   XC_CPU=MODEL         qemu's -cpu (default max,-smap: with SMAP the PV dom0 crashes)
#   XC_MODE=stress       diagnosis only: the static mir-trafgen started XC_STRESS_N
#                        times (default 200) in dom0 without and with traffic, and
#                        the vector-state probe (vecstate.c); see dom0-check.sh
# If the platform does not come up in the emulator (Xen, dom0 or the
# toolstack), it boots once more and says so; a failure once the product ran
# is a failure, printed with the consoles' tails (never retried).
set -u
# All of it in braces: bash parses the whole script before running it, so
# editing the file during a run (minutes long) cannot derail that run.
{
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/images.sh"
. "$here/attempt.sh"

bin=${1:?usage: xen-check.sh BIN_DIR OUT_DIR}
outdir=${2:?usage: xen-check.sh BIN_DIR OUT_DIR}
mode=${XC_MODE:-full}
budget=${XC_BUDGET:-840}
[ "$mode" != mirage ] || budget=${XC_BUDGET:-2400}
[ "$mode" != goodput ] || budget=${XC_BUDGET:-1200}
cpu=${XC_CPU:-max,-smap}
t_start=$SECONDS
t_budget=$SECONDS
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; failed=$((failed + 1)); }
finish() {
	local verdict=PASS
	[ $failed -eq 0 ] || verdict=FAIL
	echo "1..$n"
	echo "xen-check: $verdict ($((n - failed)) ok, $failed not ok) in $((SECONDS - t_start)) s; console and results in $outdir"
	[ $failed -eq 0 ]
	exit
}

case $mode in full | smoke | stress | mirage | goodput) ;; *) echo "xen-check: XC_MODE must be full, smoke, mirage, goodput or stress, not '$mode'" >&2; exit 2 ;; esac
case ${XC_GOODPUT_DUT:-linux-fwd} in linux-fwd | mirage | endpoint) ;; *) echo "xen-check: XC_GOODPUT_DUT must be linux-fwd, mirage or endpoint, not '$XC_GOODPUT_DUT'" >&2; exit 2 ;; esac
case $outdir in *[!A-Za-z0-9/._-]*) echo "xen-check: output directory '$outdir' must be a plain path" >&2; exit 2 ;; esac
if [ "$(id -u)" -ne 0 ]; then
	echo "xen-check: needs root (it installs packages and builds a root filesystem): sudo make xen-check" >&2
	exit 1
fi
bin=$(cd "$bin" 2>/dev/null && pwd) || { [ "$mode" = smoke ] || { echo "xen-check: no $1: run make first" >&2; exit 2; }; }

# 1. Tools and cached images.
t=$SECONDS
if xc_host_deps && xc_images; then
	ok "images ready in $((SECONDS - t)) s: Xen, kernel $XC_KVER, dom0 base $(du -m "$XC_DIR/base.cpio" | cut -f1) MB (cache $XC_DIR)"
else
	nok "images ready (tools, Xen, kernel, dom0 base)"
	finish
fi

# 2. The overlay: /init, the check, the freshly built binaries, the guest kernel.
work=$(mktemp -d /var/tmp/mp-xen-check.XXXXXX) || exit 1
qemu_pid= follow_pid=
# timeout passes the signal on to qemu; tail stops once qemu is gone.
trap '[ -z "$qemu_pid" ] || { kill "$qemu_pid"; wait "$qemu_pid"; }
	[ -z "$follow_pid" ] || wait "$follow_pid"; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$outdir" && rm -rf "${outdir:?}"/attempt-* || exit 1

ov=$work/overlay
mkdir -p "$ov/xc/bin" "$ov/xc/cfg" "$ov/xc/plots" "$ov/boot" "$ov/usr/lib/x86_64-linux-gnu" "$work/smoke"
install -m 0755 "$here/dom0-init" "$ov/init"
install -m 0755 "$here/dom0-check.sh" "$ov/xc/dom0-check.sh"
install -m 0644 "$here/hops.awk" "$ov/xc/hops.awk"
install -m 0644 "$here/goodput.awk" "$ov/xc/goodput.awk"
install -m 0644 "$here/rr.awk" "$ov/xc/rr.awk"
install -m 0644 "$here/endpoint.awk" "$ov/xc/endpoint.awk"
ln "$XC_DIR/vmlinux" "$ov/boot/vmlinux-$XC_KVER" 2>/dev/null || cp "$XC_DIR/vmlinux" "$ov/boot/vmlinux-$XC_KVER"
# Every program `make` built (mir-perf finds its helpers beside itself).
missing=()
need=()
[ "$mode" = smoke ] || need=(mir-perf mir-trafgen.static mir-geninit mir-vif-hotplug)
for b in "$bin"/*; do
	[ -f "$b" ] && [ -x "$b" ] && install -m 0755 "$b" "$ov/xc/bin/"
done
for b in "${need[@]}"; do
	[ -x "$ov/xc/bin/$b" ] || missing+=("$b")
done
# The goodput mode: this host's iperf3 (Debian's, as `make deps` installs
# it), which mir-perf packs with its libraries into the traff-gen guest; the
# libraries come into dom0 with the others below.
# tcpdump records the run's frames in dom0 (goodput-frames.txt in the results).
if [ "$mode" = goodput ]; then
	for b in iperf3 tcpdump; do
		if command -v $b >/dev/null; then
			install -m 0755 "$(command -v $b)" "$ov/xc/bin/$b"
		else
			missing+=($b)
		fi
	done
fi
# The vector-state probe (diagnosis of the emulator, see vecstate.c).
cc -O2 -static -pthread -o "$ov/xc/bin/vecstate" "$here/vecstate.c" || missing+=(vecstate)
if [ "$mode" = goodput ] && [ "${XC_GOODPUT_DUT:-linux-fwd}" != linux-fwd ]; then
	# one commit: B = A is a cache hit of the first build
	XC_MIRAGE_B=${XC_MIRAGE_B:-${XC_MIRAGE_A:-509eb9e}}
	xc_what=forwarder
	[ "$XC_GOODPUT_DUT" != endpoint ] || { XC_MIRAGE_UNIKERNEL=iperf3 xc_what="iperf3 unikernel"; }
	. "$here/mirage.sh"
	xc_mirage_overlay "$ov" && ok "mirage: the $xc_what built (or cached) for dom0 in $((SECONDS - t_start)) s" ||
		{ nok "mirage: the toolchain and the $xc_what (tools/xen-check/mirage.sh)"; finish; }
	t_budget=$SECONDS # the budget is the boot's
fi
if [ "$mode" = mirage ]; then
	. "$here/mirage.sh"
	xc_mirage_overlay "$ov" && ok "mirage: forwarders built (or cached) for dom0 in $((SECONDS - t_start)) s" ||
		{ nok "mirage: the toolchain and the forwarder at two commits (tools/xen-check/mirage.sh)"; finish; }
	t_budget=$SECONDS # the budget is the boot's
fi
# cfg for --cfg; plot templates where mir-perf looks for them (BIN/../plots).
cp "$top"/cfg/* "$ov/xc/cfg/" 2>/dev/null
# Under TCG a guest keeps no real time (a 5 s sleep once measured 0.7 s), so
# its paced rate over a point drifts by several percent: this check counts
# frames, not rates, and lets the generator fall short by up to half before a
# point is "generator failed" (mir-perf's own default is 2 %).
printf '\n# xen-check: a guest under an emulator paces loosely\ngen_tolerance = 50%%\n' >>"$ov/xc/cfg/mir-perf.conf"
cp "$top"/plots/*.gp "$ov/xc/plots/" 2>/dev/null
# Libraries the binaries link that the dom0 base lacks come from this host
# (both are Debian 12).
extra_libs=()
for b in "$ov"/xc/bin/*; do
	for l in $(ldd "$b" 2>/dev/null | awk '$3 ~ /^\// { print $3 }'); do
		grep -qxF -e "$l" -e "/usr$l" "$XC_DIR/base.files" && continue
		[ -e "$ov/usr/lib/x86_64-linux-gnu/$(basename "$l")" ] && continue
		cp -L "$l" "$ov/usr/lib/x86_64-linux-gnu/" && extra_libs+=("$(basename "$l")")
	done
done
# The smoke domU's initramfs: busybox-static, xen-netfront, its /init.
mkdir -p "$work/smoke/bin" && install -m 0755 "$XC_DIR/busybox" "$work/smoke/bin/busybox"
install -m 0755 "$here/domu-init" "$work/smoke/init"
cp "$XC_DIR/domu-modules/xen-netfront.ko" "$work/smoke/"
mkdir -p "$work/smoke"/{proc,sys,dev}
(cd "$work/smoke" && find . -mindepth 1 | cpio -o -H newc --quiet >"$ov/xc/smoke-domu.cpio")
if (cd "$ov" && find . -mindepth 1 | cpio -o -H newc --quiet >"$work/overlay.cpio") &&
	cat "$XC_DIR/base.cpio" "$work/overlay.cpio" >"$work/dom0.cpio" && [ ${#missing[@]} -eq 0 ]; then
	ok "dom0 initramfs: base + overlay of $(du -m "$work/overlay.cpio" | cut -f1) MB ($(cd "$ov/xc/bin" && echo *))"
	[ ${#extra_libs[@]} -eq 0 ] || echo "# libraries copied from this host into dom0: ${extra_libs[*]}"
else
	nok "dom0 initramfs (missing in $bin: ${missing[*]:-none}; run make first)"
	finish
fi

# 3. Boot. dom0 holds its root filesystem in RAM (the initramfs, about 300 MB,
# twice while it unpacks), hence 1 GB; the guests get the other 1 GB less Xen's.
# No `noreboot`: a crash of Xen or dom0 (panic=1) reboots, and -no-reboot
# turns that into qemu exiting instead of hanging until the timeout.
# spec-ctrl=eager-fpu: Xen saves and restores a PV vCPU's vector registers at
# every switch instead of lazily (CR0.TS set, restored on the #NM trap of the
# first vector instruction). Under this qemu (7.2, TCG) the lazy way loses
# them: with dom0's two vCPUs on one CPU, vecstate found 745 of 89,438 and
# 757 of 90,993 rounds with all 16 YMM registers holding another context's
# values (eager: 0 of 81,356). That was issue 12's "random" guest crashes:
# glibc's buffered_vfprintf keeps its buffer pointer in xmm0 across a
# page fault; a static mir-trafgen in a 1-vCPU guest then wrote through NULL.
xen_cmdline="console=com1 com1=115200 dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all spec-ctrl=eager-fpu${XC_XEN_OPTS:+ $XC_XEN_OPTS}"
dom0_cmdline="console=hvc0 quiet panic=1 xc.mode=$mode${XC_STRESS_N:+ xc.stress_n=$XC_STRESS_N}"
# One attempt prints progress as it goes and leaves attempt-N/.
# boot_once N TIMEOUT: sets att_end ("" when dom0 never finished) and att_dir.
boot_once() {
	local a=$1 tmo=$2 t0=$SECONDS
	att_dir=$outdir/attempt-$a
	mkdir -p "$att_dir/results"
	rm -f "$work/results.img" && truncate -s 256M "$work/results.img" && : >"$work/console.raw"
	echo "# attempt $a: booting Xen under qemu (timeout ${tmo} s; console: $att_dir/console.log)"
	timeout --kill-after=10 "$tmo" qemu-system-x86_64 \
		-cpu "$cpu" -m 2048 -smp 2 -nographic -no-reboot -nic none \
		-kernel "$XC_DIR/xen" \
		-append "$xen_cmdline" -initrd "$XC_DIR/vmlinuz $dom0_cmdline,$work/dom0.cpio" \
		-drive "file=$work/results.img,format=raw,if=virtio" \
		</dev/null >>"$work/console.raw" 2>&1 &
	qemu_pid=$!
	# Progress in the background, so that a signal interrupts the wait below.
	tail -n +1 -s 0.5 -f --pid=$qemu_pid "$work/console.raw" |
		sed -un 's/\r//g; s/.*@@XC \(.*\)$/\1/p' | while IFS= read -r l; do
			printf '# [%4d s] dom0: %s\n' $((SECONDS - t0)) "$l"
		done &
	follow_pid=$!
	wait $qemu_pid
	att_rc=$?
	qemu_pid=
	wait $follow_pid
	follow_pid=
	tr -d '\r' <"$work/console.raw" >"$att_dir/console.log"
	att_secs=$((SECONDS - t0))
	att_end=$(sed -n 's/.*@@XC END \([0-9]*\).*/\1/p' "$att_dir/console.log" | tail -1)
	tar -xf "$work/results.img" -C "$att_dir/results" 2>/dev/null
}

# The TAP lines dom0 reported in an attempt, numbered here.
report_attempt() {
	local l
	while IFS= read -r l; do
		case $l in
		"ok - "*) ok "dom0: ${l#ok - }" ;;
		"not ok - "*) nok "dom0: ${l#not ok - }" ;;
		"# mir-perf: "*) ;; # shown as it came; all of it is in results/mir-perf.log
		"#"*) echo "# dom0: ${l#\#}" ;;
		esac
	done < <(sed -n 's/.*@@XC \(\(not \)\{0,1\}ok - .*\|#.*\)$/\1/p' "$att_dir/console.log")
}

# What a failed attempt shows: the failed checks, the lines the kernels and
# mir-geninit leave when a program or a guest dies, and the tails of the
# consoles (dom0's, and the guests' from the run directory).
show_failure() {
	local f
	sed -n 's/.*@@XC \(not ok - .*\)$/#   \1/p' "$att_dir/console.log"
	xc_crash_lines "$att_dir/console.log" "$att_dir/results/dom0-dmesg.txt" \
		"$att_dir"/results/run/console-*.log | sed 's/^/#   crash: /'
	# mir-trafgen redraws its progress line (\r, ESC[K) on a guest console.
	for f in "$att_dir"/results/run/console-gen.log "$att_dir"/results/run/console-dut.log; do
		[ -s "$f" ] || continue
		echo "# tail of ${f#"$outdir"/}:"
		tr '\r' '\n' <"$f" | sed 's/\x1b\[K//g; /^$/d' | tail -n 20 | sed 's/^/#   /'
	done
	echo "# tail of the dom0 console ($att_dir/console.log):"
	grep -av '@@XC' "$att_dir/console.log" | tail -n 25 | sed 's/^/#   /'
}

# Each attempt may use what is left of the budget: dom0 bounds its own steps
# (xl create, mir-perf), so a whole budget only goes to a wedged emulator.
# A second boot only when the platform did not come up (Xen, dom0, the
# toolstack: not what is under test). Once it was up, whatever fails -- mir-perf,
# a hop count, a missing point, a crashed guest, dom0 never finishing -- is a
# failure of this check, shown with the consoles' tails: a bug that fails one
# run in three must not pass because the next boot went well.
remaining=$((budget - (SECONDS - t_budget)))
boot_once 1 $remaining
if ! xc_platform_up "$att_dir/console.log"; then
	why=$(xc_platform_why "$att_dir/console.log" "$att_rc" "$att_secs")
	echo "# attempt 1: the platform did not come up: $why; its console: $att_dir/console.log"
	grep -av '@@XC' "$att_dir/console.log" | tail -n 15 | sed 's/^/#   /'
	remaining=$((budget - (SECONDS - t_budget)))
	if [ $remaining -gt 180 ]; then
		echo "# booting once more (Xen/dom0/toolstack start-up, not the product, failed)"
		boot_once 2 $remaining
		echo "# BOOTED TWICE: attempt 1's platform did not come up ($why); attempt 2 decides"
	else
		echo "# no time left for a second boot (budget $budget s)"
	fi
elif fault=$(xc_platform_fault "$att_dir/results"); then
	echo "# attempt 1: the emulated platform corrupted libxl's hotplug helper while it created a domain (before any frame): $fault"
	remaining=$((budget - (SECONDS - t_budget)))
	if [ $remaining -gt 180 ]; then
		echo "# booting once more (the toolstack's helper, not the product, was corrupted; see tools/xen-check/attempt.sh)"
		boot_once 2 $remaining
		echo "# BOOTED TWICE: attempt 1's hotplug helper was corrupted ($fault); attempt 2 decides"
	else
		echo "# no time left for a second boot (budget $budget s)"
	fi
fi
grep -q '@@XC BOOT' "$att_dir/console.log" &&
	ok "Xen and dom0 booted, /init ran (qemu -cpu $cpu, no network device)" ||
	nok "Xen and dom0 booted, /init ran (see $att_dir/console.log)"
report_attempt
if [ -n "$att_end" ] && [ "$att_end" != 0 ] && [ $failed -eq 0 ]; then
	# dom0-check.sh exits with 0 or 1 (a check failed, said above): any
	# other end, or 1 with no failed check, is the script dying before its
	# mode's checks ran (set -u, a signal), which must not pass.
	nok "dom0 finished, but dom0-check.sh ended with status $att_end and no failed check: it died before its end (see $att_dir/results/dom0-check.log)"
elif [ -n "$att_end" ]; then
	ok "dom0 finished and powered off in $att_secs s"
else
	nok "dom0 finished and powered off (qemu status $att_rc after $att_secs s)"
fi
if [ $failed -gt 0 ]; then
	echo "# attempt ${att_dir##*-} failed; what it left:"
	show_failure
fi
finish
}
