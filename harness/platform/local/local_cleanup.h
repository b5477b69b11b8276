/* `mir-perf --cleanup` and the start of every run on the local platform:
 * remove what killed runs left (their state files, state.h), last made
 * first, under the one policy of harness/run/stale.h; this platform adds
 * only its namespaces. */
#ifndef MP_LOCAL_CLEANUP_H
#define MP_LOCAL_CLEANUP_H

/* Call with the run lock held. 0, or a negative errno when something could
 * not be removed (logged; its state file is kept for the next try). */
int local_cleanup_stale(void);

#endif
