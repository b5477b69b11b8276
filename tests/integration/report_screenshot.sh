#!/usr/bin/env bash
# The report as a person sees it: a short real run (bridge DUT, two sizes,
# a rate and max), then report.html in headless Chromium, as a screenshot
# and as the laid-out page. Checked for what matters, not pixel by pixel:
# every plot present, loaded (no broken image) and the same size on screen;
# the summary sentence ("What was found", the knee per size) on the first
# screen; no empty library/commit rows on a local run; the screenshot a real
# image of the window's size.
ALL_TESTS="started report_written screenshot_png plots_all plots_not_broken plots_same_size
	summary_first_screen no_empty_rows no_ns_left"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
require_root "runs mir-perf on the local platform"
require_built "$MP_BIN/mir-perf"
chrome=$(command -v chromium || command -v chromium-browser || true)
# chromium is one of tools/deps.sh's packages: without it the skip is not in
# tests/expected-skips, so tests/run fails (make deps installs it).
[ -n "$chrome" ] || skip_rest "no chromium (Debian package chromium: make deps)"

W=1400 H=1000
tmp=$(mktemp -d /tmp/mp-t-report-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 1 1
out=$tmp/run
if ! sweep_start "$out" --cfg "$tmp/cfg" --dut bridge --sizes 64,512 --rates 5k,max; then
	sed 's/^/# /' "$out.err"
	fail_rest "mir-perf did not start"
fi
pass started "mir-perf started (run $SWEEP_ID)"
sweep_wait
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
check report_written "report.html written" test -s "$out/report.html" || fail_rest "no report.html"

# chromium: headless, no network of its own, a fresh profile each time.
browse() {
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile-$1" --window-size=$W,$H --hide-scrollbars \
		--virtual-time-budget=10000 "${@:2}" 2>"$tmp/chromium-$1.err"
}
# The page as it is, for people: the first screen.
browse shot --screenshot="$tmp/shot.png" "file://$out/report.html" >/dev/null
png_size=$(python3 -c 'import struct,sys
d = open(sys.argv[1], "rb").read(24)
print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8] == b"\x89PNG\r\n\x1a\n" else "none")' "$tmp/shot.png" 2>/dev/null)
check screenshot_png "screenshot: a ${W}x$H PNG (got ${png_size:-none})" [ "$png_size" = "${W}x$H" ]
[ -n "${MP_KEEP_SCREENSHOT:-}" ] && cp "$tmp/shot.png" "$MP_KEEP_SCREENSHOT"

# The page laid out, measured by a script added to a copy of it.
{ cat "$out/report.html"; printf '<script>\n'; cat "$MP_TOP/tests/tools/report_check.js"; printf '</script>\n'; } \
	>"$out/check.html"
browse dom --dump-dom "file://$out/check.html" >"$tmp/dom.html"
sed -n '/<pre id="mp-check">/,/<\/pre>/p' "$tmp/dom.html" | sed 's/<[^>]*>//g; s/&amp;/\&/g' >"$tmp/check"
sed 's/^/# /' "$tmp/check"
imgs=$(grep -c '^img ' "$tmp/check")
all_plots() {
	local p
	[ "$imgs" -eq 4 ] || return 1
	for p in rx_vs_offered loss_vs_offered mbps_vs_size latency_vs_offered; do
		grep -q "^img plots/$p.svg " "$tmp/check" || return 1
	done
}
check plots_all "all 4 plots on the page ($imgs images)" all_plots
check plots_not_broken "no broken image" eval '[ "$imgs" -gt 0 ] && ! grep -q "^img .* broken " "$tmp/check"'
sizes=$(awk '/^img / { print $3 }' "$tmp/check" | sort -u)
check plots_same_size "every plot the same size on screen ($(echo $sizes))" \
	eval '[ "$(echo "$sizes" | wc -l)" -eq 1 ] && [ "${sizes%x*}" -ge 400 ]'
summary=$(grep '^summary ' "$tmp/check")
view_h=$(sed -n 's/^view [0-9]*x\([0-9]*\)$/\1/p' "$tmp/check")
check summary_first_screen "the summary on the first screen (top < ${view_h:-?} px) says the knee of both sizes" \
	eval '[ -n "$summary" ] && [ -n "$view_h" ] && [ "$(echo "$summary" | awk "{ print \$2 }")" -lt "$view_h" ] &&
		grep -q "64 B: .*knee " <<<"$summary" && grep -q "512 B: .*knee " <<<"$summary"'
check no_empty_rows "no empty library or commit row on a local run" \
	eval '! grep -q "<th>library</th>\|<th>commit</th>" "$out/report.html"'
check no_ns_left "no namespace of the run left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
