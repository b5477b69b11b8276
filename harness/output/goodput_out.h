/* The goodput mode's result files, written point by point like the frames'
 * (nothing measured is lost when a run is stopped or killed):
 *   goodput.csv   one row per point, appended, flushed and fsync'd
 *   goodput.json  run metadata and every point, rewritten atomically (temp
 *                 file, fsync, rename) after each point
 * and, once the run ends, plots/goodput_vs_bufsz.{png,svg} (goodput against write size,
 * one line per protocol and stream count) through gnuplot. Columns are listed
 * in README.md, "The goodput mode". */
#ifndef MP_GOODPUT_OUT_H
#define MP_GOODPUT_OUT_H

#include <stdint.h>

#include "harness/config/goodput_plan.h"
#include "harness/measure/iperf3.h"
#include "harness/output/columns.h"
#include "harness/output/results.h"
#include "harness/output/table_out.h"
#include "harness/platform/platform.h"

struct goodput_row {
	unsigned index; /* 1-based, in run order */
	struct goodput_point pt;
	struct iperf3_result r;
	/* every hop's counters over the whole iperf3 run: the data's way
	 * (client -> server) and the way back (ACKs, iperf3's control) */
	struct hop_delta hop[HOP_COUNT];
	/* server = dut: the path ends at the DUT, and hops dut_out and sink_rx
	 * are not on it: "-" in goodput.csv, no key in goodput.json (the
	 * platform samples the DUT's answers there, which gen_tx's and dut_in's
	 * back_* columns hold already); cpu_server_pct is the DUT domain's */
	int server_dut;
};

/* goodput.csv's and goodput.json's columns (columns.h), in goodput.csv's
 * order: an index into goodput_columns.col. */
enum col_goodput_id {
	GP_INDEX,
	GP_TRIAL,
	GP_PROTOCOL,
	GP_STREAMS,
	GP_BUFSZ,
	GP_TARGET_BPS,
	GP_SECONDS,
	GP_GOODPUT_MBPS,
	GP_INTERVAL_MEAN,
	GP_INTERVAL_MIN,
	GP_INTERVAL_MAX,
	GP_INTERVAL_STDDEV,
	GP_INTERVALS,
	GP_SENT_MBPS,
	GP_BYTES_SENT,
	GP_BYTES_RECEIVED,
	GP_RETRANSMITS,
	GP_UDP_PACKETS,
	GP_UDP_LOST,
	GP_UDP_LOSS_PCT,
	GP_JITTER_MS,
	GP_CPU_CLIENT_PCT,
	GP_CPU_SERVER_PCT,
	GP_HOPS, /* then 4 per hop: packets, bytes, back_packets, back_bytes */
	GP_COUNT = GP_HOPS + 4 * HOP_COUNT
};
extern const struct col_table goodput_columns;

/* Create goodput.csv (header) and goodput.json in the run directory dirfd
 * (dir: its path, for messages and the report), every file through the fd
 * (lib/atomic_file.h): table_out_open with the goodput mode's files and
 * columns. The rest is table_out's: the caller adds struct goodput_row
 * points (table_out_add), finishes, reads the rows back
 * (const struct goodput_row *rows = table_out_rows(t)) and closes. */
int goodput_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		     struct table_out **out);
/* plots/goodput_vs_bufsz.{png,svg} from t's rows with gnuplot from the
 * templates directory (plots_find_templates): 1 drawn, 0 nothing to draw,
 * negative errno (gnuplot's words in plots/gnuplot.log). */
int goodput_out_plot(const struct table_out *t, const char *templates);

#endif
