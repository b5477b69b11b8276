/* What the throughput search (search.h) is asked: its targets and
 * tolerances, trial lengths and limits, and the measure(duration, load)
 * function through which alone it reaches the network; their defaults and
 * their check. Apart from the algorithm so that the configuration
 * (harness/config/search_plan.c) and the files (search_out) can name and
 * check them without it. */
#ifndef MP_SEARCH_PARAMS_H
#define MP_SEARCH_PARAMS_H

#include <stdint.h>

#define SEARCH_NDR 1u
#define SEARCH_PDR 2u

enum search_target { SEARCH_T_NDR = 0, SEARCH_T_PDR, SEARCH_T_COUNT };

enum search_mode {
	SEARCH_MODE_MLR = 0, /* phased, measurements shared between NDR and PDR */
	SEARCH_MODE_BINARY,  /* plain binary search, full-length trials, per target */
};

/* What one trial measured; filled by the trial function. */
struct search_trial {
	double offered_pps;   /* what the generator really sent: sent / its elapsed time */
	uint64_t sent;	      /* frames the generator sent */
	uint64_t received;    /* frames of this trial that reached the sink */
	uint64_t duration_ns; /* how long the generator really sent */
};

/* The search's measure(duration, load), as MLRsearch's: offer `rate` pps
 * (UNITS_RATE_MAX: as fast as the generator can) of size-byte frames for
 * duration_ns and fill *out. Returns 0 or a negative errno (which ends the
 * search, e.g. -EINTR). */
typedef int (*search_trial_fn)(void *ctx, unsigned size, uint64_t rate, uint64_t duration_ns,
			       struct search_trial *out);

struct search_rec; /* search.h: one trial as the search saw it */

struct search_params {
	enum search_mode mode;
	unsigned targets;  /* SEARCH_NDR | SEARCH_PDR */
	double ndr_loss;   /* loss ratio NDR tolerates, default 0 */
	double pdr_loss;   /* default 0.005 (0.5 %, as CSIT) */
	double precision;  /* final relative width (upper - lower) / upper, default 0.01 */
	uint64_t max_rate; /* top rate asked for; UNITS_RATE_MAX = the generator's maximum */
	uint64_t min_rate; /* lowest rate tried; loss there means "no such rate" */
	uint64_t final_duration_ns;   /* the full trial length */
	uint64_t initial_duration_ns; /* the bracketing trials' length */
	unsigned phases;	      /* phases before the final one (0 = all at full length) */
	unsigned repeats;    /* trials = N: each final lower bound measured N times in all */
	unsigned max_trials; /* per size; the search stops unconverged beyond it */
	search_trial_fn trial;
	void (*on_trial)(void *ctx, const struct search_rec *rec); /* may be NULL */
	void *ctx;
};

void search_params_default(struct search_params *p);
/* Checks the parameters; on error writes which one and why into why. */
int search_params_check(const struct search_params *p, char *why, unsigned len);
const char *search_target_name(enum search_target t);

#endif
