#!/usr/bin/env bash
# mir-perf --dry-run against golden files: the plan (platform and why,
# topology, every point in order, estimated time) is deterministic, prints no
# run id or time, and creates nothing: no namespace, no link, no directory.
# MP_GOLDEN_UPDATE=1 rewrites the golden files from the current binary; the
# checks it rewrote then report SKIP (which tests/run fails: review the diff
# and run again), never ok; under CI (CI set) update mode is refused.
ALL_TESTS="golden_local golden_xen golden_xen_image golden_rate_major golden_options golden_bridge
	golden_fwd_opts golden_goodput golden_xen_rr golden_xen_server_dut no_netns_or_link no_file no_out_dir default_plan default_platform_why
	gen_threads_one_core gen_threads_3 gen_threads_xen gen_threads_9_refused"
. "$(dirname "$0")/../lib.sh"

MP=$MP_BIN/mir-perf
golden=$MP_TOP/tests/golden
cd "$MP_TOP" || exit 1

# golden CHECK NAME ARGS...: run from the checkout, so ./cfg is the default cfg
# dir, on two cores (gen_threads = auto counts the cores it may use), so the
# plan is the same on any machine with two or more
golden() {
	local t=$1 name=$2 out rc
	shift 2
	out=$(taskset -c 0,1 "$MP" --dry-run "$@" 2>&1)
	rc=$?
	if [ "${MP_GOLDEN_UPDATE:-0}" = 1 ]; then
		# Rewriting then comparing cannot fail: never a pass, never in CI.
		if [ -n "${CI:-}" ]; then
			fail "$t" "MP_GOLDEN_UPDATE=1 under CI (CI=$CI): golden files are never rewritten there"
		elif [ $rc -ne 0 ]; then
			fail "$t" "dry run $name exited with status $rc: tests/golden/$name.txt not rewritten"
		else
			printf '%s\n' "$out" >"$golden/$name.txt"
			skip "$t" "MP_GOLDEN_UPDATE=1 rewrote tests/golden/$name.txt: review git diff, run again without it"
		fi
		return
	fi
	if [ $rc -eq 0 ] && diff -u "$golden/$name.txt" <(printf '%s\n' "$out") >/tmp/mp-t-golden.$$; then
		pass "$t" "dry run $name matches tests/golden/$name.txt"
	else
		fail "$t" "dry run $name (status $rc) differs from tests/golden/$name.txt"
		sed 's/^/# /' /tmp/mp-t-golden.$$
	fi
	rm -f /tmp/mp-t-golden.$$
}

state() {
	{ ip netns list 2>/dev/null | awk '{print $1}'; ip -o link show 2>/dev/null | awk -F': ' '{print $2}'; } | sort
}
# new_names: what appeared since $before and is not another test's or run's:
# other suites share this machine, and their namespaces and links (mp-t...,
# or mp-ID... of a real run, which holds /run/mir-perf/run-ID.state) come and
# go meanwhile. A dry run writes no state file, so what it made would stay.
new_names() {
	local n id
	for n in $(comm -13 <(echo "$before") <(state)); do
		[[ $n == mp-t* ]] && continue
		id=${n#mp-} id=${id%%-*} id=${id%%@*}
		[[ $n == mp-* ]] && [ -e "/run/mir-perf/run-$id.state" ] && continue
		echo "$n"
	done
}
before=$(state)
ls_before=$(ls -A "$MP_TOP")

golden golden_local dry-run-local -p local
golden golden_xen dry-run-xen -p xen mirage-net-xen ABCDEF0123
golden golden_xen_image dry-run-xen-image -p xen --dut image:cfg/range-psz -o /tmp/mp-t-out
golden golden_rate_major dry-run-rate-major -c tests/golden/cfg-rate-major
golden golden_options dry-run-options -p local --dut tap-fwd --sizes "1518 64" --rates "100k..400k:100k" -d 2 --trials 3
golden golden_bridge dry-run-bridge -p local --dut bridge --sizes 9018 --rates max
golden golden_fwd_opts dry-run-fwd-opts -p local --dut "fwd --max-pps 100k" --sizes 64 --rates "50k 100k 150k"
golden golden_goodput dry-run-goodput -p local --mode goodput --dut bridge --streams "1 4" --protocol tcp,udp \
	--bitrate "5M 10M" --bufsizes "1460 64" --trials 2
golden golden_xen_rr dry-run-xen-rr -p xen --mode rr --dut linux-fwd --rr-sizes "64 1/1024" -d 3
# server = dut: the DUT is the library's iperf3 server, on if1 alone
golden golden_xen_server_dut dry-run-xen-server-dut -p xen --mode goodput --server dut mirage-net-xen \
	ABCDEF0123 --streams "1 4" --bufsizes "1460 65536"

made=$(new_names | tr '\n' ' ')
check no_netns_or_link "--dry-run created no namespace or link${made:+ (new: $made)}" test -z "$made"
check no_file "--dry-run created no file or directory" test "$ls_before" = "$(ls -A "$MP_TOP")"
check no_out_dir "--dry-run made no output directory" test ! -e /tmp/mp-t-out

# The default plan, whatever the platform auto picks, names the short sweep.
out=$("$MP" -n 2>&1)
check default_plan "default dry run: 12 points in under 2 minutes" \
	grep -q '^estimated time: 1 min [0-9]* s (12 x' <<<"$out"
check default_platform_why "default dry run says why it chose its platform" \
	grep -qE '^platform   (local|xen): auto \(platform = auto in cfg/mir-perf.conf\): /proc/xen/capabilities' <<<"$out"

# The generator's threads: said with why, one per core the sink and the DUT
# leave (the bridge needs none of its own), or as asked.
out=$(taskset -c 0 "$MP" -n -p local --dut bridge 2>&1)
check gen_threads_one_core "one core: one sending thread" \
	grep -qF 'generator  1 sending thread (auto: 1 core, 0 for the DUT' <<<"$out"
out=$("$MP" -n -p local --gen-threads 3 2>&1)
check gen_threads_3 "--gen-threads 3: three threads, and a veth queue for each" \
	bash -c 'grep -qF "generator  3 sending threads, one TX queue each (gen_threads = 3)" <<<"$1" &&
		grep -qF "every veth with 3 TX and RX queues, one per sending thread" <<<"$1"' _ "$out"
out=$("$MP" -n -p xen --gen-threads 2 mirage-net-xen ABCDEF0123 2>&1)
check gen_threads_xen "xen: the traff-gen VM gets a vCPU per thread and the sink's, a netfront queue per thread" \
	bash -c 'grep -qF "256 MiB, 3 vCPUs," <<<"$1" && grep -qF "2 netfront queues (one per sending thread)" <<<"$1"' _ "$out"
out=$("$MP" -n --gen-threads 9 2>&1)
rc=$?
check gen_threads_9_refused "--gen-threads 9 is refused with status 2, saying what was expected" \
	bash -c '[ "$1" = 2 ] && grep -qF "mir-perf: --gen-threads: expected auto or a number of sending threads from 1 to 8, got '"'9'"'" <<<"$2"' _ "$rc" "$out"
