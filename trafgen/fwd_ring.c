/* The forwarder's TPACKET_V2 ring backend (fwd_int.h, ring.h): --io ring,
 * rings both ways, and --io ring-mmsg, a receive ring and sendmmsg straight
 * from its slots. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>

#include "lib/mtime.h"
#include "trafgen/fwd_int.h"
#include "trafgen/pkt.h"
#include "trafgen/ring.h"

/* Move what the receive ring holds (at most FWD_BATCH frames) into the
 * transmit ring; returns how many frames were taken. Under f->lock. */
static unsigned fwd_ring_batch(struct fwd_dir *d, unsigned *queued)
{
	unsigned k;

	*queued = 0;
	for (k = 0; k < FWD_BATCH; k++) {
		uint32_t len, cap;
		uint64_t ts;
		const uint8_t *fr = ring_rx_peek(d->rxr, &len, &cap, d->p_ts ? &ts : NULL);
		uint8_t *out;

		if (!fr)
			break;
		d->r.received++;
		d->r.bytes += len;
		if (cap < len) {
			d->r.truncated++; /* larger than any MTU we take: never sent cut */
		} else if (!fwd_policy_drop(d, d->p_ts ? ts : 0)) {
			out = ring_tx_slot(d->txr);
			if (!out && *queued) {
				/* full: let the kernel send what is queued, then look again */
				ring_tx_kick(d->txr);
				*queued = 0;
				out = ring_tx_slot(d->txr);
			}
			if (!out) {
				/* Sent frames still held downstream (a backlog ksoftirqd
				 * has yet to run): a millisecond for them to be freed. */
				struct pollfd po = {.fd = ring_fd(d->txr), .events = POLLOUT};

				poll(&po, 1, 1);
				out = ring_tx_slot(d->txr);
			}
			if (out) {
				memcpy(out, fr, len);
				ring_tx_commit(d->txr, len);
				d->r.forwarded++;
				(*queued)++;
			} else {
				d->r.tx_full++; /* a DUT whose queue is full drops */
			}
		}
		ring_rx_done(d->rxr);
	}
	return k;
}

/* Receive ring, sendmmsg straight from the receive slots (no copy in user
 * space; the kernel copies each frame once into its skb). Collects the
 * batch into d->iov and returns the slots looked at (handed back after the
 * send); under f->lock. */
static unsigned fwd_ring_collect(struct fwd_dir *d, unsigned *n)
{
	unsigned k;

	*n = 0;
	for (k = 0; k < FWD_BATCH; k++) {
		uint32_t len, cap;
		uint64_t ts;
		const uint8_t *fr = ring_rx_peek_at(d->rxr, k, &len, &cap, d->p_ts ? &ts : NULL);

		if (!fr)
			break;
		d->r.received++;
		d->r.bytes += len;
		if (cap < len) {
			d->r.truncated++;
		} else if (!fwd_policy_drop(d, d->p_ts ? ts : 0)) {
			d->iov[*n].iov_base = (void *)fr;
			d->iov[*n].iov_len = len;
			(*n)++;
		}
	}
	return k;
}

/* The ring twin of fwd_sock_loop: the same drain on stop. */
int fwd_ring_loop(struct fwd_dir *d)
{
	struct fwd *f = d->f;
	struct pollfd pfd = {.fd = ring_fd(d->rxr), .events = POLLIN};
	uint64_t drain_end = 0, drops, drops_at = 0;
	unsigned got, queued;
	int rc, pending = 0; /* queued slots the kernel could not take yet */

	for (;;) {
		if (f->stop && !drain_end)
			drain_end = mtime_now_ns() + FWD_DRAIN_NS;
		if (drain_end && mtime_now_ns() >= drain_end)
			break;
		pthread_mutex_lock(&f->lock);
		if (d->txr)
			got = fwd_ring_batch(d, &queued);
		else
			got = fwd_ring_collect(d, &queued);
		pthread_mutex_unlock(&f->lock);
		if (!d->txr) {
			rc = queued ? fwd_flush(d, queued) : 0;
			ring_rx_done_n(d->rxr, got);
			if (rc)
				return rc;
		} else if (queued || pending) {
			rc = ring_tx_kick(d->txr);
			if (rc && rc != -EAGAIN && rc != -ENOBUFS)
				return rc;
			pending = rc != 0;
		}
		if (got == FWD_BATCH)
			continue;
		/* The kernel's drop counter costs a system call: every 10 ms. */
		if (mtime_now_ns() - drops_at >= FWD_DROPS_EVERY_NS) {
			drops_at = mtime_now_ns();
			if (!ring_rx_drops(d->rxr, &drops) && drops) {
				pthread_mutex_lock(&f->lock);
				d->r.ring_drops += drops;
				pthread_mutex_unlock(&f->lock);
			}
		}
		if (f->p.duration_ns && mtime_now_ns() - f->start_ns >= f->p.duration_ns)
			break;
		if (got)
			continue;
		if (drain_end && !pending)
			break; /* drained */
		if (poll(&pfd, 1, pending ? 1 : FWD_POLL_MS) < 0 && errno != EINTR)
			return -errno;
	}
	if (!ring_rx_drops(d->rxr, &drops) && drops) {
		pthread_mutex_lock(&f->lock);
		d->r.ring_drops += drops;
		pthread_mutex_unlock(&f->lock);
	}
	return 0;
}

int fwd_ring_open(struct fwd_dir *d, int in, int out, const char *from, const char *to,
		  const char **bad_dev)
{
	const struct fwd_params *p = &d->f->p;
	unsigned mb = p->queue_mb ? p->queue_mb : FWD_RING_MB;
	int rc;

	*bad_dev = from;
	rc = ring_rx_open(in, mb, &d->rxr);
	if (rc)
		return rc;
	*bad_dev = to;
	if (p->io == FWD_IO_RING_MMSG) {
		d->txfd = pkt_tx_open(out);
		return d->txfd < 0 ? d->txfd : 0;
	}
	/* The kernel frees a sent slot as soon as the frame left: a short
	 * transmit ring does (the receive ring is the DUT's queue). */
	return ring_tx_open(out, mb < FWD_TXRING_MB ? mb : FWD_TXRING_MB, &d->txr);
}
