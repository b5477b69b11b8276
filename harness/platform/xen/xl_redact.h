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

#endif
