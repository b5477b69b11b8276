/* The counter table and the arithmetic of one sample: what every total,
 * rate, CSV column and JSON field of monitor.c is made of. Pure: no
 * sockets, no threads, no clock. */
#include "monitor/counter.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* The counters, declared once (as bmon's attr.c declares its attributes):
 * every total, rate, CSV column and JSON field comes from this table. */
struct mon_counter_def {
	const char *name;
	const char *unit;
	size_t rx, tx;	  /* offsets in struct mon_counters and struct mon_rates */
	double max_per_s; /* beyond any link: tells a 32-bit wrap from a reset */
};

/* clang-format off */
#define CTR(n, u, max) { #n, u, offsetof(struct mon_counters, rx_##n), \
			 offsetof(struct mon_counters, tx_##n), max }
static const struct mon_counter_def mon_counters_table[] = {
	CTR(packets, "packets", 4e9),	/* 2.6x 1.6 Tbit/s of 64 B frames */
	CTR(bytes,   "bytes",   4e11),	/* 3.2 Tbit/s */
	CTR(dropped, "packets", 4e9),
	CTR(errors,  "packets", 4e9),
};
#undef CTR
/* clang-format on */
#define N_DEFS (sizeof(mon_counters_table) / sizeof(mon_counters_table[0]))
#define N_CTRS (2 * N_DEFS)

/* struct mon_rates mirrors struct mon_counters field for field. */
_Static_assert(sizeof(struct mon_counters) == N_CTRS * sizeof(uint64_t), "counter layout");
_Static_assert(sizeof(struct mon_rates) == N_CTRS * sizeof(double), "rate layout");

static uint64_t *ctr_at(struct mon_counters *c, size_t off)
{
	return (uint64_t *)((char *)c + off);
}

static double *rate_at(struct mon_rates *r, size_t off)
{
	return (double *)((char *)r + off / sizeof(uint64_t) * sizeof(double));
}

unsigned mon_counter_count(void)
{
	return N_DEFS;
}

const char *mon_counter_name(unsigned i)
{
	return i < N_DEFS ? mon_counters_table[i].name : NULL;
}

const char *mon_counter_unit(unsigned i)
{
	return i < N_DEFS ? mon_counters_table[i].unit : NULL;
}

uint64_t mon_counter_get(const struct mon_counters *c, unsigned i, int tx)
{
	if (i >= N_DEFS)
		return 0;
	return *ctr_at((struct mon_counters *)c,
		       tx ? mon_counters_table[i].tx : mon_counters_table[i].rx);
}

double mon_rate_get(const struct mon_rates *r, unsigned i, int tx)
{
	if (i >= N_DEFS)
		return 0.0;
	return *rate_at((struct mon_rates *)r,
			tx ? mon_counters_table[i].tx : mon_counters_table[i].rx);
}

/* THE rate function: one counter over one interval, in the spirit of bmon's
 * attr.c. The first sample has no rate. A counter that went backwards wrapped
 * when the wrapped distance (32-bit, for drivers that keep 32-bit counters, or
 * 64-bit) is under half the counter's range and no faster than any link
 * (max_per_s); otherwise it was reset and counts from zero, so the new value
 * is the delta. */
static enum mon_status ctr_step(int first, uint64_t prev, uint64_t cur, uint64_t dt_ns,
				double max_per_s, uint64_t *delta, double *rate)
{
	double max_delta = max_per_s * (double)dt_ns / 1e9 + 1.0;
	enum mon_status st = MON_OK;
	uint64_t wrapped;

	*delta = 0;
	*rate = 0.0;
	if (first)
		return MON_FIRST;
	if (cur >= prev) {
		*delta = cur - prev;
	} else {
		wrapped =
		    prev <= UINT32_MAX ? UINT32_MAX - prev + cur + 1 : UINT64_MAX - prev + cur + 1;
		if (wrapped < (prev <= UINT32_MAX ? 1ULL << 31 : 1ULL << 63) &&
		    (double)wrapped <= max_delta) {
			*delta = wrapped;
			st = MON_WRAP;
		} else {
			*delta = cur;
			st = MON_RESET;
		}
	}
	if (dt_ns)
		*rate = (double)*delta * 1e9 / (double)dt_ns;
	return st;
}

enum mon_status mon_counter_step(int first, const struct mon_counters *last,
				 const struct mon_counters *cur, uint64_t dt_ns,
				 struct mon_counters *delta, struct mon_rates *rate)
{
	enum mon_status st, all = first ? MON_FIRST : MON_OK;
	unsigned i, d;

	for (i = 0; i < N_DEFS; i++) {
		for (d = 0; d < 2; d++) {
			size_t off = d ? mon_counters_table[i].tx : mon_counters_table[i].rx;

			st = ctr_step(first, *ctr_at((struct mon_counters *)last, off),
				      *ctr_at((struct mon_counters *)cur, off), dt_ns,
				      mon_counters_table[i].max_per_s, ctr_at(delta, off),
				      rate_at(rate, off));
			if (st == MON_RESET || (st == MON_WRAP && all == MON_OK))
				all = st;
		}
	}
	return all;
}

void mon_counter_add(struct mon_counters *sum, const struct mon_counters *delta)
{
	unsigned i;

	for (i = 0; i < N_DEFS; i++) {
		*ctr_at(sum, mon_counters_table[i].rx) +=
		    *ctr_at((struct mon_counters *)delta, mon_counters_table[i].rx);
		*ctr_at(sum, mon_counters_table[i].tx) +=
		    *ctr_at((struct mon_counters *)delta, mon_counters_table[i].tx);
	}
}

void mon_rate_acc_add(struct mon_rate_acc *a, double x)
{
	double d;

	a->n++;
	if (a->n == 1) {
		a->min = a->max = x;
	} else {
		if (x < a->min)
			a->min = x;
		if (x > a->max)
			a->max = x;
	}
	d = x - a->mean;
	a->mean += d / (double)a->n;
	a->m2 += d * (x - a->mean);
}

void mon_rate_acc_get(const struct mon_rate_acc *a, struct mon_rate_stats *out)
{
	out->mean = a->mean;
	out->min = a->n ? a->min : 0.0;
	out->max = a->n ? a->max : 0.0;
	/* Sample standard deviation of the interval rates. */
	out->stddev = a->n > 1 ? sqrt(a->m2 / (double)(a->n - 1)) : 0.0;
}
