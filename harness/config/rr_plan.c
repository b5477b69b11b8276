/* The rr mode's plan; see rr_plan.h. */
#include "harness/config/rr_plan.h"

#include <errno.h>
#include <stdlib.h>

#include "harness/config/plan.h"
#include "harness/config/rr_opts.h"
#include "lib/units.h"

unsigned rr_plan_points(const struct run_cfg *cfg)
{
	return cfg->rrsz.n * cfg->nstreams;
}

int rr_plan(const struct run_cfg *cfg, struct rr_point **pts, unsigned *n)
{
	unsigned trials = cfg->trials ? cfg->trials : 1, points = rr_plan_points(cfg);
	unsigned k = 0, s, b, t;
	struct rr_point *p;

	if (!points)
		return -EINVAL;
	if ((uint64_t)points * trials > RUN_MAX_POINTS)
		return -E2BIG;
	p = calloc((size_t)points * trials, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (s = 0; s < cfg->nstreams; s++)
		for (b = 0; b < cfg->rrsz.n; b++)
			for (t = 0; t < trials; t++) {
				p[k].req = rr_size_req(cfg->rrsz.v[b]);
				p[k].resp = rr_size_resp(cfg->rrsz.v[b]);
				p[k].conns = cfg->streams[s];
				p[k].trial = t + 1;
				k++;
			}
	*pts = p;
	*n = k;
	return 0;
}

void rr_point_text(char *buf, size_t len, const struct rr_point *p)
{
	char sz[32];

	rr_size_text(sz, sizeof(sz), RR_SIZE_PACK(p->req, p->resp));
	snprintf(buf, len, "%s B  %u conn%s", sz, p->conns, p->conns == 1 ? "" : "s");
}

uint64_t rr_estimate_ns(const struct run_cfg *cfg)
{
	return plan_runs_ns(cfg, (uint64_t)rr_plan_points(cfg) * (cfg->trials ? cfg->trials : 1));
}

static void describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct rr_point *pts = ctx;

	rr_point_text(buf, len, &pts[i]);
}

void rr_plan_print(FILE *f, const struct run_cfg *cfg)
{
	struct rr_point *pts = NULL;
	char a[64], b[64], c[64], d[64], each[512];
	unsigned n = 0;

	if (rr_plan(cfg, &pts, &n)) {
		fprintf(f, "\nno points\n");
		return;
	}
	units_fmt_duration(a, sizeof(a), cfg->warmup_ns);
	units_fmt_duration(b, sizeof(b), cfg->duration_ns);
	units_fmt_duration(c, sizeof(c), cfg->settle_ns);
	units_fmt_duration(d, sizeof(d), cfg->rr_timeout_ns);
	snprintf(each, sizeof(each),
		 "\neach point: mir-trafgen rr client, one transaction outstanding per "
		 "connection,\n%s warm-up (counted apart) and %s measured, a transaction "
		 "timing out after %s,\n%s settle before the next\n",
		 a, b, d, c);
	plan_mode_print(f, "rr", cfg, n, describe, pts, each);
	free(pts);
}
