/* compare on goodput runs; see goodput_compare.h. */
#include "harness/output/goodput_compare.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/measure/stats_ci.h"
#include "harness/output/csvread.h"
#include "harness/output/goodput_out.h"
#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/path.h"
#include "lib/vec.h"

struct gc_key {
	int udp;
	unsigned streams, bufsz;
	uint64_t target;
};

struct gc_val {
	struct gc_key k;
	struct ci_acc acc;
	struct ci_stats st;
	double lo, hi; /* plausible range: the 95 % CI, or the mean alone */
};

struct gc_run {
	struct gc_val *v;
	unsigned n, cap;
};

int goodput_compare_is_goodput(const char *dir)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/goodput.csv", dir);
	return !access(path, R_OK);
}

static int same_key(const struct gc_key *a, const struct gc_key *b)
{
	return a->udp == b->udp && a->streams == b->streams && a->bufsz == b->bufsz &&
	       a->target == b->target;
}

static struct gc_val *find(struct gc_run *r, const struct gc_key *k)
{
	unsigned i;

	for (i = 0; i < r->n; i++)
		if (same_key(&r->v[i].k, k))
			return &r->v[i];
	return NULL;
}

/* One row of goodput.csv into its point's trials. */
static int load_row(void *ctx, struct csv *c, const double *v, char *const *s)
{
	struct gc_run *r = ctx;
	struct gc_key k = {0};
	struct gc_val *p;
	int rc;

	if (strcmp(s[0], "tcp") && strcmp(s[0], "udp")) {
		log_err("%s:%u: expected protocol tcp or udp, got '%.20s'", c->path, c->line, s[0]);
		return -EINVAL;
	}
	k.udp = !strcmp(s[0], "udp");
	k.streams = (unsigned)v[1];
	k.bufsz = (unsigned)v[2];
	k.target = (uint64_t)v[3];
	p = find(r, &k);
	if (!p) {
		rc = VEC_ROOM(r->v, r->n, r->cap, 16);
		if (rc)
			return rc;
		p = &r->v[r->n++];
		memset(p, 0, sizeof(*p));
		p->k = k;
		ci_acc_init(&p->acc);
	}
	ci_acc_add(&p->acc, v[4]);
	return 0;
}

static int load(struct gc_run *r, const char *dir)
{
	/* by the names goodput_out gives them; load_row reads them in this order */
	static const unsigned ids[] = {GP_PROTOCOL, GP_STREAMS, GP_BUFSZ, GP_TARGET_BPS,
				       GP_GOODPUT_MBPS};
	unsigned i;
	int rc;

	rc = csv_walk(dir, "goodput.csv", &goodput_columns, ids, sizeof(ids) / sizeof(ids[0]),
		      load_row, r);
	if (rc)
		return rc;
	for (i = 0; i < r->n; i++) {
		struct gc_val *v = &r->v[i];

		ci_acc_finish(&v->acc, &v->st);
		v->lo = v->st.n > 1 ? v->st.ci_lo : v->st.mean;
		v->hi = v->st.n > 1 ? v->st.ci_hi : v->st.mean;
	}
	return 0;
}

/* goodput.json of RUN_MAX_POINTS points is some 20 MB; past this it is not ours */
#define GC_JSON_MAX ((size_t)64 << 20)

/* Where dir's iperf3 server was, from goodput.json's meta.server: "sink" or
 * "dut" into server. A run written before the key was (or a directory with
 * goodput.csv alone) had its server behind the DUT: "sink". 0, -EINVAL
 * (reported) for a document that is not what mir-perf writes, or another
 * negative errno (reported). */
static int load_server(const char *dir, char *server, size_t len)
{
	char path[PATH_MAX + 16], err[160], *text = NULL;
	struct json_val *root = NULL;
	const struct json_val *s;
	int rc;

	snprintf(server, len, "sink");
	snprintf(path, sizeof(path), "%s/goodput.json", dir);
	rc = path_read_text(path, GC_JSON_MAX, &text);
	if (rc == -ENOENT)
		return 0;
	if (rc) {
		log_err("%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = json_tree_parse(text, &root, err, sizeof(err));
	if (rc == -EINVAL)
		log_err("%s: not a goodput run's document (%s)", path, err);
	else if (rc)
		log_err("%s: %s", path, strerror(-rc));
	if (rc)
		goto out;
	s = json_path(root, "meta.server");
	if (s && (s->kind != JSON_K_STR || (strcmp(s->str, "sink") && strcmp(s->str, "dut")))) {
		log_err("%s: meta.server: expected \"sink\" or \"dut\"", path);
		rc = -EINVAL;
	} else if (s) {
		snprintf(server, len, "%s", s->str);
	}
out:
	json_tree_free(root);
	free(text);
	return rc;
}

static void key_text(char *buf, size_t len, const struct gc_key *k)
{
	if (k->udp)
		snprintf(buf, len, "udp %3u %7u %6.1fM", k->streams, k->bufsz,
			 (double)k->target / 1e6);
	else
		snprintf(buf, len, "tcp %3u %7u %7s", k->streams, k->bufsz, "-");
}

static void val_text(char *buf, size_t len, const struct gc_val *v)
{
	if (v->st.n > 1)
		snprintf(buf, len, "%.2f +- %.2f (%u)", v->st.mean, v->st.ci_half, v->st.n);
	else
		snprintf(buf, len, "%.2f", v->st.mean);
}

int goodput_compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o,
			 FILE *out)
{
	struct gc_run a = {0}, b = {0};
	char path[PATH_MAX + 32], key[48], va_s[40], vb_s[40], srv_a[8], srv_b[8];
	unsigned i, rows = 0, beyond = 0, regressed = 0;
	struct afile ac = {.fd = -1};
	FILE *csv = NULL;
	int dfd = -1, rc;

	rc = load(&a, dir_a);
	if (!rc)
		rc = load(&b, dir_b);
	if (!rc)
		rc = load_server(dir_a, srv_a, sizeof(srv_a));
	if (!rc)
		rc = load_server(dir_b, srv_b, sizeof(srv_b));
	if (rc)
		goto out;
	/* the DUT as the server measures its stack, not its forwarding: no
	 * difference between the two would be the driver's */
	if (strcmp(srv_a, srv_b)) {
		log_err("cannot compare %s with %s: iperf3's server differs (server %s, server "
			"%s): one run measures the DUT forwarding, the other the DUT's own stack",
			dir_a, dir_b, srv_a, srv_b);
		rc = -EINVAL;
		goto out;
	}
	rc = compare_mode_csv(dir_a, dir_b, o, "compare-goodput.csv", path, sizeof(path), &dfd, &ac,
			      &csv);
	if (rc)
		goto out;
	fputs("protocol,streams,bufsz,target_bps,a_mbps,a_ci_half,a_trials,b_mbps,b_ci_half,"
	      "b_trials,diff_pct,beyond_noise,regression\n",
	      csv);
	fprintf(out,
		"A: %s\nB: %s\ngoodput (Mbit/s), mean over the trials; beyond noise: "
		"outside both runs' 95 %% confidence intervals (trials > 1)\n\n",
		dir_a, dir_b);
	fprintf(out, "%-27s %22s %22s %9s  %s\n", "proto streams bufsz target", "A", "B", "diff",
		"beyond noise");
	for (i = 0; i < a.n; i++) {
		const struct gc_val *va = &a.v[i], *vb = find(&b, &va->k);
		int disjoint, worse = 0;
		double diff;

		if (!vb)
			continue;
		rows++;
		disjoint = vb->hi < va->lo || va->hi < vb->lo;
		beyond += disjoint;
		if (o->fail_pct >= 0 && vb->hi < va->lo * (1 - o->fail_pct / 100)) {
			worse = 1;
			regressed++;
		}
		diff = va->st.mean > 0 ? 100 * (vb->st.mean - va->st.mean) / va->st.mean : NAN;
		key_text(key, sizeof(key), &va->k);
		val_text(va_s, sizeof(va_s), va);
		val_text(vb_s, sizeof(vb_s), vb);
		fprintf(out, "%-27s %22s %22s %+8.1f%%  %s%s\n", key, va_s, vb_s, diff,
			!disjoint		    ? "no"
			: vb->st.mean < va->st.mean ? "yes, B lower"
						    : "yes, B higher",
			worse ? "  REGRESSION" : "");
		fprintf(csv, "%s,%u,%u,%llu,%.4f,%.4f,%u,%.4f,%.4f,%u,%.2f,%d,%d\n",
			va->k.udp ? "udp" : "tcp", va->k.streams, va->k.bufsz,
			(unsigned long long)va->k.target, va->st.mean,
			va->st.n > 1 ? va->st.ci_half : 0.0, va->st.n, vb->st.mean,
			vb->st.n > 1 ? vb->st.ci_half : 0.0, vb->st.n, diff, disjoint, worse);
	}
	if (!rows) {
		log_err("compare: %s and %s have no goodput point in common (protocol, streams, "
			"write size and UDP target)",
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
