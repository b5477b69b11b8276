#include "monitor/view.h"

#include "lib/mtime.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A terminal is redrawn at most this often, whatever the sampling interval;
 * the rates shown cover the whole time since the previous redraw. */
#define VIEW_REDRAW_NS (200 * NSEC_PER_MSEC)

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
	uint64_t t_start, t_drawn;
	int lines_drawn;
	int header_done;
	int label_w;
	struct view_hop *hops;
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
	v->hops = calloc(n, sizeof(*v->hops));
	if (!v->hops) {
		free(v);
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

static void view_row(struct view *v, const struct view_hop *h, const char *eol)
{
	fprintf(v->f, "%-*.*s", v->label_w, v->label_w, h->label);
	if (h->status == MON_VANISHED)
		fprintf(v->f, " %-47s", "(vanished)");
	else if (!h->have_rate)
		fprintf(v->f, " %12s %10s %12s %10s", "-", "-", "-", "-");
	else
		fprintf(v->f, " %12.0f %10.3f %12.0f %10.3f", h->pps[0], h->mbps[0], h->pps[1],
			h->mbps[1]);
	fprintf(v->f, " %10llu %10llu%s", (unsigned long long)h->drops[0],
		(unsigned long long)h->drops[1], eol);
}

static void view_header(struct view *v, const char *prefix, const char *eol)
{
	fprintf(v->f, "%s%-*s %12s %10s %12s %10s %10s %10s%s", prefix, v->label_w, "Interface",
		"RX pps", "RX Mbit/s", "TX pps", "TX Mbit/s", "RX drops", "TX drops", eol);
}

static void view_draw(struct view *v, uint64_t now)
{
	char elapsed[32];
	unsigned i;

	/* Back to the top of the previous table; every line is cleared as it is redrawn. */
	if (v->lines_drawn)
		fprintf(v->f, "\r\033[%dA", v->lines_drawn);
	mtime_fmt_elapsed(elapsed, sizeof(elapsed), (now - v->t_start) / NSEC_PER_SEC);
	fprintf(v->f, "mir-monitor  %s  every %.3g ms  (Ctrl-C ends)\033[K\n", elapsed,
		(double)v->interval_ns / 1e6);
	view_header(v, "", "\033[K\n");
	for (i = 0; i < v->n; i++) {
		view_rates(&v->hops[i]);
		view_row(v, &v->hops[i], "\033[K\n");
	}
	v->lines_drawn = (int)v->n + 2;
	fflush(v->f);
}

void view_sample(void *arg, const struct mon_sample *s, unsigned n)
{
	struct view *v = arg;
	uint64_t now = 0;
	unsigned i;

	for (i = 0; i < n && i < v->n; i++) {
		view_fold(&v->hops[i], &s[i]);
		if (s[i].t_ns > now)
			now = s[i].t_ns;
	}
	if (!v->t_start)
		v->t_start = v->t_drawn = now;
	if (v->tty) {
		if (now - v->t_drawn >= VIEW_REDRAW_NS || !v->lines_drawn) {
			view_draw(v, now);
			v->t_drawn = now;
		}
		return;
	}
	if (!v->header_done) {
		fprintf(v->f, "%10s ", "# time_s");
		view_header(v, "", "\n");
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
		view_row(v, h, "\n");
		if (s[i].status == MON_VANISHED)
			h->vanished_said = 1;
	}
	fflush(v->f);
}

void view_close(struct view *v)
{
	if (!v)
		return;
	free(v->hops);
	free(v);
}
