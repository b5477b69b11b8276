/* The sweep loop and the point runner under it against stand-ins: a fake network (a generator that cannot
 * go faster than gen_cap, a DUT that forwards at most dut_cap, a sink that
 * sees frames `lag` late), a fake monitor reading its counters, a fake agent,
 * a fake platform and a fixed clock that only moves when the sweep sleeps. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/output/flags.h"
#include "harness/output/results.h"
#include "harness/measure/sweep.h"
#include "lib/mtime.h"
#include "lib/units.h"

#define SEC NSEC_PER_SEC
#define MS  NSEC_PER_MSEC

/* ---- the fake world ---- */
static struct {
	uint64_t now;
	uint64_t interrupt_at; /* set *stop when the clock reaches it; 0 = never */
	int stop;
	double gen_cap, dut_cap;
	uint64_t lag;
	/* the running point */
	int tx_running, rx_running;
	double rate; /* what the generator really sends */
	uint64_t tx_start, tx_end;
	uint64_t base_sent, base_fwd; /* frames of earlier points */
	uint32_t stream;
	/* log of what the sweep asked */
	struct tg_tx_params tx_log[64];
	unsigned ntx;
	unsigned tx_stops, rx_stops, prepares;
	uint32_t prepared[64];
	uint64_t rx_stop_at[64];
	uint64_t tx_stop_at[64];
	int dut_dead_at_point;
	unsigned status_eintr_at; /* the Nth status call is interrupted by a signal */
	unsigned statuses;
	uint64_t win_begin;
	struct mon_counters win_c[HOP_COUNT];
	double agent_clock;	 /* the agent's clock runs this much faster; 0 = same */
	double sink_extra;	 /* the sink's counter sees this many frames/s from elsewhere */
	uint64_t dut_stop_after; /* the DUT sends this many frames in all, then none; 0: no limit */
	char dut_log[64];	 /* the fake DUT's log, quoted when it stops */
	uint64_t end_stall;	 /* the generator stalls this long before each window's end, then
				  * catches up */
} w;

static uint64_t sent_until(uint64_t t)
{
	uint64_t end = w.tx_running ? t : w.tx_end;

	if (t < end)
		end = t;
	if (end <= w.tx_start)
		return 0;
	return (uint64_t)(w.rate * (double)(end - w.tx_start) / 1e9);
}

static double fwd_rate(void)
{
	return w.rate < w.dut_cap ? w.rate : w.dut_cap;
}

static uint64_t fwd_until(uint64_t t)
{
	uint64_t s = sent_until(t),
		 f = w.rate > 0 ? (uint64_t)((double)s * fwd_rate() / w.rate) : 0;

	/* a TX ring that never frees: nothing more leaves the DUT after dut_stop_after */
	if (w.dut_stop_after && w.base_fwd + f > w.dut_stop_after)
		f = w.dut_stop_after > w.base_fwd ? w.dut_stop_after - w.base_fwd : 0;
	return f;
}

static void counters_at(uint64_t t, struct mon_counters *c)
{
	uint64_t sent = w.base_sent + sent_until(t);
	uint64_t fwd_in_dut = w.base_fwd + fwd_until(t);
	uint64_t at_sink = w.base_fwd + (t >= w.lag ? fwd_until(t - w.lag) : 0);

	memset(c, 0, sizeof(*c) * HOP_COUNT);
	/* the generator's link is sampled from the far end, as a Xen backend vif */
	c[HOP_GEN_TX].rx_packets = sent;
	c[HOP_GEN_TX].tx_packets = 7;
	c[HOP_DUT_IN].tx_packets = sent;
	c[HOP_DUT_IN].tx_dropped = sent - fwd_in_dut; /* the DUT's queue overflows */
	c[HOP_DUT_OUT].rx_packets = fwd_in_dut;
	c[HOP_SINK_RX].rx_packets = at_sink + (uint64_t)(w.sink_extra * (double)t / 1e9);
	/* the other direction moves too and must be ignored */
	c[HOP_SINK_RX].tx_packets = t / MS;
}

uint64_t __wrap_mtime_now_ns(void);
uint64_t __wrap_mtime_now_ns(void)
{
	return w.now;
}

int __wrap_mtime_sleep_until(uint64_t deadline);
int __wrap_mtime_sleep_until(uint64_t deadline)
{
	if (deadline > w.now)
		w.now = deadline;
	if (w.interrupt_at && w.now >= w.interrupt_at) {
		w.stop = 1;
		return -EINTR;
	}
	return 0;
}

int __wrap_agent_client_rx_start(struct agent_client *c, const struct tg_rx_params *p);
int __wrap_agent_client_rx_start(struct agent_client *c, const struct tg_rx_params *p)
{
	assert_false(w.rx_running);
	w.rx_running = 1;
	w.stream = p->stream;
	return 0;
}

int __wrap_agent_client_tx_start(struct agent_client *c, const struct tg_tx_params *p);
int __wrap_agent_client_tx_start(struct agent_client *c, const struct tg_tx_params *p)
{
	assert_true(w.rx_running); /* the sink listens before the generator sends */
	assert_false(w.tx_running);
	assert_int_equal(p->stream, w.stream);
	w.tx_log[w.ntx++] = *p;
	w.rate =
	    p->rate == UNITS_RATE_MAX || (double)p->rate > w.gen_cap ? w.gen_cap : (double)p->rate;
	w.tx_running = 1;
	w.tx_start = w.now;
	return 0;
}

static void tx_report(struct tg_tx_report *r)
{
	memset(r, 0, sizeof(*r));
	r->running = w.tx_running;
	r->sent = sent_until(w.now);
	r->elapsed_ns = (w.tx_running ? w.now : w.tx_end) - w.tx_start;
	if (w.agent_clock > 0)
		r->elapsed_ns = (uint64_t)((double)r->elapsed_ns * w.agent_clock);
	r->target_pps = w.tx_log[w.ntx - 1].rate;
}

int __wrap_agent_client_status(struct agent_client *c, struct tg_tx_report *tx,
			       struct tg_rx_report *rx);
int __wrap_agent_client_status(struct agent_client *c, struct tg_tx_report *tx,
			       struct tg_rx_report *rx)
{
	assert_true(w.tx_running);
	if (++w.statuses == w.status_eintr_at) {
		w.stop = 1;
		return -EINTR;
	}
	if (tx)
		tx_report(tx);
	assert_null(rx);
	return 0;
}

int __wrap_agent_client_tx_stop(struct agent_client *c, struct tg_tx_report *tx);
int __wrap_agent_client_tx_stop(struct agent_client *c, struct tg_tx_report *tx)
{
	assert_true(w.tx_running);
	w.tx_running = 0;
	w.tx_end = w.now;
	w.tx_stop_at[w.tx_stops++] = w.now;
	tx_report(tx);
	return 0;
}

int __wrap_agent_client_rx_stop(struct agent_client *c, struct tg_rx_report *rx);
int __wrap_agent_client_rx_stop(struct agent_client *c, struct tg_rx_report *rx)
{
	uint64_t got = w.now >= w.lag ? fwd_until(w.now - w.lag) : 0;

	assert_false(w.tx_running); /* the generator stops first */
	assert_true(w.rx_running);
	w.rx_running = 0;
	w.rx_stop_at[w.rx_stops++] = w.now;
	memset(rx, 0, sizeof(*rx));
	rx->received = got;
	rx->lost = sent_until(w.now) - got;
	rx->lat_p50_ns = 12000 + w.rx_stops;
	rx->lat_p99_ns = 48000;
	w.base_sent += sent_until(w.now);
	w.base_fwd += fwd_until(w.now);
	w.rate = 0;
	w.tx_start = w.tx_end = w.now;
	return 0;
}

const char *__wrap_agent_client_last_error(const struct agent_client *c);
const char *__wrap_agent_client_last_error(const struct agent_client *c)
{
	return "";
}

void __wrap_monitor_set_tag(struct monitor *m, const char *tag);
void __wrap_monitor_set_tag(struct monitor *m, const char *tag)
{
}

int __wrap_monitor_read_now(struct monitor *m, struct mon_counters *out, unsigned n);
int __wrap_monitor_read_now(struct monitor *m, struct mon_counters *out, unsigned n)
{
	assert_int_equal(n, HOP_COUNT);
	counters_at(w.now, out);
	return 0;
}

int __wrap_monitor_window_begin(struct monitor *m);
int __wrap_monitor_window_begin(struct monitor *m)
{
	w.win_begin = w.now;
	counters_at(w.now, w.win_c);
	return 0;
}

int __wrap_monitor_window_end(struct monitor *m, struct mon_hop_window *out, unsigned n);
int __wrap_monitor_window_end(struct monitor *m, struct mon_hop_window *out, unsigned n)
{
	struct mon_counters c[HOP_COUNT];
	double el = (double)(w.now - w.win_begin) / 1e9;
	unsigned h;

	counters_at(w.now - w.end_stall, c);
	memset(out, 0, sizeof(*out) * n);
	for (h = 0; h < n; h++) {
		out[h].elapsed_ns = w.now - w.win_begin;
		out[h].first_t_ns = w.win_begin;
		out[h].last_t_ns = w.now;
		out[h].rx_pps = (double)(c[h].rx_packets - w.win_c[h].rx_packets) / el;
		out[h].tx_pps = (double)(c[h].tx_packets - w.win_c[h].tx_packets) / el;
	}
	return 0;
}

/* ---- the fake platform ---- */
static int fp_prepare(struct platform *p, unsigned size)
{
	w.prepared[w.prepares++] = size;
	return 0;
}

static void fp_traffic(struct platform *p, struct tg_tx_params *tx, struct tg_rx_params *rx)
{
	snprintf(tx->dev, sizeof(tx->dev), "eth0");
	snprintf(rx->dev, sizeof(rx->dev), "eth1");
	tx->src_ip = 0xc6120001;
	tx->dst_ip = 0xc6130001;
}

static int fp_dut_check(struct platform *p, char *why, size_t len)
{
	if (w.dut_dead_at_point && w.ntx >= (unsigned)w.dut_dead_at_point) {
		snprintf(why, len, "exited with status 3");
		return -ESRCH;
	}
	return 0;
}

static const char *fp_dut_log(struct platform *p)
{
	return w.dut_log;
}

static const struct platform_ops fake_ops = {
    .name = "fake",
    .prepare_size = fp_prepare,
    .traffic = fp_traffic,
    .dut_check = fp_dut_check,
    .dut_log = fp_dut_log,
};

/* ---- fixture ---- */
static uint64_t sizes[] = {64, 512};
static uint64_t rates[] = {100000, 200000, 500000};
static struct run_cfg cfg;
static char dir[] = "/tmp/mp-test-sweep-XXXXXX";
static struct results *res;

static int setup(void **state)
{
	struct results_meta meta;

	memset(&w, 0, sizeof(w));
	w.now = 1000 * SEC;
	w.gen_cap = 300000; /* asked 500k, the generator only manages 300k */
	w.dut_cap = 250000;
	memset(&cfg, 0, sizeof(cfg));
	cfg.sizes.v = sizes;
	cfg.sizes.n = 2;
	cfg.rates.v = rates;
	cfg.rates.n = 3;
	cfg.duration_ns = 10 * SEC;
	cfg.warmup_ns = 2 * SEC;
	cfg.settle_ns = 1 * SEC;
	cfg.interval_ns = 100 * MS;
	cfg.trials = 1;
	cfg.flows = 1;
	cfg.quiet = 1;
	cfg.gen_tolerance = RUN_GEN_TOLERANCE;
	snprintf(cfg.dut, sizeof(cfg.dut), "fwd");
	strcpy(dir, "/tmp/mp-test-sweep-XXXXXX");
	assert_non_null(mkdtemp(dir));
	results_meta_collect(&meta, &cfg, "fake", 0);
	assert_int_equal(results_open(dir, &meta, &cfg, &res), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	results_close(res);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int fake_stopped(void)
{
	return w.stop;
}

/* What run.c would fill: the fake platform, the results, the stop flag. */
static struct point_deps fake_deps(void)
{
	struct point_deps d = {
	    .cfg = &cfg,
	    .ops = &fake_ops,
	    .res = res,
	    .stopped = fake_stopped,
	    .dir = {HOP_DIR_RX, HOP_DIR_TX, HOP_DIR_RX, HOP_DIR_RX},
	};

	return d;
}

static struct sweep *new_sweep(void)
{
	struct point_deps d = fake_deps();
	struct sweep *s;

	assert_int_equal(sweep_new(&d, &s), 0);
	return s;
}

/* Rows of a file that are not comments. */
static unsigned data_rows(const char *name)
{
	char path[128], line[1024];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		assert_non_null(strchr(line, '\n')); /* every row is complete */
		if (line[0] != '#')
			n++;
	}
	fclose(f);
	return n;
}

/* ---- tests ---- */
static void test_plan_order(void **state)
{
	struct point_req *p;
	unsigned n;

	assert_int_equal(sweep_plan(&cfg, &p, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(p[0].size, 64);
	assert_int_equal(p[0].rate, 100000);
	assert_int_equal(p[2].size, 64);
	assert_int_equal(p[2].rate, 500000);
	assert_int_equal(p[3].size, 512);
	assert_int_equal(p[3].rate, 100000);
	free(p);

	cfg.order = ORDER_RATE_MAJOR;
	cfg.trials = 2;
	assert_int_equal(sweep_plan(&cfg, &p, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(p[0].size, 64);
	assert_int_equal(p[0].trial, 1);
	assert_int_equal(p[1].size, 64);
	assert_int_equal(p[1].trial, 2);
	assert_int_equal(p[2].size, 512);
	assert_int_equal(p[2].rate, 100000);
	assert_int_equal(p[4].size, 64);
	assert_int_equal(p[4].rate, 200000);
	free(p);

	cfg.rates.n = 0;
	assert_int_equal(sweep_plan(&cfg, &p, &n), -EINVAL);
}

static void test_progress_eta(void **state)
{
	char line[160];

	/* before any point: the plan */
	assert_int_equal(sweep_eta_ns(0, 12, 0, 13 * SEC), 156 * SEC);
	/* 6 done in 70 s: 6 left at 70/6 s each */
	assert_int_equal(sweep_eta_ns(6, 12, 70 * SEC, 13 * SEC), 70 * SEC);
	assert_int_equal(sweep_eta_ns(12, 12, 70 * SEC, 13 * SEC), 0);
	sweep_progress_line(line, sizeof(line), 7, 12, 512, 200000, 70 * SEC, 50 * SEC);
	assert_string_equal(line, "point 7/12  512 B  200 kpps  elapsed 1:10  ETA 0:50");
	sweep_progress_line(line, sizeof(line), 1, 3, 64, UNITS_RATE_MAX, 0, 3700 * SEC - 1);
	assert_string_equal(line, "point 1/3  64 B  max  elapsed 0:00  ETA 1:01:40");
	sweep_progress_line(line, sizeof(line), 2, 3, 1518, 1500000, 59 * SEC + 600 * MS, 0);
	assert_string_equal(line, "point 2/3  1518 B  1.50 Mpps  elapsed 1:00  ETA 0:00");
}

static void test_sweep_points_and_rows(void **state)
{
	struct sweep *s = new_sweep();
	const struct results_point *p;
	unsigned i, first = 0;

	w.dut_cap = 150000; /* 200 kpps loses a quarter */
	assert_int_equal(sweep_run(s), 0);
	assert_int_equal(sweep_done(s), 6);
	assert_int_equal(w.ntx, 6);
	/* asked in size-major order, one stream per point, timed as configured */
	for (i = 0; i < 6; i++) {
		assert_int_equal(w.tx_log[i].size, sizes[i / 3]);
		assert_int_equal(w.tx_log[i].rate, rates[i % 3]);
		assert_int_equal(w.tx_log[i].stream, i + 1);
		assert_string_equal(w.tx_log[i].dev, "eth0");
		assert_true(w.tx_log[i].duration_ns >= 12 * SEC);
	}
	/* the MTU is prepared once per size */
	assert_int_equal(w.prepares, 2);
	assert_int_equal(w.prepared[1], 512);

	assert_int_equal(results_count(res), 6);
	p = results_point_at(res, 0);
	assert_int_equal(p->index, 1);
	assert_int_equal(p->target_pps, 100000);
	assert_true(p->offered_pps > 99999 && p->offered_pps < 100001);
	assert_true(p->settled);
	assert_int_equal(p->window_ns, 10 * SEC);
	assert_int_equal(p->received, p->sent);
	assert_int_equal(p->flags, 0);
	/* 200 kpps through a DUT that forwards 150k: a quarter lost */
	p = results_point_at(res, 1);
	assert_int_equal(p->flags, 0);
	assert_true(p->offered_pps > 199999 && p->offered_pps < 200001);
	assert_true(p->hop[HOP_DUT_OUT].pps > 149999 && p->hop[HOP_DUT_OUT].pps < 150001);
	assert_true(p->hop[HOP_SINK_RX].pps > 149999 && p->hop[HOP_SINK_RX].pps < 150001);
	assert_true(results_loss_pct(p) > 24.9 && results_loss_pct(p) < 25.1);
	/* point totals are exact counter deltas, tx for the first hops, rx after */
	assert_int_equal(p->hop[HOP_GEN_TX].packets, p->sent);
	assert_int_equal(p->hop[HOP_SINK_RX].packets, p->received);
	assert_int_equal(p->hop[HOP_DUT_IN].dropped, p->sent - p->received);
	assert_true(results_loss_free(results_point_at(res, 0)));
	assert_false(results_loss_free(p));
	/* 500 kpps asked, 300 kpps sent: the row says what was really offered,
	 * and that the generator failed -- no loss is counted against it */
	p = results_point_at(res, 2);
	assert_int_equal(p->target_pps, 500000);
	assert_true(p->offered_pps > 299999 && p->offered_pps < 300001);
	assert_int_equal(p->flags, RESULTS_GEN_FAILED);
	assert_true(isnan(results_loss_pct(p)));
	assert_false(results_loss_free(p));
	assert_int_equal(sweep_gen_failed(s, &first), 2);
	assert_int_equal(first, 3);
	/* the summaries skip it: loss-free up to 100k, and not a lower bound */
	assert_ptr_equal(results_best(res, 64), results_point_at(res, 0));
	assert_false(results_best_is_lower_bound(res, results_best(res, 64)));

	assert_int_equal(data_rows("stats"), 6);
	assert_int_equal(data_rows("stats.csv"), 7);
	sweep_free(s);
}

static void test_settle_waits_for_frames_in_flight(void **state)
{
	struct sweep *s = new_sweep();
	const struct results_point *p;

	w.lag = 3 * SEC; /* the sink sees frames 3 s late: more than the 1 s settle gap */
	cfg.sizes.n = 1;
	cfg.rates.n = 1;
	sweep_free(s);
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	assert_true(w.rx_stop_at[0] >= w.tx_stop_at[0] + 3 * SEC);
	p = results_point_at(res, 0);
	assert_true(p->settled);
	assert_int_equal(p->received, p->sent);
	assert_int_equal(p->hop[HOP_SINK_RX].packets, p->sent);

	/* a path that never drains is flagged, not waited for forever */
	w.lag = 8 * SEC; /* still arriving 5 s after the generator stopped */
	sweep_free(s);
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	p = results_point_at(res, 1);
	assert_false(p->settled);
	assert_true(w.rx_stop_at[1] - w.tx_stop_at[1] <= 6 * SEC);
	sweep_free(s);
}

static void test_interrupt_keeps_complete_rows(void **state)
{
	struct sweep *s = new_sweep();

	/* points take 2 + 10 + 1 s (+ a little settling); stop inside the third */
	w.interrupt_at = w.now + 2 * 13 * SEC + 5 * SEC;
	assert_int_equal(sweep_run(s), -EINTR);
	assert_int_equal(sweep_done(s), 2);
	assert_int_equal(results_count(res), 2);
	assert_int_equal(data_rows("stats"), 2);
	assert_int_equal(data_rows("stats.csv"), 3);
	/* the interrupted point left the agent idle */
	assert_int_equal(w.ntx, 3);
	assert_int_equal(w.tx_stops, 3);
	assert_int_equal(w.rx_stops, 3);
	assert_false(w.tx_running);
	assert_false(w.rx_running);
	/* noticed within a slice */
	assert_true(w.now - w.interrupt_at <= 100 * MS);
	sweep_free(s);
}

/* A signal landing inside an agent call: a stop, not an agent failure. */
static void test_interrupt_inside_agent_call(void **state)
{
	struct sweep *s = new_sweep();

	w.status_eintr_at = 3; /* point 2's first report */
	assert_int_equal(sweep_run(s), -EINTR);
	assert_int_equal(results_count(res), 1);
	assert_false(w.tx_running);
	assert_false(w.rx_running);
	sweep_free(s);
}

/* Offered is the generator link's counter in the monitor's window: an agent
 * whose clock runs 3 % fast changes nothing but the cross-check, which says so;
 * 0.5 % is within what a busy machine's stamping explains. */
static void test_one_window_one_clock(void **state)
{
	struct sweep *s = new_sweep();
	const struct results_point *p;
	unsigned i;

	w.agent_clock = 1.03;
	w.dut_cap = 1e9;
	assert_int_equal(sweep_run(s), 0);
	for (i = 0; i < 6; i++) {
		p = results_point_at(res, i);
		/* sink <= DUT out <= DUT in <= offered, on every point */
		assert_true(p->hop[HOP_SINK_RX].pps <= p->hop[HOP_DUT_OUT].pps + 0.5);
		assert_true(p->hop[HOP_DUT_OUT].pps <= p->hop[HOP_DUT_IN].pps + 0.5);
		assert_true(p->hop[HOP_DUT_IN].pps <= p->offered_pps + 0.5);
		assert_true(p->offered_pps == p->hop[HOP_GEN_TX].pps);
		assert_true(p->agent_offered_pps < p->offered_pps * 0.98);
		assert_true(p->flags & RESULTS_AGENT_DIFFERS);
		assert_false(p->flags & RESULTS_RATE_ORDER);
	}
	sweep_free(s);
	w.agent_clock = 1.005;
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	for (i = 6; i < 12; i++)
		assert_false(results_point_at(res, i)->flags & RESULTS_AGENT_DIFFERS);
	sweep_free(s);
}

/* A generator stalled for 300 ms at the end of a 10 s window (a busy host)
 * offers 3 % less in the window, but catches up and sends what was asked over
 * the point: the window's rates stay true to each other, and the generator
 * did not fail. Short over the whole point, it did. */
static void test_generator_stall_is_not_failure(void **state)
{
	struct sweep *s;
	const struct results_point *p;
	char text[512];

	w.end_stall = 300 * MS;
	w.dut_cap = 1e9;
	cfg.sizes.n = 1;
	cfg.rates.n = 1;
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	p = results_point_at(res, 0);
	assert_true(p->offered_pps < 97500 && p->offered_pps > 96500);
	assert_true(p->gen_point_pps > 99990);
	assert_false(p->flags & RESULTS_GEN_FAILED);
	assert_true(p->hop[HOP_SINK_RX].pps <= p->offered_pps);
	assert_int_equal(sweep_gen_failed(s, NULL), 0);
	sweep_free(s);

	w.end_stall = 0;
	w.gen_cap = 97000; /* 3 % short all along */
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	p = results_point_at(res, 1);
	assert_true(p->flags & RESULTS_GEN_FAILED);
	flags_text(p, text, sizeof(text));
	assert_string_equal(text, "generator failed: offered 97000 of 100000 pps");
	sweep_free(s);
}

/* A hop counting more than its upstream sent, beyond what was in flight: flagged. */
static void test_rate_order_flagged(void **state)
{
	struct sweep *s = new_sweep();
	const struct results_point *p;
	char text[512];

	w.dut_cap = 1e9;
	w.sink_extra = 2000; /* 2 % of 100 kpps appear at the sink from nowhere */
	cfg.sizes.n = 1;
	cfg.rates.n = 1;
	sweep_free(s);
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	p = results_point_at(res, 0);
	assert_true(p->flags & RESULTS_RATE_ORDER);
	assert_int_equal(p->order_hop, HOP_SINK_RX);
	flags_text(p, text, sizeof(text));
	assert_non_null(strstr(text, "sink rx 102000 pps > DUT out 100000 pps"));
	/* a few stray frames in a window are not a violation */
	w.sink_extra = 0.5;
	sweep_free(s);
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	assert_int_equal(results_point_at(res, 1)->flags, 0);
	sweep_free(s);
}

/* Run the sweep with stderr in a file; returns the sweep's result, *err what it said. */
static int run_capturing(struct sweep *s, char *err, size_t len)
{
	char path[] = "/tmp/mp-test-sweep-err-XXXXXX";
	int fd = mkstemp(path), saved = dup(2), rc;
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	rc = sweep_run(s);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, err, len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return rc;
}

/* The DUT's transmits stop for good after 256 frames (one netfront TX ring)
 * while frames keep arriving: said in words with its console, the point
 * flagged, and the run stops (the default) or goes on as asked. */
static void test_dut_stops_transmitting(void **state)
{
	struct sweep *s;
	const struct results_point *p;
	char err[4096], text[512];
	FILE *f;

	snprintf(w.dut_log, sizeof(w.dut_log), "%s/dut.log", dir);
	f = fopen(w.dut_log, "w");
	assert_non_null(f);
	fputs("booting\nsolo5 xen\nnetif 0 up\n\nreceived 2104 sent 256 dropped 823 tx_errors 0\n",
	      f);
	fclose(f);
	w.dut_stop_after = 256;
	cfg.quiet = 1;
	s = new_sweep();
	assert_int_equal(run_capturing(s, err, sizeof(err)), -EPIPE);
	assert_int_equal(results_count(res), 1);
	p = results_point_at(res, 0);
	assert_true(p->flags & RESULTS_DUT_STOPPED);
	assert_int_equal(p->dut_stopped_after, 256);
	assert_true(p->dut_in_since_stop > 100000);
	assert_int_equal(p->hop[HOP_DUT_OUT].packets, 256);
	assert_int_equal(sweep_dut_stopped(s), 1);
	flags_text(p, text, sizeof(text));
	assert_non_null(strstr(text, "the DUT stopped transmitting after 256 frames"));
	assert_non_null(strstr(err, "point 1: the DUT stopped transmitting after 256 frames"));
	/* its last three lines */
	assert_non_null(strstr(err, "its console: solo5 xen | netif 0 up | received 2104 sent 256 "
				    "dropped 823 tx_errors 0\n"));
	assert_non_null(strstr(err, "stopping after point 1"));
	assert_false(w.tx_running);
	assert_false(w.rx_running);
	sweep_free(s);

	/* on_dut_stop = continue: every point measured, each flagged, told once */
	cfg.on_dut_stop = RUN_DUT_STOP_CONTINUE;
	s = new_sweep();
	assert_int_equal(run_capturing(s, err, sizeof(err)), 0);
	assert_int_equal(results_count(res), 7);
	assert_int_equal(sweep_dut_stopped(s), 6);
	p = results_point_at(res, 6);
	assert_true(p->flags & RESULTS_DUT_STOPPED);
	assert_int_equal(p->dut_stopped_after, 0); /* counted from this sweep's first point */
	assert_int_equal(p->hop[HOP_DUT_OUT].packets, 0);
	assert_null(strstr(err, "stopping after"));
	assert_non_null(strstr(err, "its console"));
	assert_null(strstr(strstr(err, "its console") + 1, "its console"));
	sweep_free(s);

	/* a DUT that forwards everything is never flagged */
	w.dut_stop_after = 0;
	w.base_fwd = w.base_sent;
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	assert_int_equal(sweep_dut_stopped(s), 0);
	assert_int_equal(results_point_at(res, 7)->flags & RESULTS_DUT_STOPPED, 0);
	sweep_free(s);
}

/* The shipped ladder: max first, then shares of what the DUT carried at max,
 * so that the points land around the DUT's own limit on any machine. */
static void test_ladder_below_what_max_carried(void **state)
{
	static uint64_t ladder[] = {UNITS_RATE_MAX, RUN_RATE_PCT(50), RUN_RATE_PCT(95)};
	struct sweep *s;
	const struct results_point *p;

	cfg.rates.v = ladder;
	cfg.rates.n = 3;
	w.dut_cap = 120000; /* the generator manages 300k; the DUT carries 120k of it */
	s = new_sweep();
	assert_int_equal(sweep_run(s), 0);
	assert_int_equal(results_count(res), 6);
	assert_int_equal(w.tx_log[0].rate, UNITS_RATE_MAX);
	assert_int_equal(w.tx_log[1].rate, 60000);  /* 50 % of 120k */
	assert_int_equal(w.tx_log[2].rate, 114000); /* 95 % */
	assert_int_equal(w.tx_log[4].rate, 60000);  /* the next size's own max */
	p = results_point_at(res, 0);
	assert_false(results_loss_free(p));
	assert_int_equal(p->flags, 0); /* max is not a target the generator missed */
	p = results_point_at(res, 2);
	assert_int_equal(p->target_pps, 114000);
	assert_true(results_loss_free(p));
	assert_ptr_equal(results_best(res, 64), p);
	assert_false(results_best_is_lower_bound(res, p));
	sweep_free(s);
}

static void test_dut_death_is_an_error(void **state)
{
	struct sweep *s = new_sweep();

	w.dut_dead_at_point = 2;
	assert_int_equal(sweep_run(s), -ESRCH);
	assert_int_equal(results_count(res), 1);
	assert_false(w.tx_running);
	assert_false(w.rx_running);
	sweep_free(s);
}

/* The point runner alone, as the search drives it: a probe of the asked
 * length that says what the generator really offered, not a failed point;
 * nothing written until kept; the path prepared once per size. */
static void test_point_runner_probe(void **state)
{
	struct point_deps d = fake_deps();
	struct point_req req = {.size = 64, .rate = 500000, .trial = 1, .duration_ns = SEC,
				.probe = 1};
	struct results_point pt;
	struct point *p;

	assert_int_equal(point_new(&d, &p), 0);
	assert_int_equal(point_prepare(p, 64), 0);
	assert_int_equal(point_prepare(p, 64), 0);
	assert_int_equal(w.prepares, 1);
	assert_int_equal(point_run(p, &req, 1, &pt), 0);
	/* warm-up, the asked second, the generator's own stop margin */
	assert_int_equal(w.tx_log[0].duration_ns, 2 * SEC + SEC + 2 * SEC);
	assert_int_equal(pt.window_ns, SEC);
	assert_int_equal(pt.index, 1);
	assert_true(pt.offered_pps > 299999 && pt.offered_pps < 300001);
	assert_int_equal(pt.flags & RESULTS_GEN_FAILED, 0);
	assert_false(point_stops_run(p, &pt));
	assert_int_equal(results_count(res), 0);
	assert_int_equal(point_keep(p, &pt, "trial"), 0);
	assert_int_equal(results_count(res), 1);
	/* the same offer as a sweep's point: the generator failed it */
	req.probe = 0;
	assert_int_equal(point_run(p, &req, 2, &pt), 0);
	assert_int_equal(pt.flags & RESULTS_GEN_FAILED, RESULTS_GEN_FAILED);
	assert_int_equal(point_prepare(p, 512), 0);
	assert_int_equal(w.prepares, 2);
	assert_false(w.tx_running);
	assert_false(w.rx_running);
	point_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_plan_order, setup, teardown),
	    cmocka_unit_test(test_progress_eta),
	    cmocka_unit_test_setup_teardown(test_sweep_points_and_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_settle_waits_for_frames_in_flight, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_interrupt_keeps_complete_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_interrupt_inside_agent_call, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dut_death_is_an_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_window_one_clock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rate_order_flagged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generator_stall_is_not_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dut_stops_transmitting, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ladder_below_what_max_carried, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_point_runner_probe, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
