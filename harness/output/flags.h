/* A point's flags (results_point.flags) in words for people and in tokens
 * for programs, the same in stats, stats.csv, stats.json, the report and on
 * the terminal. */
#ifndef MP_FLAGS_H
#define MP_FLAGS_H

#include <stddef.h>

#include "harness/output/results.h"

/* "generator failed: 18076 send errors; offered 0 of 200 pps", "sink rx
 * 201840 pps > DUT out 199974 pps", "the DUT stopped transmitting after 256
 * frames (2104 arrived since)", joined by "; "; "" when there is no flag. */
void flags_text(const struct results_point *p, char *buf, size_t len);
/* "gen_failed|rate_order|dut_stopped|agent_differs" (those set), "" when none. */
void flags_tokens(unsigned flags, char *buf, size_t len);
/* The label of hop h in words: "offered", "DUT in", "DUT out", "sink rx". */
const char *flags_hop_name(unsigned h);

#endif
