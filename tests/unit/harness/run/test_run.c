/* The run directory's name: what it says, that no DUT command can make it
 * anything but one plain path component, and that --dry-run's stem is it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness/run/run_dir.h"

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

/* --dry-run prints run_dir_stem: it is the name's start, up to the time. */
static void test_stem_is_the_name_before_its_time(void **state)
{
	static const char *const duts[] = {"fwd", "exec:/opt/mirage/netif-forward --in tap0",
					   "fwd:--max-pps 100k", "-rf"};
	struct run_cfg cfg;
	char stem[160], name[256];
	size_t i;

	for (i = 0; i < sizeof(duts) / sizeof(duts[0]); i++) {
		memset(&cfg, 0, sizeof(cfg));
		snprintf(cfg.dut, sizeof(cfg.dut), "%s", duts[i]);
		if (i == 1)
			snprintf(cfg.commit, sizeof(cfg.commit), "abc/def");
		run_dir_stem(stem, sizeof(stem), &cfg);
		run_dir_name(name, sizeof(name), &cfg, T0);
		assert_int_equal(strlen(name), strlen(stem) + strlen("-20261118T110640Z"));
		assert_memory_equal(name, stem, strlen(stem));
		assert_string_equal(name + strlen(stem), "-20261118T110640Z");
	}
	snprintf(cfg.library, sizeof(cfg.library), "mirage-net-xen");
	snprintf(cfg.commit, sizeof(cfg.commit), "0123456789abcdef");
	run_dir_stem(stem, sizeof(stem), &cfg);
	assert_string_equal(stem, "mirage-net-xen-0123456789ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_hostile_commands),
	    cmocka_unit_test(test_stem_is_the_name_before_its_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
