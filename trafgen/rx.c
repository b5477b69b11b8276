#include "trafgen/rx.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "trafgen/frame.h"
#include "trafgen/histo.h"
#include "trafgen/pkt.h"
#include "trafgen/report.h"
#include "trafgen/seqtrack.h"
#include "trafgen/xsk.h"

#define RX_DEFAULT_RING_MB 32u
#define RX_POLL_MS	   20
#define RX_BLOCK_TMO_MS	   4u
#define RX_STATS_EVERY_NS  (100 * NSEC_PER_MSEC)

struct rx_stream_state {
	uint32_t id;
	uint64_t bytes;
	struct seqtrack lane[FRAME_LANES]; /* one sequence per sending thread */
};

struct rx_engine {
	struct tg_rx_params p;
	uint32_t backend; /* TG_BACKEND_PACKET (ring) or TG_BACKEND_XDP (xsk) */
	struct pkt_rx *ring;
	struct xsk_rx *xsk;
	pthread_t thread;
	int thread_started;
	volatile int stop;
	pthread_mutex_t lock; /* everything below */
	int done, status;
	uint64_t start_ns, first_ns, last_ns, stats_ns;
	uint64_t foreign, ring_drops;
	uint64_t unique;   /* frames of every stream counted, duplicates not */
	uint64_t real_off; /* see rx_clock_offset */
	int nstreams;
	struct rx_stream_state streams[RX_MAX_STREAMS];
	struct histo lat;
};

static struct rx_stream_state *rx_stream(struct rx_engine *e, uint32_t id)
{
	unsigned l;
	int i;

	for (i = 0; i < e->nstreams; i++)
		if (e->streams[i].id == id)
			return &e->streams[i];
	if (e->nstreams == RX_MAX_STREAMS)
		return NULL;
	i = e->nstreams++;
	e->streams[i].id = id;
	e->streams[i].bytes = 0;
	for (l = 0; l < FRAME_LANES; l++)
		seqtrack_init(&e->streams[i].lane[l]);
	return &e->streams[i];
}

/* The accounting of every frame, whichever backend received it; called with
 * the lock held. now: its arrival on CLOCK_MONOTONIC (the generator's
 * stamp): the ring's kernel receive time of the frame, moved to that clock,
 * so a frame waiting in a ring block does not count as latency; AF_XDP's:
 * the XDP program's stamp, or the batch's time (rx.h). */
static void rx_frame(struct rx_engine *e, const uint8_t *buf, uint32_t len, uint64_t now)
{
	uint64_t lat;

	struct rx_stream_state *st;
	struct frame_info fi;

	if (frame_parse(buf, len, &fi) ||
	    (e->p.stream != TG_STREAM_ANY && fi.stream != e->p.stream)) {
		e->foreign++;
		return;
	}
	st = rx_stream(e, fi.stream);
	if (!st) {
		e->foreign++;
		return;
	}
	if (fi.flags & FRAME_F_FIN) {
		seqtrack_fin(&st->lane[fi.lane], fi.seq);
		return;
	}
	if (!e->first_ns)
		e->first_ns = now;
	e->last_ns = now;
	st->bytes += len + 4; /* with FCS, like the generator's figures */
	if (seqtrack_add(&st->lane[fi.lane], fi.seq)) {
		e->unique++;
		lat = (now - fi.ts40) & FRAME_TS_MASK;
		/* A frame stamped a hair after the sampled clock offset: 0, not 2^40. */
		histo_add(&e->lat, lat > FRAME_TS_MASK / 2 ? 0 : lat);
	}
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC, the kernel's receive times being on the
 * former. Best of 5 readings bracketed by the monotonic clock, so a
 * preemption between two reads does not shift every latency of a block. */
static uint64_t rx_clock_offset(void)
{
	uint64_t best_gap = UINT64_MAX, off = 0;
	int i;

	for (i = 0; i < 5; i++) {
		uint64_t m1 = mtime_now_ns(), r = mtime_realtime_ns(), m2 = mtime_now_ns();

		if (m2 - m1 < best_gap) {
			best_gap = m2 - m1;
			off = r - (m1 + (m2 - m1) / 2);
		}
	}
	return off;
}

static void rx_update_drops(struct rx_engine *e)
{
	uint64_t d;

	if (!(e->xsk ? xsk_rx_drops(e->xsk, &d) : pkt_rx_drops(e->ring, &d)))
		e->ring_drops += d;
}

static void rx_count_reached(struct rx_engine *e)
{
	if (e->p.count && e->unique >= e->p.count)
		e->stop = 1;
}

/* A block of the ring: each frame with the kernel's receive time. */
static int rx_ring_batch(struct rx_engine *e)
{
	const uint8_t *f;
	uint32_t len;
	uint64_t ts;
	int n;

	n = pkt_rx_wait(e->ring, RX_POLL_MS);
	if (n < 0 && n != -EINTR)
		return n;
	pthread_mutex_lock(&e->lock);
	while ((f = pkt_rx_next(e->ring, &len, &ts)) != NULL) {
		rx_frame(e, f, len, ts - e->real_off);
		rx_count_reached(e);
	}
	pkt_rx_release(e->ring);
	pthread_mutex_unlock(&e->lock);
	return 0;
}

/* A batch of one AF_XDP queue: each frame with the arrival time the XDP
 * program stamped, or (libxdp's program: AF_XDP gives no arrival time) the
 * clock read once the batch was found (rx.h). */
static int rx_xsk_batch(struct rx_engine *e)
{
	struct xsk_rx_frame fr[XSK_RX_BATCH];
	unsigned got, k;
	uint64_t now;
	int rc;

	got = xsk_rx_recv(e->xsk, fr, XSK_RX_BATCH);
	if (!got) {
		rc = xsk_rx_wait(e->xsk, RX_POLL_MS);
		if (rc <= 0)
			return rc;
		got = xsk_rx_recv(e->xsk, fr, XSK_RX_BATCH);
	}
	if (!got)
		return 0;
	now = mtime_now_ns();
	pthread_mutex_lock(&e->lock);
	for (k = 0; k < got; k++) {
		uint64_t ts = fr[k].ts_ns;

		rx_frame(e, fr[k].data, fr[k].len, ts && ts <= now ? ts : now);
		rx_count_reached(e);
	}
	pthread_mutex_unlock(&e->lock);
	xsk_rx_release(e->xsk);
	return 0;
}

static void *rx_thread(void *arg)
{
	struct rx_engine *e = arg;
	int status = 0;

	for (;;) {
		uint64_t now;
		int rc;

		if (e->stop)
			break;
		rc = e->xsk ? rx_xsk_batch(e) : rx_ring_batch(e);
		if (rc) {
			status = rc;
			break;
		}
		now = mtime_now_ns();
		pthread_mutex_lock(&e->lock);
		if (now - e->stats_ns >= RX_STATS_EVERY_NS) {
			rx_update_drops(e);
			e->real_off = rx_clock_offset(); /* follows a step of the clock */
			e->stats_ns = now;
		}
		if (e->p.duration_ns && now - e->start_ns >= e->p.duration_ns)
			e->stop = 1;
		pthread_mutex_unlock(&e->lock);
	}
	pthread_mutex_lock(&e->lock);
	rx_update_drops(e);
	e->done = 1;
	e->status = status;
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

/* --io xdp: AF_XDP or the error; ring and auto: the TPACKET ring (rx.h: on
 * veth AF_XDP did not win). */
static int rx_open_backend(struct rx_engine *e, int ifindex, unsigned ring_mb)
{
	int rc;

	if (e->p.backend == TG_BACKEND_XDP) {
		rc = xsk_rx_open(e->p.dev, &e->xsk);
		if (rc) {
			e->xsk = NULL;
			return rc;
		}
		e->backend = TG_BACKEND_XDP;
		log_verbose("rx on %s: AF_XDP (%s), %u queue%s", e->p.dev, xsk_rx_mode(e->xsk),
			    xsk_rx_queues(e->xsk), xsk_rx_queues(e->xsk) == 1 ? "" : "s");
		return 0;
	}
	e->backend = TG_BACKEND_PACKET;
	return pkt_rx_open(ifindex, ring_mb ? ring_mb : RX_DEFAULT_RING_MB, RX_BLOCK_TMO_MS,
			   &e->ring);
}

int rx_engine_start(const struct tg_rx_params *p, unsigned ring_mb, struct rx_engine **out)
{
	struct rx_engine *e = NULL;
	sigset_t all, old;
	int ifindex, rc;

	ifindex = pkt_ifindex(p->dev);
	if (ifindex < 0)
		return ifindex;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->p = *p;
	pthread_mutex_init(&e->lock, NULL);
	rc = rx_open_backend(e, ifindex, ring_mb);
	if (rc)
		goto err;
	rx_update_drops(e); /* start from zero */
	e->ring_drops = 0;
	histo_reset(&e->lat);
	e->real_off = rx_clock_offset();
	e->start_ns = e->stats_ns = mtime_now_ns();
	/* Signals belong to the main thread (the CLI's sigtimedwait, the agent's loop). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&e->thread, NULL, rx_thread, e);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		goto err;
	e->thread_started = 1;
	*out = e;
	return 0;
err:
	rx_engine_free(e);
	return rc;
}

void rx_engine_stop(struct rx_engine *e)
{
	e->stop = 1;
}

int rx_engine_done(struct rx_engine *e)
{
	int d;

	pthread_mutex_lock(&e->lock);
	d = e->done;
	pthread_mutex_unlock(&e->lock);
	return d;
}

/* A stream's figures: the sum of its lanes. */
static void rx_stream_sum(const struct rx_stream_state *st, struct rx_stream_report *r)
{
	unsigned l;

	memset(r, 0, sizeof(*r));
	r->stream = st->id;
	r->bytes = st->bytes;
	for (l = 0; l < FRAME_LANES; l++) {
		const struct seqtrack *t = &st->lane[l];

		r->received += t->received - t->duplicated;
		r->lost += seqtrack_lost(t);
		r->reordered += t->reordered;
		r->duplicated += t->duplicated;
		if (t->fin_seen)
			r->fin_total += t->fin_total;
	}
}

void rx_engine_report(struct rx_engine *e, struct tg_rx_report *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&e->lock);
	r->running = !e->done;
	for (i = 0; i < e->nstreams; i++) {
		struct rx_stream_report sr;

		rx_stream_sum(&e->streams[i], &sr);
		r->received += sr.received;
		r->bytes += sr.bytes;
		r->lost += sr.lost;
		r->reordered += sr.reordered;
		r->duplicated += sr.duplicated;
	}
	r->backend = e->backend;
	r->foreign = e->foreign;
	r->ring_drops = e->ring_drops;
	r->elapsed_ns = e->last_ns - e->first_ns;
	r->pps = r->elapsed_ns ? (double)(r->received > 1 ? r->received - 1 : 0) *
				     (double)NSEC_PER_SEC / (double)r->elapsed_ns
			       : 0.0;
	if (e->lat.count) {
		r->lat_min_ns = e->lat.min;
		r->lat_max_ns = e->lat.max;
		r->lat_mean_ns = histo_mean(&e->lat);
		r->lat_p50_ns = histo_quantile(&e->lat, 0.50);
		r->lat_p90_ns = histo_quantile(&e->lat, 0.90);
		r->lat_p99_ns = histo_quantile(&e->lat, 0.99);
		r->lat_p999_ns = histo_quantile(&e->lat, 0.999);
	}
	pthread_mutex_unlock(&e->lock);
}

int rx_engine_streams(struct rx_engine *e, struct rx_stream_report *s, int max)
{
	int i, n;

	pthread_mutex_lock(&e->lock);
	n = e->nstreams;
	for (i = 0; i < n && i < max; i++)
		rx_stream_sum(&e->streams[i], &s[i]);
	pthread_mutex_unlock(&e->lock);
	return n;
}

int rx_engine_join(struct rx_engine *e)
{
	if (e->thread_started) {
		e->stop = 1;
		pthread_join(e->thread, NULL);
		e->thread_started = 0;
	}
	return e->status;
}

void rx_engine_free(struct rx_engine *e)
{
	if (!e)
		return;
	rx_engine_join(e);
	pkt_rx_close(e->ring);
	xsk_rx_close(e->xsk);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

void rx_start_error(char *buf, size_t len, int rc, const struct tg_rx_params *p)
{
	/* Only AF_XDP was asked for: say that it is what failed, and why. */
	if (p->backend == TG_BACKEND_XDP && rc != -ENODEV && rc != -ENOMEM)
		snprintf(
		    buf, len, "--io xdp: no AF_XDP socket on the receive queues of '%.32s': %s%s",
		    p->dev, strerror(-rc),
		    rc == -EOPNOTSUPP ? " (no native XDP on it, or a build without libxdp)"
		    : rc == -EMSGSIZE ? " (its MTU is above the 1774 bytes an AF_XDP frame holds)"
		    : rc == -E2BIG    ? " (more receive queues than the sink opens)"
				      : "");
	else
		report_engine_error(buf, len, rc, p->dev);
}

static const char *const rx_io_names[] = {
    [TG_BACKEND_AUTO] = "auto", [TG_BACKEND_PACKET] = "ring", [TG_BACKEND_XDP] = "xdp"};

const char *rx_io_name(uint32_t backend)
{
	return backend <= TG_BACKEND_XDP ? rx_io_names[backend] : "?";
}

int rx_io_parse(const char *s, uint32_t *backend)
{
	uint32_t i;

	for (i = 0; i <= TG_BACKEND_XDP; i++) {
		if (!strcmp(s, rx_io_names[i])) {
			*backend = i;
			return 0;
		}
	}
	return -EINVAL;
}
