/* The search's options as written in mir-perf.conf and on the command line
 * (search = ndr,pdr; pdr_loss = 0.5%). Plain parsers with no dependency, so
 * the cfg fuzzer links them too. */
#ifndef MP_SEARCH_OPTS_H
#define MP_SEARCH_OPTS_H

#include "harness/measure/search.h"

/* "ndr", "pdr", "ndr,pdr" or "pdr,ndr" into SEARCH_* bits; -EINVAL otherwise. */
int search_parse_targets(const char *s, unsigned *targets);
/* A ratio written as "0.5%", "0%" or "0.005"; 0 <= ratio < 1. -EINVAL, -ERANGE. */
int search_parse_ratio(const char *s, double *ratio);

#endif
