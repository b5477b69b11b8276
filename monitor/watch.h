/* `mir-monitor [watch]`'s one data model: what its argv said, parsed and
 * checked by cmd_watch.c before anything is opened, then read by the run
 * and by the summary (summary.h). */
#ifndef MP_MONITOR_WATCH_H
#define MP_MONITOR_WATCH_H

#include <net/if.h>
#include <stdint.h>

#include "lib/netns.h"
#include "monitor/monitor.h"

#define WATCH_MAX_HOPS	   64
#define WATCH_PCAP_DEFAULT 100 /* frames */
#define HOP_FORM	   "[NETNS/]IF"

/* One "[NETNS/]IF". */
struct ifspec {
	char netns[NETNS_NAME_MAX + 1]; /* "" = this namespace */
	char ifname[IFNAMSIZ];
};

struct watch_cfg {
	uint64_t interval_ns, duration_ns; /* duration 0: until a signal */
	const char *csv_path;		   /* NULL: no CSV */
	int json;
	struct ifspec pcap_if;
	const char *pcap_file; /* NULL: no --pcap */
	char *pcap_file_buf;   /* owned; pcap_file points into it */
	uint64_t pcap_count;
	unsigned n;
	struct ifspec ifs[WATCH_MAX_HOPS];
	struct mon_hop hops[WATCH_MAX_HOPS]; /* label = the operand, as given */
};

#endif
