#include "monitor/view.h"

#include "lib/mtime.h"
#include "lib/thread.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

/* A terminal is redrawn at most this often, whatever the sampling interval;
 * the rates shown cover the whole time since the previous redraw. */
#define VIEW_REDRAW_NS (200 * NSEC_PER_MSEC)
/* Sample sets waiting for the printing thread: the sampler only queues them,
 * so a slow terminal or a stalled pipe never delays a sample, nor the end of
 * the run. */
#define VIEW_QUEUE 256

struct view_hop {
	const char *label;
	enum mon_status status;
	int have_rate;
	int vanished_said;
	/* Since the previous redraw: counted frames, bytes, time. */
	double pkts[2], bytes[2];
	uint64_t span_ns;
	double pps[2], mbps[2];
	uint64_t drops[2]; /* since the start */
};

struct view {
	FILE *f;
	int tty;
	unsigned n;
	uint64_t interval_ns;
	uint64_t t_start, t_drawn, t_last;
	int lines_drawn;
	int header_done;
	int label_w;
	struct view_hop *hops;
	pthread_mutex_t lock;
	pthread_cond_t queued;
	pthread_t printer;
	int printing, stopping;
	struct mon_sample *queue, *batch; /* VIEW_QUEUE sets of n samples each */
	unsigned q_head, q_len;
	uint64_t q_dropped;
};

int view_open(FILE *f, int tty, const struct mon_hop *hops, unsigned n, uint64_t interval_ns,
	      struct view **out)
{
	struct view *v;
	unsigned i;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->queued, NULL);
	v->hops = calloc(n, sizeof(*v->hops));
	v->queue = calloc((size_t)VIEW_QUEUE * n, sizeof(*v->queue));
	v->batch = calloc((size_t)VIEW_QUEUE * n, sizeof(*v->batch));
	if (!v->hops || !v->queue || !v->batch) {
		view_close(v);
		return -ENOMEM;
	}
	v->f = f;
	v->tty = tty;
	v->n = n;
	v->interval_ns = interval_ns;
	v->label_w = 9;
	for (i = 0; i < n; i++) {
		int w = (int)strlen(hops[i].label);

		v->hops[i].label = hops[i].label;
		if (w > v->label_w)
			v->label_w = w > 40 ? 40 : w;
	}
	*out = v;
	return 0;
}

/* Fold one sample into the hop's running figures. */
static void view_fold(struct view_hop *h, const struct mon_sample *s)
{
	double secs = (double)s->interval_ns / 1e9;
	unsigned d;

	h->status = s->status;
	if (s->status != MON_OK && s->status != MON_WRAP && s->status != MON_RESET)
		return;
	for (d = 0; d < 2; d++) {
		h->pkts[d] += mon_rate_get(&s->rate, 0, d) * secs;
		h->bytes[d] += mon_rate_get(&s->rate, 1, d) * secs;
		h->drops[d] += (uint64_t)llround(mon_rate_get(&s->rate, 2, d) * secs);
	}
	h->span_ns += s->interval_ns;
}

static void view_rates(struct view_hop *h)
{
	unsigned d;

	if (!h->span_ns)
		return;
	for (d = 0; d < 2; d++) {
		h->pps[d] = h->pkts[d] * 1e9 / (double)h->span_ns;
		h->mbps[d] = h->bytes[d] * 8.0 / 1e6 * 1e9 / (double)h->span_ns;
		h->pkts[d] = h->bytes[d] = 0.0;
	}
	h->span_ns = 0;
	h->have_rate = 1;
}

static void view_row(struct view *v, FILE *f, const struct view_hop *h, const char *eol)
{
	fprintf(f, "%-*.*s", v->label_w, v->label_w, h->label);
	if (h->status == MON_VANISHED)
		fprintf(f, " %-47s", "(vanished)");
	else if (!h->have_rate)
		fprintf(f, " %12s %10s %12s %10s", "-", "-", "-", "-");
	else
		fprintf(f, " %12.0f %10.3f %12.0f %10.3f", h->pps[0], h->mbps[0], h->pps[1],
			h->mbps[1]);
	fprintf(f, " %10llu %10llu%s", (unsigned long long)h->drops[0],
		(unsigned long long)h->drops[1], eol);
}

static void view_header(struct view *v, FILE *f, const char *eol)
{
	fprintf(f, "%-*s %12s %10s %12s %10s %10s %10s%s", v->label_w, "Interface", "RX pps",
		"RX Mbit/s", "TX pps", "TX Mbit/s", "RX drops", "TX drops", eol);
}

/* A table line cut to the terminal's width: a wrapped line would break the
 * count of lines to go back up. */
static void view_tty_line(struct view *v, int cols, const char *line)
{
	int len = (int)strcspn(line, "\n");

	if (cols > 1 && len > cols - 1)
		len = cols - 1;
	fprintf(v->f, "%.*s\033[K\n", len, line);
}

static void view_draw(struct view *v, uint64_t now)
{
	char elapsed[32], *line = NULL;
	struct winsize ws;
	size_t len = 0;
	int cols = 0;
	FILE *mem;
	unsigned i;

	if (ioctl(fileno(v->f), TIOCGWINSZ, &ws) == 0)
		cols = ws.ws_col;
	/* Back to the top of the previous table; every line is cleared as it is redrawn. */
	if (v->lines_drawn)
		fprintf(v->f, "\r\033[%dA", v->lines_drawn);
	mtime_fmt_elapsed(elapsed, sizeof(elapsed), (now - v->t_start) / NSEC_PER_SEC);
	mem = open_memstream(&line, &len);
	if (!mem)
		return;
	fprintf(mem, "mir-monitor  %s  every %.3g ms  (Ctrl-C ends)\n", elapsed,
		(double)v->interval_ns / 1e6);
	view_header(v, mem, "\n");
	for (i = 0; i < v->n; i++) {
		view_rates(&v->hops[i]);
		view_row(v, mem, &v->hops[i], "\n");
	}
	if (fclose(mem) == 0) {
		const char *p = line;

		for (i = 0; i < v->n + 2 && *p; i++) {
			view_tty_line(v, cols, p);
			p += strcspn(p, "\n");
			p += *p == '\n';
		}
	}
	free(line);
	v->lines_drawn = (int)v->n + 2;
	fflush(v->f);
}

void view_sample(void *arg, const struct mon_sample *s, unsigned n)
{
	struct view *v = arg;
	unsigned slot;

	if (n > v->n)
		n = v->n;
	pthread_mutex_lock(&v->lock);
	if (v->q_len == VIEW_QUEUE) {
		v->q_head = (v->q_head + 1) % VIEW_QUEUE;
		v->q_len--;
		v->q_dropped++;
	}
	slot = (v->q_head + v->q_len) % VIEW_QUEUE;
	memcpy(&v->queue[(size_t)slot * v->n], s, n * sizeof(*s));
	v->q_len++;
	pthread_cond_signal(&v->queued);
	pthread_mutex_unlock(&v->lock);
}

/* One sample set: fold it in, and print a line per hop or redraw the table. */
static void view_show(struct view *v, const struct mon_sample *s, unsigned n)
{
	uint64_t now = 0;
	unsigned i;

	for (i = 0; i < n && i < v->n; i++) {
		view_fold(&v->hops[i], &s[i]);
		if (s[i].t_ns > now)
			now = s[i].t_ns;
	}
	if (!v->t_start)
		v->t_start = v->t_drawn = now;
	v->t_last = now;
	if (v->tty) {
		if (now - v->t_drawn >= VIEW_REDRAW_NS || !v->lines_drawn) {
			view_draw(v, now);
			v->t_drawn = now;
		}
		return;
	}
	if (!v->header_done) {
		fprintf(v->f, "%10s ", "# time_s");
		view_header(v, v->f, "\n");
		v->header_done = 1;
	}
	for (i = 0; i < n && i < v->n; i++) {
		struct view_hop *h = &v->hops[i];

		/* The first sample has no rate; a vanished hop is said once. */
		if (s[i].status == MON_FIRST || s[i].status == MON_ERROR ||
		    (s[i].status == MON_VANISHED && h->vanished_said))
			continue;
		view_rates(h);
		fprintf(v->f, "%10.3f ", (double)(s[i].t_ns - v->t_start) / 1e9);
		view_row(v, v->f, h, "\n");
		if (s[i].status == MON_VANISHED)
			h->vanished_said = 1;
	}
}

static void view_flush(struct view *v, int final)
{
	unsigned i, k;
	uint64_t dropped;

	pthread_mutex_lock(&v->lock);
	k = v->q_len;
	for (i = 0; i < k; i++)
		memcpy(&v->batch[(size_t)i * v->n],
		       &v->queue[(size_t)((v->q_head + i) % VIEW_QUEUE) * v->n],
		       v->n * sizeof(*v->batch));
	v->q_head = (v->q_head + k) % VIEW_QUEUE;
	v->q_len = 0;
	dropped = v->q_dropped;
	v->q_dropped = 0;
	pthread_mutex_unlock(&v->lock);

	if (dropped && !v->tty)
		fprintf(v->f,
			"# %llu samples not shown: the output was too slow (the CSV has them)\n",
			(unsigned long long)dropped);
	for (i = 0; i < k; i++)
		view_show(v, &v->batch[(size_t)i * v->n], v->n);
	if (final && v->tty && v->t_start)
		view_draw(v, v->t_last);
	fflush(v->f);
}

static void *view_printer(void *arg)
{
	struct view *v = arg;

	pthread_mutex_lock(&v->lock);
	while (!v->stopping) {
		while (!v->q_len && !v->stopping)
			pthread_cond_wait(&v->queued, &v->lock);
		pthread_mutex_unlock(&v->lock);
		view_flush(v, 0);
		pthread_mutex_lock(&v->lock);
	}
	pthread_mutex_unlock(&v->lock);
	view_flush(v, 1);
	return NULL;
}

int view_start(struct view *v)
{
	int rc;

	rc = thread_start(&v->printer, view_printer, v);
	if (rc)
		return rc;
	v->printing = 1;
	return 0;
}

void view_stop(struct view *v)
{
	if (!v || !v->printing)
		return;
	pthread_mutex_lock(&v->lock);
	v->stopping = 1;
	pthread_cond_signal(&v->queued);
	pthread_mutex_unlock(&v->lock);
	pthread_join(v->printer, NULL);
	v->printing = 0;
}

void view_close(struct view *v)
{
	if (!v)
		return;
	view_stop(v);
	pthread_cond_destroy(&v->queued);
	pthread_mutex_destroy(&v->lock);
	free(v->batch);
	free(v->queue);
	free(v->hops);
	free(v);
}
