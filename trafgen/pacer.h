/* The paced sender's schedule. Frame n (from 0) is due at the absolute time
 * start + n * 1e9 / rate on CLOCK_MONOTONIC, computed from n each time, so no
 * rounding error or late wake-up accumulates. At each wake-up the sender sends
 * every frame already due (the batch adapts to the rate and to how late it
 * woke), capped so one batch never holds more than PACER_BATCH_MAX frames, then
 * sleeps until shortly before the next deadline and spins the rest. */
#ifndef MP_TRAFGEN_PACER_H
#define MP_TRAFGEN_PACER_H

#include <stdint.h>

#define PACER_BATCH_MAX 64u
/* Sleep only when the next deadline is further than this; spin otherwise.
 * clock_nanosleep wakes 50..100 us late on a loaded VM. */
#define PACER_SPIN_NS 120000ULL

struct pacer {
	uint64_t start_ns;
	uint64_t rate; /* frames per second, > 0 */
};

void pacer_init(struct pacer *p, uint64_t rate, uint64_t start_ns);
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
