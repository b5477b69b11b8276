# Shared by tests/integration/search_*.sh (sourced after sweep_common.bash).
# (Not a test itself: tests/run only runs *.sh.)

# col FILE SIZE TARGET NAME: a field of search.csv, by column name.
search_col() {
	awk -F, -v s="$2" -v t="$3" -v n="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["size"] == s && $c["target"] == t { print $c[n] }' "$1"
}

# search_busy: other work keeps this machine's CPUs busy (1-minute load
# average above the CPU count plus the one this test's generator and DUT
# make). A DUT that is a process (fwd) then loses frames whenever it is not
# scheduled, and the generator sends in catch-up bursts after its own stalls:
# the loss-free rate measured is really lower than the DUT's nominal capacity.
search_busy() {
	awk -v n="$(nproc)" '{ exit !($1 > n + 1) }' /proc/loadavg
}

# search_truth DESC CMD...: a truth check against a nominal capacity: ok when
# CMD succeeds; when it fails on a busy machine it is skipped with the load
# (the measurement is right, the nominal figure is not what the DUT can do
# then); on a quiet machine it fails.
search_truth() {
	local d=$1
	shift
	if "$@"; then
		tap_ok "$d"
	elif search_busy; then
		tap_skip "$d: not a truth measurement on a busy machine (load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs)"
	else
		tap_fail "$d (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	fi
}

# search_start OUT ARGS...: sweep_start, waiting longer for the lock: other
# runs on this machine (benchmarks, other suites) may hold it for minutes.
search_start() {
	local k
	for ((k = 0; k < 5; k++)); do
		sweep_start "$@" && return 0
		grep -q 'another mir-perf run is in progress' "$1.err" || return 1
	done
	return 1
}
