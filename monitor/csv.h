/* The CSV of every sample (monitor_set_csv): one row per hop per sample, the
 * counter columns generated from the counter table. RFC 4180 quoting. */
#ifndef MP_MONITOR_CSV_H
#define MP_MONITOR_CSV_H

#include "monitor/monitor.h"

#include <stdio.h>

void mon_csv_header(FILE *f);
/* t0: CLOCK_MONOTONIC origin of the time_s column; tag: the "point" column. */
void mon_csv_row(FILE *f, uint64_t t0, const char *tag, const char *label, const char *netns,
		 const char *ifname, const struct mon_sample *s);
const char *mon_status_name(enum mon_status st);

#endif
