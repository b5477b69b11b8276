/* A libxl logger that hides the agent's token; see xl_redact.h. */
#include "harness/platform/xen/xl_redact.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xl_redact {
	xentoollog_logger vtable; /* first: libxl calls it as a xentoollog_logger */
	xentoollog_logger *inner;
	const char *secret;
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
