#include "trafgen/fwd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "trafgen/fwd_int.h"
#include "trafgen/pkt.h"
#include "trafgen/ring.h"
#include "trafgen/xsk.h"

/* The test aids: 1 when the frame is to be dropped. */
int fwd_policy_drop(struct fwd_dir *d, uint64_t ts_ns)
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

void fwd_add_drops(struct fwd_dir *d, uint64_t drops)
{
	if (!drops)
		return;
	pthread_mutex_lock(&d->f->lock);
	d->r.ring_drops += drops;
	pthread_mutex_unlock(&d->f->lock);
}

static void *fwd_thread(void *arg)
{
	struct fwd_dir *d = arg;
	int rc = d->f->p.tap		   ? fwd_tap_loop(d)
		 : d->f->io == FWD_IO_XDP  ? fwd_xsk_loop(d)
		 : d->f->io == FWD_IO_MMSG ? fwd_sock_loop(d)
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

/* The delay line's way out (delay.h). */
static ssize_t fwd_tap_write(void *ctx, const void *buf, size_t len)
{
	return write(((struct fwd_dir *)ctx)->tap_out, buf, len);
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
	d->r.io = f->p.tap ? FWD_IO_TAP : f->io;
	for (k = 0; k < FWD_BATCH; k++) {
		d->msgs[k].msg_hdr.msg_iov = &d->iov[k];
		d->msgs[k].msg_hdr.msg_iovlen = 1;
	}
	d->p_ts = f->p.max_pps != 0;
	if (f->p.tap) {
		d->tap_in = f->tapfd[i];
		d->tap_out = f->tapfd[!i];
		return f->p.delay_ns ? delay_open(f->p.delay_ns, fwd_tap_write, d, &d->delay) : 0;
	}
	if (f->io == FWD_IO_XDP)
		return 0; /* f->xsk holds both directions */
	*bad_dev = from;
	in = pkt_ifindex(from);
	if (in < 0)
		return in;
	*bad_dev = to;
	out = pkt_ifindex(to);
	if (out < 0)
		return out;
	if (f->io != FWD_IO_MMSG)
		return fwd_ring_open(d, in, out, from, to, bad_dev);
	return fwd_sock_open(d, in, out, from, to, bad_dev);
}

/* dev's MTU in this network namespace, or 0 when it cannot be read. */
static unsigned fwd_dev_mtu(const char *dev)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	unsigned mtu = 0;

	if (fd < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (!ioctl(fd, SIOCGIFMTU, &ifr) && ifr.ifr_mtu > 0)
		mtu = (unsigned)ifr.ifr_mtu;
	close(fd);
	return mtu;
}

/* --io auto: AF_XDP where the devices take a native XDP program, the rings
 * otherwise (said with -v: the fallback is normal on a device without XDP). */
static int fwd_choose_io(struct fwd *f, const struct fwd_params *p, const char **bad_dev)
{
	int rc;

	/* p is the caller's: *bad_dev must outlive f */
	f->io = p->io;
	if (p->tap || (p->io != FWD_IO_AUTO && p->io != FWD_IO_XDP))
		return 0;
	/* --max-pps meters on each frame's arrival time, which only AF_PACKET
	 * gives (AF_XDP: the batch's, so a forwarder stalled mid-burst would
	 * see tokens the sender never gave it): auto keeps the test aid exact. */
	if (p->io == FWD_IO_AUTO && p->max_pps) {
		log_verbose("fwd: --max-pps: TPACKET_V2 rings (the frames' arrival times)");
		f->io = FWD_IO_RING;
		return 0;
	}
	/* A device whose MTU is above what an XDP program on it may carry
	 * refuses the program; auto does not try: a refused attach on a veth
	 * reinitialises its queues, and frames arriving meanwhile were lost
	 * (667 of 3000 jumbo frames, once under load). */
	if (p->io == FWD_IO_AUTO && (fwd_dev_mtu(p->in) + 14 > FWD_XDP_FRAME_MAX ||
				     fwd_dev_mtu(p->out) + 14 > FWD_XDP_FRAME_MAX)) {
		log_verbose("fwd: an MTU above %u bytes on '%s' or '%s': TPACKET_V2 rings",
			    FWD_XDP_FRAME_MAX - 14, p->in, p->out);
		f->io = FWD_IO_RING;
		return 0;
	}
	*bad_dev = p->in;
	rc = xsk_fwd_open(p->in, p->out, p->bidir, p->queue_mb ? p->queue_mb : FWD_RING_MB, &f->xsk,
			  bad_dev);
	if (!rc) {
		f->io = FWD_IO_XDP;
		snprintf(f->xdp_mode, sizeof(f->xdp_mode), "%s", xsk_fwd_mode(f->xsk));
		return 0;
	}
	if (p->io == FWD_IO_XDP)
		return rc;
	log_verbose("fwd: no AF_XDP on '%s' (%s): TPACKET_V2 rings", *bad_dev ? *bad_dev : p->in,
		    strerror(-rc));
	f->io = FWD_IO_RING;
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
	rc = fwd_choose_io(f, p, bad_dev);
	if (rc)
		goto err;
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
	for (i = 0; i < f->ndirs; i++) {
		r[i] = f->dir[i].r;
		snprintf(r[i].xdp_mode, sizeof(r[i].xdp_mode), "%s", f->xdp_mode);
		if (f->dir[i].delay)
			r[i].send_errors += delay_send_errors(f->dir[i].delay);
	}
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
	for (i = 0; i < 2; i++)
		delay_close(f->dir[i].delay); /* before the fds it writes to */
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
	xsk_fwd_close(f->xsk);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static const char *const fwd_io_names[] = {
    [FWD_IO_AUTO] = "auto", [FWD_IO_RING] = "ring", [FWD_IO_MMSG] = "mmsg",
    [FWD_IO_RING_MMSG] = "ring-mmsg", [FWD_IO_XDP] = "xdp", [FWD_IO_TAP] = "tap",
};

const char *fwd_io_name(enum fwd_io io)
{
	return (unsigned)io < sizeof(fwd_io_names) / sizeof(fwd_io_names[0]) ? fwd_io_names[io]
									      : "?";
}

int fwd_io_parse(const char *s, enum fwd_io *io)
{
	unsigned i;

	/* tap is --tap, not an --io */
	for (i = 0; i < FWD_IO_TAP; i++) {
		if (!strcmp(s, fwd_io_names[i])) {
			*io = (enum fwd_io)i;
			return 0;
		}
	}
	return -EINVAL;
}
