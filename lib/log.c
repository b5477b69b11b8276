#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *log_name = "mir-perf";
static enum log_level log_level = LOG_NORMAL;

void log_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	log_name = slash ? slash + 1 : prog;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level log_get_level(void)
{
	return log_level;
}

const char *log_prog(void)
{
	return log_name;
}

static void log_vprint(const char *tag, const char *fmt, va_list ap)
{
	/* One fprintf per line so lines of concurrent processes do not interleave. */
	char line[2048];
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	fprintf(stderr, "%s: %s%s\n", log_name, tag, line);
}

#define LOG_FN(name, lvl, tag)                                                                     \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		if (log_level < (lvl))                                                             \
			return;                                                                    \
		va_start(ap, fmt);                                                                 \
		log_vprint(tag, fmt, ap);                                                          \
		va_end(ap);                                                                        \
	}

LOG_FN(log_err, LOG_QUIET, "")
LOG_FN(log_warn, LOG_QUIET, "warning: ")
LOG_FN(log_info, LOG_NORMAL, "")
LOG_FN(log_verbose, LOG_VERBOSE, "")
LOG_FN(log_dbg, LOG_DEBUG, "debug: ")
