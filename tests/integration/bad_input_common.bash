# The checks the two-ended modes' bad-input suites (goodput_bad_input.sh,
# rr_bad_input.sh) make alike, so both modes are held to the same rules:
# bad input is one line, status 2 and nothing created; a DUT that forwards
# one way only is caught at run time and leaves nothing. Sourced after lib.sh
# and sweep_common.bash; the suite's scratch directory is $tmp.

# refused NAME PATTERN ARGS...: 4 checks, NAME_{status,one_line,no_run_dir,nothing_made}
# (NAME's - as _): ARGS (a mir-perf command line, or a wrapper that execs one;
# -o $tmp/NAME is added) exits 2 with one line on stderr matching PATTERN,
# and makes no run directory, namespace or state file.
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

# oneway_exec SAYS: a run with the cfg in $tmp/cfg and a one-way exec: DUT
# (mir-trafgen fwd --tap without --bidir), whose probe of the way back fails;
# 3 checks, oneway_exec_{status,says,nothing_left}: status 1, stderr has the
# text SAYS (grep's basic pattern), nothing of the run is left.
oneway_exec() {
	local says=$1 out=$tmp/oneway
	if ! sweep_start "$out" --cfg "$tmp/cfg" \
		--dut "exec:$MP_BIN/mir-trafgen fwd --tap --in tap0 --out tap1"; then
		sed 's/^/# /' "$out.err"
		fail_rest "one-way exec: mir-perf did not start"
	fi
	sweep_wait
	check oneway_exec_status "one-way exec: status 1 (was $SWEEP_RC)" [ "$SWEEP_RC" -eq 1 ]
	if grep -q "$says" "$out.err"; then
		pass oneway_exec_says "one-way exec: says the way back does not forward"
	else
		fail oneway_exec_says "one-way exec: says the way back does not forward"
		sed 's/^/# /' "$out.err"
	fi
	check oneway_exec_nothing_left "one-way exec: nothing of run $SWEEP_ID left" \
		eval '[ -z "$(sweep_ns_left "$SWEEP_ID")" ] && ! grep -lqs "^run $SWEEP_ID " /run/mir-perf/*.state'
}
