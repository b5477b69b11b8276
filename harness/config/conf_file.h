/* The syntax of cfg/mir-perf.conf: `key = value` lines (a value may be
 * "quoted"), `#` comments, blank lines; each key set through conf.h's table,
 * so a value means the same here as on the command line. Errors name
 * origin:line:col and quote the offending text; a key set twice is a warning. */
#ifndef MP_CONF_FILE_H
#define MP_CONF_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

#define CONF_LINE_MAX 4096

/* Parse a whole file into cfg (over what is there). Warnings (a key set twice)
 * go to diag when not NULL. 0, or -EINVAL / -errno with one message in err,
 * which names origin:line:col and quotes the offending text. */
int conf_parse(FILE *f, const char *origin, struct run_cfg *cfg, FILE *diag, char *err,
	       size_t errlen);
/* The same for a file that must be trusted (trust_fopen: root's or ours,
 * not writable by others, at most RUN_CFG_FILE_MAX bytes). */
int conf_parse_file(const char *path, struct run_cfg *cfg, FILE *diag, char *err, size_t errlen);

#endif
