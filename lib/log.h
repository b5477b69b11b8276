/* Logging shared by every mir-perf program: one line per message on stderr,
 * prefixed with the program name. An error is reported once, by the layer that
 * knows what the user was doing; lower layers return a negative errno. */
#ifndef MP_LOG_H
#define MP_LOG_H

enum log_level { LOG_QUIET = 0, LOG_NORMAL = 1, LOG_VERBOSE = 2, LOG_DEBUG = 3 };

void log_init(const char *prog);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
const char *log_prog(void);

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
