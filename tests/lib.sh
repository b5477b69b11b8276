# Shared by the integration tests: TAP output, root check, per-run names and
# cleanup. Source it: . "$(dirname "$0")/../lib.sh"
# Namespaces and links are named mp-t<suffix>... so that runs never collide and
# a leftover is recognisable.
set -u
: "${MP_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${MP_BIN:=$MP_TOP/bin}"
MP_SUFFIX=${MP_SUFFIX:-$(printf '%04x' $(( ($$ ^ RANDOM) & 0xffff )))}
_tap_n=0
_cleanups=()

tap_ok()   { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
tap_fail() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
tap_skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
# tap_check "description" command...   (ok when the command succeeds)
tap_check() { local d=$1; shift; if "$@"; then tap_ok "$d"; else tap_fail "$d"; fi; }
diag() { echo "# $*"; }

# need_root N REASON: when not root, report N skipped tests and exit.
need_root() {
	local n=$1 i
	if [ "$(id -u)" -ne 0 ]; then
		for ((i = 0; i < n; i++)); do tap_skip "needs root (network namespaces): $2"; done
		exit 0
	fi
}

# on_exit CMD: run at exit, last registered first, on every path (signals included).
on_exit() { _cleanups=("$*" "${_cleanups[@]}"); }
_run_cleanups() { local c; for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1; done; }
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# mk_netns NAME: create a namespace owned by this test (removed at exit).
mk_netns() { ip netns add "$1" && on_exit "ip netns del $1"; ip -n "$1" link set lo up; }

# veth_pair NS_A IF_A NS_B IF_B: a veth pair between two of the test's namespaces, up.
veth_pair() {
	ip link add "mp-t$MP_SUFFIX-v" type veth peer name "mp-t$MP_SUFFIX-w" || return 1
	ip link set "mp-t$MP_SUFFIX-v" netns "$1" name "$2" || return 1
	ip link set "mp-t$MP_SUFFIX-w" netns "$3" name "$4" || return 1
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# link_counter NS IF rx_packets|tx_packets|...: the kernel's counter, read by the test itself.
link_counter() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }

# rates_ordered DIR: on every point of DIR/stats.csv, no hop's window rate
# exceeds its upstream's (sink rx <= DUT out <= DUT in <= offered) by more
# than the frames that were already between the two when the window began (at
# most the upstream's rate times the point's longest one-way latency), 2 ms
# of sample skew and 8 stray control frames -- or the point is flagged
# rate_order, so that a violation is never silent. Says which rows fail.
rates_ordered() {
	[ -s "$1/stats.csv" ] || { diag "no $1/stats.csv"; return 1; }
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
		  n = split("offered_pps dut_in_pps dut_out_pps sink_rx_pps window_s lat_max_us flags", need, " ")
		  for (i = 1; i <= n; i++) if (!(need[i] in c)) { print "# no column " need[i]; bad = 1 }
		  next }
	{
		split("offered_pps dut_in_pps dut_out_pps sink_rx_pps", hop, " ")
		w = $c["window_s"]; lat = $c["lat_max_us"] / 1e6
		if (w <= 0) next
		for (h = 2; h <= 4; h++) {
			up = $c[hop[h - 1]]; dn = $c[hop[h]]
			if ((dn - up) * w > 8 + up * (lat + 0.002) && $c["flags"] !~ /rate_order/) {
				printf "# point %s: %s %s > %s %s, not flagged\n", $1, hop[h], dn, hop[h - 1], up
				bad = 1
			}
		}
	}
	END { exit bad }' "$1/stats.csv"
}
