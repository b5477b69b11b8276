/* The paced sender's schedule. Frame n (from 0) is due at the absolute time
 * start + n * 1e9 / rate on CLOCK_MONOTONIC, computed from n each time, so no
 * rounding error or late wake-up accumulates. The sender wakes when the last
 * frame of its next batch is due -- a batch spans PACER_BATCH_NS at the rate
 * (1 frame at 10 kpps, 10 at 500 kpps), so fast rates do not cost one system
 * call per frame -- and sends every frame then due (more after a late
 * wake-up, up to PACER_BATCH_MAX). It sleeps until PACER_SPIN_NS before the
 * deadline (with a timer slack of 1 ns, see pacer_thread_init) and spins the
 * rest, so a slow rate does not burn a CPU the DUT may need. */
#ifndef MP_TRAFGEN_PACER_H
#define MP_TRAFGEN_PACER_H

#include <stdint.h>

#define PACER_BATCH_MAX 64u
#define PACER_BATCH_NS	20000ULL
/* Sleep only when the next deadline is further than this; spin otherwise. */
#define PACER_SPIN_NS 30000ULL

struct pacer {
	uint64_t start_ns;
	uint64_t rate; /* frames per second, > 0 */
};

void pacer_init(struct pacer *p, uint64_t rate, uint64_t start_ns);
/* Frames per wake-up at this rate: rate * PACER_BATCH_NS, 1..PACER_BATCH_MAX. */
uint64_t pacer_batch(const struct pacer *p);
/* Make this thread's sleeps end on time (PR_SET_TIMERSLACK 1 ns instead of
 * the default 50 us). */
void pacer_thread_init(void);
/* Absolute due time of frame n. */
uint64_t pacer_deadline(const struct pacer *p, uint64_t n);
/* How many frames are due at `now` given `sent` already sent (0 if none),
 * at most `cap`. */
uint64_t pacer_due(const struct pacer *p, uint64_t now, uint64_t sent, uint64_t cap);
/* Frames due by `now` in total: floor((now - start) * rate / 1e9) + 1. */
uint64_t pacer_due_total(const struct pacer *p, uint64_t now);
/* Wait until frame `next` is due: sleep if it is far, then spin. Returns
 * early (-EINTR) when *stop becomes non-zero. Uses mtime_now_ns (wrappable). */
int pacer_wait(const struct pacer *p, uint64_t next, const volatile int *stop);

#endif
