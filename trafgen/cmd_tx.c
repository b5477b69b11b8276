/* `mir-trafgen tx`: argv -> struct tg_tx_params -> the generator -> its
 * report. tx_parse is also `ctl tx-start`'s. */
#include "trafgen/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/units.h"
#include "lib/usage.h"
#include "trafgen/cli.h"
#include "trafgen/frame.h"
#include "trafgen/report.h"
#include "trafgen/tx.h"

int tx_parse(int argc, char **argv, struct tg_tx_params *p, int *json)
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
	int have_size = 0, c, rc;
	uint64_t v;

	optind = 0;
	proto_tx_defaults(p);
	while ((c = cli_next_opt(argc, argv, ":d:s:r:t:n:v", opts)) > 0) {
		switch (c) {
		case 'd':
			rc = cli_parse_dev("--dev", optarg, p->dev);
			if (rc)
				return rc;
			break;
		case 's':
			if (units_parse_frame_size(optarg, &p->size))
				return usage_error(
				    "--size", "a frame size in bytes with FCS, 64..9018", optarg);
			have_size = 1;
			break;
		case 'r':
			if (units_parse_rate(optarg, 1, &p->rate))
				return usage_error("--rate",
						   "packets per second like 250k, 1.5M (1..100M) "
						   "or max",
						   optarg);
			break;
		case 't':
			if (cli_parse_duration(optarg, &p->duration_ns))
				return MP_EXIT_USAGE;
			break;
		case 'n':
			if (cli_parse_count(optarg, &p->count))
				return MP_EXIT_USAGE;
			break;
		case O_SRC_MAC:
		case O_DST_MAC:
			if (frame_parse_mac(optarg, c == O_SRC_MAC ? p->src_mac : p->dst_mac))
				return usage_error(c == O_SRC_MAC ? "--src-mac" : "--dst-mac",
						   "a MAC address like 02:00:00:00:00:01", optarg);
			break;
		case O_SRC_IP:
		case O_DST_IP:
			if (frame_parse_ip(optarg, c == O_SRC_IP ? &p->src_ip : &p->dst_ip))
				return usage_error(c == O_SRC_IP ? "--src-ip" : "--dst-ip",
						   "an IPv4 address inside 198.18.0.0/15", optarg);
			break;
		case O_SPORT:
			if (cli_parse_port("--sport", optarg, &p->sport))
				return MP_EXIT_USAGE;
			break;
		case O_DPORT:
			if (cli_parse_port("--dport", optarg, &p->dport))
				return MP_EXIT_USAGE;
			break;
		case O_FLOWS:
			if (units_parse_uint(optarg, 1, 65536, &v))
				return usage_error(
				    "--flows", "a number of UDP source ports, 1..65536", optarg);
			p->flows = (uint32_t)v;
			break;
		case O_STREAM:
			if (cli_parse_stream(optarg, &p->stream))
				return MP_EXIT_USAGE;
			break;
		case O_THREADS:
			if (units_parse_uint(optarg, 1, 8, &v))
				return usage_error("--threads", "a number of sending threads, 1..8",
						   optarg);
			p->threads = (uint32_t)v;
			break;
		case O_BACKEND:
			if (proto_backend_parse(optarg, &p->backend))
				return usage_error("--backend", "auto, af_packet or af_xdp",
						   optarg);
			break;
		case O_CPU:
			if (units_parse_uint(optarg, 0, 1023, &v))
				return usage_error("--cpu", "a CPU number", optarg);
			p->cpu = (int)v;
			break;
		case O_JSON:
			*json = 1;
			break;
		}
	}
	if (c < 0)
		return MP_EXIT_USAGE;
	if (!p->dev[0])
		return usage_error("--dev", "the interface to send on", NULL);
	if (!have_size)
		return usage_error("--size", "a frame size in bytes with FCS, 64..9018", NULL);
	if (p->duration_ns && p->count)
		return usage_error("--duration/--count", "one of them, not both", NULL);
	if ((uint32_t)p->sport + p->flows - 1 > 65535)
		return usage_error("--flows", "sport + flows - 1 <= 65535", NULL);
	if (p->cpu >= 0 && p->cpu + (long)p->threads > sysconf(_SC_NPROCESSORS_CONF)) {
		char exp[64];

		snprintf(exp, sizeof(exp), "a CPU number 0..%ld (thread i runs on --cpu + i)",
			 sysconf(_SC_NPROCESSORS_CONF) - (long)p->threads);
		return usage_error("--cpu", exp, NULL);
	}
	if ((p->rate != UNITS_RATE_MAX && p->rate < p->threads) ||
	    (p->count && p->count < p->threads))
		return usage_error("--threads", "no more threads than --rate and --count", NULL);
	return 0;
}

int tx_main(int argc, char **argv)
{
	struct tx_engine *e = NULL;
	struct tg_tx_params p;
	struct tg_tx_report r;
	int json = 0, rc;
	char err[256];

	rc = tx_parse(argc, argv, &p, &json);
	if (rc)
		return rc;
	rc = cli_check_dev("--dev", p.dev);
	if (rc)
		return rc;
	rc = tx_engine_start(&p, &e);
	if (rc && p.backend == TG_BACKEND_XDP) {
		/* only AF_XDP was asked for: say that it is what failed */
		log_err("tx: --backend af_xdp: no XDP socket on each of %u queue%s of '%s': %s",
			p.threads ? p.threads : 1, p.threads > 1 ? "s" : "", p.dev, strerror(-rc));
		return MP_EXIT_FAILURE;
	}
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		log_err("tx: %s", err);
		return MP_EXIT_FAILURE;
	}
	cli_wait(&cli_tx, e);
	rc = tx_engine_join(e);
	tx_engine_report(e, &r);
	tx_engine_free(e);
	if (json)
		report_tx_json(stdout, &p, &r);
	else
		report_tx_human(stdout, &p, &r);
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		log_err("tx: the run ended early: %s", err);
		return MP_EXIT_FAILURE;
	}
	return MP_EXIT_OK;
}
