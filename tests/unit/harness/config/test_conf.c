/* cfg/mir-perf.conf: defaults, every key, the shipped file, and the exact
 * message of every error. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/config/conf.h"
#include "harness/config/conf_file.h"
#include "harness/config/dut_form.h"
#include "harness/config/gen_threads.h"

static int parse(const char *text, struct run_cfg *cfg, char *err, size_t len, char **warn)
{
	size_t wlen = 0;
	FILE *diag = open_memstream(warn, &wlen);
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(diag);
	assert_non_null(f);
	conf_defaults(cfg);
	rc = conf_parse(f, "c", cfg, diag, err, len);
	fclose(f);
	fclose(diag);
	return rc;
}

static void test_defaults(void **state)
{
	struct run_cfg cfg;

	conf_defaults(&cfg);
	assert_true(cfg.duration_ns == 10000000000ULL); /* the original's 10 s */
	assert_true(cfg.warmup_ns == 2000000000ULL);
	assert_true(cfg.settle_ns == 1000000000ULL);
	assert_true(cfg.interval_ns == 100000000ULL);
	assert_int_equal(cfg.trials, 1);
	assert_int_equal(cfg.flows, 1);
	assert_int_equal(cfg.platform, PLATFORM_AUTO);
	assert_int_equal(cfg.order, ORDER_SIZE_MAJOR);
	assert_string_equal(cfg.results_dir, "results");
	assert_string_equal(cfg.dut, "fwd");
	assert_string_equal(cfg.tsc_mode, "native");
	assert_int_equal(cfg.dut_memory_mb, 256);
	assert_int_equal(cfg.gen_memory_mb, 256);
	assert_string_equal(cfg.gen_kernel, "");
	assert_int_equal(cfg.gen_threads, 0); /* auto, resolved by the CLI */
	assert_int_equal(cfg.gen_vcpus, 0);
}

static void test_every_key(void **state)
{
	static const char text[] = "# comment\n"
				   "duration = 1.5s\n"
				   "  warmup=500ms # trailing comment\n"
				   "settle = 0\n"
				   "interval = 10ms\r\n"
				   "trials = 3\n"
				   "flows = 16\n"
				   "platform = xen\n"
				   "results = /var/tmp/r\n"
				   "dut = exec:/usr/bin/fwd --in tap0\n"
				   "order = rate-major\n"
				   "dut_memory = 64\n"
				   "gen_memory = 512\n"
				   "gen_threads = 3\n"
				   "gen_vcpus = 5\n"
				   "gen_tolerance = 50%\n"
				   "tsc_mode = default\n"
				   "gen_kernel = \"/boot/vmlinuz # not a comment\" # a comment\n"
				   "\n\t\n";
	struct run_cfg cfg;
	char err[512], *warn = NULL;

	assert_int_equal(parse(text, &cfg, err, sizeof(err), &warn), 0);
	assert_string_equal(warn, "");
	free(warn);
	assert_true(cfg.duration_ns == 1500000000ULL);
	assert_true(cfg.warmup_ns == 500000000ULL);
	assert_true(cfg.settle_ns == 0);
	assert_true(cfg.interval_ns == 10000000ULL);
	assert_int_equal(cfg.trials, 3);
	assert_int_equal(cfg.flows, 16);
	assert_int_equal(cfg.platform, PLATFORM_XEN);
	assert_string_equal(cfg.results_dir, "/var/tmp/r");
	assert_string_equal(cfg.dut, "exec:/usr/bin/fwd --in tap0");
	assert_int_equal(cfg.dut_kind, RUN_DUT_EXEC);
	assert_int_equal(cfg.order, ORDER_RATE_MAJOR);
	assert_int_equal(cfg.dut_memory_mb, 64);
	assert_int_equal(cfg.gen_memory_mb, 512);
	assert_int_equal(cfg.gen_threads, 3);
	assert_int_equal(cfg.gen_vcpus, 5);
	assert_true(cfg.gen_tolerance > 0.4999 && cfg.gen_tolerance < 0.5001);
	assert_string_equal(cfg.tsc_mode, "default");
	assert_string_equal(cfg.gen_kernel, "/boot/vmlinuz # not a comment");
}

/* The file users start from must parse to the documented short sweep. */
static void test_shipped_file(void **state)
{
	const char *top = getenv("MP_TOP");
	char path[4096], err[512];
	struct run_cfg cfg;

	snprintf(path, sizeof(path), "%s/cfg/mir-perf.conf", top ? top : ".");
	conf_defaults(&cfg);
	if (conf_parse_file(path, &cfg, NULL, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(cfg.duration_ns == 5000000000ULL);
	assert_true(cfg.warmup_ns == 1000000000ULL);
	assert_string_equal(cfg.tsc_mode, "native");
	assert_string_equal(cfg.dut, "fwd");
	assert_int_equal(cfg.platform, PLATFORM_AUTO);
}

static void test_twice_warns(void **state)
{
	struct run_cfg cfg;
	char err[512], *warn = NULL;

	assert_int_equal(parse("duration = 3\n\nduration = 4\n", &cfg, err, sizeof(err), &warn), 0);
	assert_true(cfg.duration_ns == 4000000000ULL);
	assert_string_equal(warn,
			    "c:3:1: warning: 'duration' was already set on line 1; this later "
			    "value wins\n");
	free(warn);
}

static const struct {
	const char *text, *msg;
} bad_cases[] = {
    {"durration = 10\n", "c:1:1: unknown key 'durration' (did you mean 'duration'?)"},
    {"\n  warmpu = 1\n", "c:2:3: unknown key 'warmpu' (did you mean 'warmup'?)"},
    {"tsc-mode = native\n", "c:1:1: unknown key 'tsc-mode' (did you mean 'tsc_mode'?)"},
    {"colour = red\n",
     "c:1:1: unknown key 'colour'; the keys are duration, warmup, settle, interval, trials, "
     "flows, platform, results, dut, order, dut_memory, gen_memory, tsc_mode, gen_kernel, "
     "search, ndr_loss, pdr_loss, precision, max_rate, search_mode, mirage_sources, mirage_repo, gen_threads, gen_vcpus, mode, streams, protocol, bitrate, server, rr_timeout, on_dut_stop and gen_tolerance"},
    {"gen_threads = 9\n", "c:1:15: expected auto or a number of sending threads from 1 to 8 for "
			   "'gen_threads', got '9'"},
    {"gen_threads = two\n", "c:1:15: expected auto or a number of sending threads from 1 to 8 "
			     "for 'gen_threads', got 'two'"},
    {"gen_vcpus = 0\n", "c:1:13: expected auto or a number of vCPUs from 1 to 64 for "
			 "'gen_vcpus', got '0'"},
    {"search = ndr,foo\n", "c:1:10: expected ndr, pdr, ndr,pdr or off for 'search', got "
			   "'ndr,foo'"},
    {"pdr_loss = 100%\n", "c:1:12: expected a loss ratio from 0% to below 100%, like 0.5% for "
			  "'pdr_loss', got '100%'"},
    {"gen_tolerance = 100%\n", "c:1:17: expected a ratio from 0% to below 100%, like 2% for "
			       "'gen_tolerance', got '100%'"},
    {"duration = 10 sec\n",
     "c:1:12: expected a duration from 100ms to 1h, like 10, 10s or 500ms for 'duration', got "
     "'10 sec'"},
    {"duration = 0\n",
     "c:1:12: expected a duration from 100ms to 1h, like 10, 10s or 500ms for 'duration', got "
     "'0'"},
    {"interval = 500us\n",
     "c:1:12: expected a duration from 1ms to 10s, like 10, 10s or 500ms for 'interval', got "
     "'500us'"},
    {"duration 10\n", "c:1:1: expected 'key = value', got 'duration 10'"},
    {"duration =  # nothing\n", "c:1:13: expected a value for 'duration' after '='"},
    {"= 5\n", "c:1:1: expected a line like 'duration = 10', got '='"},
    {"platform = bsd\n", "c:1:12: expected auto, local or xen for 'platform', got 'bsd'"},
    {"\nserver = unikernel\n",
     "c:2:10: expected 'dut' or 'sink' for 'server', got 'unikernel'"},
    {"order = random\n", "c:1:9: expected size-major or rate-major for 'order', got 'random'"},
    {"trials = 0\n", "c:1:10: expected a number of trials from 1 to 1000 for 'trials', got '0'"},
    {"flows = 65536\n",
     "c:1:9: expected a number of UDP flows from 1 to 65535 for 'flows', got '65536'"},
    {"dut_memory = 1G\n",
     "c:1:14: expected a memory size in MiB from 16 to 65536 for 'dut_memory', got '1G'"},
    {"tsc_mode = emulate\n",
     "c:1:12: expected native, default, always_emulate or native_paravirt for 'tsc_mode', got "
     "'emulate'"},
    {"dut = xdp\n",
     "c:1:7: expected fwd, tap-fwd, bridge, exec:COMMAND, image:PATH or linux-fwd for 'dut', "
     "got 'xdp'"},
    {"dut = exec:  \n",
     "c:1:7: expected exec: followed by a command, like exec:./netif-forward for 'dut', got "
     "'exec:'"},
    {"dut = \"exec: \"\n",
     "c:1:8: expected exec: followed by a command, like exec:./netif-forward for 'dut', got "
     "'exec: '"},
    {"dut = image:\n",
     "c:1:7: expected image: followed by a path, like image:fwd.xen for 'dut', got 'image:'"},
    {"results = \"\"\n",
     "c:1:12: expected a path shorter than 4096 bytes, without control characters for "
     "'results', got ''"},
    {"results = a\tb\n",
     "c:1:11: expected a path shorter than 4096 bytes, without control characters for "
     "'results', got 'a\\x09b'"},
    {"duration = \"10\n", "c:1:12: expected a closing '\"' for the value of 'duration'"},
    {"duration = \"10\" s\n",
     "c:1:17: expected a comment or the end of the line after the closing '\"', got 's'"},
    {"mode = tcp_rr\n", "c:1:8: expected frames, goodput or rr for 'mode', got 'tcp_rr'"},
    {"rr_timeout = 5ms\n",
     "c:1:14: expected a timeout from 10ms to 1m, like 2s or 500ms for 'rr_timeout', got '5ms'"},
    {"rr_timeout = 2m\n",
     "c:1:14: expected a timeout from 10ms to 1m, like 2s or 500ms for 'rr_timeout', got '2m'"},
    {"streams = 1 0\n",
     "c:1:11: expected up to 8 stream counts from 1 to 128, like 1 4 for 'streams', got '1 0'"},
    {"streams = 129\n",
     "c:1:11: expected up to 8 stream counts from 1 to 128, like 1 4 for 'streams', got '129'"},
    {"streams = 1 2 3 4 5 6 7 8 9\n",
     "c:1:11: expected up to 8 stream counts from 1 to 128, like 1 4 for 'streams', got "
     "'1 2 3 4 5 6 7 8 9'"},
    {"protocol = sctp\n", "c:1:12: expected tcp, udp or tcp,udp for 'protocol', got 'sctp'"},
    {"bitrate = 500\n",
     "c:1:11: expected up to 8 UDP bitrates from 1k to 100G bit/s, like 10M 1.5G for "
     "'bitrate', got '500'"},
    {"bitrate = 10X\n",
     "c:1:11: expected up to 8 UDP bitrates from 1k to 100G bit/s, like 10M 1.5G for "
     "'bitrate', got '10X'"},
    {"duration = 1\nwarmup = \x01\n",
     "c:2:10: expected a duration from 0 to 10m, like 10, 10s or 500ms for 'warmup', got "
     "'\\x01'"},
};

static void test_bad(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct run_cfg cfg;
		char err[1024], *warn = NULL;

		assert_int_equal(parse(bad_cases[i].text, &cfg, err, sizeof(err), &warn), -EINVAL);
		free(warn);
		if (strcmp(err, bad_cases[i].msg))
			fail_msg("case %zu: got\n  %s\nexpected\n  %s", i, err, bad_cases[i].msg);
	}
}

static void test_nul_and_long_lines(void **state)
{
	static const char nul[] = "duration = 1\0 0\n";
	struct run_cfg cfg;
	char err[512], *longline;
	FILE *f = fmemopen((void *)nul, sizeof(nul) - 1, "r");

	conf_defaults(&cfg);
	assert_int_equal(conf_parse(f, "c", &cfg, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "c:1:13: expected text, got a NUL byte (is this a binary file?)");
	fclose(f);

	longline = malloc(CONF_LINE_MAX + 10);
	assert_non_null(longline);
	memset(longline, '#', CONF_LINE_MAX + 8);
	longline[CONF_LINE_MAX + 8] = '\n';
	longline[CONF_LINE_MAX + 9] = '\0';
	f = fmemopen(longline, strlen(longline), "r");
	assert_int_equal(conf_parse(f, "c", &cfg, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "c:1:4097: expected a line of at most 4096 bytes, got 4104");
	fclose(f);
	free(longline);
}

static void test_suggest(void **state)
{
	assert_string_equal(conf_suggest("durration"), "duration");
	assert_string_equal(conf_suggest("intervall"), "interval");
	assert_string_equal(conf_suggest("gen_memroy"), "gen_memory");
	assert_string_equal(conf_suggest("trial"), "trials");
	assert_null(conf_suggest("colour"));
	assert_null(conf_suggest("x"));
}

static void test_set(void **state)
{
	struct run_cfg cfg;
	char exp[256];

	conf_defaults(&cfg);
	assert_int_equal(conf_set(&cfg, "nope", "1", exp, sizeof(exp)), -ENOENT);
	assert_int_equal(conf_set(&cfg, "duration", "2m", exp, sizeof(exp)), 0);
	assert_true(cfg.duration_ns == 120000000000ULL);
	assert_int_equal(conf_set(&cfg, "duration", "2h", exp, sizeof(exp)), -EINVAL);
	assert_string_equal(exp, "a duration from 100ms to 1h, like 10, 10s or 500ms");
	assert_int_equal(conf_set(&cfg, "dut", "image:/a.xen", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.dut_kind, RUN_DUT_IMAGE);
	assert_int_equal(conf_set(&cfg, "dut", "fwd --max-pps 100k", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.dut_kind, RUN_DUT_FWD);
	assert_string_equal(dut_form_arg(cfg.dut), "--max-pps 100k");
	assert_int_equal(conf_set(&cfg, "dut", "tap-fwd\t--drop-every 10", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.dut_kind, RUN_DUT_TAP_FWD);
	assert_string_equal(dut_form_arg(cfg.dut), "--drop-every 10");
	assert_int_equal(conf_set(&cfg, "dut", "fwdx", exp, sizeof(exp)), -EINVAL);
	assert_int_equal(conf_set(&cfg, "dut", "bridge br0", exp, sizeof(exp)), -EINVAL);
	assert_int_equal(conf_set(&cfg, "dut", "fwd --x \x1b", exp, sizeof(exp)), -EINVAL);
	assert_string_equal(exp, "fwd options without control characters");
	assert_int_equal(conf_set(&cfg, "dut", "linux-fwd", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.dut_kind, RUN_DUT_LINUX_FWD);
}

/* auto: the cores the sink and the DUT leave, 1..8; the bridge's receive
 * processing gets a core of its own from 2 cores on (RPS), the sink one from
 * 4 cores on. */
static void test_gen_threads_default(void **state)
{
	char why[192];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(gen_threads_default(1, RUN_DUT_FWD, NULL, 0), 1);
	assert_int_equal(gen_threads_default(2, RUN_DUT_FWD, NULL, 0), 1);
	assert_int_equal(gen_threads_default(1, RUN_DUT_BRIDGE, why, sizeof(why)), 1);
	assert_string_equal(why, "auto: 1 core, 0 for the DUT (the bridge forwards in the "
				 "senders' softirq), shared with the sink -> 1 thread");
	assert_int_equal(gen_threads_default(2, RUN_DUT_BRIDGE, why, sizeof(why)), 1);
	assert_string_equal(why, "auto: 2 cores, 1 for the DUT (the bridge's receive "
				 "processing, RPS), shared with the sink -> 1 thread");
	assert_int_equal(gen_threads_default(4, RUN_DUT_FWD, why, sizeof(why)), 2);
	assert_string_equal(why, "auto: 4 cores, 1 for the DUT, 1 for the sink -> 2 threads");
	assert_int_equal(gen_threads_default(4, RUN_DUT_BRIDGE, NULL, 0), 2);
	assert_int_equal(gen_threads_default(8, RUN_DUT_IMAGE, NULL, 0), 6);
	assert_int_equal(gen_threads_default(64, RUN_DUT_BRIDGE, why, sizeof(why)), 8);
	assert_int_equal(gen_threads_default(10, RUN_DUT_BRIDGE, NULL, 0), 8);
	assert_int_equal(gen_threads_default(9, RUN_DUT_BRIDGE, NULL, 0), 7);
	assert_non_null(strstr(why, "(at most 8)"));

	/* an explicit value is kept; gen_vcpus follows it (the sink's vCPU) */
	conf_defaults(&cfg);
	cfg.dut_kind = RUN_DUT_IMAGE;
	cfg.gen_threads = 3;
	gen_threads_resolve(&cfg);
	assert_int_equal(cfg.gen_threads, 3);
	assert_int_equal(cfg.gen_vcpus, 4);
	assert_string_equal(cfg.gen_threads_why, "gen_threads = 3");
	conf_defaults(&cfg);
	cfg.dut_kind = RUN_DUT_BRIDGE;
	cfg.gen_vcpus = 2;
	gen_threads_resolve(&cfg);
	assert_int_equal(cfg.gen_threads,
			 gen_threads_default(gen_threads_ncpu(), RUN_DUT_BRIDGE, NULL, 0));
	assert_int_equal(cfg.gen_vcpus, 2);
	assert_non_null(strstr(cfg.gen_threads_why, "auto: "));
}

/* The goodput mode's keys, and their defaults: frames, 1 stream, TCP, 10M. */
static void test_goodput_keys(void **state)
{
	struct run_cfg cfg;
	char exp[256];

	conf_defaults(&cfg);
	assert_int_equal(cfg.mode, MODE_FRAMES);
	assert_int_equal(cfg.nstreams, 1);
	assert_int_equal(cfg.streams[0], 1);
	assert_int_equal(cfg.protocols, RUN_PROTO_TCP);
	assert_int_equal(cfg.nbitrates, 1);
	assert_true(cfg.bitrates[0] == 10000000);
	assert_int_equal(conf_set(&cfg, "mode", "goodput", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.mode, MODE_GOODPUT);
	assert_int_equal(conf_set(&cfg, "streams", "1 4,4 128", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.nstreams, 3);
	assert_int_equal(cfg.streams[1], 4);
	assert_int_equal(cfg.streams[2], 128);
	assert_int_equal(conf_set(&cfg, "protocol", "udp,tcp", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.protocols, RUN_PROTO_TCP | RUN_PROTO_UDP);
	assert_int_equal(conf_set(&cfg, "protocol", "udp", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.protocols, RUN_PROTO_UDP);
	assert_int_equal(conf_set(&cfg, "bitrate", "500k 1.5G 2000000", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.nbitrates, 3);
	assert_true(cfg.bitrates[0] == 500000);
	assert_true(cfg.bitrates[1] == 1500000000ULL);
	assert_true(cfg.bitrates[2] == 2000000);
	assert_int_equal(conf_set(&cfg, "bitrate", "200G", exp, sizeof(exp)), -EINVAL);
	/* server = sink|dut, default sink */
	assert_int_equal(cfg.server, RUN_SERVER_SINK);
	assert_int_equal(conf_set(&cfg, "server", "dut", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.server, RUN_SERVER_DUT);
	assert_int_equal(conf_set(&cfg, "server", "sink", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.server, RUN_SERVER_SINK);
	assert_int_equal(conf_set(&cfg, "server", "DUT", exp, sizeof(exp)), -EINVAL);
	assert_string_equal(exp, "'dut' or 'sink'");
	assert_int_equal(conf_set(&cfg, "server", "", exp, sizeof(exp)), -EINVAL);
	/* the rr mode's: mode = rr, rr_timeout (default 2 s) */
	assert_true(cfg.rr_timeout_ns == 2000000000ULL);
	assert_int_equal(conf_set(&cfg, "mode", "rr", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.mode, MODE_RR);
	assert_int_equal(conf_set(&cfg, "rr_timeout", "500ms", exp, sizeof(exp)), 0);
	assert_true(cfg.rr_timeout_ns == 500000000ULL);
	assert_int_equal(conf_set(&cfg, "rr_timeout", "0", exp, sizeof(exp)), -EINVAL);
	assert_int_equal(conf_set(&cfg, "mode", "frames", exp, sizeof(exp)), 0);
	assert_int_equal(cfg.mode, MODE_FRAMES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_goodput_keys),
	    cmocka_unit_test(test_defaults),	 cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_gen_threads_default),
	    cmocka_unit_test(test_shipped_file), cmocka_unit_test(test_twice_warns),
	    cmocka_unit_test(test_bad),		 cmocka_unit_test(test_nul_and_long_lines),
	    cmocka_unit_test(test_suggest),	 cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
