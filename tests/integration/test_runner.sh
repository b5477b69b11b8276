#!/usr/bin/env bash
# tests/run and tests/lib.sh themselves, on a throwaway tree of made-up suites:
# a suite reporting fewer or more results than its plan fails, as does one
# with no plan; a skip not in expected-skips fails, a listed one is printed
# with its reason; a check that never reported, one not declared and one
# reported twice fail; a clean suite passes.
ALL_TESTS="clean_passes short_fails long_fails no_plan_fails unlisted_skip_fails
	listed_skip_printed not_run_fails undeclared_fails twice_fails no_all_tests_fails
	exit_status summary"
. "$(dirname "$0")/../lib.sh"

t=$(mktemp -d /tmp/mp-t-runner.XXXXXX)
on_exit "rm -rf $t"
mkdir -p "$t/tests/integration" "$t/build/tests"
cp "$MP_TOP/tests/run" "$MP_TOP/tests/lib.sh" "$t/tests/"
printf 'integration/listed\tgone\tthe machine has no such thing*\n' >"$t/tests/expected-skips"
# suite NAME BODY: a made-up integration script
suite() { printf '#!/usr/bin/env bash\n%s\n' "$2" >"$t/tests/integration/$1.sh"; }
lib='. "$(dirname "$0")/../lib.sh"'
suite clean "ALL_TESTS='a b'; $lib
rc=1 name=x; check a 'an eval sees the variables of the script' eval '[ \$rc\$name = 1x ]'; pass b 'fine'"
suite short "ALL_TESTS='a b c'; $lib
pass a one; pass b two; kill -9 \$\$"
suite long 'echo 1..1; echo "ok 1 - a"; echo "ok 2 - b"'
suite noplan 'echo "ok 1 - a"'
suite unlisted "ALL_TESTS='a b'; $lib
pass a one; skip b 'it came out wrong'"
suite listed "ALL_TESTS='here gone'; $lib
pass here one; skip gone 'the machine has no such thing (here: none)'"
suite notrun "ALL_TESTS='a b'; $lib
pass a one; exit 0"
suite undeclared "ALL_TESTS='a'; $lib
pass a one; pass zz two"
suite twice "ALL_TESTS='a b'; $lib
pass a one; pass a again; pass b two"
suite noall "$lib
pass a one"

env -u MP_TEST_VERBOSE MP_BIN="$MP_BIN" MP_BUILD="$t/build" "$t/tests/run" >"$t/out" 2>&1
rc=$?
sed 's/^/# /' "$t/out"
# result SUITE: its "N passed, N failed, N skipped" line
result() { sed -n "/^== integration\/$1\$/,/^== /p" "$t/out" | grep -E '^   [0-9]+ passed' | sed 's/^ *//'; }
has() { grep -qF -- "$1" "$t/out"; }

check clean_passes "a clean suite passes ($(result clean))" test "$(result clean)" = "2 passed, 0 failed, 0 skipped"
check short_fails "a suite killed after 2 of 3 fails on its plan ($(result short))" \
	has "integration/short: planned 3 results (1..3), reported 2"
check long_fails "a suite reporting 2 of a plan of 1 fails" has "integration/long: planned 1 results (1..1), reported 2"
check no_plan_fails "a suite without a plan fails" has "integration/noplan: no TAP plan"
check unlisted_skip_fails "a skip not in expected-skips fails ($(result unlisted))" \
	has "integration/unlisted: b skipped, and tests/expected-skips does not list it: it came out wrong"
check listed_skip_printed "a listed skip counts as skipped, its reason in the summary ($(result listed))" \
	eval 'test "$(result listed)" = "1 passed, 0 failed, 1 skipped" &&
		has "  integration/listed: the machine has no such thing (here: none) [gone]"'
check not_run_fails "a declared check never reported fails as not run" \
	has "integration/notrun: 2 - b: not run (the script ended with status 0)"
check undeclared_fails "a check not declared in ALL_TESTS fails" \
	has "integration/undeclared: 2 - zz: not declared in ALL_TESTS: two"
check twice_fails "a check reported twice fails" has "integration/twice: 2 - a: reported twice: again"
check no_all_tests_fails "a script without ALL_TESTS bails out" has "integration/noall: Bail out!"
check exit_status "tests/run exits 1 (was $rc)" test $rc -eq 1
check summary "closing line: 13 passed, 11 failed, 1 skipped" \
	test "$(tail -n 1 "$t/out")" = "13 passed, 11 failed, 1 skipped"
