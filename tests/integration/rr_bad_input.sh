#!/usr/bin/env bash
# Bad input of the rr mode, refused before anything is created: a size list
# entry out of range (on the command line and in range-rrsz), a DUT that
# cannot forward both ways. Each gives one line on stderr naming what is
# wrong, status 2, no run directory, no namespace, no state file. And a DUT
# that forwards only one way at run time (exec: a one-way forwarder) is caught
# by the readiness probe of the way back, with status 1 and nothing left.
ALL_TESTS="$(echo {size_cli,size_file,one_way_dut}_{status,one_line,no_run_dir,nothing_made})
	oneway_exec_status oneway_exec_says oneway_exec_nothing_left"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
. "$(dirname "$0")/rr_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"

tmp=$(mktemp -d /tmp/mp-t-rr-XXXXXX)
on_exit "rm -rf $tmp"
rr_cfg "$tmp/cfg" 1 0

# refused NAME PATTERN ARGS...: 4 checks, NAME_{status,one_line,no_run_dir,nothing_made}
refused() {
	local name=$1 pattern=$2 out=$tmp/$1 rc=0 before after t=${1//-/_}
	shift 2
	before=$(ip netns list | wc -l; ls /run/mir-perf/*.state 2>/dev/null | wc -l)
	"$@" -o "$out" >"$out.out" 2>"$out.err" || rc=$?
	after=$(ip netns list | wc -l; ls /run/mir-perf/*.state 2>/dev/null | wc -l)
	check "${t}_status" "$name: status 2 (was $rc)" [ "$rc" -eq 2 ]
	if [ "$(wc -l <"$out.err")" -eq 1 ] && grep -qE -- "$pattern" "$out.err"; then
		pass "${t}_one_line" "$name: one line that says why: $(cat "$out.err")"
	else
		fail "${t}_one_line" "$name: one line matching /$pattern/"
		sed 's/^/# /' "$out.err"
	fi
	check "${t}_no_run_dir" "$name: no run directory" [ ! -e "$out" ]
	# other runs on this machine may come and go: only a growth would be ours
	check "${t}_nothing_made" "$name: no namespace or state file made" \
		awk -v b="$(echo $before)" -v a="$(echo $after)" 'BEGIN { split(b, x); split(a, y); exit !(y[1] <= x[1] && y[2] <= x[2]) }'
}

refused size-cli "^--rr-sizes:1:4: expected a request size Q or Q/R \(response R\) from 1 to 1048576 bytes each, like 64 or 1/1024, got '1/2000000'$" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge --rr-sizes '64 1/2000000'
refused size-file "range-rrsz:2:3: expected a request size Q or Q/R .*, got '0'$" \
	sh -c 'printf "64\n  0\n" >"$0/range-rrsz"; exec "$@"' "$tmp/cfg" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut bridge
echo 1 >"$tmp/cfg/range-rrsz"
refused one-way-dut "the rr mode needs a DUT that forwards both ways.*'linux-fwd'" \
	"$MP_BIN/mir-perf" --cfg "$tmp/cfg" --dut linux-fwd

# A one-way exec: DUT (mir-trafgen fwd --tap without --bidir): the probe of
# the way back fails; 3 checks.
out=$tmp/oneway
if ! sweep_start "$out" --cfg "$tmp/cfg" \
	--dut "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1"; then
	sed 's/^/# /' "$out.err"
	fail_rest "one-way exec: mir-perf did not start"
fi
sweep_wait
check oneway_exec_status "one-way exec: status 1 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 1 ]
if grep -q "no probe frame came through tap1 -> tap0 (the way back" "$out.err"; then
	pass oneway_exec_says "one-way exec: says the way back does not forward"
else
	fail oneway_exec_says "one-way exec: says the way back does not forward"
	sed 's/^/# /' "$out.err"
fi
check oneway_exec_nothing_left "one-way exec: nothing of run $SWEEP_ID left" \
	eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
