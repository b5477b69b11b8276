/* The mir-perf command line: arguments, merging with the cfg files, platform
 * choice, DUT resolution, and the order and duration of the planned sweep. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/config/cli.h"
#include "harness/config/cli_cfg.h"
#include "harness/config/plan.h"
#include "harness/config/platform_select.h"
#include "lib/log.h"
#include "lib/units.h"

static char dir[64];
static char caps_none[128], caps_dom0[128], caps_domu[128];

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/mp-test-cliXXXXXX");
	if (!mkdtemp(dir))
		return -1;
	put("range-psz", "64 1518\n");
	put("range-pps", "10k 20k 30k\n");
	put("mir-perf.conf", "duration = 2\nwarmup = 1\nsettle = 500ms\n");
	put("caps-dom0", "control_d\n");
	put("caps-domu", "\n");
	snprintf(caps_none, sizeof(caps_none), "%s/no-such-file", dir);
	snprintf(caps_dom0, sizeof(caps_dom0), "%s/caps-dom0", dir);
	snprintf(caps_domu, sizeof(caps_domu), "%s/caps-domu", dir);
	log_init("mir-perf");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* argv from a string of words separated by '|' (so words may hold spaces). */
static int split(char *s, char **argv, int max)
{
	int n = 0;

	argv[n++] = "mir-perf";
	while (s && *s && n < max - 1) {
		argv[n++] = s;
		s = strchr(s, '|');
		if (s)
			*s++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

static int args_of(const char *line, struct cli_args *a, char *buf, size_t buflen, char *err,
		   size_t errlen)
{
	char *argv[32];
	int argc;

	snprintf(buf, buflen, "%s", line);
	argc = split(buf, argv, 32);
	return cli_parse_args(argc, argv, a, err, errlen);
}

static const struct {
	const char *argv, *msg;
} bad_args[] = {
    {"foo", "mir-perf: unknown library 'foo'; the known library is mirage-net-xen"},
    {"mirage-net-xen|abc;rm -rf /",
     "mir-perf: 'abc;rm -rf /' is not a commit id: expected 7 to 40 hex digits"},
    {"mirage-net-xen|0123456789abcdef0123456789abcdef012345678",
     "mir-perf: '0123456789abcdef0123456789abcdef012345678' is not a commit id: expected 7 to "
     "40 hex digits, got 41"},
    {"mirage-net-xen|abc123", "mir-perf: 'abc123' is not a commit id: expected 7 to 40 hex digits"},
    {"deadbeef",
     "mir-perf: unknown library 'deadbeef'; it looks like a commit id: put the library first, "
     "e.g. mir-perf mirage-net-xen deadbeef"},
    {"mirage-net-xen|abcdef1|more",
     "mir-perf: unexpected argument 'more': expected [LIBRARY [COMMIT [COMMIT_B]]]"},
    {"--frob", "mir-perf: unknown option '--frob'; see mir-perf --help"},
    {"--dut|fwd|--dut|bridge|--dut|tap-fwd",
     "mir-perf: --dut given three times: two DUTs are measured and compared, not more"},
    {"mirage-net-xen|abcdef1|abcdef2|abcdef3",
     "mir-perf: unexpected argument 'abcdef3': expected [LIBRARY [COMMIT [COMMIT_B]]]"},
    {"-x", "mir-perf: unknown option '-x'; see mir-perf --help"},
    {"-p", "mir-perf: option --platform needs a value: auto, local or xen"},
    {"--rates", "mir-perf: option --rates needs a value: a list of rates like '10k 100k 1M' or "
		"100k..1M:100k"},
    {"--dry-run=yes", "mir-perf: option '--dry-run=yes' takes no value; see mir-perf --help"},
    {"-q|-v", "mir-perf: --quiet and --verbose contradict each other"},
    {"--cleanup|-n", "mir-perf: --cleanup removes what killed runs left; it has no --dry-run"},
    {"--cleanup|mirage-net-xen", "mir-perf: --cleanup takes no LIBRARY or COMMIT"},
    {"mirage-net-xen|\x1b]0;x\x07",
     "mir-perf: '\\x1b]0;x\\x07' is not a commit id: expected 7 to 40 hex digits"},
};

static void test_bad_args(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_args) / sizeof(bad_args[0]); i++) {
		struct cli_args a;
		char buf[256], err[512];

		assert_int_equal(args_of(bad_args[i].argv, &a, buf, sizeof(buf), err, sizeof(err)),
				 -EINVAL);
		if (strcmp(err, bad_args[i].msg))
			fail_msg("'%s': got\n  %s\nexpected\n  %s", bad_args[i].argv, err,
				 bad_args[i].msg);
	}
}

static void test_good_args(void **state)
{
	struct cli_args a;
	char buf[256], err[512];

	assert_int_equal(args_of("mirage-net-xen|ABCDEF0123|-n|-p|xen|-d|3", &a, buf, sizeof(buf),
				 err, sizeof(err)),
			 0);
	assert_int_equal(a.action, CLI_DRY_RUN);
	assert_string_equal(a.library, "mirage-net-xen");
	assert_string_equal(a.commit, "abcdef0123"); /* normalised */
	assert_string_equal(a.platform, "xen");
	assert_string_equal(a.duration, "3");
	assert_int_equal(args_of("--cleanup", &a, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(a.action, CLI_CLEANUP);
	assert_int_equal(args_of("-n|--help|anything", &a, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(a.action, CLI_HELP); /* --help wins over arguments, as in wg(8) */
	assert_int_equal(args_of("-V", &a, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(a.action, CLI_VERSION);
	assert_int_equal(args_of("", &a, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(a.action, CLI_RUN);
	assert_int_equal(args_of("mirage-net-xen|0123456789abcdef0123456789abcdef01234567", &a, buf,
				 sizeof(buf), err, sizeof(err)),
			 0);
}

/* Build a cfg from a command line against the test cfg dir. */
static int build(const char *line, const char *caps, struct run_cfg *cfg, char *err, size_t len)
{
	struct cli_args a;
	char buf[512], full[512];
	int rc;

	snprintf(full, sizeof(full), "-n|-c|%s%s%s", dir, line[0] ? "|" : "", line);
	rc = args_of(full, &a, buf, sizeof(buf), err, len);
	assert_int_equal(rc, 0);
	return cli_build_cfg(&a, caps, cfg, NULL, err, len);
}

static void test_merge(void **state)
{
	struct run_cfg cfg;
	char err[1024];

	assert_int_equal(build("", caps_none, &cfg, err, sizeof(err)), 0);
	assert_true(cfg.duration_ns == 2000000000ULL);
	assert_int_equal(cfg.sizes.n, 2);
	assert_int_equal(cfg.rates.n, 3);
	assert_int_equal(cfg.platform, PLATFORM_LOCAL);
	assert_int_equal(cfg.dut_kind, RUN_DUT_FWD);
	assert_int_equal(cfg.dry_run, 1);
	cli_cfg_release(&cfg);

	/* the command line wins over the files */
	assert_int_equal(build("-d|500ms|--sizes|128|--rates|1M max|--dut|bridge|--trials|2",
			       caps_none, &cfg, err, sizeof(err)),
			 0);
	assert_true(cfg.duration_ns == 500000000ULL);
	assert_int_equal(cfg.sizes.n, 1);
	assert_true(cfg.sizes.v[0] == 128);
	assert_int_equal(cfg.rates.n, 2);
	assert_true(cfg.rates.v[1] == UNITS_RATE_MAX);
	assert_string_equal(cfg.sizes.origin, "--sizes");
	assert_int_equal(cfg.dut_kind, RUN_DUT_BRIDGE);
	assert_int_equal(cfg.trials, 2);
	assert_int_equal(cfg.search, 0);
	assert_true(cfg.pdr_loss == 0.005 && cfg.precision == 0.01);
	cli_cfg_release(&cfg);

	/* the search options */
	assert_int_equal(build("--search|pdr,ndr|--pdr-loss|1%|--precision|0.5%|--max-rate|2M|"
			       "--search-mode|binary",
			       caps_none, &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.search, 3);
	assert_true(cfg.pdr_loss == 0.01 && cfg.precision == 0.005);
	assert_true(cfg.max_rate == 2000000 && cfg.search_binary == 1);
	cli_cfg_release(&cfg);
	assert_int_equal(build("--search|ndr,pdr|--ndr-loss|1%|--pdr-loss|0.5%", caps_none, &cfg,
			       err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "is below the NDR's"));
	cli_cfg_release(&cfg);
	assert_int_equal(build("--search|ndr|--precision|0", caps_none, &cfg, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "mir-perf: --precision: expected a relative precision from 0.01% "
				 "to 50%, like 1%, got '0'");
	cli_cfg_release(&cfg);
}

static void test_platform_choice(void **state)
{
	struct run_cfg cfg;
	char err[1024], want[1024];

	assert_int_equal(build("", caps_dom0, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.platform, PLATFORM_XEN);
	/* on Xen, the default DUT is the known library at its default branch head */
	assert_int_equal(cfg.dut_kind, RUN_DUT_LIBRARY);
	assert_string_equal(cfg.library, "mirage-net-xen");
	assert_string_equal(cfg.commit, "");
	snprintf(want, sizeof(want),
		 "auto (platform = auto in %s/mir-perf.conf): %s lists control_d, so this is a "
		 "Xen dom0",
		 dir, caps_dom0);
	assert_string_equal(cfg.platform_why, want);
	cli_cfg_release(&cfg);

	assert_int_equal(build("", caps_domu, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.platform, PLATFORM_LOCAL);
	snprintf(want, sizeof(want),
		 "auto (platform = auto in %s/mir-perf.conf): %s is empty (a Xen guest, not "
		 "dom0), so this is not a Xen dom0",
		 dir, caps_domu);
	assert_string_equal(cfg.platform_why, want);
	cli_cfg_release(&cfg);

	assert_int_equal(build("-p|xen|mirage-net-xen|1234567", caps_none, &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.platform, PLATFORM_XEN);
	assert_string_equal(cfg.platform_why, "asked for by --platform xen");
	assert_string_equal(cfg.commit, "1234567");
	cli_cfg_release(&cfg);

	/* a library where there is no Xen: a condition of the machine, status 1 */
	assert_int_equal(build("mirage-net-xen", caps_none, &cfg, err, sizeof(err)), -ENODEV);
	assert_int_equal(cli_exit_status(-ENODEV), 1);
	assert_int_equal(cli_exit_status(-EINTR), 130);
	assert_int_equal(cli_exit_status(-EPERM), 1);
	assert_int_equal(cli_exit_status(0), 0);
	snprintf(want, sizeof(want),
		 "mir-perf: mirage-net-xen builds a Xen unikernel, and this machine is not a Xen "
		 "dom0 (%s: No such file or directory); to run the harness here use --platform "
		 "local with a local --dut (fwd, tap-fwd, bridge or exec:COMMAND)",
		 caps_none);
	assert_string_equal(err, want);
	cli_cfg_release(&cfg);
}

static const struct {
	const char *line, *msg;
} bad_cfgs[] = {
    {"-p|local|mirage-net-xen",
     "mir-perf: mirage-net-xen builds a Xen unikernel, which needs the xen platform; the "
     "platform is local (asked for by --platform local)"},
    {"-p|local|--dut|linux-fwd",
     "mir-perf: --dut 'linux-fwd' runs on the xen platform, and the platform is local (asked "
     "for by --platform local); local DUTs are fwd, tap-fwd, bridge and exec:COMMAND"},
    {"-p|xen|--dut|tap-fwd",
     "mir-perf: --dut 'tap-fwd' runs on the local platform, and the platform is xen (asked for "
     "by --platform xen); Xen DUTs are LIBRARY [COMMIT], image:PATH and linux-fwd"},
    {"-p|xen|--dut|linux-fwd|mirage-net-xen", "mir-perf: give either LIBRARY or --dut, not both"},
    {"-p|xen|--dut|image:/nonexistent/x.xen",
     "mir-perf: --dut 'image:/nonexistent/x.xen': expected the path of a unikernel image, and "
     "that is not a file"},
    {"--dut|exec:", "mir-perf: --dut: expected exec: followed by a command, like "
		    "exec:./netif-forward, got 'exec:'"},
    {"--dut|exec:a\nb", "mir-perf: --dut: expected exec: without control characters, got "
			"'exec:a\\x0ab'"},
    {"-p|bsd", "mir-perf: --platform: expected auto, local or xen, got 'bsd'"},
    {"-d|0", "mir-perf: --duration: expected a duration from 100ms to 1h, like 10, 10s or "
	     "500ms, got '0'"},
    {"--trials|1k", "mir-perf: --trials: expected a number of trials from 1 to 1000, got '1k'"},
    {"--out=", "mir-perf: --out: expected a path shorter than 4096 bytes without control "
	       "characters, got ''"},
    {"--sizes|64 60", "--sizes:1:4: expected a frame size from 64 to 9018 bytes, got '60': "
		      "sizes here include the 4-byte FCS, as RFC 2544 counts them (the "
		      "original's pktgen pkt_size 60 is the 64-byte frame); use 64"},
    {"--rates|1O0k", "--rates:1:1: expected a rate like 250000, 250k or 1.5M, got '1O0k'"},
    {"--sizes|64..9018:1",
     "@/range-pps:1:5: '20k' makes the sweep longer than 10000 points (already 8955 sizes x 2 "
     "rates); use fewer sizes or rates"},
};

static void test_bad_cfg(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cfgs) / sizeof(bad_cfgs[0]); i++) {
		struct run_cfg cfg;
		char err[1024], want[1024];
		int rc;

		rc = build(bad_cfgs[i].line, caps_none, &cfg, err, sizeof(err));
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(cli_exit_status(rc), 2);
		if (bad_cfgs[i].msg[0] == '@')
			snprintf(want, sizeof(want), "%s%s", dir, bad_cfgs[i].msg + 1);
		else
			snprintf(want, sizeof(want), "%s", bad_cfgs[i].msg);
		if (strcmp(err, want))
			fail_msg("'%s': got\n  %s\nexpected\n  %s", bad_cfgs[i].line, err, want);
		cli_cfg_release(&cfg);
	}
}

/* The two-ended modes need a DUT that forwards both ways: on Xen linux-fwd
 * (mir-trafgen fwd --bidir) and a library's forwarder (booted with --bidir),
 * never a prebuilt image; on the local platform no Xen DUT. */
static void test_two_ended_mode_duts(void **state)
{
	static const struct {
		const char *line;
		enum run_dut_kind kind;
	} good[] = {
	    {"-p|xen|--mode|rr|--rr-sizes|64|--dut|linux-fwd", RUN_DUT_LINUX_FWD},
	    {"-p|xen|--mode|rr|--rr-sizes|64|mirage-net-xen|1234567", RUN_DUT_LIBRARY},
	    {"-p|xen|--mode|rr|--rr-sizes|64", RUN_DUT_LIBRARY},
	    {"-n|-p|xen|--mode|goodput|--bufsizes|1448|--dut|linux-fwd", RUN_DUT_LINUX_FWD},
	    {"-n|-p|xen|--mode|goodput|--bufsizes|1448|mirage-net-xen", RUN_DUT_LIBRARY},
	    {"-p|local|--mode|rr|--rr-sizes|64|--dut|bridge", RUN_DUT_BRIDGE},
	};
	static const struct {
		const char *line, *msg;
	} bad[] = {
	    {"-p|xen|--mode|rr|--rr-sizes|64|--dut|image:/bin/true",
	     "mir-perf: the rr mode needs a DUT that forwards both ways (the responses come back "
	     "through it); on the xen platform that is --dut linux-fwd (mir-trafgen fwd --bidir) "
	     "or a library built by mir-perf (mirage-net-xen: the recipe's forwarder, booted with "
	     "--bidir), not 'image:/bin/true', a prebuilt image not known to"},
	    {"-n|-p|xen|--mode|goodput|--bufsizes|1448|--dut|image:/bin/true",
	     "mir-perf: the goodput mode needs a DUT that forwards both ways (TCP's ACKs come back "
	     "through it); on the xen platform that is --dut linux-fwd (mir-trafgen fwd --bidir) "
	     "or a library built by mir-perf (mirage-net-xen: the recipe's forwarder, booted with "
	     "--bidir), not 'image:/bin/true', a prebuilt image not known to"},
	    {"-p|local|--mode|rr|--rr-sizes|64|--dut|linux-fwd",
	     "mir-perf: the rr mode needs a DUT that forwards both ways (the responses come back "
	     "through it); 'linux-fwd' runs on the xen platform (--platform xen); on the local "
	     "platform use bridge, fwd, tap-fwd or exec:COMMAND"},
	};
	struct run_cfg cfg;
	char err[1024];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (build(good[i].line, caps_none, &cfg, err, sizeof(err)))
			fail_msg("'%s': refused: %s", good[i].line, err);
		assert_int_equal(cfg.dut_kind, good[i].kind);
		assert_true(cfg.mode == MODE_RR || cfg.mode == MODE_GOODPUT);
		cli_cfg_release(&cfg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(build(bad[i].line, caps_none, &cfg, err, sizeof(err)), -EINVAL);
		if (strcmp(err, bad[i].msg))
			fail_msg("'%s': got\n  %s\nexpected\n  %s", bad[i].line, err, bad[i].msg);
		cli_cfg_release(&cfg);
	}
}

static void test_interval_equal_duration_ok(void **state)
{
	struct run_cfg cfg;
	char err[1024];

	/* 100 ms interval and a 100 ms point: allowed, one interval per point */
	put("mir-perf.conf", "duration = 100ms\nwarmup = 0\n");
	assert_int_equal(build("", caps_none, &cfg, err, sizeof(err)), 0);
	cli_cfg_release(&cfg);
	put("mir-perf.conf", "interval = 2s\n");
	assert_int_equal(build("-d|1", caps_none, &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "mir-perf: the sampling interval (2 s) is longer than a point's "
			    "duration (1 s): the monitor would see no interval inside a point");
	cli_cfg_release(&cfg);
	put("mir-perf.conf", "duration = 2\nwarmup = 1\nsettle = 500ms\n");
}

static void test_plan_order_and_time(void **state)
{
	struct run_cfg cfg;
	char err[1024];
	uint32_t size;
	uint64_t rate;

	assert_int_equal(build("", caps_none, &cfg, err, sizeof(err)), 0);
	assert_int_equal(plan_points(&cfg), 6);
	plan_point(&cfg, 0, &size, &rate);
	assert_true(size == 64 && rate == 10000);
	plan_point(&cfg, 1, &size, &rate);
	assert_true(size == 64 && rate == 20000);
	plan_point(&cfg, 3, &size, &rate);
	assert_true(size == 1518 && rate == 10000);
	/* 6 points x (1 s warm-up + 2 s) + 5 x 0.5 s settle */
	assert_true(plan_estimate_ns(&cfg) == 20500000000ULL);
	cfg.order = ORDER_RATE_MAJOR;
	plan_point(&cfg, 1, &size, &rate);
	assert_true(size == 1518 && rate == 10000);
	plan_point(&cfg, 2, &size, &rate);
	assert_true(size == 64 && rate == 20000);
	cfg.trials = 3;
	assert_true(plan_estimate_ns(&cfg) == 18 * 3000000000ULL + 17 * 500000000ULL);
	cli_cfg_release(&cfg);
}

static void test_platform_select_direct(void **state)
{
	char why[512], found[512];

	assert_int_equal(
	    platform_select(PLATFORM_LOCAL, "--platform local", caps_dom0, why, sizeof(why)),
	    PLATFORM_LOCAL);
	assert_string_equal(why, "asked for by --platform local");
	assert_int_equal(platform_is_xen_dom0(caps_dom0, found, sizeof(found)), 1);
	put("caps-domu", "\x1b[31m\n");
	assert_int_equal(platform_is_xen_dom0(caps_domu, found, sizeof(found)), 0);
	assert_non_null(strstr(found, "has '\\x1b[31m', no control_d"));
	put("caps-domu", "\n");
}

/* An image: DUT that is not a PVH kernel is refused by the CLI, before a run
 * directory, a bridge or a domain exists (xen_image_check says why); a dry
 * run only shows the plan and does not open it. */
static void test_xen_image_checked(void **state)
{
	struct cli_args a;
	struct run_cfg cfg;
	char buf[512], line[512], err[1024], want[1024];

	put("fwd.xen", "not a kernel\n");
	snprintf(line, sizeof(line), "-c|%s|-p|xen|--dut|image:%s/fwd.xen", dir, dir);
	assert_int_equal(args_of(line, &a, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(cli_build_cfg(&a, caps_none, &cfg, NULL, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "mir-perf: --dut 'image:%s/fwd.xen': not a kernel Xen boots as a PVH domain (what "
		 "`mirage configure -t xen` builds as dist/NAME.xen): not an ELF file (13 bytes, "
		 "starting 6e 6f 74 20)",
		 dir);
	assert_string_equal(err, want);
	cli_cfg_release(&cfg);
	snprintf(line, sizeof(line), "-p|xen|--dut|image:%s/fwd.xen", dir);
	assert_int_equal(build(line, caps_none, &cfg, err, sizeof(err)), 0);
	cli_cfg_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_args),
	    cmocka_unit_test(test_good_args),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_platform_choice),
	    cmocka_unit_test(test_bad_cfg),
	    cmocka_unit_test(test_xen_image_checked),
	    cmocka_unit_test(test_two_ended_mode_duts),
	    cmocka_unit_test(test_interval_equal_duration_ok),
	    cmocka_unit_test(test_plan_order_and_time),
	    cmocka_unit_test(test_platform_select_direct),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
