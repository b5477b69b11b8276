/* mir-monitor --pcap: the first COUNT frames crossing one interface, captured
 * with libpcap in a thread of their own and written to a pcap file that
 * tcpdump and Wireshark read. */
#ifndef MP_MONITOR_CAPTURE_H
#define MP_MONITOR_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture;

/* Open the capture on ifname in netns (NULL or "" = this namespace; entered
 * from the calling thread and left again once the packet socket exists) and
 * create the file. -ENODEV: no such interface, -ENOENT: no such namespace;
 * other failures leave libpcap's text in err. */
int capture_open(const char *netns, const char *ifname, const char *path, uint64_t count,
		 struct capture **out, char *err, size_t errlen);
int capture_start(struct capture *c);
/* Stop capturing (if COUNT was not reached yet), flush the file, and return
 * the number of frames written. A failure of the capture thread is in err. */
uint64_t capture_stop(struct capture *c, char *err, size_t errlen);
void capture_close(struct capture *c);

#endif
