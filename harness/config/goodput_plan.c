/* The goodput mode's plan; see goodput_plan.h. */
#include "harness/config/goodput_plan.h"

#include <errno.h>
#include <stdlib.h>

#include "harness/config/plan.h"
#include "lib/units.h"

unsigned goodput_plan_points(const struct run_cfg *cfg)
{
	unsigned per = cfg->bufsz.n * cfg->nstreams, n = 0;

	if (cfg->protocols & RUN_PROTO_TCP)
		n += per;
	if (cfg->protocols & RUN_PROTO_UDP)
		n += per * cfg->nbitrates;
	return n;
}

int goodput_plan(const struct run_cfg *cfg, struct goodput_point **pts, unsigned *n)
{
	unsigned trials = cfg->trials ? cfg->trials : 1, points = goodput_plan_points(cfg);
	unsigned k = 0, proto, s, b, r, t;
	struct goodput_point *p;

	if (!points)
		return -EINVAL;
	if ((uint64_t)points * trials > RUN_MAX_POINTS)
		return -E2BIG;
	p = calloc((size_t)points * trials, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (proto = 0; proto < 2; proto++) {
		if (!(cfg->protocols & (proto ? RUN_PROTO_UDP : RUN_PROTO_TCP)))
			continue;
		for (s = 0; s < cfg->nstreams; s++)
			for (b = 0; b < cfg->bufsz.n; b++)
				for (r = 0; r < (proto ? cfg->nbitrates : 1); r++)
					for (t = 0; t < trials; t++) {
						p[k].udp = (int)proto;
						p[k].streams = cfg->streams[s];
						p[k].bufsz = (uint32_t)cfg->bufsz.v[b];
						p[k].bitrate = proto ? cfg->bitrates[r] : 0;
						p[k].trial = t + 1;
						k++;
					}
	}
	*pts = p;
	*n = k;
	return 0;
}

void goodput_point_text(char *buf, size_t len, const struct goodput_point *p)
{
	char rate[32] = "";

	if (p->udp) {
		rate[0] = ' ';
		rate[1] = ' ';
		units_fmt_bps(rate + 2, sizeof(rate) - 2, (double)p->bitrate);
	}
	snprintf(buf, len, "%s  %u stream%s  %u B%s", p->udp ? "udp" : "tcp", p->streams,
		 p->streams == 1 ? "" : "s", p->bufsz, rate);
}

uint64_t goodput_estimate_ns(const struct run_cfg *cfg)
{
	return plan_runs_ns(cfg,
			    (uint64_t)goodput_plan_points(cfg) * (cfg->trials ? cfg->trials : 1));
}

static void describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct goodput_point *pts = ctx;

	goodput_point_text(buf, len, &pts[i]);
}

void goodput_plan_print(FILE *f, const struct run_cfg *cfg)
{
	struct goodput_point *pts = NULL;
	char a[64], b[64], c[64], each[512];
	unsigned n = 0;

	if (goodput_plan(cfg, &pts, &n)) {
		fprintf(f, "\nno points\n");
		return;
	}
	units_fmt_duration(a, sizeof(a), cfg->warmup_ns);
	units_fmt_duration(b, sizeof(b), cfg->duration_ns);
	units_fmt_duration(c, sizeof(c), cfg->settle_ns);
	snprintf(each, sizeof(each),
		 "\neach point: iperf3 for %s warm-up (left out of its sums) and %s measured, "
		 "%s settle before the next\n",
		 a, b, c);
	plan_mode_print(f, "goodput", cfg, n, describe, pts, each);
	free(pts);
}
