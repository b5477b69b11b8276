/* Command-line helpers shared by mir-trafgen's commands (trafgen/cmd_*.c):
 * the option codes, parsers of the values several commands take, and the
 * wait for an engine or a signal. Usage errors go through lib/usage.h
 * ("mir-trafgen: tx: --rate: expected ..., got 'X'", status 2). */
#ifndef MP_TRAFGEN_CLI_H
#define MP_TRAFGEN_CLI_H

#include <getopt.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_HELP "mir-trafgen --help" /* what lists the options */

enum {
	O_JSON = 256,
	O_SRC_MAC,
	O_DST_MAC,
	O_SRC_IP,
	O_DST_IP,
	O_SPORT,
	O_DPORT,
	O_FLOWS,
	O_STREAM,
	O_CPU,
	O_BIDIR,
	O_TAP,
	O_DROP_EVERY,
	O_MAX_PPS,
	O_MAX_BURST,
	O_DELAY,
	O_LISTEN,
	O_TOKEN,
	O_IN,
	O_OUT,
	O_THREADS,
	O_QUEUE,
	O_IO,
	O_BACKEND
};

/* getopt_long for a command's loop, doing what every command does the same
 * way: -v (more output), an unknown option or one without its value, an
 * argument left after the options (every command takes options only).
 * Returns the next option's code, 0 at the end, or -1 when a usage error
 * was printed (the caller returns MP_EXIT_USAGE). */
int cli_next_opt(int argc, char **argv, const char *shortopts, const struct option *opts);
/* An interface name for opt into dev (IFNAMSIZ bytes), not yet looked up. */
int cli_parse_dev(const char *opt, const char *s, char *dev);
/* 0 when dev names an existing interface; else prints the error, returns 2. */
int cli_check_dev(const char *opt, const char *dev);
/* Parsers: 0, or print the usage error and return MP_EXIT_USAGE. */
int cli_parse_port(const char *opt, const char *s, uint16_t *v);
int cli_parse_stream(const char *s, uint32_t *v);
int cli_parse_duration(const char *s, uint64_t *ns);
int cli_parse_count(const char *s, uint64_t *n);

/* An engine as the CLI waits for it. */
struct cli_engine {
	int (*done)(void *e);
	void (*stop)(void *e);
	void (*progress)(void *e, char *buf, size_t len);
};
extern const struct cli_engine cli_tx, cli_rx, cli_fwd;

/* Wait until the engine is done or SIGINT/SIGTERM (blocked in every thread)
 * arrives, which stops it. On a terminal, a progress line every second. */
void cli_wait(const struct cli_engine *ops, void *e);

#endif
