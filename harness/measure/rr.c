/* The rr mode; see rr.h. goodput.c's ends and waiting (ends.c), with
 * mir-trafgen rr instead of iperf3. */
#include "harness/measure/rr.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/config/rr_plan.h"
#include "harness/measure/ends.h"
#include "harness/measure/loop.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/path.h"
#include "lib/proc.h"
#include "lib/units.h"

#define RR_DOC_MAX     (1024 * 1024)
#define RR_SERVER_PORT 12865 /* trafgen/rr_wire.h RR_PORT */

struct rr {
	const struct point_deps *d;
	struct table_out *out; /* rr.csv/.json */
	struct rr_point *plan;
	unsigned n, done;
	struct ends e; /* the rr server and clients, in RUN_DIR/rr */
	char trafgen[PATH_MAX];
};

/* mir-trafgen beside our own binary, as the local platform finds it. */
static int trafgen_exe(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	return snprintf(buf, len, "%s/mir-trafgen", self) >= (int)len ? -ENAMETOOLONG : 0;
}

static int server_start(void *ctx)
{
	struct rr *g = ctx;
	const struct point_deps *d = g->d;
	char listen[32];
	char *argv[] = {g->trafgen, "rr", "server", "--listen", listen, NULL};

	snprintf(listen, sizeof(listen), "%s:%u", d->ops->end_addr(d->plat, END_SERVER),
		 RR_SERVER_PORT);
	return ends_server_start(&g->e, argv, RR_SERVER_PORT);
}

/* Run the client to its end (or stop it), its output in doc. */
static int client_run(struct rr *g, const struct rr_point *pt, unsigned index, const char *doc,
		      int *status, struct hop_delta hop[HOP_COUNT])
{
	const struct point_deps *d = g->d;
	const struct run_cfg *cfg = d->cfg;
	char conn[32], size[32], conns[16], dur[32], warm[32], tmo[32];
	char *argv[] = {g->trafgen, "rr",	"client",    "--connect", conn,	    "--size",
			size,	    "--conns",	conns,	     "--duration", dur,	    "--warmup",
			warm,	    "--timeout", tmo,	     "--json",	   NULL};

	snprintf(conn, sizeof(conn), "%s:%u", d->ops->end_addr(d->plat, END_SERVER),
		 RR_SERVER_PORT);
	snprintf(size, sizeof(size), "%u/%u", pt->req, pt->resp);
	snprintf(conns, sizeof(conns), "%u", pt->conns);
	/* whole microseconds: trafgen's durations take "us" */
	snprintf(dur, sizeof(dur), "%lluus", (unsigned long long)(cfg->duration_ns / 1000));
	snprintf(warm, sizeof(warm), "%lluus", (unsigned long long)(cfg->warmup_ns / 1000));
	snprintf(tmo, sizeof(tmo), "%lluus", (unsigned long long)(cfg->rr_timeout_ns / 1000));
	return ends_client_run(&g->e, index, argv, doc,
			       cfg->warmup_ns + cfg->duration_ns + cfg->rr_timeout_ns, "its output",
			       status, hop);
}

static void progress(const struct rr_row *row)
{
	char tps[32];

	units_fmt_pps(tps, sizeof(tps), row->r.tps);
	/* units_fmt_pps says "pps": these are transactions */
	tps[strcspn(tps, "p")] = '\0';
	fprintf(stderr,
		"         %s transactions/s  latency p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f us"
		"%s\n",
		tps, row->r.lat_p50 / 1e3, row->r.lat_p99 / 1e3, row->r.lat_p999 / 1e3,
		row->r.lat_max / 1e3,
		row->r.timed_out || row->r.failed ? "  (some timed out or failed)" : "");
}

static int rr_point_run(void *ctx, unsigned i)
{
	struct rr *g = ctx;
	const struct point_deps *d = g->d;
	const struct rr_point *pt = &g->plan[i];
	char doc[PATH_MAX + 32], err[512], how[64], *text = NULL;
	struct rr_row row;
	int rc, status = 0;

	memset(&row, 0, sizeof(row));
	row.index = i + 1;
	row.pt = *pt;
	snprintf(doc, sizeof(doc), "%s/point-%u.json", g->e.dir, i + 1);
	rc = client_run(g, pt, i + 1, doc, &status, row.hop);
	if (rc)
		return rc;
	rc = path_read_text(doc, RR_DOC_MAX, &text);
	if (!rc)
		rc = rr_result_parse(text, &row.r, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "cannot read it: %s", strerror(-rc));
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char line[256], dut[900];

		proc_status_str(status, how, sizeof(how));
		ends_first_line(doc, line, sizeof(line));
		ends_dut_words(&g->e, row.hop, dut, sizeof(dut));
		log_err("point %u: the rr client %s: %s (its output: %s)%s", i + 1, how,
			!WIFEXITED(status) || WEXITSTATUS(status) ? line : err, doc, dut);
		free(text);
		return rc ? rc : -EPROTO;
	}
	free(text);
	rc = table_out_add(g->out, &row);
	if (rc) {
		log_err("point %u: writing rr.csv/.json in %s: %s", i + 1, d->run_dir,
			strerror(-rc));
		return rc;
	}
	g->done++;
	if (!d->cfg->quiet)
		progress(&row);
	/* The settle gap: what is still queued drains before the next point. */
	return point_wait_until(g->e.point, mtime_now_ns() + d->cfg->settle_ns);
}

static void rr_describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct rr *g = ctx;

	rr_point_text(buf, len, &g->plan[i]);
}

int rr_run(const struct point_deps *d, struct table_out *out, unsigned *done)
{
	struct rr g = {.d = d, .out = out};
	struct measure_loop l = {.ctx = &g, .describe = rr_describe, .point = rr_point_run};
	int rc;

	*done = 0;
	rc = ends_supported(d, "rr");
	if (rc)
		return rc;
	rc = trafgen_exe(g.trafgen, sizeof(g.trafgen));
	if (rc) {
		log_err("cannot find mir-trafgen beside mir-perf: %s", strerror(-rc));
		return rc;
	}
	rc = rr_plan(d->cfg, &g.plan, &g.n);
	if (rc) {
		log_err("cannot plan the rr points: %s", strerror(-rc));
		return rc;
	}
	l.n = g.n;
	rc = ends_run(&g.e, d, "rr", "rr", server_start, &l);
	*done = g.done;
	free(g.plan);
	return rc;
}
