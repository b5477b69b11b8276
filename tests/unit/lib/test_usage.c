/* lib/usage: the one usage-error line of the three binaries, and what
 * getopt_long's '?' and ':' become. log_err is wrapped to catch the line. */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/usage.h"

static char line[512];
static int lines;

void __wrap_log_err(const char *fmt, ...);
void __wrap_log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	lines++;
}

static int setup(void **state)
{
	(void)state;
	line[0] = '\0';
	lines = 0;
	usage_set_command(NULL);
	return 0;
}

static void test_error_forms(void **state)
{
	(void)state;
	assert_int_equal(usage_error("--rate", "packets per second", "12q"), MP_EXIT_USAGE);
	assert_string_equal(line, "--rate: expected packets per second, got '12q'");
	usage_set_command("tx");
	assert_string_equal(usage_command(), "tx");
	assert_int_equal(usage_error("--dev", "the interface to send on", NULL), MP_EXIT_USAGE);
	assert_string_equal(line, "tx: --dev: expected the interface to send on");
	assert_int_equal(lines, 2);
}

/* A hostile token is cut, never overflows the line. */
static void test_long_token_cut(void **state)
{
	char tok[400];

	(void)state;
	memset(tok, 'x', sizeof(tok) - 1);
	tok[sizeof(tok) - 1] = '\0';
	usage_error("--size", "a size", tok);
	assert_int_equal(strlen(line), strlen("--size: expected a size, got ''") + 100);
}

static void test_bad_option(void **state)
{
	static const struct option opts[] = {
	    {"rate", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	char *unknown[] = {"tx", "--frob", NULL};
	char *novalue[] = {"tx", "--rate", NULL};
	int c;

	(void)state;
	usage_set_command("tx");
	opterr = 0;
	optind = 0;
	c = getopt_long(2, unknown, ":r:", opts, NULL);
	assert_int_equal(c, '?');
	assert_int_equal(usage_bad_option(c, unknown, optind, "mir-trafgen --help"), MP_EXIT_USAGE);
	assert_string_equal(
	    line,
	    "tx: option: expected one of the options `mir-trafgen --help` lists, got '--frob'");
	optind = 0;
	c = getopt_long(2, novalue, ":r:", opts, NULL);
	assert_int_equal(c, ':');
	assert_int_equal(usage_bad_option(c, novalue, optind, "mir-trafgen --help"), MP_EXIT_USAGE);
	assert_string_equal(line, "tx: --rate: expected a value after it");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_error_forms, setup),
	    cmocka_unit_test_setup(test_long_token_cut, setup),
	    cmocka_unit_test_setup(test_bad_option, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
