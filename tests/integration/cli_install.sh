#!/usr/bin/env bash
# make install PREFIX=/usr/local DESTDIR=<temp>: binaries, default cfg, plot
# templates and the three man pages land where they belong, and the installed
# mir-perf finds its installed cfg when there is no ./cfg.
. "$(dirname "$0")/../lib.sh"

dest=$(mktemp -d /tmp/mp-t-install.XXXXXX)
on_exit "rm -rf '$dest'"
log=$dest.log
on_exit "rm -f '$log'"

# The binaries under test (make asan: the sanitized ones, with the same flags).
if make -C "$MP_TOP" --no-print-directory install PREFIX=/usr/local DESTDIR="$dest" \
	B="${MP_BUILD:-$MP_TOP/build}" BIN="$MP_BIN" ${MP_ASAN:+SAN=1} >"$log" 2>&1; then
	tap_ok "make install PREFIX=/usr/local DESTDIR=$dest"
else
	tap_fail "make install failed"
	sed 's/^/# /' "$log"
	exit 0
fi
p=$dest/usr/local
tap_check "bin/mir-perf installed, executable" test -x "$p/bin/mir-perf"
for b in "$MP_BIN"/mir-*; do
	[ -e "$b" ] || continue
	tap_check "bin/$(basename "$b") installed, executable" test -x "$p/bin/$(basename "$b")"
done
for f in range-psz range-pps mir-perf.conf; do
	tap_check "share/mir-perf/cfg/$f is the default cfg" cmp -s "$MP_TOP/cfg/$f" "$p/share/mir-perf/cfg/$f"
done
tap_check "plot templates installed" test -n "$(ls "$p"/share/mir-perf/plots/*.gp 2>/dev/null)"
tap_check "man page installed" cmp -s "$MP_TOP/doc/mir-perf.1" "$p/share/man/man1/mir-perf.1"
if command -v man >/dev/null 2>&1; then
	tap_check "man page renders with an EXIT STATUS section" \
		grep -q "EXIT STATUS" <<<"$(MANWIDTH=80 man -l "$p/share/man/man1/mir-perf.1" 2>/dev/null)"
else
	tap_skip "man is not installed"
fi
# Every program's man page is installed, renders through man with an EXIT
# STATUS section, and groff finds nothing to warn about (-ww: all warnings).
for page in mir-trafgen.1 mir-monitor.1; do
	tap_check "man page $page installed" cmp -s "$MP_TOP/doc/$page" "$p/share/man/man1/$page"
	if command -v man >/dev/null 2>&1; then
		tap_check "man page $page renders with an EXIT STATUS section" \
			grep -q "EXIT STATUS" <<<"$(MANWIDTH=80 man -l "$p/share/man/man1/$page" 2>/dev/null)"
	else
		tap_skip "man is not installed (tools/deps.sh installs man-db)"
	fi
done
for page in mir-perf.1 mir-trafgen.1 mir-monitor.1; do
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -ww -z -man "$p/share/man/man1/$page" 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && [ -z "$warn" ]; then
			tap_ok "man page $page renders without groff warnings"
		else
			tap_fail "man page $page: groff -ww -z -man (status $rc) warns"
			printf '%s\n' "$warn" | sed 's/^/# /'
		fi
	else
		tap_skip "groff is not installed (tools/deps.sh installs groff-base)"
	fi
done
tap_check "installed mir-perf -V" grep -q '^mir-perf ' <<<"$("$p/bin/mir-perf" -V)"

# Outside a checkout (no ./cfg) the default cfg dir is PREFIX/share/mir-perf/cfg:
# the plan if it is installed on this machine, else an error naming that path.
empty=$(mktemp -d /tmp/mp-t-noconf.XXXXXX)
on_exit "rm -rf '$empty'"
out=$(cd "$empty" && "$p/bin/mir-perf" -n -p local 2>&1)
tap_check "without ./cfg mir-perf reads /usr/local/share/mir-perf/cfg" \
	grep -qE '^(cfg        /usr/local/share/mir-perf/cfg/mir-perf.conf|/usr/local/share/mir-perf/cfg/mir-perf.conf: cannot open)' <<<"$out"
# ... and -c points it at the installed copy, which plans the default sweep
out=$("$p/bin/mir-perf" -n -p local -c "$p/share/mir-perf/cfg" 2>&1)
tap_check "the installed cfg plans the default sweep" grep -q '^sweep: 3 sizes x 4 rates = 12 points' <<<"$out"
