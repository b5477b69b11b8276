/* `mir-perf --cleanup` and the start of every xen run: remove what killed
 * runs left, under the one policy of harness/run/stale.h (this platform adds
 * only its domains, and names its bridges in dom0's root namespace), then any
 * domain named mp-* and the control bridge (the caller holds the run lock, so
 * no run owns them). Without Xen there is nothing of this platform to clean. */
#ifndef MP_XEN_STALE_H
#define MP_XEN_STALE_H

int xen_cleanup_stale(void);

#endif
