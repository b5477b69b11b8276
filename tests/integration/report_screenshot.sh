#!/usr/bin/env bash
# The report as a person sees it: a short real run (bridge DUT, two sizes,
# a rate and max), then report.html in headless Chromium, as a screenshot
# and as the laid-out page. Checked for what matters, not pixel by pixel:
# every plot present, loaded (no broken image) and the same size on screen;
# the summary sentence ("What was found", the knee per size) on the first
# screen; no empty library/commit rows on a local run; the screenshot a real
# image of the window's size.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sweep_common.bash"
need_root 8 "runs mir-perf on the local platform"
[ -x "$MP_BIN/mir-perf" ] || { for i in $(seq 8); do tap_skip "no $MP_BIN/mir-perf"; done; exit 0; }
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { for i in $(seq 8); do tap_skip "no chromium (tools/deps.sh installs it)"; done; exit 0; }

W=1400 H=1000
tmp=$(mktemp -d /tmp/mp-t-report-XXXXXX)
on_exit "rm -rf $tmp"
sweep_cfg "$tmp/cfg" 1 1 1
out=$tmp/run
if ! sweep_start "$out" --cfg "$tmp/cfg" --dut bridge --sizes 64,512 --rates 5k,max; then
	tap_fail "mir-perf started"
	sed 's/^/# /' "$out.err"
	for i in $(seq 7); do tap_skip "no run"; done
	exit 0
fi
tap_ok "mir-perf started (run $SWEEP_ID)"
sweep_wait
[ "$SWEEP_RC" -eq 0 ] || sed 's/^/# /' "$out.err"
[ -s "$out/report.html" ] || { tap_fail "report.html written"; for i in $(seq 6); do tap_skip "no report"; done; exit 0; }

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
tap_check "screenshot: a ${W}x$H PNG (got ${png_size:-none})" [ "$png_size" = "${W}x$H" ]
[ -n "${MP_KEEP_SCREENSHOT:-}" ] && cp "$tmp/shot.png" "$MP_KEEP_SCREENSHOT"

# The page laid out, measured by a script added to a copy of it.
{ cat "$out/report.html"; printf '<script>\n'; cat "$MP_TOP/tests/tools/report_check.js"; printf '</script>\n'; } \
	>"$out/check.html"
browse dom --dump-dom "file://$out/check.html" >"$tmp/dom.html"
sed -n '/<pre id="mp-check">/,/<\/pre>/p' "$tmp/dom.html" | sed 's/<[^>]*>//g; s/&amp;/\&/g' >"$tmp/check"
sed 's/^/# /' "$tmp/check"
imgs=$(grep -c '^img ' "$tmp/check")
tap_check "all 4 plots on the page ($imgs images)" \
	eval '[ "$imgs" -eq 4 ] && for p in rx_vs_offered loss_vs_offered mbps_vs_size latency_vs_offered; do
		grep -q "^img plots/$p.svg " "$tmp/check" || exit 1; done'
tap_check "no broken image" eval '[ "$imgs" -gt 0 ] && ! grep -q "^img .* broken " "$tmp/check"'
sizes=$(awk '/^img / { print $3 }' "$tmp/check" | sort -u)
tap_check "every plot the same size on screen ($(echo $sizes))" \
	eval '[ "$(echo "$sizes" | wc -l)" -eq 1 ] && [ "${sizes%x*}" -ge 400 ]'
summary=$(grep '^summary ' "$tmp/check")
view_h=$(sed -n 's/^view [0-9]*x\([0-9]*\)$/\1/p' "$tmp/check")
tap_check "the summary on the first screen (top < ${view_h:-?} px) says the knee of both sizes" \
	eval '[ -n "$summary" ] && [ -n "$view_h" ] && [ "$(echo "$summary" | awk "{ print \$2 }")" -lt "$view_h" ] &&
		grep -q "64 B: .*knee " <<<"$summary" && grep -q "512 B: .*knee " <<<"$summary"'
tap_check "no empty library or commit row on a local run" \
	eval '! grep -q "<th>library</th>\|<th>commit</th>" "$out/report.html"'
tap_check "no namespace of the run left" [ -z "$(sweep_ns_left "$SWEEP_ID")" ]
