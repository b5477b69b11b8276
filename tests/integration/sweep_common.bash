# Shared by tests/integration/sweep_*.sh (sourced after tests/lib.sh): run
# mir-perf on the local platform in the background with a short cfg, find its
# namespaces, read the kernel's own counters, check that nothing is left.
# (Not a test itself: tests/run only runs *.sh.)

# sweep_cfg DIR DURATION WARMUP SETTLE: a cfg directory for short runs.
sweep_cfg() {
	mkdir -p "$1"
	cat >"$1/mir-perf.conf" <<-EOF
		duration = $2
		warmup = $3
		settle = $4
		interval = 100ms
		platform = local
		dut = fwd
	EOF
	echo 64 >"$1/range-psz"
	echo 10k >"$1/range-pps"
}

# sweep_read_id OUT_DIR: SWEEP_ID from OUT_DIR/run-id, or from OUT_DIR/a/run-id
# (--dut twice: the first of the two runs).
sweep_read_id() {
	SWEEP_ID=
	{ read -r SWEEP_ID <"$1/run-id" || read -r SWEEP_ID <"$1/a/run-id"; } 2>/dev/null
	[ -n "$SWEEP_ID" ]
}

# sweep_start OUT_DIR ARGS...: start mir-perf in the background (-o OUT_DIR,
# stderr in OUT_DIR.err); waits past a lock held by another run. Sets
# SWEEP_PID and SWEEP_ID (the run id, from OUT_DIR/run-id, which mir-perf
# writes before it sets up its platform; see sweep_read_id).
sweep_start() {
	local out=$1 i
	shift
	for ((i = 0; i < 400; i++)); do # other tests' runs may hold the lock for minutes
		rm -rf "$out"
		"$MP_BIN/mir-perf" --platform local -o "$out" "$@" >"$out.out" 2>"$out.err" &
		SWEEP_PID=$!
		on_exit "kill -KILL $SWEEP_PID"
		SWEEP_ID=
		while kill -0 "$SWEEP_PID" 2>/dev/null; do
			sweep_read_id "$out" && return 0
			sleep 0.05
		done
		sweep_read_id "$out" && return 0
		grep -q 'another mir-perf run is in progress' "$out.err" || return 1
		sleep 1 # another helper's run holds the lock
	done
	return 1
}

# sweep_wait: wait for SWEEP_PID; its exit status in SWEEP_RC.
sweep_wait() {
	SWEEP_RC=0
	wait "$SWEEP_PID" || SWEEP_RC=$?
}

# sweep_completed OUT: the run measured every point -- exit status 0, or 1
# because the generator could not offer what was asked on this busy machine
# (the run said so, and stats.json says complete: every point is there and its
# counts are exact; the points are flagged gen_failed).
sweep_completed() {
	[ "$SWEEP_RC" -eq 0 ] && return 0
	[ "$SWEEP_RC" -eq 1 ] && grep -q '^mir-perf: the generator failed at [0-9]* of [0-9]* points' "$1.err" &&
		python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["status"] != "complete")' \
			"$1/stats.json"
}

# sweep_ns_left ID: namespaces of run ID still there (prints them).
sweep_ns_left() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^mp-$1(-|\$)" || true
}

# sweep_wait_for_ns ID: until the generator namespace of run ID exists (10 s).
sweep_wait_for_ns() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -e "/run/netns/mp-$1-gen" ] && return 0
		sleep 0.05
	done
	return 1
}

# sweep_children PID: the processes under PID (agent, DUT), recursively.
sweep_children() {
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c"
		sweep_children "$c"
	done
}

# sweep_alive PID...: those of the PIDs still running (not zombies).
sweep_alive() {
	local p st
	for p in "$@"; do
		st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || continue
		[ "$st" != Z ] && echo "$p"
	done
}

# sweep_rows_complete DIR: every data row of stats has its 10 fields and every
# row of stats.csv as many as its header; stats.json parses; every point's
# rates are in path order or flagged (rates_ordered, tests/lib.sh).
sweep_rows_complete() {
	local d=$1
	awk '!/^#/ && NF != 10 { bad = 1 } END { exit bad }' "$d/stats" || return 1
	awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$d/stats.csv" || return 1
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$d/stats.json" || return 1
	rates_ordered "$d"
}

# sweep_link_counters NS: "IFNAME rx_packets tx_packets" per link of NS, from
# the kernel over netlink (ip -s), as this test reads them itself.
sweep_link_counters() {
	ip -n "$1" -s -o link show 2>/dev/null | awk '{
		name = $2; sub(/:$/, "", name); sub(/@.*/, "", name)
		n = split($0, part, "\\\\")
		rx = tx = ""
		for (i = 1; i < n; i++) {
			if (part[i] ~ /^ *RX: / && rx == "") { split(part[i + 1], f, " "); rx = f[2] }
			if (part[i] ~ /^ *TX: / && tx == "") { split(part[i + 1], f, " "); tx = f[2] }
		}
		print name, rx, tx
	}'
}

# sweep_csv_sum FILE COLUMN: the sum of a stats.csv column.
sweep_csv_sum() {
	awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		{ s += $c } END { printf "%d\n", s }' "$1"
}

# sweep_within A B PCT: |A - B| <= PCT % of B (B > 0).
sweep_within() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= b * p / 100) }'
}
