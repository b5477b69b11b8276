/* Time on CLOCK_MONOTONIC in nanoseconds. Every schedule in mir-perf works on
 * absolute deadlines from here, so no drift accumulates. Unit tests replace
 * mtime_now_ns with a fixed clock through -Wl,--wrap=mtime_now_ns. */
#ifndef MP_MTIME_H
#define MP_MTIME_H

#include <stdint.h>

#define NSEC_PER_SEC  1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

uint64_t mtime_now_ns(void);
uint64_t mtime_realtime_ns(void);
/* Sleep until the absolute CLOCK_MONOTONIC time; returns early (-EINTR) on a signal. */
int mtime_sleep_until(uint64_t deadline_ns);
/* Format seconds as M:SS or H:MM:SS. */
void mtime_fmt_elapsed(char *buf, unsigned long len, uint64_t seconds);
/* UTC timestamp "2026-11-25T12:34:56Z" (iso=1) or "20261125T123456Z" (iso=0). */
void mtime_fmt_utc(char *buf, unsigned long len, uint64_t realtime_ns, int iso);

#endif
