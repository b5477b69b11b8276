#!/usr/bin/env bash
# The integration scripts themselves: every check asserts all it says. A
# `check NAME DESC [ x ] && [ y ]` (or tap_check, or a pipe after it) hands
# only [ x ] to the check: the shell runs [ y ] afterwards and nobody looks
# at its status, so the check passes whatever y is. And every script declares
# its checks (ALL_TESTS) before it sources tests/lib.sh, which derives the plan.
ALL_TESTS="one_command_per_check all_tests_declared lint_catches"
. "$(dirname "$0")/../lib.sh"
dir=$MP_TOP/tests/integration

# partial_checks FILE...: "FILE:LINE: text" of every check whose command list
# goes on after the checked command (&&, a pipe, or || followed by another
# test) once quoted strings and $(...) are taken out.
partial_checks() {
	awk '
	function strip(s,   out, i, c, q, depth) {
		out = ""; q = ""; depth = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (q == "\x27") { if (c == "\x27") q = ""; continue }
			if (c == "\\") { i++; continue }
			if (depth > 0) {
				if (c == "(") depth++
				else if (c == ")") depth--
				continue
			}
			if (q == "\"") {
				if (c == "\"") q = ""
				else if (c == "$" && substr(s, i + 1, 1) == "(") { depth = 1; i++ }
				continue
			}
			if (c == "\x27" || c == "\"") { q = c; continue }
			if (c == "$" && substr(s, i + 1, 1) == "(") { depth = 1; i++; continue }
			if (c == "#" && (i == 1 || substr(s, i - 1, 1) ~ /[ \t]/)) break
			out = out c
		}
		return out
	}
	FNR == 1 { acc = ""; start = 0; here = "" }
	here != "" { t = $0; sub(/^\t+/, "", t); if (t == here) here = ""; next }
	{
		line = $0
		# a here-document is data, not commands
		if (match(line, /<<-?[ \t]*[\x27"]?[A-Za-z_]+/)) {
			here = substr(line, RSTART, RLENGTH); sub(/^<<-?[ \t]*[\x27"]?/, "", here)
		}
		if (acc == "") start = FNR
		acc = acc " " line
		# a logical line goes on after \, &&, || or |
		if (line ~ /(\\|&&|\|\||\|)[ \t]*$/) next
		code = strip(acc)
		if (code ~ /^[ \t]*(tap_)?check[ \t]/ &&
			(code ~ /&&/ || code ~ /[^|]\|[^|]/ || code ~ /\|\|[ \t]*(\[|test|grep|!)/))
			printf "%s:%d: %s\n", FILENAME, start, acc
		acc = ""
	}' "$@"
}

bad=$(cd "$dir" && partial_checks ./*.sh ./*.bash ../lib.sh ../lib_local.sh | tr '\n' ';')
check one_command_per_check "no check hands only part of its condition to the check${bad:+: $bad}" \
	test -z "$bad"

undeclared=
for f in "$dir"/*.sh; do
	# the first ALL_TESTS= comes before the line sourcing lib.sh
	a=$(grep -n '^ALL_TESTS=' "$f" | head -1 | cut -d: -f1)
	l=$(grep -n '^\. .*/lib\.sh"' "$f" | head -1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$l" ] && [ "$a" -lt "$l" ] || undeclared="$undeclared $(basename "$f")"
done
check all_tests_declared "every script declares ALL_TESTS before sourcing lib.sh${undeclared:+ (not:$undeclared)}" \
	test -z "$undeclared"

# The lint itself finds the constructs it is for, and passes the right ones.
t=$(mktemp /tmp/mp-t-lint.XXXXXX.sh)
on_exit "rm -f $t"
cat >"$t" <<'EOF'
check a "x && y in the text is fine" [ 1 = 1 ]
check b "two tests" [ 1 = 1 ] && [ 2 = 3 ]
check c "continued" [ 1 = 1 ] &&
	[ 2 = 3 ]
tap_check d "old style" test -n "$(echo x | wc -l)" -a 1 = 1
tap_check e "piped" echo ok | grep -q ok
check f "or-ed" [ 1 = 2 ] || [ 1 = 1 ]
check g "a diagnostic after a failure is fine" [ 1 = 1 ] || diag "why"
check h "quoted" bash -c "[ 1 = 1 ] && [ 2 = 2 ]"
EOF
got=$(partial_checks "$t" | cut -d: -f2 | tr '\n' ' ')
check lint_catches "the lint flags lines 2, 3, 6 and 7 of a sample, no other (flagged: $got)" \
	test "$got" = "2 3 6 7 "
