#!/usr/bin/env bash
# make install PREFIX=/usr/local DESTDIR=<temp>: binaries, default cfg, plot
# templates and the three man pages land where they belong, and the installed
# mir-perf finds its installed cfg when there is no ./cfg.
ALL_TESTS="make_install mir_perf_installed all_bins_installed cfg_range_psz cfg_range_pps
	cfg_conf plot_templates man_installed man_renders
	man_installed_trafgen man_renders_trafgen man_installed_monitor man_renders_monitor
	man_no_warnings_perf man_no_warnings_trafgen man_no_warnings_monitor
	installed_version default_cfg_dir
	installed_cfg_plans"
. "$(dirname "$0")/../lib.sh"

dest=$(mktemp -d /tmp/mp-t-install.XXXXXX)
on_exit "rm -rf '$dest'"
log=$dest.log
on_exit "rm -f '$log'"

# The binaries under test (make asan: the sanitized ones, with the same flags).
if make -C "$MP_TOP" --no-print-directory install PREFIX=/usr/local DESTDIR="$dest" \
	B="${MP_BUILD:-$MP_TOP/build}" BIN="$MP_BIN" ${MP_ASAN:+SAN=1} >"$log" 2>&1; then
	pass make_install "make install PREFIX=/usr/local DESTDIR=$dest"
else
	sed 's/^/# /' "$log"
	fail_rest "make install PREFIX=/usr/local DESTDIR=$dest failed"
fi
p=$dest/usr/local
check mir_perf_installed "bin/mir-perf installed, executable" test -x "$p/bin/mir-perf"
missing=
for b in "$MP_BIN"/mir-*; do
	[ -e "$b" ] || continue
	[ -x "$p/bin/$(basename "$b")" ] || missing="$missing $(basename "$b")"
done
check all_bins_installed "every binary of $MP_BIN installed, executable${missing:+ (not:$missing)}" \
	test -z "$missing"
check cfg_range_psz "share/mir-perf/cfg/range-psz is the default cfg" \
	cmp -s "$MP_TOP/cfg/range-psz" "$p/share/mir-perf/cfg/range-psz"
check cfg_range_pps "share/mir-perf/cfg/range-pps is the default cfg" \
	cmp -s "$MP_TOP/cfg/range-pps" "$p/share/mir-perf/cfg/range-pps"
check cfg_conf "share/mir-perf/cfg/mir-perf.conf is the default cfg" \
	cmp -s "$MP_TOP/cfg/mir-perf.conf" "$p/share/mir-perf/cfg/mir-perf.conf"
check plot_templates "plot templates installed" test -n "$(ls "$p"/share/mir-perf/plots/*.gp 2>/dev/null)"
check man_installed "man page installed" cmp -s "$MP_TOP/doc/mir-perf.1" "$p/share/man/man1/mir-perf.1"
# groff itself (groff-base, which tools/deps.sh installs; man-db is not needed):
# the page renders without a warning, with its EXIT STATUS section.
if command -v groff >/dev/null 2>&1; then
	page=$(groff -man -Tutf8 -P-cbou -ww "$p/share/man/man1/mir-perf.1" 2>"$dest.groff")
	check man_renders "man page renders with groff, no warning, with an EXIT STATUS section$(
		[ -s "$dest.groff" ] && printf ' (groff: %s)' "$(head -3 "$dest.groff" | tr '\n' ' ')")" \
		eval '[ ! -s "$dest.groff" ] && grep -q "^EXIT STATUS" <<<"$page"'
	rm -f "$dest.groff"
else
	skip man_renders "no groff (Debian package groff-base: make deps)"
fi
# Every program's man page is installed, renders (groff, as above) with an
# EXIT STATUS section, and groff finds nothing to warn about (-ww: all warnings).
for page in mir-trafgen mir-monitor; do
	t=${page#mir-}
	check "man_installed_$t" "man page $page.1 installed" cmp -s "$MP_TOP/doc/$page.1" "$p/share/man/man1/$page.1"
	if command -v groff >/dev/null 2>&1; then
		check "man_renders_$t" "man page $page.1 renders with an EXIT STATUS section" \
			grep -q "^EXIT STATUS" <<<"$(groff -man -Tutf8 -P-cbou "$p/share/man/man1/$page.1" 2>/dev/null)"
	else
		skip "man_renders_$t" "no groff (Debian package groff-base: make deps)"
	fi
done
for page in mir-perf mir-trafgen mir-monitor; do
	t=${page#mir-}
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -ww -z -man "$p/share/man/man1/$page.1" 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && [ -z "$warn" ]; then
			pass "man_no_warnings_$t" "man page $page.1 renders without groff warnings"
		else
			fail "man_no_warnings_$t" "man page $page.1: groff -ww -z -man (status $rc) warns"
			printf '%s\n' "$warn" | sed 's/^/# /'
		fi
	else
		skip "man_no_warnings_$t" "no groff (Debian package groff-base: make deps)"
	fi
done
check installed_version "installed mir-perf -V" grep -q '^mir-perf ' <<<"$("$p/bin/mir-perf" -V)"

# Outside a checkout (no ./cfg) the default cfg dir is PREFIX/share/mir-perf/cfg:
# the plan if it is installed on this machine, else an error naming that path.
empty=$(mktemp -d /tmp/mp-t-noconf.XXXXXX)
on_exit "rm -rf '$empty'"
out=$(cd "$empty" && "$p/bin/mir-perf" -n -p local 2>&1)
check default_cfg_dir "without ./cfg mir-perf reads /usr/local/share/mir-perf/cfg" \
	grep -qE '^(cfg        /usr/local/share/mir-perf/cfg/mir-perf.conf|/usr/local/share/mir-perf/cfg/mir-perf.conf: cannot open)' <<<"$out"
# ... and -c points it at the installed copy, which plans the default sweep
out=$("$p/bin/mir-perf" -n -p local -c "$p/share/mir-perf/cfg" 2>&1)
check installed_cfg_plans "the installed cfg plans the default sweep" grep -q '^sweep: 3 sizes x 4 rates = 12 points' <<<"$out"
