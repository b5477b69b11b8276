/* The files of a search run. In the run directory, next to the sweep's files (every
 * search trial is also a point of stats / stats.csv):
 *   trials.csv   every trial of every size, as the search used it
 *   search       aligned table for people: NDR and PDR per size
 *   search.csv   the same for programs, one row per size and target
 *   search.json  the same plus run metadata and the search parameters
 *   plots/search_*.{png,svg}
 * Every row is flushed and fsynced when written; search.json is rewritten
 * atomically after every size, so an interrupted run keeps what it found. */
#ifndef MP_SEARCH_OUT_H
#define MP_SEARCH_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "harness/output/results.h"
#include "harness/measure/search.h"

/* "99.2 kpps" or ">= 1.02 Mpps, generator-limited" or "none (loss at 1 kpps)". */
void search_fmt_bound(char *buf, size_t len, const struct search_bound *b);

struct search_out;

/* Create trials.csv, search, search.csv in the directory dirfd (dir names
 * it in messages; the fd is duplicated), O_EXCL|O_NOFOLLOW: a name already
 * there is refused with -EEXIST, never written through. */
int search_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		    const struct search_params *p, struct search_out **out);
/* One trial; stats_point is its index in stats.csv (0 = none). */
int search_out_trial(struct search_out *o, const struct search_rec *r, unsigned stats_point);
/* The result of one size: rows in search and search.csv, search.json rewritten. */
int search_out_result(struct search_out *o, const struct search_result *r);
/* Status ("complete", "interrupted", "error") into search.json. */
int search_out_finish(struct search_out *o, const char *status, uint64_t end_ns);
void search_out_close(struct search_out *o);

/* Data files and plots search_rate, search_gbps, search_trials in dir/plots.
 * Returns how many plots were rendered, or a negative errno. */
int search_out_plots(struct search_out *o, const char *templates);

#endif
