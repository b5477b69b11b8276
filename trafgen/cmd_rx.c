/* `mir-trafgen rx`: argv -> struct tg_rx_params -> the sink -> its report.
 * rx_parse is also `ctl rx-start`'s. */
#include "trafgen/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/usage.h"
#include "trafgen/cli.h"
#include "trafgen/report.h"
#include "trafgen/rx.h"

int rx_parse(int argc, char **argv, struct tg_rx_params *p, int *json)
{
	static const struct option opts[] = {
	    {"dev", required_argument, NULL, 'd'},
	    {"duration", required_argument, NULL, 't'},
	    {"count", required_argument, NULL, 'n'},
	    {"stream", required_argument, NULL, O_STREAM},
	    {"io", required_argument, NULL, O_IO},
	    {"json", no_argument, NULL, O_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc;

	optind = 0;
	proto_rx_defaults(p);
	while ((c = cli_next_opt(argc, argv, ":d:t:n:v", opts)) > 0) {
		switch (c) {
		case 'd':
			rc = cli_parse_dev("--dev", optarg, p->dev);
			if (rc)
				return rc;
			break;
		case 't':
			if (cli_parse_duration(optarg, &p->duration_ns))
				return MP_EXIT_USAGE;
			break;
		case 'n':
			if (cli_parse_count(optarg, &p->count))
				return MP_EXIT_USAGE;
			break;
		case O_STREAM:
			if (cli_parse_stream(optarg, &p->stream))
				return MP_EXIT_USAGE;
			break;
		case O_IO:
			if (rx_io_parse(optarg, &p->backend))
				return usage_error("--io", "auto, xdp or ring", optarg);
			break;
		case O_JSON:
			*json = 1;
			break;
		}
	}
	if (c < 0)
		return MP_EXIT_USAGE;
	if (!p->dev[0])
		return usage_error("--dev", "the interface to receive on", NULL);
	return 0;
}

int rx_main(int argc, char **argv)
{
	struct rx_stream_report streams[RX_MAX_STREAMS];
	struct rx_engine *e = NULL;
	struct tg_rx_params p;
	struct tg_rx_report r;
	int json = 0, n, rc;
	char err[256];

	rc = rx_parse(argc, argv, &p, &json);
	if (rc)
		return rc;
	rc = cli_check_dev("--dev", p.dev);
	if (rc)
		return rc;
	rc = rx_engine_start(&p, 0, &e);
	if (rc) {
		rx_start_error(err, sizeof(err), rc, &p);
		log_err("rx: %s", err);
		return MP_EXIT_FAILURE;
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
		return MP_EXIT_FAILURE;
	}
	return MP_EXIT_OK;
}
