/* Quoting untrusted text (cfg tokens, command-line words) for one-line
 * messages, so that a control character or escape sequence in a file never
 * reaches the terminal as is. */
#ifndef MP_QUOTE_H
#define MP_QUOTE_H

#include <stddef.h>

/* Printable ASCII is copied, anything else becomes \xNN; after max_in input
 * bytes "..." ends the text. dst is always NUL-terminated. Returns dst. */
char *quote_text(char *dst, size_t len, const char *src, size_t src_len, size_t max_in);

/* Nonzero when s (of length n) holds a byte below 0x20 or 0x7f. */
int quote_has_control(const char *s, size_t n);

#endif
