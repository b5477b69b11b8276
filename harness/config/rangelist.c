#include "harness/config/rangelist.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "harness/config/quote.h"
#include "harness/measure/iperf3.h"
#include "lib/trust.h"
#include "lib/units.h"
#include "lib/vec.h"

/* Longer tokens are reported, not parsed: no number here needs 64 bytes. */
#define RL_TOKEN_MAX 64
/* Open-addressing set of the values seen, for dropping repeats in O(1). It
 * never holds more than RUN_MAX_POINTS + 1 values, so it stays under 1/3 full. */
#define RL_SET_BITS 15
#define RL_SET_SIZE (1U << RL_SET_BITS)

struct rl_token {
	char text[RL_TOKEN_MAX + 1];
	size_t len;	 /* bytes kept in text */
	size_t full_len; /* bytes in the token (more than len when too long) */
	unsigned line, col;
};

struct rl_parser {
	FILE *f;
	const char *origin;
	enum rangelist_kind kind;
	unsigned other_n;
	unsigned max_n;	    /* most values this list may hold */
	unsigned line, col; /* position of the next byte */
	struct run_list *out;
	unsigned cap;
	uint64_t *set;
	int seen_max; /* rates: 'max' came before (an N% token needs it) */
	FILE *diag;
	char *err;
	size_t errlen;
};

static const char *const rl_value_form[] = {
    [RANGELIST_SIZES] = "a frame size like 64, 1518 or 64..1518:64",
    [RANGELIST_RATES] = "a rate like 250000, 250k or 1.5M",
    [RANGELIST_BUFSZ_TCP] = "a write size in bytes like 1460 or 64..65536:64",
    [RANGELIST_BUFSZ_UDP] = "a write size in bytes like 1460 or 64..65507:64",
};
static const char *const rl_step_form[] = {
    [RANGELIST_SIZES] = "a step in bytes like 64",
    [RANGELIST_RATES] = "a step in packets per second like 100k",
    [RANGELIST_BUFSZ_TCP] = "a step in bytes like 64",
    [RANGELIST_BUFSZ_UDP] = "a step in bytes like 64",
};
static const char *const rl_range_form[] = {
    [RANGELIST_SIZES] = "a range FROM..TO:STEP like 64..1518:64",
    [RANGELIST_RATES] = "a range FROM..TO:STEP like 100k..1M:100k",
    [RANGELIST_BUFSZ_TCP] = "a range FROM..TO:STEP like 64..65536:64",
    [RANGELIST_BUFSZ_UDP] = "a range FROM..TO:STEP like 64..65507:64",
};
static const char *rl_noun(enum rangelist_kind kind, unsigned n)
{
	if (kind == RANGELIST_SIZES)
		return n == 1 ? "size" : "sizes";
	if (kind != RANGELIST_RATES)
		return n == 1 ? "write size" : "write sizes";
	return n == 1 ? "rate" : "rates";
}

static void rl_error(struct rl_parser *p, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void rl_error(struct rl_parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%u:%u: ", p->origin, line, col);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static int rl_is_sep(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '\v' ||
	       c == '\f';
}

/* The next token: 1, or 0 at the end of the input. */
static int rl_next(struct rl_parser *p, struct rl_token *t)
{
	int c;

	for (;;) {
		c = getc(p->f);
		if (c == EOF)
			return 0;
		if (c == '#') {
			while ((c = getc(p->f)) != EOF && c != '\n')
				;
			if (c == EOF)
				return 0;
		}
		if (c == '\n') {
			p->line++;
			p->col = 1;
			continue;
		}
		if (!rl_is_sep(c))
			break;
		p->col++;
	}
	t->line = p->line;
	t->col = p->col;
	t->len = 0;
	t->full_len = 0;
	do {
		if (t->len < RL_TOKEN_MAX)
			t->text[t->len++] = (char)c;
		t->full_len++;
		p->col++;
		c = getc(p->f);
	} while (c != EOF && c != '#' && !rl_is_sep(c));
	if (c != EOF)
		ungetc(c, p->f);
	t->text[t->len] = '\0';
	return 1;
}

/* Quote part [off, off+n) of the token; the whole token when it was cut. */
static const char *rl_quote(char *buf, size_t len, const struct rl_token *t, size_t off, size_t n)
{
	if (t->full_len > t->len)
		return quote_text(buf, len, t->text, t->len + 1, 40);
	return quote_text(buf, len, t->text + off, n, 40);
}

/* One value (or a range bound, or a step) at token offset off, n bytes. */
static int rl_value(struct rl_parser *p, const struct rl_token *t, size_t off, size_t n, int role,
		    uint64_t *v)
{
	enum { ROLE_VALUE, ROLE_BOUND, ROLE_STEP };
	char part[RL_TOKEN_MAX + 1], q[200];
	unsigned col = t->col + (unsigned)off;
	uint32_t size;
	int rc;

	memcpy(part, t->text + off, n);
	part[n] = '\0';
	rl_quote(q, sizeof(q), t, off, n);
	if (t->full_len > t->len || memchr(part, '\0', n)) {
		rl_error(p, t->line, t->col, "expected %s, got '%s'",
			 role == ROLE_STEP ? rl_step_form[p->kind] : rl_value_form[p->kind], q);
		return -EINVAL;
	}
	if (role == ROLE_STEP) {
		rc = p->kind != RANGELIST_RATES ? units_parse_uint(part, 0, UINT64_MAX, v)
						: units_parse_count(part, v);
		if (rc) {
			rl_error(p, t->line, col, "expected %s, got '%s'", rl_step_form[p->kind],
				 q);
			return -EINVAL;
		}
		if (*v == 0) {
			rl_error(p, t->line, col, "expected a step above 0, got '%s'", q);
			return -EINVAL;
		}
		return 0;
	}
	if (p->kind == RANGELIST_RATES) {
		if (role == ROLE_BOUND && !strcmp(part, "max")) {
			rl_error(p, t->line, col,
				 "expected a rate like 250000, 250k or 1.5M as a range bound "
				 "('max' stands on its own), got '%s'",
				 q);
			return -EINVAL;
		}
		if (n > 1 && part[n - 1] == '%') {
			uint64_t pct;

			part[n - 1] = '\0';
			if (role == ROLE_BOUND || units_parse_uint(part, 1, 100, &pct)) {
				rl_error(p, t->line, col,
					 "expected a share of what max carried from 1%% to 100%% "
					 "(it stands on its own), got '%s'",
					 q);
				return -EINVAL;
			}
			if (!p->seen_max) {
				rl_error(
				    p, t->line, col,
				    "expected 'max' before '%s': a percentage is a share of what "
				    "the DUT carried at max",
				    q);
				return -EINVAL;
			}
			*v = RUN_RATE_PCT(pct);
			return 0;
		}
		rc = units_parse_rate(part, 1, v);
		if (!rc && *v == UNITS_RATE_MAX)
			p->seen_max = 1;
		if (rc == -ERANGE)
			rl_error(p, t->line, col,
				 "expected a rate from 1 to 100M packets per second, got '%s'", q);
		else if (rc)
			rl_error(p, t->line, col, "expected %s, got '%s'", rl_value_form[p->kind],
				 q);
		return rc ? -EINVAL : 0;
	}
	if (p->kind == RANGELIST_BUFSZ_TCP || p->kind == RANGELIST_BUFSZ_UDP) {
		int udp = p->kind == RANGELIST_BUFSZ_UDP;

		if (units_parse_uint(part, 0, UINT64_MAX, v)) {
			rl_error(p, t->line, col, "expected %s, got '%s'", rl_value_form[p->kind],
				 q);
			return -EINVAL;
		}
		if (iperf3_bufsz_check(udp, *v)) {
			rl_error(p, t->line, col,
				 "expected a write size from %u to %u bytes, as iperf3 takes "
				 "for %s, got '%s'",
				 udp ? IPERF3_UDP_MIN : IPERF3_TCP_MIN,
				 udp ? IPERF3_UDP_MAX : IPERF3_TCP_MAX,
				 udp ? "UDP (protocol includes udp)" : "TCP", q);
			return -EINVAL;
		}
		return 0;
	}
	rc = units_parse_frame_size(part, &size);
	if (rc == -ERANGE && units_parse_uint(part, 0, UNITS_FRAME_MIN - 1, v) == 0 &&
	    *v + UNITS_FCS_LEN >= UNITS_FRAME_MIN) {
		/* 60..63: a size that leaves the FCS out, as pktgen's pkt_size does. */
		rl_error(p, t->line, col,
			 "expected a frame size from 64 to 9018 bytes, got '%s': sizes here "
			 "include the 4-byte FCS, as RFC 2544 counts them (the original's pktgen "
			 "pkt_size 60 is the 64-byte frame); use %llu",
			 q, (unsigned long long)(*v + UNITS_FCS_LEN));
		return -EINVAL;
	}
	if (rc == -ERANGE)
		rl_error(p, t->line, col,
			 "expected a frame size from 64 to 9018 bytes (FCS included), got '%s'", q);
	else if (rc)
		rl_error(p, t->line, col, "expected %s, got '%s'", rl_value_form[p->kind], q);
	if (rc)
		return -EINVAL;
	*v = size;
	return 0;
}

static unsigned rl_slot(uint64_t v)
{
	return (unsigned)((v * 0x9E3779B97F4A7C15ULL) >> (64 - RL_SET_BITS));
}

/* Add v: 0, 1 when it was already there (dropped), -E2BIG when full, -ENOMEM. */
static int rl_add(struct rl_parser *p, uint64_t v)
{
	unsigned i = rl_slot(v);
	int rc;
	struct run_list *l = p->out;

	while (p->set[i]) {
		if (p->set[i] == v)
			return 1;
		i = (i + 1) & (RL_SET_SIZE - 1);
	}
	if (l->n >= p->max_n)
		return -E2BIG;
	rc = VEC_ROOM(l->v, l->n, p->cap, 16);
	if (rc)
		return rc;
	p->set[i] = v;
	l->v[l->n++] = v;
	return 0;
}

static int rl_add_report(struct rl_parser *p, const struct rl_token *t, uint64_t v, unsigned *dups)
{
	char q[200];
	int rc = rl_add(p, v);

	if (rc == 1) {
		(*dups)++;
		return 0;
	}
	if (rc == -E2BIG) {
		rl_quote(q, sizeof(q), t, 0, t->len);
		if (p->other_n)
			rl_error(
			    p, t->line, t->col,
			    "'%s' makes the sweep longer than %u points (already %u %s x %u "
			    "%s); use fewer sizes or rates",
			    q, RUN_MAX_POINTS, p->other_n,
			    rl_noun(p->kind == RANGELIST_SIZES ? RANGELIST_RATES : RANGELIST_SIZES,
				    p->other_n),
			    p->max_n + 1, rl_noun(p->kind, p->max_n + 1));
		else
			rl_error(p, t->line, t->col,
				 "'%s' makes the list longer than %u %s, the most a sweep may "
				 "have",
				 q, RUN_MAX_POINTS, rl_noun(p->kind, 2));
		return -EINVAL;
	}
	if (rc == -ENOMEM)
		rl_error(p, t->line, t->col, "out of memory");
	return rc;
}

static int rl_token(struct rl_parser *p, const struct rl_token *t)
{
	const char *dots = strstr(t->text, "..");
	uint64_t from, to, step, v;
	unsigned dups = 0;
	char q[200];
	int rc;

	if (!dots) {
		if (strchr(t->text, ':')) {
			rl_error(p, t->line, t->col, "expected %s, got '%s'",
				 rl_range_form[p->kind], rl_quote(q, sizeof(q), t, 0, t->len));
			return -EINVAL;
		}
		rc = rl_value(p, t, 0, t->len, 0, &v);
		if (!rc)
			rc = rl_add_report(p, t, v, &dups);
	} else {
		size_t from_len = (size_t)(dots - t->text);
		const char *to_s = dots + 2;
		const char *colon = strchr(to_s, ':');
		size_t to_off = from_len + 2, to_len, step_off;

		if (!colon || !from_len || colon == to_s || !colon[1] || t->full_len > t->len) {
			rl_error(p, t->line, t->col, "expected %s, got '%s'",
				 rl_range_form[p->kind], rl_quote(q, sizeof(q), t, 0, t->len));
			return -EINVAL;
		}
		to_len = (size_t)(colon - to_s);
		step_off = to_off + to_len + 1;
		rc = rl_value(p, t, 0, from_len, 1, &from);
		if (!rc)
			rc = rl_value(p, t, to_off, to_len, 1, &to);
		if (!rc)
			rc = rl_value(p, t, step_off, t->len - step_off, 2, &step);
		if (rc)
			return rc;
		if (from > to) {
			rl_error(p, t->line, t->col,
				 "range '%s' runs backwards: expected FROM no higher than TO",
				 rl_quote(q, sizeof(q), t, 0, t->len));
			return -EINVAL;
		}
		for (v = from;; v += step) {
			rc = rl_add_report(p, t, v, &dups);
			if (rc || to - v < step)
				break;
		}
	}
	if (rc)
		return rc;
	if (dups && p->diag) {
		rl_quote(q, sizeof(q), t, 0, t->len);
		if (dots)
			fprintf(p->diag,
				"%s:%u:%u: warning: %u value%s of '%s' already listed; "
				"dropped\n",
				p->origin, t->line, t->col, dups, dups == 1 ? "" : "s", q);
		else
			fprintf(p->diag, "%s:%u:%u: warning: '%s' already listed; dropped\n",
				p->origin, t->line, t->col, q);
	}
	return 0;
}

void run_list_release(struct run_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int rangelist_parse(FILE *f, const char *origin, enum rangelist_kind kind, unsigned other_n,
		    struct run_list *out, FILE *diag, char *err, size_t errlen)
{
	struct rl_parser p = {
	    .f = f,
	    .origin = origin,
	    .kind = kind,
	    .other_n = other_n,
	    .max_n = other_n ? RUN_MAX_POINTS / other_n : RUN_MAX_POINTS,
	    .line = 1,
	    .col = 1,
	    .out = out,
	    .diag = diag,
	    .err = err,
	    .errlen = errlen,
	};
	struct rl_token t;
	int rc = 0;

	if (errlen)
		err[0] = '\0';
	out->v = NULL;
	out->n = 0;
	snprintf(out->origin, sizeof(out->origin), "%s", origin);
	p.set = calloc(RL_SET_SIZE, sizeof(*p.set));
	if (!p.set) {
		snprintf(err, errlen, "%s: out of memory", origin);
		return -ENOMEM;
	}
	while (rl_next(&p, &t)) {
		rc = rl_token(&p, &t);
		if (rc)
			goto out;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", origin, strerror(errno ? errno : EIO));
		rc = -EIO;
		goto out;
	}
	if (!out->n) {
		rl_error(&p, p.line, p.col, "expected at least one %s, got an empty list",
			 kind == RANGELIST_SIZES   ? "frame size like 64 or 64..1518:64"
			 : kind == RANGELIST_RATES ? "rate like 250000, 250k, 1.5M or max"
						   : "write size like 1460 or 64..65536:64");
		rc = -EINVAL;
	}
out:
	free(p.set);
	if (rc)
		run_list_release(out);
	return rc;
}

int rangelist_parse_file(const char *path, enum rangelist_kind kind, unsigned other_n,
			 struct run_list *out, FILE *diag, char *err, size_t errlen)
{
	char why[PATH_MAX + 128];
	FILE *f = trust_fopen(path, RUN_CFG_FILE_MAX, why, sizeof(why));
	int rc;

	if (!f) {
		const char *noun = kind == RANGELIST_SIZES   ? "frame size"
				   : kind == RANGELIST_RATES ? "rate"
							     : "write size";

		rc = -errno;
		if (!strncmp(why, "cannot open: ", 13))
			snprintf(err, errlen, "%s: cannot open the %s list: %s", path, noun, why + 13);
		else
			snprintf(err, errlen, "%s: refused as the %s list: %s", path, noun, why);
		out->v = NULL;
		out->n = 0;
		return rc;
	}
	rc = rangelist_parse(f, path, kind, other_n, out, diag, err, errlen);
	fclose(f);
	return rc;
}

int rangelist_parse_string(const char *text, const char *origin, enum rangelist_kind kind,
			   unsigned other_n, struct run_list *out, FILE *diag, char *err,
			   size_t errlen)
{
	/* fmemopen refuses a size of 0: an empty list reads as a lone comment. */
	const char *src = text[0] ? text : "#";
	FILE *f = fmemopen((void *)src, strlen(src), "r");
	int rc;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", origin, strerror(-rc));
		out->v = NULL;
		out->n = 0;
		return rc;
	}
	rc = rangelist_parse(f, origin, kind, other_n, out, diag, err, errlen);
	fclose(f);
	return rc;
}
