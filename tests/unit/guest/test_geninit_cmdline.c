/* The traff-gen guest's /init reads its settings from the kernel command line
 * that harness/platform/xen/xl_config.c writes: every form it accepts and every bad one. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guest/geninit_cmdline.h"

#define TOKEN "0123456789abcdefABCDEF0123456789"

static void test_gen(void **state)
{
	struct geninit_cfg c;
	char err[256] = "";

	assert_int_equal(geninit_parse_cmdline("root=/dev/ram0 console=hvc0 quiet mirperf.mode=gen "
					       "mirperf.ctl=198.18.255.2/30 mirperf.port=7001 "
					       "mirperf.token=" TOKEN "\n",
					       &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.mode, GENINIT_MODE_GEN);
	assert_int_equal(c.ctl_addr, 0xc612ff02u);
	assert_int_equal(c.ctl_prefix, 30);
	assert_int_equal(c.port, 7001);
	assert_string_equal(c.token, TOKEN);
}

static void test_gen_default_port_and_fwd(void **state)
{
	struct geninit_cfg c;
	char err[256];

	assert_int_equal(geninit_parse_cmdline("mirperf.token=" TOKEN " mirperf.ctl=198.19.0.9/24 "
					       "mirperf.mode=gen",
					       &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.port, 7000);
	assert_int_equal(c.ctl_addr, 0xc6130009u);
	assert_int_equal(
	    geninit_parse_cmdline("console=hvc0  mirperf.mode=fwd", &c, err, sizeof(err)), 0);
	assert_int_equal(c.mode, GENINIT_MODE_FWD);
	assert_int_equal(c.goodput, 0);
}

/* The goodput mode: both kinds of guest take mirperf.goodput=1. */
static void test_goodput(void **state)
{
	struct geninit_cfg c;
	char err[256];

	assert_int_equal(geninit_parse_cmdline("mirperf.mode=fwd mirperf.goodput=1", &c, err,
					       sizeof(err)),
			 0);
	assert_int_equal(c.goodput, 1);
	assert_int_equal(geninit_parse_cmdline("mirperf.mode=gen mirperf.ctl=198.18.255.2/30 "
					       "mirperf.goodput=1 mirperf.token=" TOKEN,
					       &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.mode, GENINIT_MODE_GEN);
	assert_int_equal(c.goodput, 1);
}

static void expect_bad(const char *line, const char *quoted)
{
	struct geninit_cfg c;
	char err[256] = "";

	assert_int_equal(geninit_parse_cmdline(line, &c, err, sizeof(err)), -EINVAL);
	if (!strstr(err, quoted))
		fail_msg("error for '%s' does not quote '%s': %s", line, quoted, err);
}

static void test_bad(void **state)
{
	expect_bad("quiet", "no mirperf.mode");
	expect_bad("mirperf.mode=pktgen", "'mirperf.mode=pktgen'");
	expect_bad("mirperf.mode", "'mirperf.mode'");
	expect_bad("mirperf.mode=fwd mirperf.mode=fwd", "given twice");
	expect_bad("mirperf.mode=fwd mirperf.speed=1", "'mirperf.speed=1': unknown key");
	expect_bad("mirperf.mode=gen mirperf.token=" TOKEN, "needs mirperf.ctl");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.18.255.2/30", "needs mirperf.ctl");
	expect_bad("mirperf.mode=fwd mirperf.token=" TOKEN, "mode fwd takes no");
	expect_bad("mirperf.mode=fwd mirperf.goodput=yes", "'mirperf.goodput=yes': expected 1");
	expect_bad("mirperf.mode=fwd mirperf.goodput=1 mirperf.goodput=1", "given twice");
	/* addresses outside 198.18.0.0/15, network/broadcast, bad prefixes */
	expect_bad("mirperf.mode=gen mirperf.ctl=10.0.0.2/30 mirperf.token=" TOKEN,
		   "'mirperf.ctl=10.0.0.2/30'");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.20.0.2/30 mirperf.token=" TOKEN, "198.20.0.2");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.18.255.0/30 mirperf.token=" TOKEN,
		   "198.18.255.0/30");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.18.255.3/30 mirperf.token=" TOKEN,
		   "198.18.255.3/30");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.18.255.2/31 mirperf.token=" TOKEN, "/31");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.18.255.2 mirperf.token=" TOKEN,
		   "'mirperf.ctl=198.18.255.2'");
	expect_bad("mirperf.mode=gen mirperf.ctl=198.18.255.2/+30 mirperf.token=" TOKEN, "/+30");
	expect_bad("mirperf.mode=gen mirperf.port=0", "'mirperf.port=0'");
	expect_bad("mirperf.mode=gen mirperf.port=65536", "65536");
	expect_bad("mirperf.mode=gen mirperf.port=70x", "70x");
	/* tokens: length and alphabet (it reaches a file and the agent) */
	expect_bad("mirperf.mode=gen mirperf.token=abc", "'mirperf.token=abc'");
	expect_bad("mirperf.mode=gen mirperf.token=0123456789abcdef;rm", ";rm");
	expect_bad(
	    "mirperf.mode=gen mirperf.token=0123456789abcdef0123456789abcdef0123456789abcdef0"
	    "123456789abcdef0",
	    "expected 16..64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gen),
	    cmocka_unit_test(test_gen_default_port_and_fwd),
	    cmocka_unit_test(test_goodput),
	    cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
