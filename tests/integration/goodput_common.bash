# Shared by tests/integration/goodput_*.sh (sourced after sweep_common.bash).
# (Not a test itself: tests/run only runs *.sh.)

# goodput_cfg DIR DURATION WARMUP: a cfg directory for short goodput runs.
goodput_cfg() {
	sweep_cfg "$1" "$2" "$3" 1
	echo "mode = goodput" >>"$1/mir-perf.conf"
	echo 1200 >"$1/range-bufsz"
}

# goodput_col CSV PROTOCOL NAME: a column of goodput.csv's first row of that
# protocol, by column name.
goodput_col() {
	awk -F, -v p="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["protocol"] == p { print $c[n]; exit }' "$1"
}

# goodput_median CSV PROTOCOL NAME: the median of a column over every row of
# that protocol (the trials of one point): with 3 trials, it is within a
# range exactly when at least 2 of the 3 are (a majority).
goodput_median() {
	awk -F, -v p="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["protocol"] == p { print $c[n] }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# goodput_rows_complete DIR: every row of goodput.csv has as many fields as
# its header, and goodput.json parses.
goodput_rows_complete() {
	awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad || NR < 2 }' \
		"$1/goodput.csv" || return 1
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1/goodput.json"
}

# goodput_between X LO HI: LO <= X <= HI (decimals).
goodput_between() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x >= lo && x <= hi) }'
}
