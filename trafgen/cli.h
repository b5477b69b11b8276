/* Command-line helpers shared by mir-trafgen's subcommands: errors of the
 * form "mir-trafgen: tx: --rate: expected ..., got 'X'" (status 2) and the
 * wait for an engine or a signal. */
#ifndef MP_TRAFGEN_CLI_H
#define MP_TRAFGEN_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "trafgen/agent_client.h"

#define CLI_EXIT_USAGE 2
#define CLI_HELP       "see mir-trafgen --help"

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
	O_LISTEN,
	O_TOKEN,
	O_IN,
	O_OUT,
	O_THREADS,
	O_QUEUE,
	O_IO,
	O_BACKEND
};

extern const char *cli_sub; /* "tx", "rx", "fwd", "agent" */

/* Print the one-line usage error; returns CLI_EXIT_USAGE. got may be NULL. */
int cli_bad(const char *opt, const char *expected, const char *got);
int cli_bad_option(char **argv, const char *help);
/* 0 when dev names an existing interface; else prints the error, returns 2. */
int cli_check_dev(const char *opt, const char *dev);
/* Parsers: 0, or print the error and return 2. */
int cli_parse_port(const char *opt, const char *s, uint16_t *v);
int cli_parse_stream(const char *s, uint32_t *v);
int cli_parse_duration(const char *s, uint64_t *ns);
int cli_parse_count(const char *s, uint64_t *n);

/* The options of tx (also ctl tx-start) and rx (also ctl rx-start), parsed
 * from argv[1..] after a reset of getopt. 0, or the error was printed and
 * CLI_EXIT_USAGE returned. Devices are not checked here: for ctl they live
 * in the agent's namespace. */
int cli_parse_tx(int argc, char **argv, struct tg_tx_params *p, int *json);
int cli_parse_rx(int argc, char **argv, struct tg_rx_params *p, int *json);

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
