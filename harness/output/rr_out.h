/* The rr mode's result files, written point by point like the goodput mode's:
 *   rr.csv   one row per point, appended, flushed and fsync'd
 *   rr.json  run metadata and every point, rewritten atomically after each
 * and, once the run ends, plots/rr_latency_vs_size.{png,svg} (latency
 * percentiles against request/response size, per connection count) through
 * gnuplot. Columns: doc/goodput.md, "The rr mode". */
#ifndef MP_RR_OUT_H
#define MP_RR_OUT_H

#include <stdint.h>

#include "harness/config/rr_plan.h"
#include "harness/output/columns.h"
#include "harness/output/results.h"
#include "harness/output/table_out.h"
#include "harness/platform/platform.h"

/* What mir-trafgen rr client --json said (trafgen/rr_client.h). */
struct rr_result {
	double seconds, tps;
	uint64_t started, completed, timed_out, failed, unfinished, warmup_transactions;
	uint64_t connects;
	int64_t server_transactions; /* -1: unknown */
	/* completed transactions' latency, ns */
	double lat_min, lat_mean, lat_p50, lat_p90, lat_p99, lat_p999, lat_max;
	double cpu_client_pct, cpu_server_pct; /* % of one CPU; server -1: unknown */
};

struct rr_row {
	unsigned index; /* 1-based, in run order */
	struct rr_point pt;
	struct rr_result r;
	/* every hop's counters over the client's whole run: the requests' way
	 * (client -> server) and the responses' way back */
	struct hop_delta hop[HOP_COUNT];
};

/* rr.csv's columns (and rr.json's points, in the same order): an index
 * into rr_columns.col; readers name a column by its id
 * (columns_name(&rr_columns, RR_TPS)). */
enum rr_col_id {
	RR_INDEX,
	RR_TRIAL,
	RR_REQ_BYTES,
	RR_RESP_BYTES,
	RR_CONNS,
	RR_SECONDS,
	RR_TPS,
	RR_STARTED,
	RR_COMPLETED,
	RR_TIMED_OUT,
	RR_FAILED,
	RR_UNFINISHED,
	RR_WARMUP,
	RR_LAT_MIN,
	RR_LAT_MEAN,
	RR_LAT_P50,
	RR_LAT_P90,
	RR_LAT_P99,
	RR_LAT_P999,
	RR_LAT_MAX,
	RR_CONNECTS,
	RR_SERVER_TRANSACTIONS,
	RR_CPU_CLIENT_PCT,
	RR_CPU_SERVER_PCT,
	RR_HOPS, /* then 4 per hop: packets, bytes, back_packets, back_bytes */
	RR_COUNT = RR_HOPS + 4 * HOP_COUNT
};
extern const struct col_table rr_columns;

/* Parse the client's JSON document into r: 0, or -EPROTO with why in err. */
int rr_result_parse(char *text, struct rr_result *r, char *err, size_t len);

/* Create rr.csv (header) and rr.json in the run directory dirfd (dir: its
 * path, for messages), every file through the fd (lib/atomic_file.h):
 * table_out_open with the rr mode's files and columns; the caller adds
 * struct rr_row points and reads them back through table_out. */
int rr_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		struct table_out **out);
/* plots/rr_latency_vs_size.{png,svg} from t's rows: 1 drawn, 0 nothing to
 * draw, negative errno (gnuplot's words in plots/gnuplot.log). */
int rr_out_plot(const struct table_out *t, const char *templates);

#endif
