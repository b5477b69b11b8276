/* The forwarder's socket backends (fwd_int.h): plain AF_PACKET sockets with
 * recvmmsg/sendmmsg (--io mmsg, the naive forwarder the others are measured
 * against; sendmmsg also serves --io ring-mmsg), and tap. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "trafgen/fwd_int.h"
#include "trafgen/pkt.h"


/* Frames the output refuses (ENOBUFS: its driver stopped the queue; the send
 * socket bypasses the qdisc, so nothing holds them) are offered again, as a
 * qdisc would hold them until the driver restarts the queue: netfront stops
 * its queue whenever dom0's backend lags, which under an emulator is every
 * few seconds, and a forwarder that dropped there lost frames at 200 pps
 * (issue 12). Only a queue still stopped FWD_TX_WAIT_NS after the first
 * refusal of a batch drops the rest of it, each one counted in send_errors;
 * meanwhile arriving frames wait in the receive queue, where a DUT that
 * cannot keep up loses them (ring_drops). */
int fwd_flush(struct fwd_dir *d, unsigned n)
{
	struct timespec pause = {.tv_nsec = FWD_TX_PAUSE_NS};
	unsigned off = 0, refused = 0;
	uint64_t give_up = 0;

	while (off < n) {
		int r = sendmmsg(d->txfd, d->msgs + off, n - off, 0);

		if (r > 0) {
			off += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno != ENOBUFS && errno != EAGAIN) {
			pthread_mutex_lock(&d->f->lock);
			d->r.send_errors++;
			pthread_mutex_unlock(&d->f->lock);
			return -errno;
		}
		if (!give_up)
			give_up = mtime_now_ns() + FWD_TX_WAIT_NS;
		if (mtime_now_ns() < give_up) {
			nanosleep(&pause, NULL);
			continue;
		}
		pthread_mutex_lock(&d->f->lock);
		d->r.send_errors++;
		pthread_mutex_unlock(&d->f->lock);
		off++;
		refused++;
	}
	pthread_mutex_lock(&d->f->lock);
	d->r.forwarded += n - refused;
	pthread_mutex_unlock(&d->f->lock);
	return 0;
}

/* The arrival time of a received frame (SO_TIMESTAMPNS, realtime), or now. */
static uint64_t fwd_msg_time(struct msghdr *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
		}
	}
	return mtime_realtime_ns();
}

/* On stop, frames already queued are still forwarded (for at most
 * FWD_DRAIN_NS): a clean end loses nothing that had arrived. */
int fwd_sock_loop(struct fwd_dir *d)
{
	struct fwd *f = d->f;
	uint64_t drain_end = 0;
	unsigned k;

	for (;;) {
		struct pollfd pfd = {.fd = d->rxfd, .events = POLLIN};
		unsigned n = 0;
		uint64_t drops;
		int got, rc;

		if (f->stop && !drain_end)
			drain_end = mtime_now_ns() + FWD_DRAIN_NS;
		if (drain_end && mtime_now_ns() >= drain_end)
			break;

		for (k = 0; k < FWD_BATCH; k++) {
			d->rmsgs[k].msg_hdr.msg_controllen = d->p_ts ? FWD_CMSG_LEN : 0;
			d->riov[k].iov_len = FWD_FRAME_MAX;
		}
		got = recvmmsg(d->rxfd, d->rmsgs, FWD_BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (got < 0) {
			if (errno != EAGAIN && errno != EINTR)
				return -errno;
			if (drain_end)
				break; /* drained */
			if (poll(&pfd, 1, FWD_POLL_MS) < 0 && errno != EINTR)
				return -errno;
			if (f->p.duration_ns && mtime_now_ns() - f->start_ns >= f->p.duration_ns)
				break;
			continue;
		}
		pthread_mutex_lock(&f->lock);
		for (k = 0; k < (unsigned)got; k++) {
			unsigned len = d->rmsgs[k].msg_len;

			d->r.received++;
			d->r.bytes += len;
			if (len > FWD_FRAME_MAX) {
				d->r.truncated++; /* larger than any MTU we take: never sent cut */
				continue;
			}
			if (fwd_policy_drop(d, d->p_ts ? fwd_msg_time(&d->rmsgs[k].msg_hdr) : 0))
				continue;
			d->iov[n].iov_base = d->riov[k].iov_base;
			d->iov[n].iov_len = len;
			n++;
		}
		pthread_mutex_unlock(&f->lock);
		rc = fwd_flush(d, n);
		if (rc)
			return rc;
		if (!pkt_fd_drops(d->rxfd, &drops) && drops) {
			pthread_mutex_lock(&f->lock);
			d->r.ring_drops += drops;
			pthread_mutex_unlock(&f->lock);
		}
		if (f->p.duration_ns && mtime_now_ns() - f->start_ns >= f->p.duration_ns)
			break;
	}
	return 0;
}

int fwd_tap_loop(struct fwd_dir *d)
{
	static __thread uint8_t buf[FWD_TAP_MTU_MAX + 64];
	struct fwd *f = d->f;

	while (!f->stop) {
		struct pollfd pfd = {.fd = d->tap_in, .events = POLLIN};
		ssize_t n;
		int drop;

		if (poll(&pfd, 1, FWD_POLL_MS) < 0 && errno != EINTR)
			return -errno;
		for (;;) {
			n = read(d->tap_in, buf, sizeof(buf));
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n < 0)
				return -errno;
			pthread_mutex_lock(&f->lock);
			d->r.received++;
			d->r.bytes += (uint64_t)n;
			drop = fwd_policy_drop(d, mtime_now_ns());
			pthread_mutex_unlock(&f->lock);
			if (drop)
				continue;
			if ((d->delay ? delay_push(d->delay, buf, (size_t)n)
				      : write(d->tap_out, buf, (size_t)n)) != n) {
				pthread_mutex_lock(&f->lock);
				d->r.send_errors++;
				pthread_mutex_unlock(&f->lock);
				if (errno != EAGAIN && errno != ENOBUFS && errno != EIO)
					return -errno;
				continue;
			}
			pthread_mutex_lock(&f->lock);
			d->r.forwarded++;
			pthread_mutex_unlock(&f->lock);
		}
		if (f->p.duration_ns && mtime_now_ns() - f->start_ns >= f->p.duration_ns)
			break;
	}
	return 0;
}

int fwd_sock_open(struct fwd_dir *d, int in, int out, const char *from, const char *to,
		  const char **bad_dev)
{
	const struct fwd_params *p = &d->f->p;
	unsigned k;

	d->rbuf = malloc((size_t)FWD_BATCH * FWD_FRAME_MAX);
	if (!d->rbuf)
		return -ENOMEM;
	for (k = 0; k < FWD_BATCH; k++) {
		d->riov[k].iov_base = d->rbuf + (size_t)k * FWD_FRAME_MAX;
		d->rmsgs[k].msg_hdr.msg_iov = &d->riov[k];
		d->rmsgs[k].msg_hdr.msg_iovlen = 1;
		d->rmsgs[k].msg_hdr.msg_control = d->cmsg[k];
	}
	*bad_dev = from;
	d->rxfd = pkt_sock_rx_open(in, d->p_ts,
				   (int)(p->queue_mb ? p->queue_mb : FWD_QUEUE_MB) << 20);
	if (d->rxfd < 0)
		return d->rxfd;
	*bad_dev = to;
	d->txfd = pkt_tx_open(out);
	if (d->txfd < 0)
		return d->txfd;
	return 0;
}
