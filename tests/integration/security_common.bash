# Shared by tests/integration/security_*.sh (sourced after tests/lib.sh):
# a sandbox directory every hostile case works in, a victim file that planted
# links point at, and a scan proving that nothing in the sandbox changed
# except the run directory a case was allowed to write.
# (Not a test itself: tests/run only runs *.sh.)

MP=$MP_BIN/mir-perf
SANDBOX=$(mktemp -d /tmp/mp-t"$MP_SUFFIX"-sec.XXXXXX)
on_exit "rm -rf '$SANDBOX'"
chmod 755 "$SANDBOX"
VICTIM=$SANDBOX/victim
printf 'precious\n' >"$VICTIM"
# mir-perf's output, outside the sandbox so that it is not a change in it
MPOUT=$(mktemp /tmp/mp-t"$MP_SUFFIX"-out.XXXXXX)
on_exit "rm -f '$MPOUT'"
NOBODY=$(id -u nobody)
NOGROUP=$(id -g nobody)

# snap [EXCLUDED_DIR...]: every path under the sandbox with its type, size,
# mode, owner and mtime, sorted; the excluded directories (and what is in
# them) are left out.
snap() {
	local args=() d
	for d in "$@"; do args+=(-path "$d" -prune -o); done
	find "$SANDBOX" -mindepth 1 "${args[@]}" -printf '%p|%y|%s|%m|%u|%T@\n' | sort
}

# untouched BEFORE [EXCLUDED_DIR...]: 0 when the sandbox (less the excluded
# directories) is as in BEFORE, else prints what changed.
untouched() {
	local before=$1 now
	shift
	now=$(snap "$@")
	[ "$before" = "$now" ] && return 0
	diag "changed outside the run directory:"
	diff <(echo "$before") <(echo "$now") | sed 's/^/#   /' | head -20
	return 1
}

# victim_ok: the file planted links point at still says what it said.
victim_ok() { [ "$(cat "$VICTIM")" = precious ]; }

# mp_run OUT ARGS...: mir-perf ARGS, stdout+stderr in OUT, status in MP_RC;
# retried while another run (another test, another engineer) holds the run
# lock, up to 10 min.
mp_run() {
	local out=$1 i
	shift
	for ((i = 0; i < 600; i++)); do
		"$MP" "$@" >"$out" 2>&1
		MP_RC=$?
		grep -q 'another mir-perf run is in progress' "$out" || return 0
		sleep 1
	done
	return 0
}

# short_cfg DIR: a cfg for runs of one short point on the local platform.
short_cfg() {
	mkdir -p "$1"
	cat >"$1/mir-perf.conf" <<-EOF2
		duration = 1
		warmup = 0.5
		settle = 0.5
		interval = 100ms
		platform = local
		dut = fwd
	EOF2
	echo 64 >"$1/range-psz"
	echo 10k >"$1/range-pps"
	chmod -R go-w "$1"
}
