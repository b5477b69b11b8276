/* The search's CSV columns; see search_cols.h. */
#include "harness/output/search_cols.h"

#include <math.h>
#include <stdio.h>

#include "lib/units.h"

static const struct column trial_cols[ST_COUNT], search_cols[SR_COUNT];

static const struct search_trial_row *tr(const void *row)
{
	return row;
}

/* trials.csv: what the row's struct does not hold as it is shown. */
static void get_trial(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	const struct search_rec *r = &tr(row)->rec;

	switch ((enum col_search_trial_id)(c - trial_cols)) {
	case ST_PURPOSE:
		snprintf(v->s, sizeof(v->s), "%s", search_purpose_name(r->purpose));
		break;
	case ST_TARGET_PPS:
		if (r->rate == UNITS_RATE_MAX)
			snprintf(v->s, sizeof(v->s), "max");
		break;
	case ST_DURATION_S:
		v->d = (double)r->duration_ns / 1e9;
		break;
	case ST_LOSS_PCT:
		v->d = r->loss_ratio * 100;
		break;
	case ST_START_S:
		v->d = (double)r->start_ns / 1e9;
		break;
	default: /* a field as it is */
		break;
	}
}

#define TR(m) COL_FIELD(struct search_trial_row, m)
#define T(id, nm, un, k, dec, ...)                                                                 \
	[id] = {.name = nm,                                                                        \
		.unit = un,                                                                        \
		.kind = COL_##k,                                                                   \
		COL_AT(0, id + 1, 0, 0, 0),                                                        \
		COL_DEC(0, dec, 0, 0, 0),                                                          \
		__VA_ARGS__}

static const struct column trial_cols[ST_COUNT] = {
    T(ST_SIZE, "size", "B", UINT, 0, TR(rec.size)),
    T(ST_TRIAL, "trial", "", UINT, 0, TR(rec.index)),
    T(ST_PHASE, "phase", "", UINT, 0, TR(rec.phase)),
    T(ST_PURPOSE, "purpose", "", STR, 0, .get = get_trial),
    T(ST_TARGET_PPS, "target_pps", "pps", UINT, 0, TR(rec.rate), .get = get_trial),
    T(ST_DURATION_S, "duration_s", "s", REAL, 3, .get = get_trial),
    T(ST_OFFERED_PPS, "offered_pps", "pps", REAL, 1, TR(rec.t.offered_pps)),
    T(ST_SENT, "sent", "frames", UINT, 0, TR(rec.t.sent)),
    T(ST_RECEIVED, "received", "frames", UINT, 0, TR(rec.t.received)),
    T(ST_LOSS_PCT, "loss_pct", "%", REAL, 6, .get = get_trial),
    T(ST_RX_PPS, "rx_pps", "pps", REAL, 1, TR(rec.rx_pps)),
    T(ST_START_S, "start_s", "s", REAL, 3, .get = get_trial),
    T(ST_STATS_POINT, "stats_point", "", UINT, 0, TR(stats_point)),
};

const struct col_table search_trial_columns = {trial_cols, ST_COUNT, ""};

/* search.csv: every figure is derived from the size's result and target;
 * NaN where there is none (no bound found, no repeats), an empty field. */
static void get_bound(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	const struct search_csv_row *w = row;
	const struct search_result *r = w->r;
	const struct search_bound *b = &r->b[w->t];
	double lo = b->found ? b->lower_pps : NAN;
	double hi = b->upper_pps > 0 ? b->upper_pps : NAN, x;
	enum col_search_id id = (enum col_search_id)(c - search_cols);

	switch (id) {
	case SR_SIZE:
		v->u = r->size;
		break;
	case SR_TARGET:
		snprintf(v->s, sizeof(v->s), "%s", w->t == SEARCH_T_NDR ? "ndr" : "pdr");
		break;
	case SR_LOSS_TOLERANCE_PCT:
		v->d = w->tolerance * 100;
		break;
	case SR_FOUND:
		v->u = (uint64_t)b->found;
		break;
	case SR_LIMIT:
		snprintf(v->s, sizeof(v->s), "%s", search_limit_name(b->limit));
		break;
	case SR_CONVERGED:
		v->u = (uint64_t)b->converged;
		break;
	case SR_LOWER_PPS:
		v->d = lo;
		break;
	case SR_UPPER_PPS:
		v->d = hi;
		break;
	case SR_LOWER_L2_MBPS: /* the bounds at layer 2 (with FCS) and 1 (with preamble, gap) */
	case SR_LOWER_L1_MBPS:
	case SR_UPPER_L2_MBPS:
	case SR_UPPER_L1_MBPS:
		x = id == SR_LOWER_L2_MBPS || id == SR_LOWER_L1_MBPS ? lo : hi;
		x = id == SR_LOWER_L2_MBPS || id == SR_UPPER_L2_MBPS ? units_l2_bps(x, r->size)
								     : units_l1_bps(x, r->size);
		v->d = x / 1e6;
		break;
	case SR_PCT_OF_MAX:
		v->d = b->found && r->top_pps > 0 ? 100 * b->lower_pps / r->top_pps : NAN;
		break;
	case SR_MAX_PPS:
		v->d = r->top_pps;
		break;
	case SR_LOWER_LOSS_PCT:
		v->d = b->found ? b->lower_loss * 100 : NAN;
		break;
	case SR_UPPER_LOSS_PCT:
		v->d = b->upper_pps > 0 ? b->upper_loss * 100 : NAN;
		break;
	case SR_PRECISION_PCT:
		v->d = w->precision * 100;
		break;
	case SR_TRIALS:
		v->u = r->trials;
		break;
	case SR_TIME_S:
		v->d = (double)r->elapsed_ns / 1e9;
		break;
	case SR_REPEATS:
		v->u = b->rx.n;
		break;
	case SR_REPEATS_OK:
		v->u = b->repeats_ok;
		break;
	case SR_RX_MEAN_PPS:
		v->d = b->rx.n ? b->rx.mean : NAN;
		break;
	case SR_RX_STDDEV_PPS:
		v->d = b->rx.n > 1 ? b->rx.stddev : NAN;
		break;
	case SR_RX_MIN_PPS:
		v->d = b->rx.n ? b->rx.min : NAN;
		break;
	case SR_RX_MAX_PPS:
		v->d = b->rx.n ? b->rx.max : NAN;
		break;
	case SR_RX_CI_LO_PPS:
		v->d = b->rx.ci_lo;
		break;
	case SR_RX_CI_HI_PPS:
		v->d = b->rx.ci_hi;
		break;
	case SR_COUNT:
		break;
	}
}

#define S(id, nm, un, k, dec) T(id, nm, un, k, dec, .get = get_bound)

static const struct column search_cols[SR_COUNT] = {
    S(SR_SIZE, "size", "B", UINT, 0),
    S(SR_TARGET, "target", "", STR, 0),
    S(SR_LOSS_TOLERANCE_PCT, "loss_tolerance_pct", "%", REAL, COL_G),
    S(SR_FOUND, "found", "0/1", BOOL, 0),
    S(SR_LIMIT, "limit", "", STR, 0),
    S(SR_CONVERGED, "converged", "0/1", BOOL, 0),
    S(SR_LOWER_PPS, "lower_pps", "pps", REAL, 1),
    S(SR_UPPER_PPS, "upper_pps", "pps", REAL, 1),
    S(SR_LOWER_L2_MBPS, "lower_l2_mbps", "Mbit/s", REAL, 3),
    S(SR_LOWER_L1_MBPS, "lower_l1_mbps", "Mbit/s", REAL, 3),
    S(SR_UPPER_L2_MBPS, "upper_l2_mbps", "Mbit/s", REAL, 3),
    S(SR_UPPER_L1_MBPS, "upper_l1_mbps", "Mbit/s", REAL, 3),
    S(SR_PCT_OF_MAX, "pct_of_max", "%", REAL, 2),
    S(SR_MAX_PPS, "max_pps", "pps", REAL, 1),
    S(SR_LOWER_LOSS_PCT, "lower_loss_pct", "%", REAL, 6),
    S(SR_UPPER_LOSS_PCT, "upper_loss_pct", "%", REAL, 6),
    S(SR_PRECISION_PCT, "precision_pct", "%", REAL, COL_G),
    S(SR_TRIALS, "trials", "", UINT, 0),
    S(SR_TIME_S, "time_s", "s", REAL, 3),
    S(SR_REPEATS, "repeats", "", UINT, 0),
    S(SR_REPEATS_OK, "repeats_ok", "", UINT, 0),
    S(SR_RX_MEAN_PPS, "rx_mean_pps", "pps", REAL, 1),
    S(SR_RX_STDDEV_PPS, "rx_stddev_pps", "pps", REAL, 1),
    S(SR_RX_MIN_PPS, "rx_min_pps", "pps", REAL, 1),
    S(SR_RX_MAX_PPS, "rx_max_pps", "pps", REAL, 1),
    S(SR_RX_CI_LO_PPS, "rx_ci_lo_pps", "pps", REAL, 1),
    S(SR_RX_CI_HI_PPS, "rx_ci_hi_pps", "pps", REAL, 1),
};

const struct col_table search_columns = {search_cols, SR_COUNT, ""};
