# Shared by the integration tests: TAP output, root check, per-run names and
# cleanup. A script declares its checks before sourcing this file, the way the
# kernel's selftests/net/forwarding scripts do, and the TAP plan is derived
# from that list (tests/run fails a script that reports more or fewer):
#
#   ALL_TESTS="started exit_status ndr"      # or $(echo r{1,2}_{started,ndr})
#   . "$(dirname "$0")/../lib.sh"
#   require_root "runs mir-perf on the local platform"
#   check started "mir-perf started" sweep_start ...
#   check ndr "NDR $ndr within 2 % of $R" sweep_within "$ndr" "$R" 2
#
# Every check reports exactly once, under its declared name, as one TAP line
# "ok N - NAME: what was checked". A check that never reported (the script
# stopped, a run it needed did not start) is reported at exit as
# "not ok N - NAME: not run (...)": it never turns into a skip or vanishes.
# A skip is for a machine that cannot run a check at all (no root, a missing
# tool); tests/run fails on any skip not listed in tests/expected-skips.
#
# check takes ONE command: `check d [ x ] && [ y ]` checks only [ x ] (the
# shell runs [ y ] afterwards, unchecked); write a function or one `[ ]`/awk.
# tests/tools/tap_lint.sh rejects that construct in every script.
#
# Namespaces and links are named mp-t<suffix>... so that runs never collide and
# a leftover is recognisable.
set -u
: "${MP_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${MP_BIN:=$MP_TOP/bin}"
MP_SUFFIX=${MP_SUFFIX:-$(printf '%04x' $(( ($$ ^ RANDOM) & 0xffff )))}
_tap_n=0
_cleanups=()
_t_names=()
declare -A _t_state=() # NAME -> declared | done
_t_last_fail=

# The plan, from ALL_TESTS: every name once, no name twice.
if [ -z "${ALL_TESTS:-}" ]; then
	echo "Bail out! $0 declares no ALL_TESTS before sourcing tests/lib.sh"
	exit 1
fi
read -r -a _t_names <<<"$(echo $ALL_TESTS)"
for _t in "${_t_names[@]}"; do
	if [[ ! $_t =~ ^[A-Za-z0-9_.-]+$ ]] || [ -n "${_t_state[$_t]:-}" ]; then
		echo "Bail out! ALL_TESTS of $0: '$_t' is $([ -n "${_t_state[$_t]:-}" ] && echo 'declared twice' || echo 'not a name ([A-Za-z0-9_.-]+)')"
		exit 1
	fi
	_t_state[$_t]=declared
done
unset _t
echo "1..${#_t_names[@]}"

# _t_report ok|not ok NAME TEXT [# SKIP ...]: one TAP line. A name not declared
# or reported twice is a failure of its own (and the count no longer matches
# the plan, which tests/run reports too).
_t_report() {
	local st=$1 name=$2 text=$3
	_tap_n=$((_tap_n + 1))
	case "${_t_state[$name]:-}" in
	declared) _t_state[$name]=done ;;
	done) st="not ok" text="reported twice: $text" ;;
	*) st="not ok" text="not declared in ALL_TESTS: $text" ;;
	esac
	[ "$st" = ok ] || _t_last_fail="$name: $text"
	echo "$st $_tap_n - $name: $text"
}

# pass NAME DESC / fail NAME DESC: report a check decided by the script.
pass() { _t_report ok "$1" "$2"; }
fail() { _t_report "not ok" "$1" "$2"; }
# check NAME DESC CMD...: ok when CMD succeeds. Returns CMD's status, so that
# a script can add diagnostics after a failure: check ... || diag ...
# (Its locals are _check_*: CMD may be an eval of the caller's variables.)
check() {
	local _check_name=$1 _check_d=$2 _check_rc=0
	shift 2
	"$@" || _check_rc=$?
	if [ $_check_rc -eq 0 ]; then pass "$_check_name" "$_check_d"; else fail "$_check_name" "$_check_d"; fi
	return $_check_rc
}
# skip NAME REASON: this machine cannot run the check (never: it came out wrong).
skip() {
	_tap_n=$((_tap_n + 1))
	if [ "${_t_state[$1]:-}" = declared ]; then
		_t_state[$1]=done
		echo "ok $_tap_n - $1 # SKIP $2"
	else
		echo "not ok $_tap_n - $1: skipped but $([ -n "${_t_state[$1]:-}" ] && echo 'already reported' || echo 'not declared in ALL_TESTS'): $2"
	fi
}
# remaining: the declared checks not reported yet, in order.
remaining() {
	local t
	for t in "${_t_names[@]}"; do [ "${_t_state[$t]}" = declared ] && echo "$t"; done
	return 0
}
# skip_rest REASON: the machine cannot run any of the remaining checks: skip
# them all (with REASON) and end the script.
skip_rest() {
	local t
	for t in $(remaining); do skip "$t" "$1"; done
	exit 0
}
# fail_rest REASON: the remaining checks cannot run because something the
# script needed failed: report them all failed and end the script.
fail_rest() {
	local t
	for t in $(remaining); do fail "$t" "not run: $1"; done
	exit 1
}
# not_run REASON NAME...: those checks cannot run (a run they need did not
# start): failed, naming why; the script goes on with the others.
not_run() {
	local why=$1 t
	shift
	for t in "$@"; do fail "$t" "not run: $why"; done
}
diag() { echo "# $*"; }

# require_root WHAT: without root every check is skipped ("needs root: WHAT").
require_root() { [ "$(id -u)" -eq 0 ] || skip_rest "needs root: $1"; }
# require_cmd CMD PACKAGE: a tool the checks need (tools/deps.sh installs it).
require_cmd() { command -v "$1" >/dev/null 2>&1 || skip_rest "no $1 (Debian package $2: make deps)"; }
# require_built FILE...: our own binaries; one missing is a broken build (fails).
require_built() {
	local f
	for f in "$@"; do [ -x "$f" ] || fail_rest "$f is not built (make build-tests)"; done
}

# At exit (on every path): the checks never reported fail, then the cleanups.
_t_finish() {
	local st=$? t
	for t in $(remaining); do
		fail "$t" "not run (the script ended with status $st${_t_last_fail:+ after: $_t_last_fail})"
	done
}

# on_exit CMD: run at exit, last registered first, on every path (signals included).
on_exit() { _cleanups=("$*" "${_cleanups[@]}"); }
_run_cleanups() { local c; for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1; done; }
trap '_t_finish; _run_cleanups' EXIT
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
