/* cfg/mir-perf.conf: `key = value` lines and `#` comments, for everything a
 * run needs besides the two range lists. The same setters serve the command
 * line, so a value means the same wherever it is written. */
#ifndef MP_CONF_H
#define MP_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

#define CONF_LINE_MAX 4096

/* The defaults of every key (and every other field of run_cfg). */
void conf_defaults(struct run_cfg *cfg);

/* Set one key from its text form: 0, -ENOENT for an unknown key, or -EINVAL
 * with what was expected in `expected` ("a duration like 10, 10s or 500ms"). */
int conf_set(struct run_cfg *cfg, const char *key, const char *value, char *expected, size_t len);

/* Parse a whole file into cfg (over what is there). Warnings (a key set twice)
 * go to diag when not NULL. 0, or -EINVAL / -errno with one message in err,
 * which names origin:line:col and quotes the offending text. */
int conf_parse(FILE *f, const char *origin, struct run_cfg *cfg, FILE *diag, char *err,
	       size_t errlen);
int conf_parse_file(const char *path, struct run_cfg *cfg, FILE *diag, char *err, size_t errlen);

/* The known key nearest to `key` within a small edit distance, or NULL. */
const char *conf_suggest(const char *key);

/* Text forms, for --dry-run and messages. */
const char *conf_platform_name(enum run_platform p);
const char *conf_order_name(enum run_order o);

#endif
