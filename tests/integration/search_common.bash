# Shared by tests/integration/search_*.sh (sourced after sweep_common.bash).
# (Not a test itself: tests/run only runs *.sh.)

# col FILE SIZE TARGET NAME: a field of search.csv, by column name.
search_col() {
	awk -F, -v s="$2" -v t="$3" -v n="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["size"] == s && $c["target"] == t { print $c[n] }' "$1"
}

# The truth checks compare what the search found with a DUT of known
# capacity, and hold on a busy machine because of how that DUT is made, not
# because a busy machine is excused (a check never turns into a skip):
# - the capacity R is a few kpps, far below what the generator, DUT and sink
#   do even with every CPU busy: at that rate they sleep between frames and are
#   woken promptly, instead of competing for the CPU as busy loops;
# - the DUT absorbs the generator's scheduling stalls in a queue or token
#   bucket of known depth D frames (a stalled sender catches up in a burst);
# - the final trials are T seconds long, and a DUT of capacity R with depth D
#   cannot pass r * T frames without loss unless r * T <= R * T + D: the NDR
#   is at most R + D / T whatever the load. That upper limit is exact, and the
#   lower one (R less 2 %) only needs every stall to stay within D / R seconds.

# search_between X LO HI: LO <= X <= HI (X a number > 0).
search_between() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x > 0 && x >= lo && x <= hi) }'
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
