/* The delay line; see delay.h. */
#include "trafgen/delay.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/mtime.h"

struct delay_slot {
	uint64_t due_ns;
	size_t len;
	uint8_t *buf;
};

struct delay_line {
	uint64_t delay_ns;
	delay_send_fn send;
	void *ctx;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC: pushed into an empty line, or stop */
	unsigned head, n;    /* FIFO of DELAY_SLOTS */
	int stop, started;
	uint64_t send_errors;
	pthread_t thread;
	uint8_t *mem;
	struct delay_slot slot[DELAY_SLOTS];
};

static void *delay_thread(void *arg)
{
	struct delay_line *d = arg;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		struct delay_slot *s;
		struct timespec ts;

		if (!d->n) {
			pthread_cond_wait(&d->cond, &d->lock);
			continue;
		}
		s = &d->slot[d->head];
		if (mtime_now_ns() < s->due_ns) {
			/* wait for the head's due time with the lock released (the
			 * receiver keeps pushing), woken early by delay_close() */
			ts.tv_sec = (time_t)(s->due_ns / NSEC_PER_SEC);
			ts.tv_nsec = (long)(s->due_ns % NSEC_PER_SEC);
			pthread_cond_timedwait(&d->cond, &d->lock, &ts);
			continue;
		}
		/* the slot stays ours while n counts it: the pusher writes only free slots */
		pthread_mutex_unlock(&d->lock);
		if (d->send(d->ctx, s->buf, s->len) != (ssize_t)s->len) {
			pthread_mutex_lock(&d->lock);
			d->send_errors++;
		} else {
			pthread_mutex_lock(&d->lock);
		}
		d->head = (d->head + 1) % DELAY_SLOTS;
		d->n--;
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int delay_open(uint64_t delay_ns, delay_send_fn send, void *ctx, struct delay_line **out)
{
	struct delay_line *d;
	pthread_condattr_t ca;
	unsigned i;
	int rc;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->mem = malloc((size_t)DELAY_SLOTS * DELAY_FRAME_MAX);
	if (!d->mem) {
		free(d);
		return -ENOMEM;
	}
	for (i = 0; i < DELAY_SLOTS; i++)
		d->slot[i].buf = d->mem + (size_t)i * DELAY_FRAME_MAX;
	d->delay_ns = delay_ns;
	d->send = send;
	d->ctx = ctx;
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cond, &ca);
	pthread_condattr_destroy(&ca);
	rc = -pthread_create(&d->thread, NULL, delay_thread, d);
	if (rc) {
		delay_close(d);
		return rc;
	}
	d->started = 1;
	*out = d;
	return 0;
}

ssize_t delay_push(struct delay_line *d, const void *buf, size_t len)
{
	struct delay_slot *s;

	if (len > DELAY_FRAME_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	pthread_mutex_lock(&d->lock);
	if (d->n == DELAY_SLOTS) {
		pthread_mutex_unlock(&d->lock);
		errno = ENOBUFS;
		return -1;
	}
	s = &d->slot[(d->head + d->n) % DELAY_SLOTS];
	memcpy(s->buf, buf, len);
	s->len = len;
	s->due_ns = mtime_now_ns() + d->delay_ns;
	if (!d->n++)
		pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return (ssize_t)len;
}

uint64_t delay_send_errors(struct delay_line *d)
{
	uint64_t n;

	pthread_mutex_lock(&d->lock);
	n = d->send_errors;
	pthread_mutex_unlock(&d->lock);
	return n;
}

void delay_close(struct delay_line *d)
{
	if (!d)
		return;
	if (d->started) {
		pthread_mutex_lock(&d->lock);
		d->stop = 1;
		pthread_cond_signal(&d->cond);
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->thread, NULL);
	}
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d->mem);
	free(d);
}
