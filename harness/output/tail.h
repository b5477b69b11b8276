/* The last lines of a text file (a DUT's console or log), for quoting in a
 * message. */
#ifndef MP_TAIL_H
#define MP_TAIL_H

#include <stddef.h>

/* The last n (at most TAIL_MAX_LINES) non-empty lines of path, each cut at
 * 199 bytes, joined by " | " into buf; "(PATH is empty)" when it has none, ""
 * when path is NULL or cannot be read. */
#define TAIL_MAX_LINES 8
void tail_lines(const char *path, unsigned n, char *buf, size_t len);

#endif
