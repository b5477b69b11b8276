#!/usr/bin/env bash
# `make run`: the default sweep (cfg/mir-perf.conf, cfg/range-psz, cfg/range-pps:
# 3 sizes x 4 rates) on the local platform, then where its stats, plots and
# report are. Usage: tools/run-default.sh [BIN_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/bin}

if [ "$(id -u)" -ne 0 ]; then
	echo "make run: creating network namespaces and bridges needs root; run 'sudo make run'" >&2
	exit 1
fi
cd "$top"
rc=0
"$bin/mir-perf" --platform local --cfg "$top/cfg" || rc=$?

dir=$(readlink -f results/latest 2>/dev/null || true)
if [ -z "$dir" ] || [ ! -f "$dir/stats" ]; then
	echo "make run: mir-perf exited with status $rc and wrote no results" >&2
	exit "$rc"
fi
echo
sed -n '/^#  *size/,$p' "$dir/stats"
echo
echo "stats:  $dir/stats  (also stats.csv, stats.json, samples.csv)"
for p in "$dir"/plots/*.png; do
	[ -e "$p" ] && echo "plot:   $p"
done
echo "report: $dir/report.html"
exit "$rc"
