/* Everything the local platform checks before a string reaches the kernel or
 * exec: interface names, exec: command lines, --dut specs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "harness/platform/local/local_dut.h"
#include "lib/nl.h"
#include "lib/proc.h"

static void test_ifname(void **state)
{
	static const char *const good[] = {"tap0",	 "if1",	 "eth0", "a", "123456789012345",
					   "mp-t1a2b-v", "x_y.z"};
	static const char *const bad[] = {
	    "",	    "1234567890123456", ".", "..", "a/b", "a:b", "a b", "tab\t", "nl\n",
	    "\x7f", "caf\xc3\xa9"};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(nlh_ifname_valid(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(nlh_ifname_valid(bad[i]));
	assert_false(nlh_ifname_valid(NULL));
}

/* Split and compare with the expected words (NULL-terminated). */
static void split_is(const char *cmd, const char *const *want)
{
	char **argv = NULL, err[128];
	size_t i;

	assert_int_equal(proc_argv_split(cmd, &argv, err, sizeof(err)), 0);
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
	proc_argv_free(argv);
}

static void test_argv_split(void **state)
{
	split_is("netif-forward", (const char *const[]){"netif-forward", NULL});
	split_is("  a   b\tc  ", (const char *const[]){"a", "b", "c", NULL});
	split_is(
	    "sh -c 'tc qdisc add dev tap1 root tbf rate 1mbit'",
	    (const char *const[]){"sh", "-c", "tc qdisc add dev tap1 root tbf rate 1mbit", NULL});
	split_is("a\" b \"c", (const char *const[]){"a b c", NULL});
	split_is("\"say \\\"hi\\\" \\$HOME \\n\"",
		 (const char *const[]){"say \"hi\" $HOME \\n", NULL});
	split_is("'it''s' \"\"", (const char *const[]){"its", "", NULL});
	split_is("a\\ b c\\'d", (const char *const[]){"a b", "c'd", NULL});
	/* no expansion of any kind */
	split_is("$HOME ~ * `id` $(id) ; | &&",
		 (const char *const[]){"$HOME", "~", "*", "`id`", "$(id)", ";", "|", "&&", NULL});
}

static void test_argv_split_bad(void **state)
{
	static const struct {
		const char *cmd, *err;
	} bad[] = {
	    {"", "empty command"},
	    {"   \t ", "empty command"},
	    {"a 'b", "unterminated single quote in command"},
	    {"a \"b", "unterminated double quote in command"},
	    {"a \\", "command ends in a lone backslash"},
	};
	char **argv = (char **)1, err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(proc_argv_split(bad[i].cmd, &argv, err, sizeof(err)), -EINVAL);
		assert_null(argv);
		assert_string_equal(err, bad[i].err);
	}
}

static void test_dut_spec(void **state)
{
	struct local_dut d;
	char err[256];

	assert_int_equal(local_dut_parse("fwd", &d, err, sizeof(err)), 0);
	assert_int_equal(d.kind, RUN_DUT_FWD);
	assert_null(d.argv);
	local_dut_free(&d);
	assert_int_equal(local_dut_parse("fwd --max-pps 100k", &d, err, sizeof(err)), 0);
	assert_int_equal(d.kind, RUN_DUT_FWD);
	assert_string_equal(d.argv[0], "--max-pps");
	assert_string_equal(d.argv[1], "100k");
	assert_null(d.argv[2]);
	local_dut_free(&d);
	assert_int_equal(local_dut_parse("tap-fwd", &d, err, sizeof(err)), 0);
	assert_int_equal(d.kind, RUN_DUT_TAP_FWD);
	local_dut_free(&d);
	assert_int_equal(local_dut_parse("bridge", &d, err, sizeof(err)), 0);
	assert_int_equal(d.kind, RUN_DUT_BRIDGE);
	local_dut_free(&d);
	assert_int_equal(local_dut_parse("exec:./netif-forward --verbose", &d, err, sizeof(err)),
			 0);
	assert_int_equal(d.kind, RUN_DUT_EXEC);
	assert_string_equal(d.argv[0], "./netif-forward");
	assert_string_equal(d.argv[1], "--verbose");
	assert_null(d.argv[2]);
	local_dut_free(&d);
}

static void test_dut_spec_bad(void **state)
{
	static const struct {
		const char *spec, *err;
	} bad[] = {
	    {"fwdx", "dut 'fwdx': expected fwd, tap-fwd, bridge or exec:COMMAND on the local "
		     "platform"},
	    {"", "dut '': expected fwd, tap-fwd, bridge or exec:COMMAND on the local platform"},
	    {"image:/x.img", "dut 'image:/x.img': expected fwd, tap-fwd, bridge or exec:COMMAND "
			     "on the local platform"},
	    {"bridge --stp", "dut 'bridge --stp': bridge takes no options"},
	    {"exec:", "dut 'exec:': empty command; expected exec:COMMAND [ARG...]"},
	    {"exec:a 'b", "dut 'exec:a 'b': unterminated single quote in command; expected "
			  "exec:COMMAND [ARG...]"},
	    {"fwd --x 'y", "dut 'fwd --x 'y': unterminated single quote in command"},
	};
	struct local_dut d;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(local_dut_parse(bad[i].spec, &d, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].err);
		assert_null(d.argv);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ifname),	   cmocka_unit_test(test_argv_split),
	    cmocka_unit_test(test_argv_split_bad), cmocka_unit_test(test_dut_spec),
	    cmocka_unit_test(test_dut_spec_bad),
	};

	return cmocka_run_group_tests_name("local names", tests, NULL, NULL);
}
