/* A Xen guest's console saved into a file of the run directory while the
 * guest runs: a thread reads the console pty that xenconsoled offers for the
 * domain (the one `xl console` attaches to) and appends what it reads.
 * Started while the domain is still paused, it keeps the whole boot. */
#ifndef MP_XEN_CONSOLE_H
#define MP_XEN_CONSOLE_H

#include <libxl.h>

struct xen_console;

/* Waits up to 5 s for xenconsoled to publish the pty. secret (NULL or "" for
 * none, at most XL_REDACT_SECRET_MAX bytes) is written as "<token>" wherever
 * the guest prints it (its kernel prints its command line). 0 or a negative
 * errno (nothing started then; the caller falls back to xenconsoled's own
 * log). */
int xen_console_start(libxl_ctx *ctx, uint32_t domid, const char *path, const char *secret,
		      struct xen_console **out);
/* Reads what is left (2 s at most), stops the thread, closes the file. */
void xen_console_stop(struct xen_console *c);
/* Bytes saved so far. */
unsigned long long xen_console_bytes(const struct xen_console *c);

/* Does the console saved at path (its first 1 MiB) hold a line that contains
 * needle? 1 or 0; either way its last non-blank line (at most 200
 * characters, control characters as '?') into last, "" when it holds none,
 * for a message that says what the guest printed instead. */
int xen_console_has_line(const char *path, const char *needle, char *last, size_t len);

#endif
