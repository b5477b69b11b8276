/* What Xen holds for a DUT domain that stopped transmitting: the state of the
 * event channels of its vifs (pending, masked). Two different bugs look the
 * same from dom0's counters ("blocked, no CPU used, frames arrive"):
 *   - nothing pending on its vifs' channels: the domain waits for a
 *     notification its backend never sent (a ring whose event index the
 *     frontend did not move on, or a backend that stopped notifying);
 *   - events pending and not masked while the domain sleeps: Xen has an
 *     event for it that it never took (a lost upcall between Xen and the
 *     guest, or a guest that forgot to look).
 * Read from Xen's own dump (the 'e' debug key, then the console ring): no
 * mapping of the guest's memory, and the same text `xl debug-keys e; xl
 * dmesg` shows a developer. */
#ifndef MP_XEN_EVTCHN_H
#define MP_XEN_EVTCHN_H

#include <stddef.h>
#include <stdint.h>

#include <libxl.h>

#define XEN_EVTCHN_MAX 8

struct xen_evtchn {
	int devid;   /* the vif */
	int port;    /* the guest's port (libxl_nicinfo.evtch) */
	int found;   /* the dump had a line for it */
	int pending; /* Xen: an event waits */
	int masked;  /* the guest masked the channel */
};

/* Fill pending/masked/found of ch[0..n) from the last "Event channel
 * information for domain DOMID:" block of Xen's console text (lines as
 * "(XEN)        4 [1/0/1]: s=3 n=0 x=0 d=0 p=30"). 0, or -ENOENT when the
 * text holds no block for the domain. */
int xen_evtchn_parse(const char *text, uint32_t domid, struct xen_evtchn *ch, unsigned n);

/* One phrase for ch[0..n): "its vif event channels: 4 (vif 0) pending, 5 (vif
 * 1) pending, none masked: Xen holds events the domain has not taken", or
 * "... nothing pending: it waits for a notification its backend has not
 * sent". Empty when no channel was found. */
void xen_evtchn_say(const struct xen_evtchn *ch, unsigned n, char *buf, size_t len);

/* Ask Xen ('e' debug key) and read its console for domid's vif channels:
 * fills ch (at most max) and *n. 0, or a negative errno (no nic, the key or
 * the console refused). Writes a dump of every domain's channels to Xen's
 * console: called once per run, when a DUT stopped. */
int xen_evtchn_read(libxl_ctx *ctx, uint32_t domid, struct xen_evtchn *ch, unsigned max,
		    unsigned *n);

#endif
