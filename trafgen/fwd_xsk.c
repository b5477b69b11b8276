/* The forwarder's AF_XDP backend (fwd_int.h, xsk.h: xsk_fwd): a received
 * frame's descriptor goes to the other device's transmit ring as it is, the
 * frame never copied in user space; frames the test aids drop go straight
 * back to the receive side. */
#include <errno.h>

#include "lib/mtime.h"
#include "trafgen/fwd_int.h"
#include "trafgen/xsk.h"

/* The same drain on stop as the other backends: what had arrived is sent. */
int fwd_xsk_loop(struct fwd_dir *d)
{
	struct fwd *f = d->f;
	int dir = (int)(d - f->dir);
	struct xsk_fwd_frame fr[XSK_FWD_BATCH], out[XSK_FWD_BATCH], drop[XSK_FWD_BATCH];
	uint64_t drain_end = 0, drops, drops_at = 0;
	int in_flight = 0, rc;

	for (;;) {
		unsigned got, k, nout = 0, ndrop = 0, sent;
		uint64_t now_rt;

		if (f->stop && !drain_end)
			drain_end = mtime_now_ns() + FWD_DRAIN_NS;
		if (drain_end && mtime_now_ns() >= drain_end)
			break;
		got = xsk_fwd_recv(f->xsk, dir, fr, XSK_FWD_BATCH);
		if (got) {
			/* AF_XDP gives no arrival time: the batch's, for max_pps. */
			now_rt = d->p_ts ? mtime_realtime_ns() : 0;
			pthread_mutex_lock(&f->lock);
			for (k = 0; k < got; k++) {
				d->r.received++;
				d->r.bytes += fr[k].len;
				if (fwd_policy_drop(d, now_rt))
					drop[ndrop++] = fr[k];
				else
					out[nout++] = fr[k];
			}
			pthread_mutex_unlock(&f->lock);
			sent = xsk_fwd_send(f->xsk, dir, out, nout);
			if (sent < nout)
				xsk_fwd_recycle(f->xsk, dir, out + sent, nout - sent);
			xsk_fwd_recycle(f->xsk, dir, drop, ndrop);
			pthread_mutex_lock(&f->lock);
			d->r.forwarded += sent;
			d->r.tx_full += nout - sent;
			pthread_mutex_unlock(&f->lock);
		}
		if (got || in_flight) {
			in_flight = xsk_fwd_kick(f->xsk, dir);
			if (in_flight < 0)
				return in_flight;
		}
		if (got == XSK_FWD_BATCH)
			continue;
		/* The kernel's drop counter costs a system call: every 10 ms. */
		if (mtime_now_ns() - drops_at >= FWD_DROPS_EVERY_NS) {
			drops_at = mtime_now_ns();
			if (!xsk_fwd_drops(f->xsk, dir, &drops))
				fwd_add_drops(d, drops);
		}
		if (f->p.duration_ns && mtime_now_ns() - f->start_ns >= f->p.duration_ns)
			break;
		if (got)
			continue;
		if (drain_end && !in_flight)
			break; /* drained */
		/* Completions come without a wake-up: a millisecond while some
		 * are due. */
		rc = xsk_fwd_wait(f->xsk, dir, in_flight ? 1 : FWD_POLL_MS);
		if (rc < 0)
			return rc;
	}
	if (!xsk_fwd_drops(f->xsk, dir, &drops))
		fwd_add_drops(d, drops);
	return 0;
}
