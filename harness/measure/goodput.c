/* The goodput mode; see goodput.h. */
#include "harness/measure/goodput.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/config/goodput_plan.h"
#include "harness/measure/ends.h"
#include "harness/measure/iperf3.h"
#include "harness/measure/loop.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/path.h"
#include "lib/proc.h"
#include "lib/units.h"

#define GP_DOC_MAX (16 * 1024 * 1024)

struct goodput {
	const struct point_deps *d;
	struct table_out *out; /* goodput.csv/.json */
	struct goodput_point *plan;
	unsigned n, done;
	struct ends e; /* the iperf3 server and clients, in RUN_DIR/iperf3 */
	/* server = dut: the DUT's CPU time around the point's client run */
	struct dut_sample cpu_before, cpu_after;
};

static int server_start(void *ctx)
{
	struct goodput *g = ctx;
	const struct point_deps *d = g->d;
	char *argv[32], buf[128];
	int rc;

	/* server = dut: the DUT is the server (the recipe's iperf3 unikernel),
	 * nothing to start; the platform waited for it to listen before the
	 * run's first point (platform_xen.c). */
	if (run_cfg_dut_serves(d->cfg))
		return 0;
	rc = iperf3_server_argv(d->ops->end_addr(d->plat, END_SERVER), IPERF3_PORT, argv, buf,
				sizeof(buf));
	if (rc)
		return rc;
	return ends_server_start(&g->e, argv, IPERF3_PORT);
}

/* server = dut: the DUT domain's CPU time now (the platform's dut_sample),
 * for the server's CPU column: the unikernel reports 0, it cannot measure
 * itself. A failed sample is said once per point and leaves s zeroed. */
static void dut_cpu_sample(struct goodput *g, struct dut_sample *s)
{
	const struct point_deps *d = g->d;
	int rc = d->ops->dut_sample ? d->ops->dut_sample(d->plat, s) : -ENOTSUP;

	if (rc) {
		memset(s, 0, sizeof(*s));
		log_warn("the DUT's CPU time (the server's CPU column): %s", strerror(-rc));
	}
}

/* Run the client to its end (or stop it), leaving its document in doc. */
static int client_run(struct goodput *g, const struct goodput_point *pt, unsigned index,
		      const char *doc, int *status, struct hop_delta hop[HOP_COUNT])
{
	const struct point_deps *d = g->d;
	const struct run_cfg *cfg = d->cfg;
	struct iperf3_client_args a = {
	    .server_ip = d->ops->end_addr(d->plat, END_SERVER),
	    .port = IPERF3_PORT,
	    .udp = pt->udp,
	    .bufsz = pt->bufsz,
	    .streams = pt->streams,
	    /* iperf3's -b is per stream; a point's bitrate is the whole point's */
	    .bitrate_bps = (pt->bitrate + pt->streams / 2) / pt->streams,
	    .seconds = (unsigned)(cfg->duration_ns / NSEC_PER_SEC),
	    .omit = (unsigned)(cfg->warmup_ns / NSEC_PER_SEC),
	};
	char *argv[32], buf[256];
	int rc;

	rc = iperf3_client_argv(&a, argv, buf, sizeof(buf));
	if (rc)
		return rc;
	if (run_cfg_dut_serves(cfg))
		dut_cpu_sample(g, &g->cpu_before);
	rc = ends_client_run(&g->e, index, argv, doc, cfg->warmup_ns + cfg->duration_ns,
			     "its document", status, hop);
	if (!rc && run_cfg_dut_serves(cfg))
		dut_cpu_sample(g, &g->cpu_after);
	return rc;
}

/* The DUT's CPU use between the two samples, in percent of one CPU (as
 * iperf3 counts its own); NaN when either sample failed. */
static double dut_cpu_pct(const struct goodput *g)
{
	const struct dut_sample *a = &g->cpu_before, *b = &g->cpu_after;

	if (!a->at_ns || !b->at_ns || b->at_ns <= a->at_ns || b->cpu_ns < a->cpu_ns)
		return NAN;
	return (double)(b->cpu_ns - a->cpu_ns) * 100.0 / (double)(b->at_ns - a->at_ns);
}

static int gp_point(void *ctx, unsigned i)
{
	struct goodput *g = ctx;
	const struct point_deps *d = g->d;
	const struct goodput_point *pt = &g->plan[i];
	struct goodput_row row;
	char doc[PATH_MAX + 32], err[512], how[64], *text = NULL;
	int rc, status = 0;

	memset(&row, 0, sizeof(row));
	row.index = i + 1;
	row.pt = *pt;
	snprintf(doc, sizeof(doc), "%s/point-%u.json", g->e.dir, i + 1);
	rc = client_run(g, pt, i + 1, doc, &status, row.hop);
	if (rc)
		return rc;
	rc = path_read_text(doc, GP_DOC_MAX, &text);
	if (!rc)
		rc = iperf3_parse(text, &row.r, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "cannot read it: %s", strerror(-rc));
	free(text);
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char dut[900];

		proc_status_str(status, how, sizeof(how));
		ends_dut_words(&g->e, row.hop, dut, sizeof(dut));
		log_err("point %u: the iperf3 client %s: %s (its output: %s)%s", i + 1, how,
			rc ? err : "no error in its document", doc, dut);
		return rc ? rc : -EPROTO;
	}
	if (row.r.warning[0])
		log_warn("point %u: iperf3 said: %s", i + 1, row.r.warning);
	if (run_cfg_dut_serves(d->cfg)) {
		/* iperf3's remote_total is the unikernel's 0, not a measurement */
		row.server_dut = 1;
		row.r.cpu_server_pct = dut_cpu_pct(g);
	}
	rc = table_out_add(g->out, &row);
	if (rc) {
		log_err("point %u: writing goodput.csv/.json in %s: %s", i + 1, d->run_dir,
			strerror(-rc));
		return rc;
	}
	g->done++;
	if (!d->cfg->quiet) {
		char gp[32];

		units_fmt_bps(gp, sizeof(gp), row.r.goodput_bps);
		if (pt->udp)
			fprintf(stderr, "         goodput %s  loss %.3f %%  jitter %.3f ms\n", gp,
				row.r.lost_pct, row.r.jitter_ms);
		else
			fprintf(stderr, "         goodput %s  retransmits %llu\n", gp,
				(unsigned long long)row.r.retransmits);
	}
	/* The settle gap: what is still queued drains before the next point. */
	return point_wait_until(g->e.point, mtime_now_ns() + d->cfg->settle_ns);
}

static void gp_describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct goodput *g = ctx;

	goodput_point_text(buf, len, &g->plan[i]);
}

int goodput_run(const struct point_deps *d, struct table_out *out, unsigned *done)
{
	struct goodput g = {.d = d, .out = out};
	struct measure_loop l = {.ctx = &g, .describe = gp_describe, .point = gp_point};
	int rc;

	*done = 0;
	rc = ends_supported(d, "goodput");
	if (rc)
		return rc;
	rc = goodput_plan(d->cfg, &g.plan, &g.n);
	if (rc) {
		log_err("cannot plan the goodput points: %s", strerror(-rc));
		return rc;
	}
	l.n = g.n;
	rc = ends_run(&g.e, d, "iperf3", "iperf3", server_start, &l);
	*done = g.done;
	free(g.plan);
	return rc;
}
