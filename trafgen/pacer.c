#include "trafgen/pacer.h"

#include <errno.h>
#include <sys/prctl.h>

#include "lib/mtime.h"

void pacer_init(struct pacer *p, uint64_t rate, uint64_t start_ns)
{
	p->start_ns = start_ns;
	p->rate = rate ? rate : 1;
}

uint64_t pacer_batch(const struct pacer *p)
{
	uint64_t b = p->rate * PACER_BATCH_NS / NSEC_PER_SEC;

	if (b < 1)
		return 1;
	return b > PACER_BATCH_MAX ? PACER_BATCH_MAX : b;
}

void pacer_thread_init(void)
{
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

uint64_t pacer_deadline(const struct pacer *p, uint64_t n)
{
	/* n * 1e9 / rate without overflowing 64 bits. */
	unsigned __int128 t = (unsigned __int128)n * NSEC_PER_SEC / p->rate;

	return p->start_ns + (uint64_t)t;
}

uint64_t pacer_due_total(const struct pacer *p, uint64_t now)
{
	unsigned __int128 n;

	if (now < p->start_ns)
		return 0;
	n = (unsigned __int128)(now - p->start_ns) * p->rate / NSEC_PER_SEC;
	return (uint64_t)n + 1;
}

uint64_t pacer_due(const struct pacer *p, uint64_t now, uint64_t sent, uint64_t cap)
{
	uint64_t total = pacer_due_total(p, now);

	if (total <= sent)
		return 0;
	total -= sent;
	return total < cap ? total : cap;
}

int pacer_wait(const struct pacer *p, uint64_t next, const volatile int *stop)
{
	uint64_t deadline = pacer_deadline(p, next), now;

	for (;;) {
		if (*stop)
			return -EINTR;
		now = mtime_now_ns();
		if (now >= deadline)
			return 0;
		if (deadline - now > PACER_SPIN_NS) {
			uint64_t wake = deadline - PACER_SPIN_NS;

			/* Sleep in slices of at most 50 ms so a stop is seen soon. */
			if (wake - now > 50 * NSEC_PER_MSEC)
				wake = now + 50 * NSEC_PER_MSEC;
			mtime_sleep_until(wake);
		}
	}
}
