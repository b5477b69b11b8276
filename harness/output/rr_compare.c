/* compare on rr runs; see rr_compare.h. */
#include "harness/output/rr_compare.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/config/rr_opts.h"
#include "harness/measure/stats_ci.h"
#include "harness/output/csvread.h"
#include "harness/output/rr_out.h"
#include "lib/atomic_file.h"
#include "lib/log.h"
#include "lib/vec.h"

struct rc_key {
	unsigned req, resp, conns;
};

/* One figure over a point's trials, with its plausible range: the 95 % CI,
 * or the mean alone. */
struct rc_fig {
	struct ci_acc acc;
	struct ci_stats st;
	double lo, hi;
};

struct rc_val {
	struct rc_key k;
	struct rc_fig tps, p99;
};

struct rc_run {
	struct rc_val *v;
	unsigned n, cap;
};

int rr_compare_is_rr(const char *dir)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/rr.csv", dir);
	return !access(path, R_OK);
}

static struct rc_val *find(struct rc_run *r, const struct rc_key *k)
{
	unsigned i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].k.req == k->req && r->v[i].k.resp == k->resp &&
		    r->v[i].k.conns == k->conns)
			return &r->v[i];
	return NULL;
}

static void fig_finish(struct rc_fig *f)
{
	ci_acc_finish(&f->acc, &f->st);
	f->lo = f->st.n > 1 ? f->st.ci_lo : f->st.mean;
	f->hi = f->st.n > 1 ? f->st.ci_hi : f->st.mean;
}

/* One row of rr.csv into its point's trials. */
static int load_row(void *ctx, struct csv *c, const double *v, char *const *s)
{
	struct rc_run *r = ctx;
	struct rc_key k;
	struct rc_val *p;
	int rc;

	k.req = (unsigned)v[0];
	k.resp = (unsigned)v[1];
	k.conns = (unsigned)v[2];
	p = find(r, &k);
	if (!p) {
		rc = VEC_ROOM(r->v, r->n, r->cap, 16);
		if (rc)
			return rc;
		p = &r->v[r->n++];
		memset(p, 0, sizeof(*p));
		p->k = k;
		ci_acc_init(&p->tps.acc);
		ci_acc_init(&p->p99.acc);
	}
	ci_acc_add(&p->tps.acc, v[3]);
	ci_acc_add(&p->p99.acc, v[4]);
	return 0;
}

static int load(struct rc_run *r, const char *dir)
{
	/* load_row reads them in this order */
	static const unsigned ids[] = {RR_REQ_BYTES, RR_RESP_BYTES, RR_CONNS, RR_TPS, RR_LAT_P99};
	unsigned i;
	int rc;

	rc = csv_walk(dir, "rr.csv", &rr_columns, ids, sizeof(ids) / sizeof(ids[0]), load_row, r);
	if (rc)
		return rc;
	for (i = 0; i < r->n; i++) {
		fig_finish(&r->v[i].tps);
		fig_finish(&r->v[i].p99);
	}
	return 0;
}

static void fig_text(char *buf, size_t len, const struct rc_fig *f, int decimals)
{
	if (f->st.n > 1)
		snprintf(buf, len, "%.*f +- %.*f", decimals, f->st.mean, decimals, f->st.ci_half);
	else
		snprintf(buf, len, "%.*f", decimals, f->st.mean);
}

static double pct(double a, double b)
{
	return a > 0 ? 100 * (b - a) / a : NAN;
}

int rr_compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o,
		    FILE *out)
{
	struct rc_run a = {0}, b = {0};
	char path[PATH_MAX + 32], size[32], s1[40], s2[40], s3[40], s4[40];
	unsigned i, rows = 0, beyond = 0, regressed = 0;
	struct afile ac = {.fd = -1};
	FILE *csv = NULL;
	int dfd = -1, rc;

	rc = load(&a, dir_a);
	if (!rc)
		rc = load(&b, dir_b);
	if (rc)
		goto out;
	rc = compare_mode_csv(dir_a, dir_b, o, "compare-rr.csv", path, sizeof(path), &dfd, &ac,
			      &csv);
	if (rc)
		goto out;
	fputs("req_bytes,resp_bytes,conns,a_tps,a_tps_ci_half,b_tps,b_tps_ci_half,tps_diff_pct,"
	      "tps_beyond_noise,a_p99_us,a_p99_ci_half,b_p99_us,b_p99_ci_half,p99_diff_pct,"
	      "p99_beyond_noise,a_trials,b_trials,regression\n",
	      csv);
	fprintf(out, "A: %s\nB: %s\ntransactions/s and p99 latency (us), means over the trials; "
		     "beyond noise: outside both runs' 95 %% confidence intervals (trials > 1)\n\n",
		dir_a, dir_b);
	fprintf(out, "%-20s %18s %18s %8s  %16s %16s %8s  %s\n", "size        conns", "A tps",
		"B tps", "diff", "A p99", "B p99", "diff", "beyond noise");
	for (i = 0; i < a.n; i++) {
		const struct rc_val *va = &a.v[i], *vb = find(&b, &va->k);
		int tps_out, p99_out, worse = 0;
		double slack = o->fail_pct >= 0 ? o->fail_pct / 100 : 0;

		if (!vb)
			continue;
		rows++;
		tps_out = vb->tps.hi < va->tps.lo || va->tps.hi < vb->tps.lo;
		p99_out = vb->p99.hi < va->p99.lo || va->p99.hi < vb->p99.lo;
		beyond += tps_out || p99_out;
		if (o->fail_pct >= 0 && (vb->tps.hi < va->tps.lo * (1 - slack) ||
					 vb->p99.lo > va->p99.hi * (1 + slack))) {
			worse = 1;
			regressed++;
		}
		rr_size_text(size, sizeof(size), RR_SIZE_PACK(va->k.req, va->k.resp));
		fig_text(s1, sizeof(s1), &va->tps, 1);
		fig_text(s2, sizeof(s2), &vb->tps, 1);
		fig_text(s3, sizeof(s3), &va->p99, 1);
		fig_text(s4, sizeof(s4), &vb->p99, 1);
		fprintf(out, "%-14s %5u %18s %18s %+7.1f%%  %16s %16s %+7.1f%%  %s%s%s%s%s\n", size,
			va->k.conns, s1, s2, pct(va->tps.st.mean, vb->tps.st.mean), s3, s4,
			pct(va->p99.st.mean, vb->p99.st.mean),
			!tps_out && !p99_out ? "no" : "",
			tps_out ? (vb->tps.st.mean < va->tps.st.mean ? "B fewer tps" : "B more tps")
				: "",
			p99_out ? (tps_out ? ", " : "") : "",
			p99_out ? (vb->p99.st.mean > va->p99.st.mean ? "B higher p99"
								      : "B lower p99")
				: "",
			worse ? "  REGRESSION" : "");
		fprintf(csv,
			"%u,%u,%u,%.3f,%.3f,%.3f,%.3f,%.2f,%d,%.3f,%.3f,%.3f,%.3f,%.2f,%d,%u,%u,%d\n",
			va->k.req, va->k.resp, va->k.conns, va->tps.st.mean,
			va->tps.st.n > 1 ? va->tps.st.ci_half : 0.0, vb->tps.st.mean,
			vb->tps.st.n > 1 ? vb->tps.st.ci_half : 0.0,
			pct(va->tps.st.mean, vb->tps.st.mean), tps_out, va->p99.st.mean,
			va->p99.st.n > 1 ? va->p99.st.ci_half : 0.0, vb->p99.st.mean,
			vb->p99.st.n > 1 ? vb->p99.st.ci_half : 0.0,
			pct(va->p99.st.mean, vb->p99.st.mean), p99_out, va->tps.st.n, vb->tps.st.n,
			worse);
	}
	if (!rows) {
		log_err("compare: %s and %s have no rr point in common (request size, response "
			"size and connections)",
			dir_a, dir_b);
		rc = -EINVAL;
		goto out;
	}
	rc = compare_mode_summary(o, out, path, rows, beyond, regressed);
out:
	rc = compare_mode_close(&ac, csv, dfd, path, rc);
	free(a.v);
	free(b.v);
	return rc;
}
