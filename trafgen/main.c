/* mir-trafgen: generator (tx), sink (rx), reference forwarder (fwd) and the
 * control agent the harness drives (agent). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "trafgen/agent.h"
#include "trafgen/cli.h"
#include "trafgen/ctl.h"
#include "trafgen/frame.h"
#include "trafgen/fwd.h"
#include "trafgen/proto.h"
#include "trafgen/report.h"
#include "trafgen/rx.h"
#include "trafgen/tx.h"

static const char usage_text[] =
    "usage: mir-trafgen tx --dev IF --size BYTES [--rate PPS|max] [--duration S | --count N]\n"
    "                      [--src-mac M] [--dst-mac M] [--src-ip A] [--dst-ip A]\n"
    "                      [--sport P] [--dport P] [--flows N] [--stream ID] [--cpu N]\n"
    "                      [--threads N] [--backend auto|af_packet|af_xdp] [--json]\n"
    "       mir-trafgen rx --dev IF [--duration S | --count N] [--stream ID] [--json]\n"
    "       mir-trafgen fwd --in IF --out IF [--bidir] [--tap] [--drop-every N] [--max-pps R]\n"
    "                       [--max-burst DURATION] [--queue-mb M] [--io auto|xdp|ring|mmsg|ring-mmsg]\n"
    "                       [--duration S] [--json]\n"
    "       mir-trafgen agent --listen unix:PATH|tcp:ADDR:PORT --token-file F [-v]\n"
    "       mir-trafgen ctl --connect unix:PATH|tcp:ADDR:PORT --token-file F [--timeout S]\n"
    "                       tx-start [tx options] | rx-start [rx options] | status |\n"
    "                       tx-stop | rx-stop | raw (request lines on stdin)\n"
    "Numbers: 250k, 1.5M; rates in pps or max; durations 10, 10s, 500ms, 2m.\n"
    "Addresses must be inside 198.18.0.0/15. fwd --drop-every and --max-pps are test aids:\n"
    "a DUT of known loss and capacity (--max-burst: the token bucket's depth, 50ms).\n"
    "fwd --io: auto (default: xdp where the devices have native XDP, ring otherwise),\n"
    "xdp (AF_XDP, one UMEM, no copy in user space), TPACKET_V2 rings both ways,\n"
    "recvmmsg/sendmmsg (the naive forwarder, for comparison), or a receive ring and\n"
    "sendmmsg from its slots.\n";

static int cmd_tx(int argc, char **argv)
{
	struct tx_engine *e = NULL;
	struct tg_tx_params p;
	struct tg_tx_report r;
	int json = 0, rc;
	char err[256];

	rc = cli_parse_tx(argc, argv, &p, &json);
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
		return 1;
	}
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		log_err("tx: %s", err);
		return 1;
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
		return 1;
	}
	return 0;
}

static int cmd_rx(int argc, char **argv)
{
	struct rx_stream_report streams[RX_MAX_STREAMS];
	struct rx_engine *e = NULL;
	struct tg_rx_params p;
	struct tg_rx_report r;
	int json = 0, n, rc;
	char err[256];

	rc = cli_parse_rx(argc, argv, &p, &json);
	if (rc)
		return rc;
	rc = cli_check_dev("--dev", p.dev);
	if (rc)
		return rc;
	rc = rx_engine_start(&p, 0, &e);
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		log_err("rx: %s", err);
		return 1;
	}
	log_verbose("rx on %s: ready", p.dev);
	cli_wait(&cli_rx, e);
	rc = rx_engine_join(e);
	rx_engine_report(e, &r);
	n = rx_engine_streams(e, streams, RX_MAX_STREAMS);
	rx_engine_free(e);
	if (n > RX_MAX_STREAMS)
		n = RX_MAX_STREAMS;
	if (json)
		report_rx_json(stdout, &p, &r, streams, n);
	else
		report_rx_human(stdout, &r, streams, n);
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		log_err("rx: the run ended early: %s", err);
		return 1;
	}
	return 0;
}

static int cmd_fwd(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"in", required_argument, NULL, O_IN},
	    {"out", required_argument, NULL, O_OUT},
	    {"bidir", no_argument, NULL, O_BIDIR},
	    {"tap", no_argument, NULL, O_TAP},
	    {"drop-every", required_argument, NULL, O_DROP_EVERY},
	    {"max-pps", required_argument, NULL, O_MAX_PPS},
	    {"max-burst", required_argument, NULL, O_MAX_BURST},
	    {"duration", required_argument, NULL, 't'},
	    {"queue-mb", required_argument, NULL, O_QUEUE},
	    {"io", required_argument, NULL, O_IO},
	    {"json", no_argument, NULL, O_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	struct fwd_dir_report r[2];
	uint64_t v;
	struct fwd_params p;
	struct fwd *f = NULL;
	const char *bad_dev = NULL;
	int json = 0, c, n, rc;
	char err[256];

	memset(&p, 0, sizeof(p));
	while ((c = getopt_long(argc, argv, "t:v", opts, NULL)) != -1) {
		switch (c) {
		case O_IN:
		case O_OUT:
			if (strlen(optarg) >= sizeof(p.in))
				return cli_bad(c == O_IN ? "--in" : "--out",
					       "an interface name of 1..15 characters", optarg);
			strcpy(c == O_IN ? p.in : p.out, optarg);
			break;
		case O_BIDIR:
			p.bidir = 1;
			break;
		case O_TAP:
			p.tap = 1;
			break;
		case O_DROP_EVERY:
			if (units_parse_count(optarg, &p.drop_every) || p.drop_every < 2)
				return cli_bad("--drop-every",
					       "a count N >= 2 (drop every Nth frame)", optarg);
			break;
		case O_MAX_PPS:
			if (units_parse_rate(optarg, 0, &p.max_pps))
				return cli_bad("--max-pps", "packets per second like 20k (1..100M)",
					       optarg);
			break;
		case O_MAX_BURST:
			if (units_parse_duration(optarg, &p.max_burst_ns) || !p.max_burst_ns ||
			    p.max_burst_ns > 10 * NSEC_PER_SEC)
				return cli_bad("--max-burst",
					       "the token bucket's depth as a duration like 200ms (up to 10s)",
					       optarg);
			break;
		case 't':
			if (cli_parse_duration(optarg, &p.duration_ns))
				return CLI_EXIT_USAGE;
			break;
		case O_QUEUE:
			if (units_parse_uint(optarg, 1, 1024, &v))
				return cli_bad("--queue-mb", "a receive queue size in MiB, 1..1024",
					       optarg);
			p.queue_mb = (unsigned)v;
			break;
		case O_IO:
			if (fwd_io_parse(optarg, &p.io))
				return cli_bad("--io", "auto, xdp, ring, mmsg or ring-mmsg", optarg);
			break;
		case O_JSON:
			json = 1;
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
	if (!p.in[0] || !p.out[0])
		return cli_bad(p.in[0] ? "--out" : "--in", "an interface name", NULL);
	if (!strcmp(p.in, p.out))
		return cli_bad("--out", "an interface other than --in", p.out);
	rc = cli_check_dev("--in", p.in);
	if (!rc)
		rc = cli_check_dev("--out", p.out);
	if (rc)
		return rc;
	rc = fwd_start(&p, &f, &bad_dev);
	if (rc) {
		if (p.tap && bad_dev && rc == -EINVAL)
			snprintf(err, sizeof(err), "'%s' is not a TAP device", bad_dev);
		else if (p.tap && bad_dev && rc == -EBUSY)
			snprintf(err, sizeof(err), "TAP device '%s' is in use by another process",
				 bad_dev);
		else
			report_engine_error(err, sizeof(err), rc, bad_dev ? bad_dev : p.in);
		log_err("fwd: %s", err);
		return 1;
	}
	log_verbose("fwd %s -> %s: ready", p.in, p.out);
	cli_wait(&cli_fwd, f);
	rc = fwd_join(f);
	n = fwd_report(f, r);
	fwd_free(f);
	if (json)
		report_fwd_json(stdout, &p, r, n);
	else
		report_fwd_human(stdout, &p, r, n);
	if (rc) {
		log_err("fwd: the run ended early: %s", strerror(-rc));
		return 1;
	}
	return 0;
}

static int cmd_agent(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, O_LISTEN},
	    {"token-file", required_argument, NULL, O_TOKEN},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	const char *listen = NULL, *token = NULL, *bad_opt = NULL;
	struct agent *a = NULL;
	char err[512];
	int c, rc;

	while ((c = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (c) {
		case O_LISTEN:
			listen = optarg;
			break;
		case O_TOKEN:
			token = optarg;
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
	if (!listen)
		return cli_bad("--listen", "unix:/ABSOLUTE/PATH or tcp:A.B.C.D:PORT", NULL);
	if (!token)
		return cli_bad("--token-file", "a file of mode 0600 holding the token", NULL);
	rc = agent_open(listen, token, &a, &bad_opt, err, sizeof(err));
	if (rc) {
		if (bad_opt) {
			log_err("%s: %s: %s", cli_sub, bad_opt, err);
			return CLI_EXIT_USAGE;
		}
		log_err("%s: %s", cli_sub, err);
		return 1;
	}
	log_verbose("agent listening on %s", listen);
	rc = agent_serve(a);
	agent_close(a);
	if (rc) {
		log_err("agent: %s", strerror(-rc));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {{"tx", cmd_tx},
		    {"rx", cmd_rx},
		    {"fwd", cmd_fwd},
		    {"agent", cmd_agent},
		    {"ctl", ctl_main}};
	sigset_t sigs;
	size_t i;

	log_init(argv[0]);
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mir-trafgen %s\n", MP_VERSION);
		return 0;
	}
	/* SIGINT/SIGTERM are taken synchronously (sigtimedwait, signalfd) so a
	 * run always ends through its normal path and prints its report. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		cli_sub = cmds[i].name;
		opterr = 0;
		return cmds[i].fn(argc - 1, argv + 1);
	}
	log_err("unknown subcommand '%.64s': expected tx, rx, fwd, agent or ctl", argv[1]);
	return CLI_EXIT_USAGE;
}
