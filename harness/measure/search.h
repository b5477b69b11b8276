/* Throughput search (RFC 2544 NDR and PDR) in the spirit of FD.io CSIT's
 * MLRsearch: short trials first to bracket the rates, longer trials only near
 * the bounds, and one pass serving NDR and PDR by reusing every measurement.
 *
 * The search knows nothing of networks: it calls a trial function that offers
 * `rate` pps of `size`-byte frames for `duration_ns` and says what the
 * generator really sent and what came back (search_params.h). The harness
 * passes the point runner (point.h, through search_drive); the unit tests
 * pass a simulated DUT with a fixed clock.
 *
 * Bounds are always in rates the generator really offered, never in rates that
 * were only asked for. A bound holds at a phase's duration only when it was
 * measured at that duration or longer, so the final bounds are both full
 * length trials, the same evidence a plain binary search gives. */
#ifndef MP_SEARCH_H
#define MP_SEARCH_H

#include <stdint.h>

#include "harness/measure/search_params.h"
#include "harness/measure/stats_ci.h"

/* Why a trial was run, for trials.csv and the trial scatter plot. */
enum search_purpose {
	SEARCH_P_TOP = 0,   /* at the top rate: the generator's maximum or --max-rate */
	SEARCH_P_MRR,	    /* at the rate received at the top (MLRsearch's initial guess) */
	SEARCH_P_REMEASURE, /* a bound of a shorter phase, again at this phase's duration */
	SEARCH_P_EXTERNAL,  /* outside the bounds, looking for a missing one */
	SEARCH_P_BISECT,    /* inside the bounds, narrowing them */
	SEARCH_P_REPEAT,    /* trials = N: a final bound again */
	SEARCH_P_COUNT
};

/* One trial as the search saw it, handed to on_trial as soon as it is done. */
struct search_rec {
	unsigned index; /* 1.. within this size */
	unsigned size;
	unsigned phase; /* 0..phases; the last one is at the final duration */
	enum search_purpose purpose;
	uint64_t rate;	      /* asked for */
	uint64_t duration_ns; /* asked for */
	struct search_trial t;
	double loss_ratio; /* (sent - received) / sent, 0 when more came back */
	double rx_pps;	   /* offered_pps * received / sent */
	int at_top;	   /* asked for the top rate */
	uint64_t start_ns; /* since the search of this size began */
};

enum search_limit {
	SEARCH_LIMIT_NONE = 0,
	SEARCH_LIMIT_GENERATOR, /* lossless at the generator's maximum: ">= X, generator-limited" */
	SEARCH_LIMIT_MAX_RATE,	/* lossless at --max-rate: ">= X, --max-rate" */
};

struct search_bound {
	int found;	  /* some offered rate had loss within the tolerance */
	double lower_pps; /* highest such rate below every lossy one; 0 when !found */
	double upper_pps; /* lowest rate with loss beyond the tolerance; 0 when limited */
	double lower_loss, upper_loss; /* loss ratios measured there */
	enum search_limit limit;
	int converged; /* the bounds are within precision, or the search hit a limit */
	/* repeats: every full-length trial at the lower bound's rate */
	struct ci_stats rx;	 /* forwarded (sink) pps */
	struct ci_stats offered; /* offered pps */
	unsigned repeats_ok;	 /* how many of them kept within the tolerance */
};

struct search_result {
	unsigned size;
	double top_pps; /* offered at the top rate: the generator's measured maximum */
	struct search_bound b[SEARCH_T_COUNT];
	unsigned trials;
	uint64_t trial_ns;   /* sum of trial durations asked for */
	uint64_t elapsed_ns; /* wall time of the whole search of this size */
};

/* Search one frame size. 0, or the trial function's negative errno (out then
 * holds what was found so far), or -ENOMEM. */
int search_run(const struct search_params *p, unsigned size, struct search_result *out);

const char *search_purpose_name(enum search_purpose p);
const char *search_limit_name(enum search_limit l);
#endif
