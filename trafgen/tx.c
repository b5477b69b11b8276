#include "trafgen/tx.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "lib/units.h"
#include "trafgen/frame.h"
#include "trafgen/pacer.h"
#include "trafgen/pkt.h"
#include "trafgen/xsk.h"

#define TX_BATCH      64u
#define TX_FIN_GAP_NS (2 * NSEC_PER_MSEC)

/* One sending thread: its own socket, frames, schedule and sequence. */
struct tx_lane {
	struct tx_engine *e;
	unsigned idx;
	int fd;		    /* AF_PACKET: every frame, or the FINs with AF_XDP */
	struct xsk_tx *xt;  /* AF_XDP, when the engine's backend is TG_BACKEND_XDP */
	uint8_t *bufs; /* TX_BATCH frames made from one template */
	struct frame_template tpl;
	struct mmsghdr msgs[TX_BATCH];
	struct iovec iov[TX_BATCH];
	uint64_t rate;	/* this lane's share; UNITS_RATE_MAX = max */
	uint64_t count; /* this lane's share; 0 = no limit */
	pthread_t thread;
	int started;
	/* under e->lock */
	int done, status;
	uint64_t sent, send_errors, enobufs, first_ns, last_ns;
};

struct tx_engine {
	struct tg_tx_params p;
	unsigned nlanes;
	uint32_t backend; /* TG_BACKEND_PACKET or TG_BACKEND_XDP */
	volatile int stop;
	pthread_mutex_t lock;
	struct tx_lane lane[FRAME_LANES];
};

/* Send n stamped frames; retry what the kernel refused for lack of buffers.
 * Returns 0, or a negative errno that ends the run. */
static int tx_send(struct tx_lane *l, unsigned n)
{
	struct tx_engine *e = l->e;
	unsigned off = 0;

	while (off < n) {
		int r = sendmmsg(l->fd, l->msgs + off, n - off, 0);

		if (r > 0) {
			off += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		pthread_mutex_lock(&e->lock);
		l->send_errors++;
		if (r < 0 && errno == ENOBUFS)
			l->enobufs++;
		pthread_mutex_unlock(&e->lock);
		if (r < 0 && errno != ENOBUFS && errno != EAGAIN)
			return -errno;
		if (e->stop)
			return 0;
		sched_yield();
	}
	return 0;
}

static void tx_stamp(struct tx_lane *l, unsigned n, uint64_t seq, uint64_t now, uint32_t flags)
{
	const struct tg_tx_params *p = &l->e->p;
	unsigned i;

	for (i = 0; i < n; i++) {
		uint64_t s = seq + i;
		uint16_t sport = frame_flow_port(p->sport, p->flows, l->e->nlanes, l->idx, s);

		frame_stamp(l->bufs + (size_t)i * l->tpl.len, &l->tpl, sport, flags, s, now);
	}
}

static void tx_account(struct tx_lane *l, uint64_t n, uint64_t t0, uint64_t t1)
{
	pthread_mutex_lock(&l->e->lock);
	if (!l->sent)
		l->first_ns = t0;
	l->sent += n;
	l->last_ns = t1;
	pthread_mutex_unlock(&l->e->lock);
}

/* Frames this lane is to send: its count, or those due within the duration. */
static uint64_t tx_limit(const struct tx_lane *l, const struct pacer *pc)
{
	uint64_t lim = l->count ? l->count : UINT64_MAX, dur = l->e->p.duration_ns;

	if (pc && dur) {
		uint64_t d = pacer_due_total(pc, pc->start_ns + dur - 1);

		if (d < lim)
			lim = d;
	}
	return lim;
}

static void tx_account(struct tx_lane *l, uint64_t n, uint64_t t0, uint64_t t1);

static void tx_count_error(struct tx_lane *l, int enobufs)
{
	pthread_mutex_lock(&l->e->lock);
	l->send_errors++;
	l->enobufs += enobufs;
	pthread_mutex_unlock(&l->e->lock);
}

/* AF_XDP: stamp n frames straight into the UMEM and send them; `sent`
 * counts completions (frames the kernel handed to the device). A full ring
 * is counted like ENOBUFS and waited out. */
static int tx_xsk_send(struct tx_lane *l, unsigned n, uint64_t seq, uint64_t now)
{
	const struct tg_tx_params *p = &l->e->p;
	uint8_t *bufs[TX_BATCH];
	unsigned off = 0, i;
	int done;

	while (off < n) {
		unsigned got = xsk_tx_reserve(l->xt, n - off, bufs);

		for (i = 0; i < got; i++) {
			uint64_t s = seq + off + i;

			frame_stamp(bufs[i], &l->tpl,
				    frame_flow_port(p->sport, p->flows, l->e->nlanes, l->idx, s), 0,
				    s, now);
		}
		if (got)
			xsk_tx_submit(l->xt, got);
		off += got;
		done = xsk_tx_kick(l->xt);
		if (done < 0)
			return done;
		if (done)
			tx_account(l, (unsigned)done, now, mtime_now_ns());
		if (!got) {
			tx_count_error(l, 1);
			if (l->e->stop)
				return 0;
			sched_yield();
		}
	}
	return 0;
}

/* AF_XDP: the frames still in flight at the end (at most 100 ms). */
static void tx_xsk_drain(struct tx_lane *l)
{
	uint64_t end = mtime_now_ns() + 100 * NSEC_PER_MSEC;
	int done;

	while (xsk_tx_in_flight(l->xt) && mtime_now_ns() < end) {
		done = xsk_tx_kick(l->xt);
		if (done < 0)
			break;
		if (done)
			tx_account(l, (unsigned)done, mtime_now_ns(), mtime_now_ns());
		else
			sched_yield();
	}
}

static int tx_run(struct tx_lane *l, uint64_t start)
{
	struct tx_engine *e = l->e;
	int paced = l->rate != UNITS_RATE_MAX;
	uint64_t seq = 0, lim, now, batch;
	struct pacer pc;
	int rc = 0;

	pacer_init(&pc, paced ? l->rate : 1, start);
	lim = tx_limit(l, paced ? &pc : NULL);
	batch = pacer_batch(&pc);
	if (paced)
		pacer_thread_init();
	while (!e->stop && seq < lim) {
		uint64_t n, wait_for = seq + batch - 1;

		if (paced) {
			/* The batch's last frame, or the run's last one. */
			if (pacer_wait(&pc, wait_for < lim ? wait_for : lim - 1, &e->stop))
				break;
			now = mtime_now_ns();
			n = pacer_due(&pc, now, seq, TX_BATCH);
		} else {
			now = mtime_now_ns();
			if (e->p.duration_ns && now - start >= e->p.duration_ns)
				break;
			n = TX_BATCH;
		}
		if (n > lim - seq)
			n = lim - seq;
		if (l->xt) {
			rc = tx_xsk_send(l, (unsigned)n, seq, now);
			if (rc)
				break;
			seq += n;
			continue;
		}
		tx_stamp(l, (unsigned)n, seq, now, 0);
		rc = tx_send(l, (unsigned)n);
		if (rc)
			break;
		tx_account(l, n, now, mtime_now_ns());
		seq += n;
	}
	if (l->xt)
		tx_xsk_drain(l);
	return rc;
}

/* Tell the sink how many frames there were, a few times (a DUT may lose some).
 * FIN carries the total in its sequence field. */
static void tx_fin(struct tx_lane *l)
{
	uint64_t sent, t;
	int i;

	pthread_mutex_lock(&l->e->lock);
	sent = l->sent;
	pthread_mutex_unlock(&l->e->lock);
	t = mtime_now_ns();
	for (i = 0; i < TX_FIN_FRAMES; i++) {
		tx_stamp(l, 1, sent, mtime_now_ns(), FRAME_F_FIN);
		if (send(l->fd, l->bufs, l->tpl.len, 0) < 0)
			break;
		t += TX_FIN_GAP_NS;
		mtime_sleep_until(t);
	}
}

static void *tx_thread(void *arg)
{
	struct tx_lane *l = arg;
	struct tx_engine *e = l->e;
	int rc = 0;

	if (e->p.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(e->p.cpu + (int)l->idx, &set);
		rc = -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	if (!rc)
		rc = tx_run(l, mtime_now_ns());
	if (!rc)
		tx_fin(l);
	pthread_mutex_lock(&e->lock);
	l->done = 1;
	l->status = rc;
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

static int tx_validate(const struct tg_tx_params *p)
{
	unsigned threads = p->threads ? p->threads : 1;

	if (p->size < UNITS_FRAME_MIN || p->size > UNITS_FRAME_MAX)
		return -EINVAL;
	if (p->rate == 0 || (p->rate != UNITS_RATE_MAX && p->rate > UNITS_RATE_LIMIT))
		return -EINVAL;
	if (p->flows < 1 || (uint32_t)p->sport + p->flows - 1 > 65535)
		return -EINVAL;
	/* Every lane gets at least one frame per second and one frame to send. */
	if (threads > FRAME_LANES || (p->rate != UNITS_RATE_MAX && p->rate < threads) ||
	    (p->count && p->count < threads))
		return -EINVAL;
	if (p->cpu < -1 || p->cpu + (int)threads > CPU_SETSIZE)
		return -EINVAL;
	if (p->backend > TG_BACKEND_XDP)
		return -EINVAL;
	if (!frame_ip_in_bench_range(p->src_ip) || !frame_ip_in_bench_range(p->dst_ip))
		return -ERANGE;
	return 0;
}

static int tx_lane_init(struct tx_engine *e, unsigned i, int ifindex)
{
	const struct tg_tx_params *p = &e->p;
	struct tx_lane *l = &e->lane[i];
	struct frame_spec spec;
	unsigned k;
	int rc;

	l->e = e;
	l->idx = i;
	/* Rate and count split so that the lanes add up exactly. */
	if (p->rate == UNITS_RATE_MAX)
		l->rate = UNITS_RATE_MAX;
	else
		l->rate = p->rate / e->nlanes + (i < p->rate % e->nlanes);
	if (p->count)
		l->count = p->count / e->nlanes + (i < p->count % e->nlanes);
	memset(&spec, 0, sizeof(spec));
	memcpy(spec.src_mac, p->src_mac, 6);
	memcpy(spec.dst_mac, p->dst_mac, 6);
	spec.src_ip = p->src_ip;
	spec.dst_ip = p->dst_ip;
	spec.sport = p->sport;
	spec.dport = p->dport;
	spec.size = p->size;
	spec.stream = p->stream;
	spec.lane = i;
	l->bufs = malloc((size_t)TX_BATCH * (p->size - UNITS_FCS_LEN));
	if (!l->bufs)
		return -ENOMEM;
	rc = frame_build(&spec, l->bufs, p->size - UNITS_FCS_LEN, &l->tpl);
	if (rc)
		return rc;
	for (k = 0; k < TX_BATCH; k++) {
		uint8_t *b = l->bufs + (size_t)k * l->tpl.len;

		if (k)
			memcpy(b, l->bufs, l->tpl.len);
		l->iov[k].iov_base = b;
		l->iov[k].iov_len = l->tpl.len;
		l->msgs[k].msg_hdr.msg_iov = &l->iov[k];
		l->msgs[k].msg_hdr.msg_iovlen = 1;
	}
	l->fd = pkt_tx_open(ifindex);
	return l->fd < 0 ? l->fd : 0;
}

/* AF_XDP when asked, or on auto when every lane binds a queue of its own;
 * else (auto) AF_PACKET for all. */
static int tx_backend(struct tx_engine *e)
{
	unsigned i;
	int rc = 0;

	e->backend = TG_BACKEND_PACKET;
	if (e->p.backend == TG_BACKEND_PACKET)
		return 0;
	for (i = 0; i < e->nlanes && !rc; i++)
		rc = xsk_tx_open(e->p.dev, i, e->lane[i].bufs, e->lane[i].tpl.len, &e->lane[i].xt);
	if (!rc) {
		e->backend = TG_BACKEND_XDP;
		return 0;
	}
	for (i = 0; i < e->nlanes; i++) {
		xsk_tx_close(e->lane[i].xt);
		e->lane[i].xt = NULL;
	}
	return e->p.backend == TG_BACKEND_XDP ? rc : 0;
}

int tx_engine_start(const struct tg_tx_params *p, struct tx_engine **out)
{
	struct tx_engine *e = NULL;
	sigset_t all, old;
	int ifindex, rc = 0;
	unsigned i;

	rc = tx_validate(p);
	if (rc)
		return rc;
	ifindex = pkt_ifindex(p->dev);
	if (ifindex < 0)
		return ifindex;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->p = *p;
	e->nlanes = p->threads ? p->threads : 1;
	pthread_mutex_init(&e->lock, NULL);
	for (i = 0; i < FRAME_LANES; i++)
		e->lane[i].fd = -1;
	for (i = 0; i < e->nlanes; i++) {
		rc = tx_lane_init(e, i, ifindex);
		if (rc)
			goto err;
	}
	rc = tx_backend(e);
	if (rc)
		goto err;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < e->nlanes && !rc; i++) {
		rc = -pthread_create(&e->lane[i].thread, NULL, tx_thread, &e->lane[i]);
		e->lane[i].started = !rc;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		goto err;
	*out = e;
	return 0;
err:
	tx_engine_free(e);
	return rc;
}

void tx_engine_stop(struct tx_engine *e)
{
	e->stop = 1;
}

int tx_engine_done(struct tx_engine *e)
{
	unsigned i;
	int d = 1;

	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nlanes; i++)
		d &= e->lane[i].done;
	pthread_mutex_unlock(&e->lock);
	return d;
}

void tx_engine_report(struct tx_engine *e, struct tg_tx_report *r)
{
	uint64_t first = UINT64_MAX, last = 0;
	unsigned i;

	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nlanes; i++) {
		const struct tx_lane *l = &e->lane[i];

		r->running |= !l->done;
		r->sent += l->sent;
		r->bytes += l->sent * l->tpl.len;
		r->send_errors += l->send_errors;
		r->enobufs += l->enobufs;
		if (l->sent && l->first_ns < first)
			first = l->first_ns;
		if (l->sent && l->last_ns > last)
			last = l->last_ns;
	}
	pthread_mutex_unlock(&e->lock);
	r->elapsed_ns = r->sent ? last - first : 0;
	r->target_pps = e->p.rate;
	r->backend = e->backend;
	if (r->elapsed_ns)
		r->pps = (double)r->sent * (double)NSEC_PER_SEC / (double)r->elapsed_ns;
	r->l2_bps = units_l2_bps(r->pps, e->p.size);
	r->l1_bps = units_l1_bps(r->pps, e->p.size);
}

int tx_engine_join(struct tx_engine *e)
{
	unsigned i;
	int rc = 0;

	e->stop = 1;
	for (i = 0; i < FRAME_LANES; i++) {
		if (!e->lane[i].started)
			continue;
		pthread_join(e->lane[i].thread, NULL);
		e->lane[i].started = 0;
		if (e->lane[i].status && !rc)
			rc = e->lane[i].status;
	}
	return rc;
}

void tx_engine_free(struct tx_engine *e)
{
	unsigned i;

	if (!e)
		return;
	tx_engine_join(e);
	for (i = 0; i < FRAME_LANES; i++) {
		if (e->lane[i].fd >= 0)
			close(e->lane[i].fd);
		xsk_tx_close(e->lane[i].xt);
		free(e->lane[i].bufs);
	}
	pthread_mutex_destroy(&e->lock);
	free(e);
}
