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

#define TX_BATCH      64u
#define TX_FIN_GAP_NS (2 * NSEC_PER_MSEC)

struct tx_engine {
	struct tg_tx_params p;
	int fd;
	uint8_t *bufs; /* TX_BATCH frames made from one template */
	struct frame_template tpl;
	struct mmsghdr msgs[TX_BATCH];
	struct iovec iov[TX_BATCH];
	pthread_t thread;
	int thread_started;
	volatile int stop;
	pthread_mutex_t lock; /* everything below */
	int done, status;
	uint64_t sent, send_errors, enobufs, first_ns, last_ns;
};

/* Send n stamped frames; retry what the kernel refused for lack of buffers.
 * Returns 0, or a negative errno that ends the run. */
static int tx_send(struct tx_engine *e, unsigned n)
{
	unsigned off = 0;

	while (off < n) {
		int r = sendmmsg(e->fd, e->msgs + off, n - off, 0);

		if (r > 0) {
			off += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		pthread_mutex_lock(&e->lock);
		e->send_errors++;
		if (r < 0 && errno == ENOBUFS)
			e->enobufs++;
		pthread_mutex_unlock(&e->lock);
		if (r < 0 && errno != ENOBUFS && errno != EAGAIN)
			return -errno;
		if (e->stop)
			return 0;
		sched_yield();
	}
	return 0;
}

static void tx_stamp(struct tx_engine *e, unsigned n, uint64_t seq, uint64_t now, uint32_t flags)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		uint64_t s = seq + i;
		uint16_t sport = (uint16_t)(e->p.sport + s % e->p.flows);

		frame_stamp(e->bufs + (size_t)i * e->tpl.len, &e->tpl, sport, flags, s, now);
	}
}

static void tx_account(struct tx_engine *e, uint64_t n, uint64_t t0, uint64_t t1)
{
	pthread_mutex_lock(&e->lock);
	if (!e->sent)
		e->first_ns = t0;
	e->sent += n;
	e->last_ns = t1;
	pthread_mutex_unlock(&e->lock);
}

/* Frames this run is to send: the count, or those due within the duration. */
static uint64_t tx_limit(const struct tx_engine *e, const struct pacer *pc)
{
	uint64_t lim = e->p.count ? e->p.count : UINT64_MAX;

	if (pc && e->p.duration_ns) {
		uint64_t d = pacer_due_total(pc, pc->start_ns + e->p.duration_ns - 1);

		if (d < lim)
			lim = d;
	}
	return lim;
}

static int tx_run(struct tx_engine *e)
{
	int paced = e->p.rate != UNITS_RATE_MAX;
	uint64_t seq = 0, start = mtime_now_ns(), lim, now;
	struct pacer pc;
	int rc = 0;

	pacer_init(&pc, paced ? e->p.rate : 1, start);
	lim = tx_limit(e, paced ? &pc : NULL);
	while (!e->stop && seq < lim) {
		uint64_t n;

		if (paced) {
			if (pacer_wait(&pc, seq, &e->stop))
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
		tx_stamp(e, (unsigned)n, seq, now, 0);
		rc = tx_send(e, (unsigned)n);
		if (rc)
			break;
		tx_account(e, n, now, mtime_now_ns());
		seq += n;
	}
	return rc;
}

/* Tell the sink how many frames there were, a few times (a DUT may lose some). */
static void tx_fin(struct tx_engine *e)
{
	uint64_t sent, t;
	int i;

	pthread_mutex_lock(&e->lock);
	sent = e->sent;
	pthread_mutex_unlock(&e->lock);
	t = mtime_now_ns();
	for (i = 0; i < TX_FIN_FRAMES; i++) {
		tx_stamp(e, 1, sent, mtime_now_ns(), FRAME_F_FIN);
		/* FIN carries the total in its sequence field. */
		if (send(e->fd, e->bufs, e->tpl.len, 0) < 0)
			break;
		t += TX_FIN_GAP_NS;
		mtime_sleep_until(t);
	}
}

static void *tx_thread(void *arg)
{
	struct tx_engine *e = arg;
	int rc = 0;

	if (e->p.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(e->p.cpu, &set);
		rc = -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	if (!rc)
		rc = tx_run(e);
	if (!rc)
		tx_fin(e);
	pthread_mutex_lock(&e->lock);
	e->done = 1;
	e->status = rc;
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

static int tx_validate(const struct tg_tx_params *p)
{
	if (p->size < UNITS_FRAME_MIN || p->size > UNITS_FRAME_MAX)
		return -EINVAL;
	if (p->rate == 0 || (p->rate != UNITS_RATE_MAX && p->rate > UNITS_RATE_LIMIT))
		return -EINVAL;
	if (p->flows < 1 || (uint32_t)p->sport + p->flows - 1 > 65535)
		return -EINVAL;
	if (p->cpu < -1 || p->cpu >= CPU_SETSIZE)
		return -EINVAL;
	if (!frame_ip_in_bench_range(p->src_ip) || !frame_ip_in_bench_range(p->dst_ip))
		return -ERANGE;
	return 0;
}

int tx_engine_start(const struct tg_tx_params *p, struct tx_engine **out)
{
	struct tx_engine *e = NULL;
	struct frame_spec spec;
	sigset_t all, old;
	int ifindex, rc;
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
	e->fd = -1;
	e->p = *p;
	pthread_mutex_init(&e->lock, NULL);
	memset(&spec, 0, sizeof(spec));
	memcpy(spec.src_mac, p->src_mac, 6);
	memcpy(spec.dst_mac, p->dst_mac, 6);
	spec.src_ip = p->src_ip;
	spec.dst_ip = p->dst_ip;
	spec.sport = p->sport;
	spec.dport = p->dport;
	spec.size = p->size;
	spec.stream = p->stream;
	e->bufs = malloc((size_t)TX_BATCH * (p->size - UNITS_FCS_LEN));
	if (!e->bufs) {
		rc = -ENOMEM;
		goto err;
	}
	rc = frame_build(&spec, e->bufs, p->size - UNITS_FCS_LEN, &e->tpl);
	if (rc)
		goto err;
	for (i = 0; i < TX_BATCH; i++) {
		uint8_t *b = e->bufs + (size_t)i * e->tpl.len;

		if (i)
			memcpy(b, e->bufs, e->tpl.len);
		e->iov[i].iov_base = b;
		e->iov[i].iov_len = e->tpl.len;
		e->msgs[i].msg_hdr.msg_iov = &e->iov[i];
		e->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	e->fd = pkt_tx_open(ifindex);
	if (e->fd < 0) {
		rc = e->fd;
		goto err;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&e->thread, NULL, tx_thread, e);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		goto err;
	e->thread_started = 1;
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
	int d;

	pthread_mutex_lock(&e->lock);
	d = e->done;
	pthread_mutex_unlock(&e->lock);
	return d;
}

void tx_engine_report(struct tx_engine *e, struct tg_tx_report *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&e->lock);
	r->running = !e->done;
	r->sent = e->sent;
	r->bytes = e->sent * e->tpl.len;
	r->send_errors = e->send_errors;
	r->enobufs = e->enobufs;
	r->elapsed_ns = e->last_ns - e->first_ns;
	pthread_mutex_unlock(&e->lock);
	r->target_pps = e->p.rate;
	if (r->elapsed_ns)
		r->pps = (double)r->sent * (double)NSEC_PER_SEC / (double)r->elapsed_ns;
	r->l2_bps = units_l2_bps(r->pps, e->p.size);
	r->l1_bps = units_l1_bps(r->pps, e->p.size);
}

int tx_engine_join(struct tx_engine *e)
{
	if (e->thread_started) {
		e->stop = 1;
		pthread_join(e->thread, NULL);
		e->thread_started = 0;
	}
	return e->status;
}

void tx_engine_free(struct tx_engine *e)
{
	if (!e)
		return;
	tx_engine_join(e);
	if (e->fd >= 0)
		close(e->fd);
	free(e->bufs);
	pthread_mutex_destroy(&e->lock);
	free(e);
}
