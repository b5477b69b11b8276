/* The sampler with synthetic counters and a fixed clock: mtime_now_ns and the
 * netlink counter reader (mon_nl_*) are replaced through -Wl,--wrap. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "monitor/monitor.h"
#include "monitor/nlstats.h"

uint64_t __wrap_mtime_now_ns(void);
int __wrap_mon_nl_open(const char *netns, struct mon_nl **out);
void __wrap_mon_nl_close(struct mon_nl *s);
int __wrap_mon_nl_ifindex(struct mon_nl *s, const char *ifname);
int __wrap_mon_nl_read(struct mon_nl *s, int ifindex, const char *ifname, struct mon_counters *out,
		       uint64_t *t_ns);

struct mon_nl {
	char netns[64];
};

/* cmocka 1.1.5 has no assert_double_equal. */
#define assert_near(a, b, eps) near_(#a, (a), (b), (eps), __FILE__, __LINE__)
static void near_(const char *what, double a, double b, double eps, const char *file, int line)
{
	if (fabs(a - b) <= eps)
		return;
	print_error("%s = %.9g, expected %.9g (within %g)\n", what, a, b, eps);
	_fail(file, line);
}

struct fake_if {
	const char *netns, *name;
	int ifindex;
	int read_err; /* returned by the next reads while set */
	struct mon_counters c;
};

static uint64_t fake_now;
static uint64_t read_delay; /* the kernel answering late (RTNL lock) */
static struct fake_if ifs[4];
static unsigned n_ifs, opens, closes, reads;

uint64_t __wrap_mtime_now_ns(void)
{
	return fake_now;
}

int __wrap_mon_nl_open(const char *netns, struct mon_nl **out)
{
	struct mon_nl *s;

	if (netns && !strcmp(netns, "missing"))
		return -ENOENT;
	s = calloc(1, sizeof(*s));
	assert_non_null(s);
	snprintf(s->netns, sizeof(s->netns), "%s", netns ? netns : "");
	opens++;
	*out = s;
	return 0;
}

void __wrap_mon_nl_close(struct mon_nl *s)
{
	closes++;
	free(s);
}

int __wrap_mon_nl_ifindex(struct mon_nl *s, const char *ifname)
{
	unsigned i;

	for (i = 0; i < n_ifs; i++)
		if (!strcmp(ifs[i].netns, s->netns) && !strcmp(ifs[i].name, ifname))
			return ifs[i].ifindex;
	return -ENODEV;
}

int __wrap_mon_nl_read(struct mon_nl *s, int ifindex, const char *ifname, struct mon_counters *out,
		       uint64_t *t_ns)
{
	unsigned i;

	reads++;
	for (i = 0; i < n_ifs; i++) {
		if (ifs[i].ifindex != ifindex || strcmp(ifs[i].netns, s->netns))
			continue;
		assert_string_equal(ifs[i].name, ifname);
		if (ifs[i].read_err)
			return ifs[i].read_err;
		*out = ifs[i].c;
		if (t_ns)
			*t_ns = fake_now + read_delay;
		return 0;
	}
	return -ENODEV;
}

static int setup(void **state)
{
	memset(ifs, 0, sizeof(ifs));
	ifs[0] = (struct fake_if){.netns = "", .name = "veth0", .ifindex = 3};
	ifs[1] = (struct fake_if){.netns = "mp-ta", .name = "tap0", .ifindex = 7};
	ifs[2] = (struct fake_if){.netns = "mp-ta", .name = "tap1", .ifindex = 8};
	ifs[3] = (struct fake_if){.netns = "mp-tb", .name = "eth0", .ifindex = 2};
	n_ifs = 4;
	opens = closes = reads = 0;
	read_delay = 0;
	fake_now = 5 * NSEC_PER_SEC;
	return 0;
}

static const struct mon_hop one_hop[] = {{"gen", NULL, "veth0"}};

/* Advance the clock, add to the first interface's rx counters, sample. */
static void step(struct monitor *m, uint64_t dt_ns, uint64_t rx_pkts, uint64_t bytes_each)
{
	fake_now += dt_ns;
	ifs[0].c.rx_packets += rx_pkts;
	ifs[0].c.rx_bytes += rx_pkts * bytes_each;
	assert_int_equal(monitor_sample(m), 0);
}

static void test_open_errors(void **state)
{
	const struct mon_hop no_ns[] = {{"a", NULL, "veth0"}, {"b", "missing", "eth0"}};
	const struct mon_hop no_if[] = {
	    {"a", "mp-ta", "tap0"}, {"b", "mp-ta", "tap1"}, {"c", "mp-ta", "tap9"}};
	const struct mon_hop bad_if[] = {{"a", NULL, "a/b"}};
	const struct mon_hop bad_ns[] = {{"a", "../x", "eth0"}};
	struct monitor *m = NULL;
	unsigned bad = 99;

	assert_int_equal(monitor_open(one_hop, 1, NSEC_PER_MSEC - 1, &m, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	assert_int_equal(monitor_open(no_ns, 2, 100 * NSEC_PER_MSEC, &m, &bad), -ENOENT);
	assert_int_equal(bad, 1);
	assert_int_equal(monitor_open(no_if, 3, 100 * NSEC_PER_MSEC, &m, &bad), -ENODEV);
	assert_int_equal(bad, 2);
	assert_int_equal(monitor_open(bad_if, 1, 100 * NSEC_PER_MSEC, &m, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	assert_int_equal(monitor_open(bad_ns, 1, 100 * NSEC_PER_MSEC, &m, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	assert_null(m);
	/* Every socket opened on the way was closed again. */
	assert_int_equal(opens, closes);
	assert_true(opens >= 2);
}

static void test_one_socket_per_namespace(void **state)
{
	const struct mon_hop hops[] = {{"a", NULL, "veth0"},
				       {"b", "mp-ta", "tap0"},
				       {"c", "", "veth0"},
				       {"d", "mp-ta", "tap1"},
				       {"e", "mp-tb", "eth0"}};
	struct monitor *m = NULL;

	assert_int_equal(monitor_open(hops, 5, NSEC_PER_SEC, &m, NULL), 0);
	assert_int_equal(opens, 3);
	assert_int_equal(monitor_sample(m), 0);
	assert_int_equal(reads, 5);
	monitor_close(m);
	assert_int_equal(closes, 3);
}

static void test_window_totals_and_stats(void **state)
{
	struct mon_hop_window w;
	struct monitor *m = NULL;

	ifs[0].c.rx_packets = 1000;
	assert_int_equal(monitor_open(one_hop, 1, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	step(m, 0, 0, 100); /* a sample before the window does not count */
	fake_now += 100 * NSEC_PER_MSEC;
	ifs[0].c.rx_packets += 77;
	assert_int_equal(monitor_window_begin(m), 0);
	step(m, 100 * NSEC_PER_MSEC, 100, 100);
	step(m, 100 * NSEC_PER_MSEC, 200, 100);
	step(m, 100 * NSEC_PER_MSEC, 300, 100);
	fake_now += 100 * NSEC_PER_MSEC;
	ifs[0].c.rx_packets += 400;
	ifs[0].c.rx_bytes += 400 * 100;
	assert_int_equal(monitor_window_end(m, &w, 1), 0);

	assert_int_equal(w.total.rx_packets, 1000);
	assert_int_equal(w.total.rx_bytes, 100000);
	assert_int_equal(w.total.tx_packets, 0);
	assert_int_equal(w.elapsed_ns, 400 * NSEC_PER_MSEC);
	assert_int_equal(w.samples, 5);
	assert_near(w.rx_pps, 2500.0, 1e-9);
	assert_near(w.rx_bps, 2e6, 1e-6);
	assert_near(w.rx_pps_stats.mean, 2500.0, 1e-9);
	assert_near(w.rx_pps_stats.min, 1000.0, 1e-9);
	assert_near(w.rx_pps_stats.max, 4000.0, 1e-9);
	assert_near(w.rx_pps_stats.stddev, sqrt(5e6 / 3.0), 1e-6);
	assert_false(w.vanished);
	assert_false(w.reset);
	/* A window that is not open cannot end. */
	assert_int_equal(monitor_window_end(m, &w, 1), -EINVAL);
	monitor_close(m);
}

static void window_of_two(uint64_t before_rx, uint64_t before_txb, uint64_t after_rx,
			  uint64_t after_txb, struct mon_hop_window *w)
{
	struct monitor *m = NULL;

	ifs[0].c.rx_packets = before_rx;
	ifs[0].c.tx_bytes = before_txb;
	assert_int_equal(monitor_open(one_hop, 1, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	assert_int_equal(monitor_window_begin(m), 0);
	fake_now += 100 * NSEC_PER_MSEC;
	ifs[0].c.rx_packets = after_rx;
	ifs[0].c.tx_bytes = after_txb;
	assert_int_equal(monitor_sample(m), 0);
	fake_now += 100 * NSEC_PER_MSEC;
	assert_int_equal(monitor_window_end(m, w, 1), 0);
	monitor_close(m);
}

static void test_wrap_64(void **state)
{
	struct mon_hop_window w;

	window_of_two(UINT64_MAX - 49, 0, 50, 0, &w);
	assert_int_equal(w.total.rx_packets, 100);
	assert_false(w.reset);
	assert_near(w.rx_pps, 500.0, 1e-9);
	assert_near(w.rx_pps_stats.max, 1000.0, 1e-9);
}

static void test_wrap_32(void **state)
{
	struct mon_hop_window w;

	/* A driver keeping 32-bit counters wraps at 2^32. */
	window_of_two(0, UINT32_MAX - 9, 0, 90, &w);
	assert_int_equal(w.total.tx_bytes, 100);
	assert_false(w.reset);
	assert_near(w.tx_bps, 100 * 8 / 0.2, 1e-6);
}

static void test_reset(void **state)
{
	struct mon_hop_window w;

	/* Backwards by far more than any wrap: the counter restarted from zero. */
	window_of_two(1000000, 5000000000ULL, 10, 40, &w);
	assert_int_equal(w.total.rx_packets, 10);
	assert_int_equal(w.total.tx_bytes, 40);
	assert_true(w.reset);
}

static void test_reset_not_taken_for_32bit_wrap(void **state)
{
	struct mon_hop_window w;

	/* 3e9 -> 100 in 100 ms would be a 32-bit wrap of 1.29e9 frames: 13
	 * Gpps, faster than any link, so the counter was reset. */
	window_of_two(3000000000ULL, 0, 100, 0, &w);
	assert_int_equal(w.total.rx_packets, 100);
	assert_true(w.reset);
}

static void test_first_sample_only(void **state)
{
	struct mon_hop_window w;
	struct monitor *m = NULL;

	ifs[0].c.rx_packets = 123;
	assert_int_equal(monitor_open(one_hop, 1, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	assert_int_equal(monitor_window_begin(m), 0);
	assert_int_equal(monitor_window_end(m, &w, 1), 0);
	assert_int_equal(w.samples, 2);
	assert_int_equal(w.elapsed_ns, 0);
	assert_int_equal(w.total.rx_packets, 0);
	assert_near(w.rx_pps, 0.0, 0);
	assert_near(w.rx_pps_stats.mean, 0.0, 0);
	monitor_close(m);
}

static void test_short_edge_interval_merged(void **state)
{
	struct mon_hop_window w;
	struct monitor *m = NULL;

	assert_int_equal(monitor_open(one_hop, 1, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	assert_int_equal(monitor_window_begin(m), 0);
	/* A scheduled sample 10 us after the window began: 1 packet in 10 us
	 * would be a 100 kpps "interval" on its own. */
	step(m, 10 * NSEC_PER_USEC, 1, 64);
	step(m, 100 * NSEC_PER_MSEC - 10 * NSEC_PER_USEC, 99, 64);
	step(m, 100 * NSEC_PER_MSEC, 100, 64);
	assert_int_equal(monitor_window_end(m, &w, 1), 0);
	assert_int_equal(w.total.rx_packets, 200);
	assert_near(w.rx_pps_stats.min, 1000.0, 1e-9);
	assert_near(w.rx_pps_stats.max, 1000.0, 1e-9);
	assert_near(w.rx_pps_stats.stddev, 0.0, 1e-9);
	monitor_close(m);
}

static unsigned cb_calls;
static struct mon_sample cb_last[2];

static void sample_cb(void *arg, const struct mon_sample *s, unsigned n)
{
	assert_int_equal(n, 2);
	cb_calls++;
	memcpy(cb_last, s, n * sizeof(*s));
}

static void test_vanished_and_errors(void **state)
{
	const struct mon_hop hops[] = {{"a", NULL, "veth0"}, {"b", "mp-ta", "tap0"}};
	struct mon_hop_window w[2];
	struct mon_counters now[2];
	struct monitor *m = NULL;

	assert_int_equal(monitor_open(hops, 2, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	monitor_set_sample_cb(m, sample_cb, NULL);
	assert_int_equal(monitor_window_begin(m), 0);
	assert_int_equal(cb_last[0].status, MON_FIRST);
	step(m, 100 * NSEC_PER_MSEC, 50, 64);
	assert_int_equal(cb_last[0].status, MON_OK);
	assert_near(cb_last[0].rate.rx_packets, 500.0, 1e-9);
	assert_int_equal(cb_last[0].interval_ns, 100 * NSEC_PER_MSEC);

	/* A failed read is an error for that sample only; the next interval
	 * spans from the last good one so totals stay exact. */
	ifs[0].read_err = -EIO;
	step(m, 100 * NSEC_PER_MSEC, 50, 64);
	assert_int_equal(cb_last[0].status, MON_ERROR);
	assert_int_equal(cb_last[0].err, -EIO);
	ifs[0].read_err = 0;
	step(m, 100 * NSEC_PER_MSEC, 50, 64);
	assert_int_equal(cb_last[0].status, MON_OK);
	assert_int_equal(cb_last[0].interval_ns, 200 * NSEC_PER_MSEC);

	/* Then the interface disappears. */
	ifs[0].ifindex = 99;
	step(m, 100 * NSEC_PER_MSEC, 50, 64);
	assert_int_equal(cb_last[0].status, MON_VANISHED);
	assert_int_equal(cb_last[1].status, MON_OK);
	assert_int_equal(monitor_vanished(m), 1);
	step(m, 100 * NSEC_PER_MSEC, 50, 64);
	assert_int_equal(cb_last[0].status, MON_VANISHED);
	assert_int_equal(monitor_read_now(m, now, 2), -ENODEV);
	ifs[1].c.tx_packets = 5;
	assert_int_equal(monitor_window_end(m, w, 2), 0);
	assert_true(w[0].vanished);
	assert_int_equal(w[0].total.rx_packets, 150);
	assert_int_equal(w[0].elapsed_ns, 300 * NSEC_PER_MSEC);
	assert_false(w[1].vanished);
	assert_int_equal(w[1].total.tx_packets, 5);
	assert_int_equal(w[1].samples, 7);
	assert_int_equal(cb_calls, 7);
	monitor_close(m);
}

static void test_late_answer_timestamp(void **state)
{
	const struct mon_hop hops[] = {{"a", NULL, "veth0"}, {"b", "mp-ta", "tap0"}};
	struct mon_hop_window w[2];
	struct monitor *m = NULL;

	assert_int_equal(monitor_open(hops, 2, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	monitor_set_sample_cb(m, sample_cb, NULL);
	assert_int_equal(monitor_window_begin(m), 0);
	/* The kernel answers 30 ms late (another task held RTNL): the counters
	 * were read at the answer, so that is the sample's time. */
	read_delay = 30 * NSEC_PER_MSEC;
	step(m, 100 * NSEC_PER_MSEC, 130, 64);
	assert_int_equal(cb_last[0].t_ns, fake_now + 30 * NSEC_PER_MSEC);
	assert_int_equal(cb_last[0].read_ns, 30 * NSEC_PER_MSEC);
	assert_int_equal(cb_last[0].interval_ns, 130 * NSEC_PER_MSEC);
	assert_near(cb_last[0].rate.rx_packets, 1000.0, 1e-9);
	read_delay = 0;
	step(m, 100 * NSEC_PER_MSEC, 70, 64);
	assert_int_equal(cb_last[0].interval_ns, 70 * NSEC_PER_MSEC);
	assert_near(cb_last[0].rate.rx_packets, 1000.0, 1e-9);
	assert_int_equal(monitor_window_end(m, w, 2), 0);
	assert_int_equal(w[0].total.rx_packets, 200);
	assert_int_equal(w[0].elapsed_ns, 200 * NSEC_PER_MSEC);
	assert_near(w[0].rx_pps_stats.stddev, 0.0, 1e-9);
	monitor_close(m);
}

/* Split one CSV line into fields (RFC 4180 quoting). */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *r = line, *w;

	for (;;) {
		assert_true(n < max);
		fields[n++] = w = r;
		if (*r == '"') {
			for (r++;; r++) {
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
				assert_true(*r != '\0');
			}
			r++;
		} else {
			while (*r && *r != ',' && *r != '\n')
				*w++ = *r++;
		}
		if (*r != ',') {
			*w = '\0';
			return n;
		}
		*w = '\0';
		r++;
	}
}

static void test_csv(void **state)
{
	const struct mon_hop hops[] = {{"gen, \"port\"", NULL, "veth0"}};
	char *buf = NULL, *line, *save = NULL;
	char *f[64];
	size_t len = 0;
	int ncol, n, rows = 0;
	struct monitor *m = NULL;
	struct mon_hop_window w;
	FILE *csv;
	static const char *const status[] = {"first", "ok", "wrap", "reset"};

	csv = open_memstream(&buf, &len);
	assert_non_null(csv);
	ifs[0].c.rx_packets = UINT64_MAX - 19;
	ifs[0].c.tx_packets = 1000000;
	assert_int_equal(monitor_open(hops, 1, 100 * NSEC_PER_MSEC, &m, NULL), 0);
	monitor_set_csv(m, csv);
	monitor_set_tag(m, "64B@1000pps");
	assert_int_equal(monitor_window_begin(m), 0);
	step(m, 100 * NSEC_PER_MSEC, 10, 64);
	step(m, 100 * NSEC_PER_MSEC, 10, 64);
	ifs[0].c.tx_packets = 3;
	fake_now += 100 * NSEC_PER_MSEC;
	assert_int_equal(monitor_window_end(m, &w, 1), 0);
	monitor_close(m);
	fclose(csv);

	line = strtok_r(buf, "\n", &save);
	assert_non_null(line);
	ncol = csv_split(line, f, 64);
	assert_int_equal(ncol, 8 + 8 + 1 + 8 + 1);
	assert_string_equal(f[0], "time_s");
	assert_string_equal(f[3], "point");
	assert_string_equal(f[7], "status");
	assert_string_equal(f[8], "rx_packets");
	assert_string_equal(f[11], "tx_bytes");
	assert_string_equal(f[16], "interval_s");
	assert_string_equal(f[17], "rx_packets_per_s");
	assert_string_equal(f[25], "read_ns");
	while ((line = strtok_r(NULL, "\n", &save))) {
		n = csv_split(line, f, 64);
		assert_int_equal(n, ncol);
		assert_string_equal(f[3], "64B@1000pps");
		assert_string_equal(f[4], "gen, \"port\"");
		assert_string_equal(f[6], "veth0");
		assert_string_equal(f[7], status[rows]);
		assert_true(rows > 0 || f[17][0] == '\0');
		if (rows == 1)
			assert_string_equal(f[17], "100.000");
		rows++;
	}
	assert_int_equal(rows, 4);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_open_errors, setup),
	    cmocka_unit_test_setup(test_one_socket_per_namespace, setup),
	    cmocka_unit_test_setup(test_window_totals_and_stats, setup),
	    cmocka_unit_test_setup(test_wrap_64, setup),
	    cmocka_unit_test_setup(test_wrap_32, setup),
	    cmocka_unit_test_setup(test_reset, setup),
	    cmocka_unit_test_setup(test_reset_not_taken_for_32bit_wrap, setup),
	    cmocka_unit_test_setup(test_first_sample_only, setup),
	    cmocka_unit_test_setup(test_short_edge_interval_merged, setup),
	    cmocka_unit_test_setup(test_vanished_and_errors, setup),
	    cmocka_unit_test_setup(test_late_answer_timestamp, setup),
	    cmocka_unit_test_setup(test_csv, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
