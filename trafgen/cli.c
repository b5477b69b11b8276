/* Command-line helpers shared by mir-trafgen's subcommands. */
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
#include "trafgen/cli.h"
#include "trafgen/fwd.h"
#include "trafgen/frame.h"
#include "trafgen/pkt.h"
#include "trafgen/proto.h"
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

int cli_parse_tx(int argc, char **argv, struct tg_tx_params *p, int *json)
{
	static const struct option opts[] = {
	    {"dev", required_argument, NULL, 'd'},
	    {"size", required_argument, NULL, 's'},
	    {"rate", required_argument, NULL, 'r'},
	    {"duration", required_argument, NULL, 't'},
	    {"count", required_argument, NULL, 'n'},
	    {"src-mac", required_argument, NULL, O_SRC_MAC},
	    {"dst-mac", required_argument, NULL, O_DST_MAC},
	    {"src-ip", required_argument, NULL, O_SRC_IP},
	    {"dst-ip", required_argument, NULL, O_DST_IP},
	    {"sport", required_argument, NULL, O_SPORT},
	    {"dport", required_argument, NULL, O_DPORT},
	    {"flows", required_argument, NULL, O_FLOWS},
	    {"stream", required_argument, NULL, O_STREAM},
	    {"cpu", required_argument, NULL, O_CPU},
	    {"threads", required_argument, NULL, O_THREADS},
	    {"backend", required_argument, NULL, O_BACKEND},
	    {"json", no_argument, NULL, O_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	int have_size = 0, c;
	uint64_t v;

	optind = 0;
	proto_tx_defaults(p);
	while ((c = getopt_long(argc, argv, "d:s:r:t:n:v", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (strlen(optarg) >= sizeof(p->dev))
				return cli_bad("--dev", "an interface name of 1..15 characters",
					       optarg);
			strcpy(p->dev, optarg);
			break;
		case 's':
			if (units_parse_frame_size(optarg, &p->size))
				return cli_bad("--size", "a frame size in bytes with FCS, 64..9018",
					       optarg);
			have_size = 1;
			break;
		case 'r':
			if (units_parse_rate(optarg, 1, &p->rate))
				return cli_bad("--rate",
					       "packets per second like 250k, 1.5M (1..100M) "
					       "or max",
					       optarg);
			break;
		case 't':
			if (cli_parse_duration(optarg, &p->duration_ns))
				return CLI_EXIT_USAGE;
			break;
		case 'n':
			if (cli_parse_count(optarg, &p->count))
				return CLI_EXIT_USAGE;
			break;
		case O_SRC_MAC:
		case O_DST_MAC:
			if (frame_parse_mac(optarg, c == O_SRC_MAC ? p->src_mac : p->dst_mac))
				return cli_bad(c == O_SRC_MAC ? "--src-mac" : "--dst-mac",
					       "a MAC address like 02:00:00:00:00:01", optarg);
			break;
		case O_SRC_IP:
		case O_DST_IP:
			if (frame_parse_ip(optarg, c == O_SRC_IP ? &p->src_ip : &p->dst_ip))
				return cli_bad(c == O_SRC_IP ? "--src-ip" : "--dst-ip",
					       "an IPv4 address inside 198.18.0.0/15", optarg);
			break;
		case O_SPORT:
			if (cli_parse_port("--sport", optarg, &p->sport))
				return CLI_EXIT_USAGE;
			break;
		case O_DPORT:
			if (cli_parse_port("--dport", optarg, &p->dport))
				return CLI_EXIT_USAGE;
			break;
		case O_FLOWS:
			if (units_parse_uint(optarg, 1, 65536, &v))
				return cli_bad("--flows", "a number of UDP source ports, 1..65536",
					       optarg);
			p->flows = (uint32_t)v;
			break;
		case O_STREAM:
			if (cli_parse_stream(optarg, &p->stream))
				return CLI_EXIT_USAGE;
			break;
		case O_THREADS:
			if (units_parse_uint(optarg, 1, 8, &v))
				return cli_bad("--threads", "a number of sending threads, 1..8",
					       optarg);
			p->threads = (uint32_t)v;
			break;
		case O_BACKEND:
			if (proto_backend_parse(optarg, &p->backend))
				return cli_bad("--backend", "auto, af_packet or af_xdp", optarg);
			break;
		case O_CPU:
			if (units_parse_uint(optarg, 0, 1023, &v))
				return cli_bad("--cpu", "a CPU number", optarg);
			p->cpu = (int)v;
			break;
		case O_JSON:
			*json = 1;
			break;
		case 'v':
			log_set_level(LOG_VERBOSE);
			break;
		default:
			return cli_bad_option(argv, CLI_HELP);
		}
	}
	if (optind < argc)
		return cli_bad("arguments", "options only", argv[optind]);
	if (!p->dev[0])
		return cli_bad("--dev", "the interface to send on", NULL);
	if (!have_size)
		return cli_bad("--size", "a frame size in bytes with FCS, 64..9018", NULL);
	if (p->duration_ns && p->count)
		return cli_bad("--duration/--count", "one of them, not both", NULL);
	if ((uint32_t)p->sport + p->flows - 1 > 65535)
		return cli_bad("--flows", "sport + flows - 1 <= 65535", NULL);
	if (p->cpu >= 0 && p->cpu + (long)p->threads > sysconf(_SC_NPROCESSORS_CONF)) {
		char exp[64];

		snprintf(exp, sizeof(exp), "a CPU number 0..%ld (thread i runs on --cpu + i)",
			 sysconf(_SC_NPROCESSORS_CONF) - (long)p->threads);
		return cli_bad("--cpu", exp, NULL);
	}
	if ((p->rate != UNITS_RATE_MAX && p->rate < p->threads) ||
	    (p->count && p->count < p->threads))
		return cli_bad("--threads", "no more threads than --rate and --count", NULL);
	return 0;
}

int cli_parse_rx(int argc, char **argv, struct tg_rx_params *p, int *json)
{
	static const struct option opts[] = {
	    {"dev", required_argument, NULL, 'd'},
	    {"duration", required_argument, NULL, 't'},
	    {"count", required_argument, NULL, 'n'},
	    {"stream", required_argument, NULL, O_STREAM},
	    {"json", no_argument, NULL, O_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 0;
	proto_rx_defaults(p);
	while ((c = getopt_long(argc, argv, "d:t:n:v", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (strlen(optarg) >= sizeof(p->dev))
				return cli_bad("--dev", "an interface name of 1..15 characters",
					       optarg);
			strcpy(p->dev, optarg);
			break;
		case 't':
			if (cli_parse_duration(optarg, &p->duration_ns))
				return CLI_EXIT_USAGE;
			break;
		case 'n':
			if (cli_parse_count(optarg, &p->count))
				return CLI_EXIT_USAGE;
			break;
		case O_STREAM:
			if (cli_parse_stream(optarg, &p->stream))
				return CLI_EXIT_USAGE;
			break;
		case O_JSON:
			*json = 1;
			break;
		case 'v':
			log_set_level(LOG_VERBOSE);
			break;
		default:
			return cli_bad_option(argv, CLI_HELP);
		}
	}
	if (optind < argc)
		return cli_bad("arguments", "options only", argv[optind]);
	if (!p->dev[0])
		return cli_bad("--dev", "the interface to receive on", NULL);
	return 0;
}
