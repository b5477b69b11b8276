/* Command-line helpers shared by mir-trafgen's subcommands: errors of the
 * form "mir-trafgen: tx: --rate: expected ..., got 'X'" (status 2) and the
 * wait for an engine or a signal. */
#ifndef MP_TRAFGEN_CLI_H
#define MP_TRAFGEN_CLI_H

#include <stdint.h>

#define CLI_EXIT_USAGE 2

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

/* Wait until done(e) or SIGINT/SIGTERM (blocked in every thread), which
 * calls stop(e). */
void cli_wait(int (*done)(void *), void (*stop)(void *), void *e);
int cli_tx_done(void *e);
void cli_tx_stop(void *e);
int cli_rx_done(void *e);
void cli_rx_stop(void *e);
int cli_fwd_done(void *e);
void cli_fwd_stop(void *e);

#endif
