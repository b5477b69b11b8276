/* mir-monitor's summary of a run, printed once at its end: an aligned
 * table, or one JSON object (--json), from the window of every hop. */
#ifndef MP_MONITOR_SUMMARY_H
#define MP_MONITOR_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "monitor/monitor.h"
#include "monitor/watch.h"

void summary_text(FILE *f, const struct watch_cfg *o, const struct mon_hop_window *w,
		  uint64_t run_ns);
/* have_pcap: o's --pcap ran and wrote pcap_frames frames. */
void summary_json(FILE *f, const struct watch_cfg *o, const struct mon_hop_window *w,
		  uint64_t run_ns, int have_pcap, uint64_t pcap_frames);

#endif
