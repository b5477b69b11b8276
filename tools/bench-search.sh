#!/usr/bin/env bash
# make bench-search: the MLRsearch-style search against a plain RFC 2544
# binary search with full-length trials, at the same precision, on the same
# DUT, one after the other in this run: wall time, trials (and how many were
# full length) and both results side by side. Figures, not a test.
#
#   MP_BENCH_R        capacity of the DUT (fwd --max-pps R), default 20000
#   MP_BENCH_SIZES    frame sizes, default "64"
#   MP_BENCH_DURATION full trial length, default 5s
#   MP_BENCH_DUT      instead of fwd --max-pps: any --dut value (e.g. bridge)
set -u
: "${MP_BIN:=$(cd "$(dirname "$0")/../bin" && pwd)}"
R=${MP_BENCH_R:-20000}
SIZES=${MP_BENCH_SIZES:-64}
DURATION=${MP_BENCH_DURATION:-5s}
DUT=${MP_BENCH_DUT:-fwd --max-pps $R}

if [ "$(id -u)" -ne 0 ]; then
	echo "bench-search: needs root (network namespaces); run: sudo make bench-search" >&2
	exit 1
fi
[ -x "$MP_BIN/mir-perf" ] || { echo "bench-search: no $MP_BIN/mir-perf; run make" >&2; exit 1; }

tmp=$(mktemp -d /tmp/mp-bench-search-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/cfg"
cat >"$tmp/cfg/mir-perf.conf" <<-CONF
	duration = $DURATION
	warmup = 1
	settle = 1
	platform = local
CONF
echo "$SIZES" >"$tmp/cfg/range-psz"
echo 10k >"$tmp/cfg/range-pps"

# run MODE: one search; waits past another run's lock (other helpers, CI).
run() {
	local mode=$1 out=$tmp/$1 i start end
	for ((i = 0; i < 300; i++)); do
		rm -rf "$out"
		start=$(date +%s.%N)
		"$MP_BIN/mir-perf" --cfg "$tmp/cfg" -o "$out" --dut "$DUT" --search ndr,pdr \
			--precision 1% --search-mode "$mode" -q >"$out.log" 2>&1
		rc=$?
		end=$(date +%s.%N)
		if [ $rc -ne 0 ] && grep -q 'another mir-perf run is in progress' "$out.log"; then
			sleep 2
			continue
		fi
		break
	done
	if [ $rc -ne 0 ]; then
		echo "bench-search: the $mode search failed (status $rc):" >&2
		sed 's/^/  /' "$out.log" >&2
		exit 1
	fi
	echo "$start $end" >"$out.wall"
}

# col FILE SIZE TARGET NAME: a search.csv field by column name.
col() {
	awk -F, -v s="$2" -v t="$3" -v n="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["size"] == s && $c["target"] == t { print $c[n] }' "$1"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-search: $(nproc) CPUs, load average $load before the run"
echo "DUT: $DUT"
echo "sizes: $SIZES; precision 1 %; full trials $DURATION (warm-up 1 s, settle 1 s)"
run mlr
run binary
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
echo
printf '%-7s %5s %9s %7s %6s %11s  %-28s %-28s\n' mode size "search s" trials "full" "gen max pps" \
	"NDR lower..upper pps" "PDR lower..upper pps"
bounds() { # FILE SIZE TARGET
	local lo hi lim
	lo=$(col "$1" "$2" "$3" lower_pps)
	hi=$(col "$1" "$2" "$3" upper_pps)
	lim=$(col "$1" "$2" "$3" limit)
	[ -n "$lo" ] || lo=none
	case $lim in
	none) printf '%s..%s' "${lo%.*}" "${hi%.*}" ;;
	*) printf '>= %s (%s-limited)' "${lo%.*}" "$lim" ;;
	esac
}
worst=0
for size in $SIZES; do
	for mode in mlr binary; do
		csv=$tmp/$mode/search.csv
		full=$(awk -F, -v s="$size" -v d="${DURATION%s}" 'NR > 1 && $1 == s && $6 + 0 >= d + 0 { n++ }
			END { print n + 0 }' "$tmp/$mode/trials.csv")
		printf '%-7s %5s %9.1f %7s %6s %11.0f  %-28s %-28s\n' "$mode" "$size" \
			"$(col "$csv" "$size" ndr time_s)" "$(col "$csv" "$size" ndr trials)" "$full" \
			"$(col "$csv" "$size" ndr max_pps)" "$(bounds "$csv" "$size" ndr)" \
			"$(bounds "$csv" "$size" pdr)"
	done
	for t in ndr pdr; do
		a=$(col "$tmp/mlr/search.csv" "$size" $t lower_pps)
		b=$(col "$tmp/binary/search.csv" "$size" $t lower_pps)
		al=$(col "$tmp/mlr/search.csv" "$size" $t limit)
		bl=$(col "$tmp/binary/search.csv" "$size" $t limit)
		if [ "$al" != "$bl" ] || [ -z "$a" ] || [ -z "$b" ]; then
			printf '  %s at %s B: the two searches disagree in kind (%s, %s): the generator or the DUT changed between them\n' \
				"${t^^}" "$size" "${al:-none found}" "${bl:-none found}"
			worst=1
			continue
		fi
		diff=$(awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d
			m = a > b ? a : b; printf "%.2f", (m > 0 ? 100 * d / m : 0) }')
		printf '  %s at %s B: lower bounds %s and %s differ by %s %% (precision 1 %%)\n' \
			"${t^^}" "$size" "${a%.*}" "${b%.*}" "$diff"
		awk -v x="$diff" 'BEGIN { exit !(x > 1.0) }' && worst=1
	done
done
read -r ms me <"$tmp/mlr.wall"
read -r bs be <"$tmp/binary.wall"
awk -v m="$ms" -v me="$me" -v b="$bs" -v be="$be" 'BEGIN {
	printf "\nwall time, topology included: mlr %.0f s, binary %.0f s: the search takes %.0f %% of the binary search'"'"'s time\n",
		me - m, be - b, 100 * (me - m) / (be - b) }'
[ $worst -eq 0 ] && echo "results within the precision of each other: yes" ||
	echo "results within the precision of each other: NO (noise between the two runs, or a bug)"
