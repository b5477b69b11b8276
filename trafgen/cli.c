/* Command-line helpers shared by mir-trafgen's commands (trafgen/cmd_*.c). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/usage.h"
#include "trafgen/cli.h"
#include "trafgen/fwd.h"
#include "trafgen/pkt.h"
#include "trafgen/rx.h"
#include "trafgen/tx.h"

int cli_next_opt(int argc, char **argv, const char *shortopts, const struct option *opts)
{
	int c;

	for (;;) {
		c = getopt_long(argc, argv, shortopts, opts, NULL);
		if (c == 'v') {
			log_set_level(LOG_VERBOSE);
			continue;
		}
		if (c == '?' || c == ':') {
			usage_bad_option(c, argv, optind, CLI_HELP);
			return -1;
		}
		if (c == -1 && optind < argc) {
			usage_error("arguments", "options only", argv[optind]);
			return -1;
		}
		return c == -1 ? 0 : c;
	}
}

int cli_parse_dev(const char *opt, const char *s, char *dev)
{
	if (strlen(s) >= IFNAMSIZ)
		return usage_error(opt, "an interface name of 1..15 characters", s);
	strcpy(dev, s);
	return 0;
}

int cli_check_dev(const char *opt, const char *dev)
{
	int rc = pkt_ifindex(dev);

	if (rc == -EINVAL)
		return usage_error(opt, "an interface name (1..15 characters, no '/' ':' or space)",
				   dev);
	if (rc == -ENODEV)
		return usage_error(opt, "an interface of this network namespace", dev);
	return 0;
}

/* One status line, rewritten every second on a terminal. */
static void tx_progress(void *e, char *buf, size_t len)
{
	struct tg_tx_report r;
	char pps[32];

	tx_engine_report(e, &r);
	units_fmt_pps(pps, sizeof(pps), r.pps);
	snprintf(buf, len, "tx: %.1f s, %llu frames sent, %s, %llu send errors",
		 (double)r.elapsed_ns / 1e9, (unsigned long long)r.sent, pps,
		 (unsigned long long)r.send_errors);
}

static void rx_progress(void *e, char *buf, size_t len)
{
	struct tg_rx_report r;
	char pps[32];

	rx_engine_report(e, &r);
	units_fmt_pps(pps, sizeof(pps), r.pps);
	snprintf(buf, len, "rx: %llu received, %llu lost, %llu ring drops, %s",
		 (unsigned long long)r.received, (unsigned long long)r.lost,
		 (unsigned long long)r.ring_drops, pps);
}

static void fwd_progress(void *e, char *buf, size_t len)
{
	struct fwd_dir_report r[2];
	int n = fwd_report(e, r);

	snprintf(buf, len, "fwd: %s->%s %llu received, %llu forwarded", r[0].from, r[0].to,
		 (unsigned long long)r[0].received, (unsigned long long)r[0].forwarded);
	if (n > 1)
		snprintf(buf + strlen(buf), len - strlen(buf), "; %s->%s %llu, %llu", r[1].from,
			 r[1].to, (unsigned long long)r[1].received,
			 (unsigned long long)r[1].forwarded);
}

static int tx_done(void *e)
{
	return tx_engine_done(e);
}

static void tx_stop(void *e)
{
	tx_engine_stop(e);
}

static int rx_done(void *e)
{
	return rx_engine_done(e);
}

static void rx_stop(void *e)
{
	rx_engine_stop(e);
}

static int fwd_done_(void *e)
{
	return fwd_done(e);
}

static void fwd_stop_(void *e)
{
	fwd_stop(e);
}

const struct cli_engine cli_tx = {tx_done, tx_stop, tx_progress};
const struct cli_engine cli_rx = {rx_done, rx_stop, rx_progress};
const struct cli_engine cli_fwd = {fwd_done_, fwd_stop_, fwd_progress};

void cli_wait(const struct cli_engine *ops, void *e)
{
	struct timespec tmo = {.tv_nsec = 50 * 1000 * 1000};
	int tty = isatty(STDERR_FILENO);
	uint64_t next = mtime_now_ns() + NSEC_PER_SEC;
	sigset_t sigs;
	char line[256];
	int printed = 0;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	while (!ops->done(e)) {
		if (sigtimedwait(&sigs, NULL, &tmo) > 0) {
			ops->stop(e);
			break;
		}
		if (tty && mtime_now_ns() >= next) {
			ops->progress(e, line, sizeof(line));
			fprintf(stderr, "\r\033[K%s", line);
			printed = 1;
			next += NSEC_PER_SEC;
		}
	}
	if (printed)
		fputs("\r\033[K", stderr); /* the report follows on stdout */
}

int cli_parse_port(const char *opt, const char *s, uint16_t *v)
{
	uint64_t x;

	if (units_parse_uint(s, 0, 65535, &x))
		return usage_error(opt, "a UDP port, 0..65535", s);
	*v = (uint16_t)x;
	return 0;
}

int cli_parse_stream(const char *s, uint32_t *v)
{
	uint64_t x;

	if (units_parse_uint(s, 0, UINT32_MAX - 1, &x))
		return usage_error("--stream", "a stream id, 0..4294967294", s);
	*v = (uint32_t)x;
	return 0;
}

int cli_parse_duration(const char *s, uint64_t *ns)
{
	if (units_parse_duration(s, ns) || *ns == 0)
		return usage_error("--duration", "a duration like 10, 10s, 500ms, 2m (> 0)", s);
	return 0;
}

int cli_parse_count(const char *s, uint64_t *n)
{
	if (units_parse_count(s, n) || *n == 0)
		return usage_error("--count", "a frame count like 100000, 100k, 1.5M (> 0)", s);
	return 0;
}
