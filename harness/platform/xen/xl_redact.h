/* A libxl logger that hides a secret: every message is formatted, each
 * occurrence of the secret (the agent's token, which is on the traff-gen
 * guest's kernel command line that libxl logs at debug level) replaced by
 * "<token>", and passed on to another logger (xen.log). */
#ifndef MP_XL_REDACT_H
#define MP_XL_REDACT_H

#include <xentoollog.h>

struct xl_redact;

/* secret is read at each message (it may be filled in later; "" = none) and
 * must outlive the logger. NULL when out of memory. */
struct xl_redact *xl_redact_new(xentoollog_logger *inner, const char *secret);
xentoollog_logger *xl_redact_logger(struct xl_redact *r);
/* Destroys r only (inner is its creator's). */
void xl_redact_free(struct xl_redact *r);
/* The first message at error level or above since the last call (libxc's
 * own reason comes first: "panic: xc_dom_core.c:...: xc_dom_find_loader: no
 * loader found: Invalid kernel", then libxl's "xc_dom_parse_image failed"),
 * redacted, into buf ("" when none); forgets it. So that a failed libxl call
 * can say why in one line instead of pointing at xen.log only. */
void xl_redact_take_error(struct xl_redact *r, char *buf, size_t len);

/* The same for a byte stream (a guest's console, where the kernel prints
 * its command line): each occurrence of the secret becomes "<token>", also
 * when a read splits it, so the bytes that could begin it wait for the
 * next chunk. */
#define XL_REDACT_SECRET_MAX 64
struct xl_redact_stream {
	char secret[XL_REDACT_SECRET_MAX + 1]; /* "" = pass everything */
	size_t slen;
	char carry[XL_REDACT_SECRET_MAX];
	size_t ncarry;
};

/* -EINVAL when the secret is longer than XL_REDACT_SECRET_MAX. */
int xl_redact_stream_init(struct xl_redact_stream *s, const char *secret);
/* Write buf[0..n) to fd, redacted; final: flush what was held back. 0, or a
 * negative errno from write(2). */
int xl_redact_stream_write(struct xl_redact_stream *s, int fd, const char *buf, size_t n,
			   int final);

#endif
