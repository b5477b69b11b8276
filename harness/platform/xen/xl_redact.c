/* A libxl logger that hides the agent's token; see xl_redact.h. */
#include "harness/platform/xen/xl_redact.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct xl_redact {
	xentoollog_logger vtable; /* first: libxl calls it as a xentoollog_logger */
	xentoollog_logger *inner;
	const char *secret;
	char first_error[512]; /* see xl_redact_take_error */
};

static void redact_vmessage(xentoollog_logger *l, xentoollog_level level, int errnoval,
			    const char *context, const char *format, va_list al)
	__attribute__((format(printf, 5, 0)));
static void redact_vmessage(xentoollog_logger *l, xentoollog_level level, int errnoval,
			    const char *context, const char *format, va_list al)
{
	struct xl_redact *r = (struct xl_redact *)l;
	size_t slen = strlen(r->secret);
	char buf[16384], out[16384];
	const char *p, *hit;
	size_t o = 0;

	vsnprintf(buf, sizeof(buf), format, al);
	for (p = buf; slen && (hit = strstr(p, r->secret)); p = hit + slen) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%.*s<token>", (int)(hit - p), p);
		if (o >= sizeof(out))
			break;
	}
	if (o < sizeof(out))
		snprintf(out + o, sizeof(out) - o, "%s", p);
	xtl_log(r->inner, level, errnoval, context, "%s", out);
	if (level >= XTL_ERROR && !r->first_error[0]) {
		/* one line: libxc's messages may end in a newline */
		out[strcspn(out, "\n")] = '\0';
		if (errnoval >= 0)
			snprintf(r->first_error, sizeof(r->first_error), "%.400s: %s", out,
				 strerror(errnoval));
		else
			snprintf(r->first_error, sizeof(r->first_error), "%.500s", out);
	}
}

static void redact_progress(xentoollog_logger *l, const char *context, const char *doing_what,
			    int percent, unsigned long done, unsigned long total)
{
	struct xl_redact *r = (struct xl_redact *)l;

	xtl_progress(r->inner, context, doing_what, done, total);
	(void)percent;
}

static void redact_destroy(xentoollog_logger *l)
{
	(void)l; /* freed by xl_redact_free */
}

struct xl_redact *xl_redact_new(xentoollog_logger *inner, const char *secret)
{
	struct xl_redact *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->vtable.vmessage = redact_vmessage;
	r->vtable.progress = redact_progress;
	r->vtable.destroy = redact_destroy;
	r->inner = inner;
	r->secret = secret;
	return r;
}

xentoollog_logger *xl_redact_logger(struct xl_redact *r)
{
	return &r->vtable;
}

void xl_redact_free(struct xl_redact *r)
{
	free(r);
}

void xl_redact_take_error(struct xl_redact *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r ? r->first_error : "");
	if (r)
		r->first_error[0] = '\0';
}

int xl_redact_stream_init(struct xl_redact_stream *s, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;

	memset(s, 0, sizeof(*s));
	if (n > XL_REDACT_SECRET_MAX)
		return -EINVAL;
	memcpy(s->secret, secret ? secret : "", n);
	s->slen = n;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -EIO;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int xl_redact_stream_write(struct xl_redact_stream *s, int fd, const char *buf, size_t n,
			   int final)
{
	size_t len, i = 0, start = 0, keep, cut;
	char *work;
	int rc = 0;

	if (!s->slen)
		return write_all(fd, buf, n);
	len = s->ncarry + n;
	work = malloc(len ? len : 1);
	if (!work)
		return -ENOMEM;
	memcpy(work, s->carry, s->ncarry);
	memcpy(work + s->ncarry, buf, n);
	while (!rc && i + s->slen <= len) {
		if (memcmp(work + i, s->secret, s->slen)) {
			i++;
			continue;
		}
		rc = write_all(fd, work + start, i - start);
		if (!rc)
			rc = write_all(fd, "<token>", 7);
		i += s->slen;
		start = i;
	}
	/* Held back: the longest tail that may be the start of the secret (a
	 * proper prefix of it), and nothing else, so that a line the guest
	 * printed is in the file at once (a run waits for the DUT's console
	 * lines: holding slen - 1 bytes back kept the end of the iperf3
	 * server's 'listening' line out of it until the guest printed more). */
	keep = 0;
	if (!final)
		for (keep = s->slen - 1 < len - start ? s->slen - 1 : len - start; keep; keep--)
			if (!memcmp(work + len - keep, s->secret, keep))
				break;
	cut = len - keep;
	if (!rc)
		rc = write_all(fd, work + start, cut - start);
	s->ncarry = len - cut;
	memcpy(s->carry, work + cut, s->ncarry);
	free(work);
	return rc;
}
