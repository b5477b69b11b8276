/* The per-hop counter sampler: one rtnetlink socket per namespace, a thread
 * sampling every hop on absolute CLOCK_MONOTONIC deadlines, windows with exact
 * totals and per-interval rate statistics, and CSV of every sample. What one
 * sample of a counter means (wraps, resets, rates) is counter.c. */
#include "monitor/monitor.h"

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"
#include "lib/thread.h"
#include "monitor/counter.h"
#include "monitor/csv.h"
#include "monitor/nlstats.h"

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct hop {
	char label[64];
	char netns[NETNS_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
	struct mon_nl *nl; /* shared by the hops of one namespace */
	int ifindex;
	int vanished;
	int have_last;
	uint64_t last_t;
	struct mon_counters last;
	/* The open window. */
	uint32_t win_samples;
	uint64_t win_first_t, win_last_t;
	struct mon_counters win_total;
	int win_vanished, win_reset;
	/* Intervals shorter than half the sampling interval (a window edge
	 * taken just after a scheduled sample) are merged into the next. */
	uint64_t pend_pkts[2], pend_ns;
	struct mon_rate_acc pps[2]; /* rx, tx */
};

struct monitor {
	struct hop *hops;
	unsigned n;
	struct mon_nl **socks; /* one per distinct namespace */
	unsigned n_socks;
	uint64_t interval_ns;
	uint64_t t0;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int running, stopping, window_open;
	unsigned n_vanished;
	FILE *csv;
	int csv_header_done;
	char tag[128];
	mon_sample_fn cb;
	void *cb_arg;
	struct mon_sample *scratch;
};

static void pend_flush(struct hop *h)
{
	unsigned d;

	if (!h->pend_ns)
		return;
	for (d = 0; d < 2; d++)
		mon_rate_acc_add(&h->pps[d], (double)h->pend_pkts[d] * 1e9 / (double)h->pend_ns);
	h->pend_pkts[0] = h->pend_pkts[1] = 0;
	h->pend_ns = 0;
}

/* Read one hop and fold the sample into its state and open window. */
static void sample_hop(struct monitor *m, struct hop *h, uint64_t deadline, struct mon_sample *s)
{
	struct mon_counters cur, dl;
	uint64_t t_before, t_read = 0, dt;
	int rc;

	memset(s, 0, sizeof(*s));
	s->scheduled = deadline != 0;
	if (h->vanished) {
		s->status = MON_VANISHED;
		s->err = -ENODEV;
		s->t_ns = h->last_t;
		return;
	}
	t_before = mtime_now_ns();
	rc = mon_nl_read(h->nl, h->ifindex, h->ifname, &cur, &t_read);
	if (!t_read)
		t_read = mtime_now_ns();
	s->t_ns = t_read;
	s->read_ns = t_read - t_before;
	if (s->scheduled)
		s->late_ns = (int64_t)(s->t_ns - deadline);
	if (rc == -ENODEV) {
		h->vanished = 1;
		m->n_vanished++;
		if (m->window_open)
			h->win_vanished = 1;
		s->status = MON_VANISHED;
		s->err = rc;
		log_warn("%s: interface %s%s%s vanished at %.3f s", h->label, h->netns,
			 *h->netns ? "/" : "", h->ifname, (double)(s->t_ns - m->t0) / 1e9);
		if (m->csv)
			mon_csv_row(m->csv, m->t0, m->tag, h->label, h->netns, h->ifname, s);
		return;
	}
	if (rc) {
		s->status = MON_ERROR;
		s->err = rc;
		if (m->csv)
			mon_csv_row(m->csv, m->t0, m->tag, h->label, h->netns, h->ifname, s);
		return;
	}
	s->c = cur;
	dt = h->have_last ? s->t_ns - h->last_t : 0;
	s->interval_ns = dt;
	s->status = mon_counter_step(!h->have_last, &h->last, &cur, dt, &dl, &s->rate);
	if (m->window_open && h->win_samples)
		mon_counter_add(&h->win_total, &dl);
	if (m->window_open) {
		if (h->win_samples) {
			h->pend_pkts[0] += dl.rx_packets;
			h->pend_pkts[1] += dl.tx_packets;
			h->pend_ns += dt;
			if (h->pend_ns * 2 >= m->interval_ns)
				pend_flush(h);
			if (s->status == MON_RESET)
				h->win_reset = 1;
		} else {
			h->win_first_t = s->t_ns;
		}
		h->win_samples++;
		h->win_last_t = s->t_ns;
	}
	h->last = cur;
	h->last_t = s->t_ns;
	h->have_last = 1;
	if (m->csv)
		mon_csv_row(m->csv, m->t0, m->tag, h->label, h->netns, h->ifname, s);
}

/* One sample of every hop; deadline 0 for an on-demand sample. Locked. */
static void sample_all(struct monitor *m, uint64_t deadline)
{
	unsigned i;

	if (m->csv && !m->csv_header_done) {
		mon_csv_header(m->csv);
		m->csv_header_done = 1;
	}
	for (i = 0; i < m->n; i++)
		sample_hop(m, &m->hops[i], deadline, &m->scratch[i]);
	if (m->csv)
		fflush(m->csv);
	if (m->cb)
		m->cb(m->cb_arg, m->scratch, m->n);
}

/* Interface names as the kernel accepts them (dev_valid_name). */
static int ifname_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

int monitor_open(const struct mon_hop *hops, unsigned n, uint64_t interval_ns, struct monitor **out,
		 unsigned *bad_hop)
{
	struct monitor *m = NULL;
	unsigned i, j;
	int rc = 0;

	*out = NULL;
	if (bad_hop)
		*bad_hop = n;
	if (!hops || n == 0 || interval_ns < NSEC_PER_MSEC)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->interval_ns = interval_ns;
	pthread_mutex_init(&m->lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&m->wake, &ca);
		pthread_condattr_destroy(&ca);
	}
	m->hops = calloc(n, sizeof(*m->hops));
	m->socks = calloc(n, sizeof(*m->socks));
	m->scratch = calloc(n, sizeof(*m->scratch));
	if (!m->hops || !m->socks || !m->scratch) {
		rc = -ENOMEM;
		goto out;
	}
	m->n = n;
	for (i = 0; i < n; i++) {
		struct hop *h = &m->hops[i];
		const char *ns = hops[i].netns ? hops[i].netns : "";

		if ((*ns && !netns_name_valid(ns)) || !ifname_valid(hops[i].ifname)) {
			rc = -EINVAL;
			goto fail_hop;
		}
		snprintf(h->netns, sizeof(h->netns), "%s", ns);
		snprintf(h->ifname, sizeof(h->ifname), "%s", hops[i].ifname);
		if (hops[i].label && *hops[i].label)
			snprintf(h->label, sizeof(h->label), "%s", hops[i].label);
		else
			snprintf(h->label, sizeof(h->label), "%s%s%s", ns, *ns ? "/" : "",
				 h->ifname);
		/* One socket per namespace, shared by its hops. */
		for (j = 0; j < i; j++)
			if (!strcmp(m->hops[j].netns, h->netns)) {
				h->nl = m->hops[j].nl;
				break;
			}
		if (!h->nl) {
			rc = mon_nl_open(h->netns, &h->nl);
			if (rc)
				goto fail_hop;
			m->socks[m->n_socks++] = h->nl;
		}
		rc = mon_nl_ifindex(h->nl, h->ifname);
		if (rc < 0)
			goto fail_hop;
		h->ifindex = rc;
		rc = 0;
	}
	m->t0 = mtime_now_ns();
	*out = m;
	m = NULL;
	goto out;
fail_hop:
	if (bad_hop)
		*bad_hop = i;
out:
	monitor_close(m);
	return rc;
}

void monitor_set_csv(struct monitor *m, FILE *f)
{
	pthread_mutex_lock(&m->lock);
	m->csv = f;
	m->csv_header_done = 0;
	pthread_mutex_unlock(&m->lock);
}

void monitor_set_tag(struct monitor *m, const char *tag)
{
	pthread_mutex_lock(&m->lock);
	snprintf(m->tag, sizeof(m->tag), "%s", tag ? tag : "");
	pthread_mutex_unlock(&m->lock);
}

void monitor_set_sample_cb(struct monitor *m, mon_sample_fn fn, void *arg)
{
	pthread_mutex_lock(&m->lock);
	m->cb = fn;
	m->cb_arg = arg;
	pthread_mutex_unlock(&m->lock);
}

unsigned monitor_vanished(struct monitor *m)
{
	unsigned v;

	pthread_mutex_lock(&m->lock);
	v = m->n_vanished;
	pthread_mutex_unlock(&m->lock);
	return v;
}

static struct timespec ts_of(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / NSEC_PER_SEC),
			      .tv_nsec = (long)(ns % NSEC_PER_SEC)};

	return ts;
}

/* Samples on absolute deadlines start + k * interval: a late wakeup delays one
 * sample, never the ones after it. Deadlines already missed are skipped. */
static void *sampler(void *arg)
{
	struct monitor *m = arg;
	uint64_t next, now;
	struct sched_param sp = {.sched_priority = 1};
	struct timespec ts;

	/* A woken SCHED_OTHER thread may wait out another task's slice (ms
	 * under EEVDF) before it runs; the lowest real-time priority wakes it
	 * at its deadline. It runs for microseconds per sample. Best effort:
	 * without the privilege the schedule is the same, only less punctual. */
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		log_dbg("sampler: no SCHED_FIFO, sampling with the normal scheduler");
	pthread_mutex_lock(&m->lock);
	next = mtime_now_ns() + m->interval_ns;
	while (!m->stopping) {
		ts = ts_of(next);
		pthread_cond_timedwait(&m->wake, &m->lock, &ts);
		if (m->stopping)
			break;
		if (mtime_now_ns() < next)
			continue; /* woken early: not yet */
		sample_all(m, next);
		next += m->interval_ns;
		now = mtime_now_ns();
		if (now >= next)
			next += ((now - next) / m->interval_ns + 1) * m->interval_ns;
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int monitor_start(struct monitor *m)
{
	int rc;

	if (m->running)
		return -EALREADY;
	m->stopping = 0;
	/* Signals are for the program's main thread, not the sampler. */
	rc = thread_start(&m->thread, sampler, m);
	if (rc)
		return rc;
	m->running = 1;
	return 0;
}

void monitor_stop(struct monitor *m)
{
	if (!m || !m->running)
		return;
	pthread_mutex_lock(&m->lock);
	m->stopping = 1;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	m->running = 0;
}

int monitor_sample(struct monitor *m)
{
	pthread_mutex_lock(&m->lock);
	sample_all(m, 0);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int monitor_window_begin(struct monitor *m)
{
	unsigned i;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->n; i++) {
		struct hop *h = &m->hops[i];

		h->win_samples = 0;
		h->win_first_t = h->win_last_t = 0;
		memset(&h->win_total, 0, sizeof(h->win_total));
		memset(h->pps, 0, sizeof(h->pps));
		h->pend_pkts[0] = h->pend_pkts[1] = 0;
		h->pend_ns = 0;
		h->win_reset = 0;
		h->win_vanished = h->vanished;
	}
	m->window_open = 1;
	sample_all(m, 0);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int monitor_window_end(struct monitor *m, struct mon_hop_window *out, unsigned n)
{
	unsigned i;

	pthread_mutex_lock(&m->lock);
	if (!m->window_open) {
		pthread_mutex_unlock(&m->lock);
		return -EINVAL;
	}
	sample_all(m, 0);
	m->window_open = 0;
	for (i = 0; i < n && i < m->n; i++) {
		struct hop *h = &m->hops[i];
		struct mon_hop_window *w = &out[i];
		double secs;

		memset(w, 0, sizeof(*w));
		/* A tail shorter than half an interval only counts when it is
		 * the window's one interval. */
		if (h->pps[0].n == 0)
			pend_flush(h);
		w->total = h->win_total;
		w->samples = h->win_samples;
		w->elapsed_ns = h->win_samples > 1 ? h->win_last_t - h->win_first_t : 0;
		w->first_t_ns = h->win_first_t;
		w->last_t_ns = h->win_last_t;
		w->vanished = h->win_vanished;
		w->reset = h->win_reset;
		secs = (double)w->elapsed_ns / 1e9;
		if (secs > 0) {
			w->rx_pps = (double)w->total.rx_packets / secs;
			w->tx_pps = (double)w->total.tx_packets / secs;
			w->rx_bps = (double)w->total.rx_bytes * 8.0 / secs;
			w->tx_bps = (double)w->total.tx_bytes * 8.0 / secs;
		}
		mon_rate_acc_get(&h->pps[0], &w->rx_pps_stats);
		mon_rate_acc_get(&h->pps[1], &w->tx_pps_stats);
	}
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int monitor_read_now(struct monitor *m, struct mon_counters *out, unsigned n)
{
	unsigned i;
	int rc = 0, r;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < n && i < m->n; i++) {
		struct hop *h = &m->hops[i];

		memset(&out[i], 0, sizeof(out[i]));
		r = h->vanished ? -ENODEV
				: mon_nl_read(h->nl, h->ifindex, h->ifname, &out[i], NULL);
		if (r && !rc)
			rc = r;
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

void monitor_close(struct monitor *m)
{
	unsigned i;

	if (!m)
		return;
	monitor_stop(m);
	for (i = 0; i < m->n_socks; i++)
		mon_nl_close(m->socks[i]);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m->scratch);
	free(m->socks);
	free(m->hops);
	free(m);
}
