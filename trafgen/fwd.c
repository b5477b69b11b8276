#include "trafgen/fwd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "trafgen/pkt.h"
#include "trafgen/ring.h"

#define FWD_BATCH	64u
#define FWD_DRAIN_NS	(1000 * NSEC_PER_MSEC)
#define FWD_POLL_MS	20
#define FWD_DROPS_EVERY_NS (10 * NSEC_PER_MSEC)
#define FWD_TXRING_MB	8u
#define FWD_FRAME_MAX	9216u /* 9018-byte frames without FCS, and some room */
#define FWD_CMSG_LEN	64u
#define FWD_TAP_MTU_MAX 9018u
#define FWD_TX_WAIT_NS	(1000 * NSEC_PER_MSEC) /* a stopped output queue holds a batch this long */
#define FWD_TX_PAUSE_NS 50000			/* between offers to a stopped queue */

struct fwd_dir {
	struct fwd *f;
	int rxfd;      /* AF_PACKET: receive on `from` (owned) */
	int p_ts;      /* frames carry their arrival time (max_pps) */
	uint8_t *rbuf; /* FWD_BATCH frames of FWD_FRAME_MAX */
	struct mmsghdr rmsgs[FWD_BATCH];
	struct iovec riov[FWD_BATCH];
	uint8_t cmsg[FWD_BATCH][FWD_CMSG_LEN] __attribute__((aligned(8)));
	int txfd;	     /* AF_PACKET: send on `to` (owned) */
	struct ring *rxr, *txr; /* FWD_IO_RING: receive on `from`, send on `to` (owned) */
	int tap_in, tap_out; /* tap: fds of struct fwd, not owned */
	pthread_t thread;
	int started, status;
	uint64_t seen; /* frames counted for drop_every */
	double tokens; /* max_pps bucket */
	uint64_t last_ts;
	struct fwd_dir_report r; /* under f->lock */
	struct mmsghdr msgs[FWD_BATCH];
	struct iovec iov[FWD_BATCH];
};

struct fwd {
	struct fwd_params p;
	int tapfd[2]; /* tap mode: in, out */
	int ndirs;
	volatile int stop;
	uint64_t start_ns;
	pthread_mutex_t lock;
	int running;
	struct fwd_dir dir[2];
};

/* The test aids: 1 when the frame is to be dropped. */
static int fwd_policy_drop(struct fwd_dir *d, uint64_t ts_ns)
{
	const struct fwd_params *p = &d->f->p;

	d->seen++;
	if (p->drop_every && d->seen % p->drop_every == 0) {
		d->r.dropped_every++;
		return 1;
	}
	if (p->max_pps) {
		/* max_burst (50 ms) of tokens: a sender's scheduling stalls are
		 * absorbed the way a real DUT's queue would absorb them, so the
		 * loss is the capacity's. A sender on a loaded machine stalls
		 * longer, and its catch-up burst needs a deeper bucket. */
		uint64_t depth = p->max_burst_ns ? p->max_burst_ns : FWD_MAX_BURST_NS;
		double burst = (double)p->max_pps * (double)depth / 1e9;

		if (burst < 1.0)
			burst = 1.0;
		if (!d->last_ts) {
			d->tokens = burst;
		} else if (ts_ns > d->last_ts) {
			d->tokens += (double)(ts_ns - d->last_ts) * (double)p->max_pps / 1e9;
			if (d->tokens > burst)
				d->tokens = burst;
		}
		d->last_ts = ts_ns;
		if (d->tokens < 1.0) {
			d->r.dropped_rate++;
			return 1;
		}
		d->tokens -= 1.0;
	}
	return 0;
}

/* Frames the output refuses (ENOBUFS: its driver stopped the queue; the send
 * socket bypasses the qdisc, so nothing holds them) are offered again, as a
 * qdisc would hold them until the driver restarts the queue: netfront stops
 * its queue whenever dom0's backend lags, which under an emulator is every
 * few seconds, and a forwarder that dropped there lost frames at 200 pps
 * (issue 12). Only a queue still stopped FWD_TX_WAIT_NS after the first
 * refusal of a batch drops the rest of it, each one counted in send_errors;
 * meanwhile arriving frames wait in the receive queue, where a DUT that
 * cannot keep up loses them (ring_drops). */
static int fwd_flush(struct fwd_dir *d, unsigned n)
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
static int fwd_sock_loop(struct fwd_dir *d)
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
static int fwd_ring_loop(struct fwd_dir *d)
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

static int fwd_tap_loop(struct fwd_dir *d)
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
			if (write(d->tap_out, buf, (size_t)n) != n) {
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

static void *fwd_thread(void *arg)
{
	struct fwd_dir *d = arg;
	int rc = d->f->p.tap		      ? fwd_tap_loop(d)
		 : d->f->p.io == FWD_IO_MMSG ? fwd_sock_loop(d)
					      : fwd_ring_loop(d); /* ring, ring-mmsg */

	pthread_mutex_lock(&d->f->lock);
	d->status = rc;
	d->f->running--;
	pthread_mutex_unlock(&d->f->lock);
	return NULL;
}

/* Attach to an existing TAP device (never create one). */
static int fwd_tap_open(const char *name)
{
	struct ifreq ifr;
	int fd, rc;

	rc = pkt_ifindex(name);
	if (rc < 0)
		return rc;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static int fwd_open_dir(struct fwd *f, int i, const char *from, const char *to,
			const char **bad_dev)
{
	struct fwd_dir *d = &f->dir[i];
	int in, out;
	unsigned k;

	d->f = f;
	strcpy(d->r.from, from);
	strcpy(d->r.to, to);
	for (k = 0; k < FWD_BATCH; k++) {
		d->msgs[k].msg_hdr.msg_iov = &d->iov[k];
		d->msgs[k].msg_hdr.msg_iovlen = 1;
	}
	if (f->p.tap) {
		d->tap_in = f->tapfd[i];
		d->tap_out = f->tapfd[!i];
		return 0;
	}
	*bad_dev = from;
	in = pkt_ifindex(from);
	if (in < 0)
		return in;
	*bad_dev = to;
	out = pkt_ifindex(to);
	if (out < 0)
		return out;
	d->p_ts = f->p.max_pps != 0;
	if (f->p.io != FWD_IO_MMSG) {
		unsigned mb = f->p.queue_mb ? f->p.queue_mb : FWD_RING_MB;
		int rc;

		*bad_dev = from;
		rc = ring_rx_open(in, mb, &d->rxr);
		if (rc)
			return rc;
		*bad_dev = to;
		if (f->p.io == FWD_IO_RING_MMSG) {
			d->txfd = pkt_tx_open(out);
			return d->txfd < 0 ? d->txfd : 0;
		}
		/* The kernel frees a sent slot as soon as the frame left: a short
		 * transmit ring does (the receive ring is the DUT's queue). */
		return ring_tx_open(out, mb < FWD_TXRING_MB ? mb : FWD_TXRING_MB, &d->txr);
	}
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
				   (int)(f->p.queue_mb ? f->p.queue_mb : FWD_QUEUE_MB) << 20);
	if (d->rxfd < 0)
		return d->rxfd;
	*bad_dev = to;
	d->txfd = pkt_tx_open(out);
	if (d->txfd < 0)
		return d->txfd;
	return 0;
}

int fwd_start(const struct fwd_params *p, struct fwd **out, const char **bad_dev)
{
	struct fwd *f;
	sigset_t all, old;
	int i, rc;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->p = *p;
	f->tapfd[0] = f->tapfd[1] = -1;
	f->dir[0].txfd = f->dir[1].txfd = -1;
	f->dir[0].rxfd = f->dir[1].rxfd = -1;
	pthread_mutex_init(&f->lock, NULL);
	f->ndirs = p->bidir ? 2 : 1;
	if (p->tap) {
		for (i = 0; i < 2; i++) {
			*bad_dev = i ? p->out : p->in;
			f->tapfd[i] = fwd_tap_open(*bad_dev);
			if (f->tapfd[i] < 0) {
				rc = f->tapfd[i];
				goto err;
			}
		}
	}
	for (i = 0; i < f->ndirs; i++) {
		rc = fwd_open_dir(f, i, i ? p->out : p->in, i ? p->in : p->out, bad_dev);
		if (rc)
			goto err;
	}
	*bad_dev = NULL;
	f->start_ns = mtime_now_ns();
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < f->ndirs; i++) {
		rc = -pthread_create(&f->dir[i].thread, NULL, fwd_thread, &f->dir[i]);
		if (rc)
			break;
		f->dir[i].started = 1;
		pthread_mutex_lock(&f->lock);
		f->running++;
		pthread_mutex_unlock(&f->lock);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		goto err;
	*out = f;
	return 0;
err:
	fwd_free(f);
	return rc;
}

void fwd_stop(struct fwd *f)
{
	f->stop = 1;
}

int fwd_done(struct fwd *f)
{
	int done;

	pthread_mutex_lock(&f->lock);
	done = f->running == 0;
	pthread_mutex_unlock(&f->lock);
	return done;
}

int fwd_report(struct fwd *f, struct fwd_dir_report r[2])
{
	int i;

	pthread_mutex_lock(&f->lock);
	for (i = 0; i < f->ndirs; i++)
		r[i] = f->dir[i].r;
	pthread_mutex_unlock(&f->lock);
	return f->ndirs;
}

int fwd_join(struct fwd *f)
{
	int i, rc = 0;

	f->stop = 1;
	for (i = 0; i < 2; i++) {
		if (!f->dir[i].started)
			continue;
		pthread_join(f->dir[i].thread, NULL);
		f->dir[i].started = 0;
		if (f->dir[i].status && !rc)
			rc = f->dir[i].status;
	}
	return rc;
}

void fwd_free(struct fwd *f)
{
	int i;

	if (!f)
		return;
	fwd_join(f);
	for (i = 0; i < 2; i++) {
		if (f->dir[i].rxfd >= 0)
			close(f->dir[i].rxfd);
		free(f->dir[i].rbuf);
		if (f->dir[i].txfd >= 0)
			close(f->dir[i].txfd);
		ring_close(f->dir[i].rxr);
		ring_close(f->dir[i].txr);
		if (f->tapfd[i] >= 0)
			close(f->tapfd[i]);
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
}
