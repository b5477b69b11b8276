/* The search's CSV files as column tables (columns.h): trials.csv, a row per
 * trial, and search.csv, a row per size and target. search_out.c writes
 * them; compare and the report read search.csv by these names. */
#ifndef MP_SEARCH_COLS_H
#define MP_SEARCH_COLS_H

#include "harness/measure/search.h"
#include "harness/output/columns.h"

/* trials.csv's row: a trial, and the point of stats.csv it is (0 = none). */
struct search_trial_row {
	struct search_rec rec;
	unsigned stats_point;
};

/* search.csv's row: one target's bounds at one size. */
struct search_csv_row {
	const struct search_result *r;
	int t;		  /* SEARCH_T_NDR, SEARCH_T_PDR */
	double tolerance; /* the target's loss ratio */
	double precision; /* the search's, a ratio */
};

/* Their columns in the files' order: indexes into the tables' col. */
enum col_search_trial_id {
	ST_SIZE,
	ST_TRIAL,
	ST_PHASE,
	ST_PURPOSE,
	ST_TARGET_PPS,
	ST_DURATION_S,
	ST_OFFERED_PPS,
	ST_SENT,
	ST_RECEIVED,
	ST_LOSS_PCT,
	ST_RX_PPS,
	ST_START_S,
	ST_STATS_POINT,
	ST_COUNT
};

enum col_search_id {
	SR_SIZE,
	SR_TARGET,
	SR_LOSS_TOLERANCE_PCT,
	SR_FOUND,
	SR_LIMIT,
	SR_CONVERGED,
	SR_LOWER_PPS,
	SR_UPPER_PPS,
	SR_LOWER_L2_MBPS,
	SR_LOWER_L1_MBPS,
	SR_UPPER_L2_MBPS,
	SR_UPPER_L1_MBPS,
	SR_PCT_OF_MAX,
	SR_MAX_PPS,
	SR_LOWER_LOSS_PCT,
	SR_UPPER_LOSS_PCT,
	SR_PRECISION_PCT,
	SR_TRIALS,
	SR_TIME_S,
	SR_REPEATS,
	SR_REPEATS_OK,
	SR_RX_MEAN_PPS,
	SR_RX_STDDEV_PPS,
	SR_RX_MIN_PPS,
	SR_RX_MAX_PPS,
	SR_RX_CI_LO_PPS,
	SR_RX_CI_HI_PPS,
	SR_COUNT
};

extern const struct col_table search_trial_columns; /* trials.csv */
extern const struct col_table search_columns;	    /* search.csv */

#endif
