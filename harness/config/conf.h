/* The keys of cfg/mir-perf.conf (the file's syntax: conf_file.h), for
 * everything a run needs besides the two range lists: each key's default and
 * its setter, which parses and checks the value. The same setters serve the
 * command line, so a value means the same wherever it is written. */
#ifndef MP_CONF_H
#define MP_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

/* The defaults of every key (and every other field of run_cfg). */
void conf_defaults(struct run_cfg *cfg);

/* Set one key from its text form: 0, -ENOENT for an unknown key, or -EINVAL
 * with what was expected in `expected` ("a duration like 10, 10s or 500ms"). */
int conf_set(struct run_cfg *cfg, const char *key, const char *value, char *expected, size_t len);

/* The key table as the file parser (conf_file.h) walks it: a key's index
 * (-1: unknown; below CONF_KEYS_MAX), conf_set by index, and every key as
 * "duration, warmup, ... and gen_tolerance" for a message. */
#define CONF_KEYS_MAX 64
int conf_key_index(const char *key);
int conf_key_set(int k, struct run_cfg *cfg, const char *value, char *expected, size_t len);
void conf_key_list(char *buf, size_t len);

/* The known key nearest to `key` within a small edit distance, or NULL. */
const char *conf_suggest(const char *key);

/* Text forms, for --dry-run and messages. */
const char *conf_platform_name(enum run_platform p);
const char *conf_order_name(enum run_order o);

#endif
