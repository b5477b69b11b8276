# Shared by tests/integration/rr_*.sh (sourced after sweep_common.bash).
# (Not a test itself: tests/run only runs *.sh.)

# rr_cfg DIR DURATION WARMUP: a cfg directory for short rr runs.
rr_cfg() {
	sweep_cfg "$1" "$2" "$3" 1
	echo "mode = rr" >>"$1/mir-perf.conf"
	echo 1 >"$1/range-rrsz"
}

# rr_col CSV ROW NAME: column NAME (by header) of data row ROW (1-based) of rr.csv.
rr_col() {
	awk -F, -v r="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == r + 1 { print $c[n]; exit }' "$1"
}

# rr_rows_complete DIR N: rr.csv has N rows as wide as its header, rr.json
# parses and has N points.
rr_rows_complete() {
	awk -F, -v want="$2" 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad || NR != want + 1 }' \
		"$1/rr.csv" || return 1
	python3 -c 'import json,sys; sys.exit(len(json.load(open(sys.argv[1]))["points"]) != int(sys.argv[2]))' \
		"$1/rr.json" "$2"
}
