/* The rr mode's plan; see rr_plan.h. */
#include "harness/config/rr_plan.h"

#include <errno.h>
#include <stdlib.h>

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
	uint64_t n = (uint64_t)rr_plan_points(cfg) * (cfg->trials ? cfg->trials : 1);

	return n ? n * (cfg->warmup_ns + cfg->duration_ns) + (n - 1) * cfg->settle_ns : 0;
}

void rr_plan_print(FILE *f, const struct run_cfg *cfg)
{
	struct rr_point *pts = NULL;
	char a[64], b[64], c[64], d[64];
	unsigned n = 0, i;

	if (rr_plan(cfg, &pts, &n)) {
		fprintf(f, "\nno points\n");
		return;
	}
	fprintf(f, "\nrr: %u point%s (%u trial%s each, in a row)\n", n / cfg->trials,
		n / cfg->trials == 1 ? "" : "s", cfg->trials, cfg->trials == 1 ? "" : "s");
	for (i = 0; i < n; i += cfg->trials) {
		char pt[32], what[96];

		snprintf(pt, sizeof(pt), "%u/%u", i / cfg->trials + 1, n / cfg->trials);
		rr_point_text(what, sizeof(what), &pts[i]);
		fprintf(f, "  %11s  %s\n", pt, what);
	}
	free(pts);
	units_fmt_duration(a, sizeof(a), cfg->warmup_ns);
	units_fmt_duration(b, sizeof(b), cfg->duration_ns);
	units_fmt_duration(c, sizeof(c), cfg->settle_ns);
	units_fmt_duration(d, sizeof(d), cfg->rr_timeout_ns);
	fprintf(f,
		"\neach point: mir-trafgen rr client, one transaction outstanding per "
		"connection,\n%s warm-up (counted apart) and %s measured, a transaction "
		"timing out after %s,\n%s settle before the next\n",
		a, b, d, c);
	units_fmt_duration(a, sizeof(a), rr_estimate_ns(cfg));
	fprintf(f, "estimated time: %s, plus a few seconds to build and remove the topology\n",
		a);
}
