# tools/xen-check/dom0-mirage.sh: sourced by dom0-check.sh in mode "mirage".
# The command a user types, `mir-perf mirage-net-xen COMMIT --sources DIR`,
# inside dom0, through the real MirageOS forwarder on mirage-net-xen's
# netfront: the build is served by the cache the host filled (as a user's
# second run is: same user, same paths, same mirror; mirage.sh on the host),
# every point's frames counted at every hop as for linux-fwd (hops.awk), the
# unikernel's console kept and its own counts read from it; then two commits
# measured and compared (`mir-perf mirage-net-xen A B`). /xc/mirage.env, written
# by the host: XC_MIRAGE_USER, XC_MIRAGE_UID, XC_MIRAGE_HOME, XC_MIRAGE_A,
# XC_MIRAGE_B (full hashes), XC_MIRAGE_TAG_A, XC_MIRAGE_TAG_B.

# The points: each one several netfront TX rings (256 frames) long, so that a
# forwarder whose transmit ring stops freeing (issue 11, defect 5: it stopped
# after 256 frames for good) fails at the first point: 800 and 1600 frames
# (the generator sends through warm-up too).
# Rates stay as low as linux-fwd's: under an emulator they mean nothing, the
# counts do, and at 400 pps the traff-gen guest's own sends were refused
# (108 send errors in one 512 B point at load 11: "generator failed").
M_SIZES="64 512" M_RATES="100 200" M_DURATION=5s

# mirage_counts RUN_DIR LABEL: the counts as for linux-fwd (run_counts in
# dom0-check.sh: every point, every hop, rates in path order), and every point
# longer than one TX ring.
mirage_counts() {
	local run=$1 label=$2 long
	run_counts "$run" "$label: " "$M_SIZES" "$M_RATES"
	long=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["sent"] > 256 { n++ } END { print n + 0 }' "$run/stats.csv" 2>/dev/null)
	check "$label: each of the 4 points sent more than one TX ring (256 frames): ${long:-0} did" \
		test "${long:-0}" -eq 4
}

# mirage_console RUN_DIR LABEL: the unikernel's console kept, and its own
# count: it sent what it received (less what it dropped), well past one
# netfront TX ring (256 frames), and at least every frame the generator sent.
mirage_console() {
	local run=$1 label=$2 con=$1/console-dut.log line rx tx drop err sent
	check "$label: the unikernel's console is kept ($con)" test -s "$con"
	grep -E 'Solo5:|mir-perf forward' "$con" 2>/dev/null | sed "s/^/# $label console: /" | head -8
	line=$(grep -o 'mir-perf forward 0->1: received [0-9]* sent [0-9]* dropped [0-9]* tx_errors [0-9]*' "$con" | tail -1)
	sent=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { s += $c["sent"] } END { print s + 0 }' "$run/stats.csv" 2>/dev/null)
	if [ -z "$line" ]; then
		nok "$label: the forwarder printed its counts at shutdown (no 'mir-perf forward 0->1' line)"
		return
	fi
	set -- $line
	rx=$5 tx=$7 drop=$9 err=${11}
	if [ "$tx" -eq $((rx - drop - err)) ] && [ "$tx" -ge "${sent:-0}" ] && [ "$tx" -gt 256 ]; then
		ok "$label: the unikernel forwarded $tx of $rx frames (dropped $drop, tx_errors $err; the generator sent $sent in the points): past one TX ring (256)"
	else
		nok "$label: the unikernel's counts: received $rx sent $tx dropped $drop tx_errors $err; want sent = received - dropped - errors, >= $sent and > 256"
	fi
}

# mirage_stall LOG LABEL: a unikernel that stopped transmitting is said in
# words, with what it does (Xen's flags and its CPU time) and, when it is
# idle, its vifs' event channels as Xen holds them: nothing pending (it waits
# for its backend) or pending and not taken (an upcall lost). Checked only
# when it happened: a run that forwarded everything has nothing to say.
mirage_stall() {
	local log=$1 label=$2 line
	line=$(grep -m1 'the DUT stopped transmitting after [0-9]* frames (' "$log")
	[ -n "$line" ] || return 0
	echo "# $label stalled: ${line#*mir-perf: }" | cut -c1-900
	if printf '%s' "$line" | grep -q '; the DUT is idle: '; then
		check "$label: the stall is said with the unikernel's state and its vifs' event channels in Xen" \
			eval 'printf "%s" "$line" | grep -Eq "its vif event channels in Xen: [0-9]+ \(vif 0\) (pending|idle)[^;]*, [0-9]+ \(vif 1\) (pending|idle)[^;]*: "'
	else
		check "$label: the stall is said with the unikernel's state (busy: CPU time)" \
			eval 'printf "%s" "$line" | grep -Eq "; the DUT is (busy: |using )"'
	fi
}

# mirage_refused KERNEL: images Xen cannot boot, each one line and nothing
# left. A text file is refused before anything exists (status 2, no run
# directory); a copy of the forwarder cut inside its data segment carries the
# PVH note and passes that check, so Xen itself refuses it at domain creation
# (status 1): the line names the image and libxl's reason, and the traff-gen
# domain, bridges and vifs made before it are gone.
mirage_refused() {
	local kernel=$1 rc
	echo "not a kernel" >/tmp/not-a-kernel.xen
	timeout -s INT -k 60 120 mir-perf --platform xen --dut image:/tmp/not-a-kernel.xen \
		--cfg /xc/cfg --sizes 64 --rates 100 --duration 1s -o "$out/not-a-kernel" \
		>"$out/not-a-kernel.log" 2>&1
	rc=$?
	sed 's/^/# not a kernel: /' "$out/not-a-kernel.log" | head -3
	check "an image that is not a PVH kernel: one line naming it, status 2 ($rc), no run directory" \
		one_line "$rc" 2 "$out/not-a-kernel.log" \
		"image:/tmp/not-a-kernel.xen': not a kernel Xen boots as a PVH domain" "$out/not-a-kernel"
	check "...and nothing is left (no domain, vif or bridge)" nothing_left

	# 0x180000: past the notes (0x17f000), inside the data segment that
	# ends at 0x268a68 (readelf -l forward.xen).
	head -c $((0x180000)) "$kernel" >/tmp/refused.xen
	# -q: what is left besides the progress lines (errors and warnings; a
	# teardown that could not remove something warns) must be one line.
	timeout -s INT -k 60 240 mir-perf -q --platform xen --dut image:/tmp/refused.xen --cfg /xc/cfg \
		--sizes 64 --rates 100 --duration 1s -o "$out/refused" >"$out/refused.log" 2>&1
	rc=$?
	sed 's/^/# refused image: /' "$out/refused.log" | head -6
	check "an image Xen refuses to boot (cut short): status 1 ($rc), one line (-q) naming it and Xen's reason" \
		one_line "$rc" 1 "$out/refused.log" "^mir-perf: Xen refused to boot the DUT image /tmp/refused.xen: .."
	check "...and nothing is left (no domain, vif or bridge)" nothing_left
}

# one_line STATUS WANT LOG PATTERN [ABSENT]: the status wanted, LOG one line
# matching PATTERN, and ABSENT (a run directory) not created.
one_line() {
	[ "$1" -eq "$2" ] && [ "$(grep -c . "$3")" -eq 1 ] && grep -q -- "$4" "$3" &&
		{ [ -z "${5:-}" ] || [ ! -e "$5" ]; }
}

xc_mirage() {
	local run t0 t1 rc user
	if ! . /xc/mirage.env 2>/dev/null; then
		nok "mirage: /xc/mirage.env from the host (the forwarder builds)"
		return
	fi
	user=$XC_MIRAGE_USER
	# The user who typed sudo, as on the host: the same name, uid and HOME,
	# where the host's builds wait in ~/.cache/mir-perf/mirage-net-xen.
	useradd -M -u "$XC_MIRAGE_UID" -d "$XC_MIRAGE_HOME" -s /bin/sh "$user" 2>/dev/null
	check "mirage: user $user (uid $XC_MIRAGE_UID) with the host's build cache" \
		test -s "$XC_MIRAGE_DIR_A/mir-perf.stamp"
	chown -R "$user:" "$XC_MIRAGE_HOME" 2>/dev/null

	run=$out/mirage-a
	t0=$(now)
	SUDO_USER=$user timeout -s INT -k 120 600 mir-perf mirage-net-xen "$XC_MIRAGE_A" \
		--sources /xc/mirage --platform xen --cfg /xc/cfg --sizes "$M_SIZES" --rates "$M_RATES" \
		--duration $M_DURATION -o "$run" -v 2>&1 |
		tee "$out/mirage-a.log" | grep --line-buffered -v $'\r' | sed -u 's/^/# mir-perf: /'
	rc=${PIPESTATUS[0]}
	t1=$(now)
	check "mir-perf mirage-net-xen ${XC_MIRAGE_A:0:12} ($XC_MIRAGE_TAG_A): 4-point sweep, status 0 ($rc) in $(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s" \
		test "$rc" -eq 0
	check "the build came from the cache the host filled (nothing compiled in dom0)" \
		grep -q "mirage-net-xen at $XC_MIRAGE_A: .*forward.xen (cached)" "$out/mirage-a.log"
	mirage_counts "$run" "${XC_MIRAGE_TAG_A}"
	mirage_console "$run" "${XC_MIRAGE_TAG_A}"
	mirage_stall "$out/mirage-a.log" "${XC_MIRAGE_TAG_A}"
	check "after mir-perf mirage-net-xen: no domain, vif or bridge left" nothing_left

	mirage_refused "$XC_MIRAGE_DIR_A/build/dist/forward.xen"

	run=$out/mirage-ab
	t0=$(now)
	SUDO_USER=$user timeout -s INT -k 120 1200 mir-perf mirage-net-xen "$XC_MIRAGE_A" \
		"$XC_MIRAGE_B" --sources /xc/mirage --platform xen --cfg /xc/cfg --sizes "$M_SIZES" \
		--rates "$M_RATES" --duration $M_DURATION -o "$run" -v 2>&1 |
		tee "$out/mirage-ab.log" | grep --line-buffered -v $'\r' | sed -u 's/^/# mir-perf: /'
	rc=${PIPESTATUS[0]}
	t1=$(now)
	check "mir-perf mirage-net-xen A B ($XC_MIRAGE_TAG_A, $XC_MIRAGE_TAG_B): measured and compared, status 0 ($rc) in $(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s" \
		test "$rc" -eq 0
	check "the comparison of B against A is written (compare.csv)" \
		sh -c "ls '$run'/b/compare-vs-*/compare.csv >/dev/null 2>&1"
	mirage_counts "$run/a" "${XC_MIRAGE_TAG_A} (pair)"
	mirage_console "$run/a" "${XC_MIRAGE_TAG_A} (pair)"
	mirage_counts "$run/b" "${XC_MIRAGE_TAG_B}"
	mirage_console "$run/b" "${XC_MIRAGE_TAG_B}"
	mirage_stall "$out/mirage-ab.log" "${XC_MIRAGE_TAG_A} / ${XC_MIRAGE_TAG_B} (pair)"
	left_after "mir-perf mirage-net-xen A B"
}
