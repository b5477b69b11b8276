/* goodput.csv, goodput.json and the goodput plot; see goodput_out.h. */
#include "harness/output/goodput_out.h"

#include <stdio.h>

#include "harness/output/plots.h"
#include "harness/output/table_out.h"
#include "lib/atomic_file.h"

static const struct goodput_row *gr(const void *row)
{
	return row;
}

static void get_protocol(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	snprintf(v->s, sizeof(v->s), "%s", gr(row)->pt.udp ? "udp" : "tcp");
}

/* goodput.json carries a figure only for the protocol that has it;
 * goodput.csv has every column on every row (0 where it does not apply). */
static void get_tcp(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	v->absent = gr(row)->pt.udp;
}

static void get_udp(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	v->absent = !gr(row)->pt.udp;
}

/* server = dut: the hops past the DUT are not on the path (goodput_row). */
static void get_past_dut(const struct column *c, const void *row, enum col_out o,
			 struct col_val *v)
{
	if (gr(row)->server_dut)
		v->null = v->absent = 1;
}

#define GR(m) COL_FIELD(struct goodput_row, m)
#define G		     COL_MODE
#define MBPS(id, nm, m, key) G(id, nm, "Mbit/s", REAL, 4, GR(m), .div = 1e6, .json = key)
#define GHOP(h, hn)	     COL_MODE_HOP(struct goodput_row, GP_HOPS, h, hn)
#define GHOP_PAST(h, hn)     COL_MODE_HOP_GET(struct goodput_row, GP_HOPS, h, hn, get_past_dut)

/* goodput.csv and goodput.json: the same columns in the same order. */
static const struct column goodput_cols[GP_COUNT] = {
    G(GP_INDEX, "index", "", UINT, 0, GR(index)),
    G(GP_TRIAL, "trial", "", UINT, 0, GR(pt.trial)),
    G(GP_PROTOCOL, "protocol", "", STR, 0, .get = get_protocol),
    G(GP_STREAMS, "streams", "", UINT, 0, GR(pt.streams)),
    G(GP_BUFSZ, "bufsz", "B", UINT, 0, GR(pt.bufsz)),
    G(GP_TARGET_BPS, "target_bps", "bit/s", UINT, 0, GR(pt.bitrate)),
    G(GP_SECONDS, "seconds", "s", REAL, 3, GR(r.seconds)),
    MBPS(GP_GOODPUT_MBPS, "goodput_mbps", r.goodput_bps, NULL),
    MBPS(GP_INTERVAL_MEAN, "interval_mean_mbps", r.interval.mean, "interval_mbps.mean"),
    MBPS(GP_INTERVAL_MIN, "interval_min_mbps", r.interval.min, "interval_mbps.min"),
    MBPS(GP_INTERVAL_MAX, "interval_max_mbps", r.interval.max, "interval_mbps.max"),
    MBPS(GP_INTERVAL_STDDEV, "interval_stddev_mbps", r.interval.stddev, "interval_mbps.stddev"),
    G(GP_INTERVALS, "intervals", "", UINT, 0, GR(r.interval.n), .json = "interval_mbps.n"),
    MBPS(GP_SENT_MBPS, "sent_mbps", r.sent_bps, NULL),
    G(GP_BYTES_SENT, "bytes_sent", "B", UINT, 0, GR(r.bytes_sent)),
    G(GP_BYTES_RECEIVED, "bytes_received", "B", UINT, 0, GR(r.bytes_received)),
    G(GP_RETRANSMITS, "retransmits", "segments", UINT, 0, GR(r.retransmits), .get = get_tcp),
    G(GP_UDP_PACKETS, "udp_packets", "datagrams", UINT, 0, GR(r.packets), .get = get_udp),
    G(GP_UDP_LOST, "udp_lost", "datagrams", UINT, 0, GR(r.lost_packets), .get = get_udp),
    G(GP_UDP_LOSS_PCT, "udp_loss_pct", "%", REAL, 4, GR(r.lost_pct), .get = get_udp),
    G(GP_JITTER_MS, "jitter_ms", "ms", REAL, 4, GR(r.jitter_ms), .get = get_udp),
    G(GP_CPU_CLIENT_PCT, "cpu_client_pct", "%", REAL, 2, GR(r.cpu_client_pct)),
    G(GP_CPU_SERVER_PCT, "cpu_server_pct", "%", REAL, 2, GR(r.cpu_server_pct)),
    GHOP(HOP_GEN_TX, "gen_tx"),
    GHOP(HOP_DUT_IN, "dut_in"),
    GHOP_PAST(HOP_DUT_OUT, "dut_out"),
    GHOP_PAST(HOP_SINK_RX, "sink_rx"),
};

const struct col_table goodput_columns = {goodput_cols, GP_COUNT, NULL};

int goodput_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		     struct table_out **out)
{
	static const struct table_out_spec spec = {"goodput", "goodput.csv", "goodput.json",
						   &goodput_columns, sizeof(struct goodput_row)};

	return table_out_open(dirfd, dir, meta, &spec, out);
}

/* goodput.dat: one block per protocol and stream count (two blank lines
 * apart, gnuplot's `index`), a row per write size: the mean goodput of its
 * trials, their lowest and highest. Returns the number of blocks; their
 * titles, one word each ("tcp-1-stream udp-4-streams"), go into titles. */
static int write_dat(const void *ctx, int plotsfd, char *titles, size_t tlen)
{
	const struct table_out *t = ctx;
	const struct goodput_row *rows = table_out_rows(t);
	unsigned i, j, blocks = 0, n = table_out_count(t);
	size_t off = 0;
	struct afile af;
	FILE *f;
	int rc;

	rc = afile_open(&af, plotsfd, "goodput.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# bufsz goodput_mbps(mean of trials) min max; a block per protocol and streams\n",
	      f);
	titles[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct goodput_row *a = &rows[i];
		int seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = rows[j].pt.udp == a->pt.udp &&
			       rows[j].pt.streams == a->pt.streams;
		if (seen)
			continue;
		/* a new block: every write size of this protocol and stream count */
		fprintf(f, "%s", blocks ? "\n\n" : "");
		for (j = i; j < n; j++) {
			const struct goodput_row *b = &rows[j];
			double sum = 0, lo = 0, hi = 0;
			unsigned k, cnt = 0, dup = 0;

			if (b->pt.udp != a->pt.udp || b->pt.streams != a->pt.streams)
				continue;
			for (k = i; k < j && !dup; k++)
				dup = rows[k].pt.udp == b->pt.udp &&
				      rows[k].pt.streams == b->pt.streams &&
				      rows[k].pt.bufsz == b->pt.bufsz;
			if (dup)
				continue;
			for (k = j; k < n; k++) {
				const struct goodput_row *c = &rows[k];
				double v = c->r.goodput_bps / 1e6;

				if (c->pt.udp != b->pt.udp || c->pt.streams != b->pt.streams ||
				    c->pt.bufsz != b->pt.bufsz)
					continue;
				lo = cnt && lo < v ? lo : v;
				hi = cnt && hi > v ? hi : v;
				sum += v;
				cnt++;
			}
			fprintf(f, "%u %.4f %.4f %.4f\n", b->pt.bufsz, sum / cnt, lo, hi);
		}
		off +=
		    (size_t)snprintf(titles + off, off < tlen ? tlen - off : 0, "%s%s-%u-stream%s",
				     blocks ? " " : "", a->pt.udp ? "udp" : "tcp", a->pt.streams,
				     a->pt.streams == 1 ? "" : "s");
		blocks++;
	}
	rc = afile_commit(&af, 0);
	return rc ? rc : (int)blocks;
}

int goodput_out_plot(const struct table_out *t, const char *templates)
{
	if (!table_out_count(t) || !templates)
		return 0;
	return plots_blocks(table_out_dirfd(t), table_out_meta(t), templates, "goodput_vs_bufsz",
			    write_dat, t);
}
