/* The run directory's name: what it says, and that no DUT command can make it
 * anything but one plain path component. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness/run/run.h"

#define T0 (1795000000ULL * 1000000000ULL) /* 2026-11-18T11:06:40Z */

static const char *name_of(const char *library, const char *commit, const char *dut)
{
	static struct run_cfg cfg;
	static char buf[256];

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.library, sizeof(cfg.library), "%s", library);
	snprintf(cfg.commit, sizeof(cfg.commit), "%s", commit);
	snprintf(cfg.dut, sizeof(cfg.dut), "%s", dut);
	run_dir_name(buf, sizeof(buf), &cfg, T0);
	return buf;
}

static void assert_plain(const char *n)
{
	const char *p;

	for (p = n; *p; p++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789._-",
				       *p));
	assert_true(n[0] != '.' && n[0] != '-');
}

static void test_names(void **state)
{
	assert_string_equal(
	    name_of("mirage-net-xen", "0123456789abcdef0123456789abcdef01234567", ""),
	    "mirage-net-xen-0123456789ab-20261118T110640Z");
	assert_string_equal(name_of("mirage-net-xen", "", ""),
			    "mirage-net-xen-head-20261118T110640Z");
	assert_string_equal(name_of("", "", "fwd"), "fwd-local-20261118T110640Z");
	assert_string_equal(name_of("", "", "bridge"), "bridge-local-20261118T110640Z");
	assert_string_equal(name_of("", "", "exec:/opt/mirage/netif-forward --in tap0"),
			    "exec-netif-forward-local-20261118T110640Z");
	assert_string_equal(name_of("", "", "image:/srv/u/forward.xen"),
			    "image-forward.xen-local-20261118T110640Z");
}

static void test_hostile_commands(void **state)
{
	static const char *const duts[] = {
	    "exec:sh -c 'rm -rf /; echo ../../etc'",
	    "exec:../../../../etc/passwd",
	    "exec:/x/$(reboot)`id`;|&<>*?\"'\\\n\t",
	    "exec:/tmp/",
	    "exec:",
	    "exec:..",
	    "-rf",
	};
	size_t i;

	for (i = 0; i < sizeof(duts) / sizeof(duts[0]); i++) {
		const char *n = name_of("", "", duts[i]);

		assert_null(strchr(n, '/'));
		assert_plain(n);
		assert_true(strlen(n) < 80);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_hostile_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
