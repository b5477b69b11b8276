/* Per-point statistics over repeated trials; see trials_summary.h. */
#include "harness/output/trials_summary.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/output/columns.h"
#include "harness/output/plots.h"
#include "harness/measure/stats_ci.h"
#include "lib/atomic_file.h"

enum { TS_OFFERED = 0, TS_RX, TS_LOSS, TS_COUNT };

/* The figures summed up over the trials: columns of the point's table. */
static const enum col_point_id ts_col[TS_COUNT] = {CP_OFFERED_PPS, CP_SINK_RX_PPS, CP_LOSS_PCT};

struct ts_group {
	const struct results_point *first; /* the group's first trial */
	uint32_t size;
	uint64_t target;
	struct ci_acc acc[TS_COUNT];
	struct ci_stats st[TS_COUNT];
};

/* The groups in first-seen order; *n of them, malloc'd. */
static int ts_group(const struct results *r, struct ts_group **out, unsigned *n, int *repeated)
{
	unsigned i, j, count = results_count(r), ng = 0;
	struct ts_group *g = calloc(count ? count : 1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	*repeated = 0;
	for (i = 0; i < count; i++) {
		const struct results_point *p = results_point_at(r, i);
		struct col_val v;
		int k;

		for (j = 0; j < ng; j++)
			if (g[j].size == p->size && g[j].target == p->target_pps)
				break;
		if (j == ng) {
			g[ng].first = p;
			g[ng].size = p->size;
			g[ng].target = p->target_pps;
			for (k = 0; k < TS_COUNT; k++)
				ci_acc_init(&g[ng].acc[k]);
			ng++;
		} else {
			*repeated = 1;
		}
		for (k = 0; k < TS_COUNT; k++) {
			columns_value(&columns_point.col[ts_col[k]], p, COL_CSV, &v);
			if (!isnan(v.d))
				ci_acc_add(&g[j].acc[k], v.d);
		}
	}
	for (j = 0; j < ng; j++)
		for (i = 0; i < TS_COUNT; i++)
			ci_acc_finish(&g[j].acc[i], &g[j].st[i]);
	*out = g;
	*n = ng;
	return 0;
}

/* ",value", or "," when not measured */
static void ts_field(FILE *f, double v)
{
	if (isnan(v))
		fputc(',', f);
	else
		fprintf(f, ",%.3f", v);
}

/* The group's target as stats.csv has it ("max" or the number). */
static void ts_target(char *buf, size_t len, const struct ts_group *g)
{
	const struct column *c = &columns_point.col[CP_TARGET_PPS];
	struct col_val v;

	columns_value(c, g->first, COL_CSV, &v);
	if (v.s[0])
		snprintf(buf, len, "%.20s", v.s);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v.u);
}

static int ts_files(int dirfd, const struct ts_group *g, unsigned n)
{
	char t[24], a[32], b[32];
	struct afile ac, at;
	FILE *csv = NULL, *txt = NULL;
	unsigned i;
	int k, rc;

	rc = afile_begin(&ac, dirfd, "stats-trials.csv", 0644);
	if (rc)
		return rc;
	rc = afile_begin(&at, dirfd, "stats-trials", 0644);
	if (rc) {
		afile_abort(&ac);
		return rc;
	}
	csv = afile_stream(&ac);
	txt = afile_stream(&at);
	if (!csv || !txt) {
		rc = -errno;
		goto out;
	}
	fprintf(csv, "%s,%s,trials", columns_name(&columns_point, CP_SIZE),
		columns_name(&columns_point, CP_TARGET_PPS));
	for (k = 0; k < TS_COUNT; k++) {
		const char *c = columns_name(&columns_point, ts_col[k]);

		fprintf(csv, ",%s_mean,%s_stddev,%s_min,%s_max,%s_ci_lo,%s_ci_hi", c, c, c, c, c,
			c);
	}
	fputc('\n', csv);
	fprintf(txt,
		"# every point repeated; mean, standard deviation and 95 %% confidence "
		"interval (Student's t) over the trials\n"
		"#%5s %10s %6s %12s %26s %10s %26s %9s\n",
		"size", "target", "trials", "offered pps", "sink rx pps (95 % CI)", "stddev",
		"min .. max", "loss %");
	for (i = 0; i < n; i++) {
		ts_target(t, sizeof(t), &g[i]);
		fprintf(csv, "%u,%s,%u", g[i].size, t, g[i].st[TS_OFFERED].n);
		for (k = 0; k < TS_COUNT; k++) {
			const struct ci_stats *s = &g[i].st[k];

			ts_field(csv, s->mean);
			ts_field(csv, s->n > 1 ? s->stddev : NAN);
			ts_field(csv, s->min);
			ts_field(csv, s->max);
			ts_field(csv, s->ci_lo);
			ts_field(csv, s->ci_hi);
		}
		fputc('\n', csv);
		snprintf(a, sizeof(a), "%.0f +/- %.0f", g[i].st[TS_RX].mean,
			 isnan(g[i].st[TS_RX].ci_half) ? 0 : g[i].st[TS_RX].ci_half);
		snprintf(b, sizeof(b), "%.0f .. %.0f", g[i].st[TS_RX].min, g[i].st[TS_RX].max);
		fprintf(txt, " %5u %10s %6u %12.0f %26s %10.0f %26s %9.4f\n", g[i].size, t,
			g[i].st[TS_RX].n, g[i].st[TS_OFFERED].mean, a, g[i].st[TS_RX].stddev, b,
			g[i].st[TS_LOSS].mean);
	}
out:
	if (!rc)
		rc = afile_commit(&ac, 0);
	if (!rc)
		return afile_commit(&at, 0);
	afile_abort(&ac);
	afile_abort(&at);
	return rc;
}

/* plots/trials.dat: one block per size, rows offered_mean rx_mean rx_ci_lo rx_ci_hi
 * offered_ci_lo offered_ci_hi; then gnuplot. */
static int ts_plot(const struct results *r, const struct ts_group *g, unsigned n,
		   const char *templates)
{
	char tpl[PATH_MAX + 32], title[256], vars[2048];
	uint32_t sizes[64];
	unsigned ns = 0, i, j;
	struct afile a;
	size_t off;
	FILE *f;
	int rc, dfd;

	dfd = afile_subdir(results_dirfd(r), "plots", 0755);
	if (dfd < 0)
		return dfd;
	for (i = 0; i < n && ns < 64; i++) {
		for (j = 0; j < ns && sizes[j] != g[i].size; j++)
			;
		if (j == ns)
			sizes[ns++] = g[i].size;
	}
	rc = afile_begin(&a, dfd, "trials.dat", 0644);
	if (rc)
		goto out;
	f = afile_stream(&a);
	if (!f) {
		rc = -errno;
		afile_abort(&a);
		goto out;
	}
	for (j = 0; j < ns; j++) {
		if (j)
			fputs("\n\n", f);
		for (i = 0; i < n; i++) {
			const struct ci_stats *o = &g[i].st[TS_OFFERED], *x = &g[i].st[TS_RX];

			if (g[i].size != sizes[j])
				continue;
			fprintf(f, "%.3f %.3f %.3f %.3f %.3f %.3f\n", o->mean, x->mean,
				isnan(x->ci_lo) ? x->mean : x->ci_lo,
				isnan(x->ci_hi) ? x->mean : x->ci_hi,
				isnan(o->ci_lo) ? o->mean : o->ci_lo,
				isnan(o->ci_hi) ? o->mean : o->ci_hi);
		}
	}
	rc = afile_commit(&a, 0);
	if (rc)
		goto out;
	plots_title(title, sizeof(title), results_get_meta(r));
	off = (size_t)snprintf(vars, sizeof(vars), "title='%s'; sizes='", title);
	for (j = 0; j < ns && off < sizeof(vars) - 16; j++)
		off += (size_t)snprintf(vars + off, sizeof(vars) - off, "%s%u", j ? " " : "",
					sizes[j]);
	snprintf(vars + off, sizeof(vars) - off, "'");
	snprintf(tpl, sizeof(tpl), "%s/rx_vs_offered_ci.gp", templates);
	rc = plots_gnuplot(dfd, tpl, vars);
out:
	close(dfd);
	return rc;
}

int trials_summary_write(const struct results *r, const char *templates)
{
	struct ts_group *g = NULL;
	unsigned n = 0;
	int repeated, rc;

	rc = ts_group(r, &g, &n, &repeated);
	if (rc || !repeated)
		goto out;
	rc = ts_files(results_dirfd(r), g, n);
	if (!rc && templates)
		rc = ts_plot(r, g, n, templates);
out:
	free(g);
	return rc;
}
