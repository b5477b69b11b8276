/* mir-monitor's live output. On a terminal: a bmon-like aligned table redrawn
 * in place (rx/tx pps, Mbit/s, drops per interface); otherwise one plain line
 * per interface per sample, for logs and pipes. */
#ifndef MP_MONITOR_VIEW_H
#define MP_MONITOR_VIEW_H

#include "monitor/monitor.h"

#include <stdio.h>

struct view;

int view_open(FILE *f, int tty, const struct mon_hop *hops, unsigned n, uint64_t interval_ns,
	      struct view **out);
/* A mon_sample_fn (pass the view as arg): only queues the sample set for
 * the printing thread. */
void view_sample(void *view, const struct mon_sample *s, unsigned n);
/* The printing thread; view_stop prints what is left (and the last redraw). */
int view_start(struct view *v);
void view_stop(struct view *v);
/* Leave the terminal below the table. */
void view_close(struct view *v);

#endif
