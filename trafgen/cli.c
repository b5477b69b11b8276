/* Command-line helpers shared by mir-trafgen's subcommands. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "trafgen/cli.h"
#include "trafgen/fwd.h"
#include "trafgen/pkt.h"
#include "trafgen/rx.h"
#include "trafgen/tx.h"

const char *cli_sub = "";

/* One line naming the option, what it expects and the bad token; status 2. */
int cli_bad(const char *opt, const char *expected, const char *got)
{
	if (got)
		log_err("%s: %s: expected %s, got '%.100s'", cli_sub, opt, expected, got);
	else
		log_err("%s: %s: expected %s", cli_sub, opt, expected);
	return CLI_EXIT_USAGE;
}

int cli_bad_option(char **argv, const char *help)
{
	log_err("%s: unknown option or missing value '%.100s'; %s", cli_sub, argv[optind - 1],
		help);
	return CLI_EXIT_USAGE;
}

int cli_check_dev(const char *opt, const char *dev)
{
	int rc = pkt_ifindex(dev);

	if (rc == -EINVAL)
		return cli_bad(opt, "an interface name (1..15 characters, no '/' ':' or space)",
			       dev);
	if (rc == -ENODEV) {
		log_err("%s: %s: no interface '%.32s' in this network namespace", cli_sub, opt,
			dev);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* Wait for the engine to end by itself or for SIGINT/SIGTERM (blocked in
 * every thread, taken here synchronously), then stop it. */
void cli_wait(int (*done)(void *), void (*stop)(void *), void *e)
{
	struct timespec tmo = {.tv_nsec = 50 * 1000 * 1000};
	sigset_t sigs;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	while (!done(e)) {
		if (sigtimedwait(&sigs, NULL, &tmo) > 0) {
			stop(e);
			break;
		}
	}
}

int cli_tx_done(void *e)
{
	return tx_engine_done(e);
}

void cli_tx_stop(void *e)
{
	tx_engine_stop(e);
}

int cli_rx_done(void *e)
{
	return rx_engine_done(e);
}

void cli_rx_stop(void *e)
{
	rx_engine_stop(e);
}

int cli_fwd_done(void *e)
{
	return fwd_done(e);
}

void cli_fwd_stop(void *e)
{
	fwd_stop(e);
}

int cli_parse_port(const char *opt, const char *s, uint16_t *v)
{
	uint64_t x;

	if (units_parse_uint(s, 0, 65535, &x))
		return cli_bad(opt, "a UDP port, 0..65535", s);
	*v = (uint16_t)x;
	return 0;
}

int cli_parse_stream(const char *s, uint32_t *v)
{
	uint64_t x;

	if (units_parse_uint(s, 0, UINT32_MAX - 1, &x))
		return cli_bad("--stream", "a stream id, 0..4294967294", s);
	*v = (uint32_t)x;
	return 0;
}

int cli_parse_duration(const char *s, uint64_t *ns)
{
	if (units_parse_duration(s, ns) || *ns == 0)
		return cli_bad("--duration", "a duration like 10, 10s, 500ms, 2m (> 0)", s);
	return 0;
}

int cli_parse_count(const char *s, uint64_t *n)
{
	if (units_parse_count(s, n) || *n == 0)
		return cli_bad("--count", "a frame count like 100000, 100k, 1.5M (> 0)", s);
	return 0;
}
