/* rr.csv, rr.json and the rr plot; see rr_out.h. */
#include "harness/output/rr_out.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/config/rr_opts.h"
#include "harness/output/plots.h"
#include "harness/output/table_out.h"
#include "lib/atomic_file.h"
#include "lib/json.h"

int rr_result_parse(char *text, struct rr_result *r, char *err, size_t len)
{
	static const struct {
		const char *path;
		size_t off;
		int u64;
	} f[] = {
#define D(p, m) {p, offsetof(struct rr_result, m), 0}
#define U(p, m) {p, offsetof(struct rr_result, m), 1}
	    D("seconds", seconds),
	    D("tps", tps),
	    U("started", started),
	    U("completed", completed),
	    U("timed_out", timed_out),
	    U("failed", failed),
	    U("unfinished", unfinished),
	    U("warmup_transactions", warmup_transactions),
	    U("connects", connects),
	    D("latency_ns.min", lat_min),
	    D("latency_ns.mean", lat_mean),
	    D("latency_ns.p50", lat_p50),
	    D("latency_ns.p90", lat_p90),
	    D("latency_ns.p99", lat_p99),
	    D("latency_ns.p999", lat_p999),
	    D("latency_ns.max", lat_max),
	    D("cpu_client_pct", cpu_client_pct),
	    D("cpu_server_pct", cpu_server_pct),
#undef D
#undef U
	};
	struct json_val *root = NULL;
	char *start = text;
	double v;
	size_t i;
	int rc;

	/* the document is the client's last line; anything before it was said
	 * on stderr into the same file */
	while (start && *start && *start != '{') {
		start = strchr(start, '\n');
		start = start ? start + 1 : NULL;
	}
	if (!start || !*start) {
		snprintf(err, len, "no JSON document in the client's output");
		return -EPROTO;
	}
	rc = json_tree_parse(start, &root, err, len);
	if (rc)
		return -EPROTO;
	memset(r, 0, sizeof(*r));
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (json_path_num(root, f[i].path, &v) || v < -1) {
			snprintf(err, len, "the client's document has no number '%s'", f[i].path);
			json_tree_free(root);
			return -EPROTO;
		}
		if (f[i].u64)
			*(uint64_t *)((char *)r + f[i].off) = (uint64_t)v;
		else
			*(double *)((char *)r + f[i].off) = v;
	}
	r->server_transactions =
	    json_path_num(root, "server_transactions", &v) ? -1 : (int64_t)v;
	json_tree_free(root);
	if (r->started != r->completed + r->timed_out + r->failed + r->unfinished) {
		snprintf(err, len,
			 "the client's counts do not add up: %llu started, %llu completed, %llu "
			 "timed out, %llu failed, %llu unfinished",
			 (unsigned long long)r->started, (unsigned long long)r->completed,
			 (unsigned long long)r->timed_out, (unsigned long long)r->failed,
			 (unsigned long long)r->unfinished);
		return -EPROTO;
	}
	return 0;
}

#define RW(m) COL_FIELD(struct rr_row, m)
#define R     COL_MODE
/* the client measures in ns; the files say us */
#define LAT(id, nm, m, key) R(id, nm, "us", REAL, 3, RW(r.m), .div = 1e3, .json = key)
#define RHOP(h, hn)	    COL_MODE_HOP(struct rr_row, RR_HOPS, h, hn)

/* rr.csv and rr.json: the same columns in the same order. */
static const struct column rr_cols[RR_COUNT] = {
    R(RR_INDEX, "index", "", UINT, 0, RW(index)),
    R(RR_TRIAL, "trial", "", UINT, 0, RW(pt.trial)),
    R(RR_REQ_BYTES, "req_bytes", "B", UINT, 0, RW(pt.req)),
    R(RR_RESP_BYTES, "resp_bytes", "B", UINT, 0, RW(pt.resp)),
    R(RR_CONNS, "conns", "", UINT, 0, RW(pt.conns)),
    R(RR_SECONDS, "seconds", "s", REAL, 6, RW(r.seconds)),
    R(RR_TPS, "tps", "transactions/s", REAL, 3, RW(r.tps)),
    R(RR_STARTED, "started", "transactions", UINT, 0, RW(r.started)),
    R(RR_COMPLETED, "completed", "transactions", UINT, 0, RW(r.completed)),
    R(RR_TIMED_OUT, "timed_out", "transactions", UINT, 0, RW(r.timed_out)),
    R(RR_FAILED, "failed", "transactions", UINT, 0, RW(r.failed)),
    R(RR_UNFINISHED, "unfinished", "transactions", UINT, 0, RW(r.unfinished)),
    R(RR_WARMUP, "warmup_transactions", "transactions", UINT, 0, RW(r.warmup_transactions)),
    LAT(RR_LAT_MIN, "lat_min_us", lat_min, "latency_us.min"),
    LAT(RR_LAT_MEAN, "lat_mean_us", lat_mean, "latency_us.mean"),
    LAT(RR_LAT_P50, "lat_p50_us", lat_p50, "latency_us.p50"),
    LAT(RR_LAT_P90, "lat_p90_us", lat_p90, "latency_us.p90"),
    LAT(RR_LAT_P99, "lat_p99_us", lat_p99, "latency_us.p99"),
    LAT(RR_LAT_P999, "lat_p999_us", lat_p999, "latency_us.p999"),
    LAT(RR_LAT_MAX, "lat_max_us", lat_max, "latency_us.max"),
    R(RR_CONNECTS, "connects", "", UINT, 0, RW(r.connects)),
    R(RR_SERVER_TRANSACTIONS, "server_transactions", "transactions", INT, 0,
      RW(r.server_transactions)),
    R(RR_CPU_CLIENT_PCT, "cpu_client_pct", "%", REAL, 2, RW(r.cpu_client_pct)),
    R(RR_CPU_SERVER_PCT, "cpu_server_pct", "%", REAL, 2, RW(r.cpu_server_pct)),
    RHOP(HOP_GEN_TX, "gen_tx"),
    RHOP(HOP_DUT_IN, "dut_in"),
    RHOP(HOP_DUT_OUT, "dut_out"),
    RHOP(HOP_SINK_RX, "sink_rx"),
};

const struct col_table rr_columns = {rr_cols, RR_COUNT, NULL};

int rr_out_open(int dirfd, const char *dir, const struct results_meta *meta, struct table_out **out)
{
	static const struct table_out_spec spec = {"rr", "rr.csv", "rr.json", &rr_columns,
						   sizeof(struct rr_row)};

	return table_out_open(dirfd, dir, meta, &spec, out);
}

static int same_size(const struct rr_row *a, const struct rr_row *b)
{
	return a->pt.conns == b->pt.conns && a->pt.req == b->pt.req && a->pt.resp == b->pt.resp;
}

/* rr.dat: a block per connection count (two blank lines apart), a row per
 * size in run order: its ordinal, its label and the mean of its trials'
 * p50 p90 p99 p99.9 max in us. Returns the number of blocks; their titles go
 * into titles. */
static int write_dat(const void *ctx, int plotsfd, char *titles, size_t tlen)
{
	const struct table_out *t = ctx;
	const struct rr_row *rows = table_out_rows(t);
	unsigned i, j, k, blocks = 0, n = table_out_count(t);
	size_t off = 0;
	struct afile af;
	FILE *f;
	int rc;

	rc = afile_open(&af, plotsfd, "rr.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# ordinal size p50_us p90_us p99_us p999_us max_us (means of trials); a block "
	      "per connection count\n",
	      f);
	titles[0] = '\0';
	for (i = 0; i < n; i++) {
		unsigned ord = 0;
		int seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = rows[j].pt.conns == rows[i].pt.conns;
		if (seen)
			continue;
		fprintf(f, "%s", blocks ? "\n\n" : "");
		for (j = i; j < n; j++) {
			const struct rr_row *b = &rows[j];
			double s[5] = {0};
			unsigned cnt = 0, dup = 0;
			char label[32];

			if (b->pt.conns != rows[i].pt.conns)
				continue;
			for (k = i; k < j && !dup; k++)
				dup = same_size(&rows[k], b);
			if (dup)
				continue;
			for (k = j; k < n; k++) {
				const struct rr_result *r = &rows[k].r;

				if (!same_size(&rows[k], b))
					continue;
				s[0] += r->lat_p50;
				s[1] += r->lat_p90;
				s[2] += r->lat_p99;
				s[3] += r->lat_p999;
				s[4] += r->lat_max;
				cnt++;
			}
			rr_size_text(label, sizeof(label), RR_SIZE_PACK(b->pt.req, b->pt.resp));
			fprintf(f, "%u %s %.3f %.3f %.3f %.3f %.3f\n", ord++, label,
				s[0] / cnt / 1e3, s[1] / cnt / 1e3, s[2] / cnt / 1e3,
				s[3] / cnt / 1e3, s[4] / cnt / 1e3);
		}
		off += (size_t)snprintf(titles + off, off < tlen ? tlen - off : 0, "%s%u-conn%s",
					blocks ? " " : "", rows[i].pt.conns,
					rows[i].pt.conns == 1 ? "" : "s");
		blocks++;
	}
	rc = afile_commit(&af, 0);
	return rc ? rc : (int)blocks;
}

int rr_out_plot(const struct table_out *t, const char *templates)
{
	if (!table_out_count(t) || !templates)
		return 0;
	return plots_blocks(table_out_dirfd(t), table_out_meta(t), templates, "rr_latency_vs_size",
			    write_dat, t);
}
