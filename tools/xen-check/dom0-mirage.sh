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

# mirage_hops RUN_DIR LABEL: hops.awk on every point of the run.
mirage_hops() {
	local run=$1 label=$2 hops row
	hops=$(awk -f /xc/hops.awk "$run/stats.csv" 2>&1)
	while IFS= read -r row; do
		case $row in
		agree\ *) ok "$label: frames counted at every hop: ${row#agree }" ;;
		differ\ *) nok "$label: frames counted at every hop: ${row#differ }" ;;
		esac
	done <<<"$hops"
	check "$label: hop counts checked for each of the 4 points" \
		test "$(grep -cE '^(agree|differ) ' <<<"$hops")" = 4
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
		test -s "$XC_MIRAGE_HOME/.cache/mir-perf/mirage-net-xen/$XC_MIRAGE_A/mir-perf.stamp"
	chown -R "$user:" "$XC_MIRAGE_HOME" 2>/dev/null

	run=$out/mirage-a
	t0=$(now)
	SUDO_USER=$user timeout -s INT -k 120 420 mir-perf mirage-net-xen "$XC_MIRAGE_A" \
		--sources /xc/mirage --platform xen --cfg /xc/cfg --sizes "$SIZES" --rates "$RATES" \
		--duration 2s -o "$run" -v 2>&1 |
		tee "$out/mirage-a.log" | grep --line-buffered -v $'\r' | sed -u 's/^/# mir-perf: /'
	rc=${PIPESTATUS[0]}
	t1=$(now)
	check "mir-perf mirage-net-xen ${XC_MIRAGE_A:0:12} ($XC_MIRAGE_TAG_A): 4-point sweep, status 0 ($rc) in $(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s" \
		test "$rc" -eq 0
	check "the build came from the cache the host filled (nothing compiled in dom0)" \
		grep -q "mirage-net-xen at $XC_MIRAGE_A: .*forward.xen (cached)" "$out/mirage-a.log"
	mirage_hops "$run" "${XC_MIRAGE_TAG_A}"
	mirage_console "$run" "${XC_MIRAGE_TAG_A}"
	check "after mir-perf mirage-net-xen: no domain, vif or bridge left" nothing_left

	# An image Xen refuses to boot: one clear error, status 1, nothing left.
	echo "not a kernel" >/tmp/refused.xen
	timeout -s INT -k 60 300 mir-perf --platform xen --dut image:/tmp/refused.xen --cfg /xc/cfg \
		--sizes 64 --rates 100 --duration 1s -o "$out/refused" >"$out/refused.log" 2>&1
	rc=$?
	sed 's/^/# refused image: /' "$out/refused.log" | grep -v $'\r' | tail -6
	check "an image Xen refuses to boot: status 1 ($rc), the error names it" \
		sh -c "test $rc -eq 1 && grep -q 'refused.xen' '$out/refused.log'"
	check "...and nothing is left (no domain, vif or bridge)" nothing_left

	run=$out/mirage-ab
	t0=$(now)
	SUDO_USER=$user timeout -s INT -k 120 780 mir-perf mirage-net-xen "$XC_MIRAGE_A" \
		"$XC_MIRAGE_B" --sources /xc/mirage --platform xen --cfg /xc/cfg --sizes "$SIZES" \
		--rates "$RATES" --duration 2s -o "$run" 2>&1 |
		tee "$out/mirage-ab.log" | grep --line-buffered -v $'\r' | sed -u 's/^/# mir-perf: /'
	rc=${PIPESTATUS[0]}
	t1=$(now)
	check "mir-perf mirage-net-xen A B ($XC_MIRAGE_TAG_A, $XC_MIRAGE_TAG_B): measured and compared, status 0 ($rc) in $(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }") s" \
		test "$rc" -eq 0
	check "the comparison of B against A is written (compare.csv)" \
		sh -c "ls '$run'/b/compare-vs-*/compare.csv >/dev/null 2>&1"
	mirage_hops "$run/b" "${XC_MIRAGE_TAG_B}"
	mirage_console "$run/b" "${XC_MIRAGE_TAG_B}"
	if ! nothing_left; then
		nok "after mir-perf mirage-net-xen A B: no domain, vif or bridge left"
		timeout 180 mir-perf --cleanup >"$out/mir-perf-cleanup.log" 2>&1
		for d in $(leftover_domains); do xl destroy "$d"; done
	else
		ok "after mir-perf mirage-net-xen A B: no domain, vif or bridge left"
	fi
}
