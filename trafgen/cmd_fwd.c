/* `mir-trafgen fwd`: argv -> struct fwd_params -> the reference forwarder
 * -> its report. */
#include "trafgen/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/usage.h"
#include "trafgen/cli.h"
#include "trafgen/fwd.h"
#include "trafgen/report.h"

/* argv into p; 0, or the usage error was printed and MP_EXIT_USAGE
 * returned. */
static int fwd_parse(int argc, char **argv, struct fwd_params *p, int *json)
{
	static const struct option opts[] = {
	    {"in", required_argument, NULL, O_IN},
	    {"out", required_argument, NULL, O_OUT},
	    {"bidir", no_argument, NULL, O_BIDIR},
	    {"tap", no_argument, NULL, O_TAP},
	    {"drop-every", required_argument, NULL, O_DROP_EVERY},
	    {"max-pps", required_argument, NULL, O_MAX_PPS},
	    {"max-burst", required_argument, NULL, O_MAX_BURST},
	    {"delay", required_argument, NULL, O_DELAY},
	    {"duration", required_argument, NULL, 't'},
	    {"queue-mb", required_argument, NULL, O_QUEUE},
	    {"io", required_argument, NULL, O_IO},
	    {"json", no_argument, NULL, O_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t v;
	int c, rc;

	memset(p, 0, sizeof(*p));
	while ((c = cli_next_opt(argc, argv, ":t:v", opts)) > 0) {
		switch (c) {
		case O_IN:
		case O_OUT:
			rc = cli_parse_dev(c == O_IN ? "--in" : "--out", optarg,
					   c == O_IN ? p->in : p->out);
			if (rc)
				return rc;
			break;
		case O_BIDIR:
			p->bidir = 1;
			break;
		case O_TAP:
			p->tap = 1;
			break;
		case O_DROP_EVERY:
			if (units_parse_count(optarg, &p->drop_every) || p->drop_every < 2)
				return usage_error("--drop-every",
						   "a count N >= 2 (drop every Nth frame)", optarg);
			break;
		case O_MAX_PPS:
			if (units_parse_rate(optarg, 0, &p->max_pps))
				return usage_error("--max-pps",
						   "packets per second like 20k (1..100M)", optarg);
			break;
		case O_MAX_BURST:
			if (units_parse_duration(optarg, &p->max_burst_ns) || !p->max_burst_ns ||
			    p->max_burst_ns > 10 * NSEC_PER_SEC)
				return usage_error(
				    "--max-burst",
				    "the token bucket's depth as a duration like 200ms "
				    "(up to 10s)",
				    optarg);
			break;
		case O_DELAY:
			if (units_parse_duration(optarg, &p->delay_ns) || !p->delay_ns ||
			    p->delay_ns > 10 * NSEC_PER_SEC)
				return usage_error("--delay", "a delay like 5ms or 200us (> 0, <= 10 s)",
						   optarg);
			break;
		case 't':
			if (cli_parse_duration(optarg, &p->duration_ns))
				return MP_EXIT_USAGE;
			break;
		case O_QUEUE:
			if (units_parse_uint(optarg, 1, 1024, &v))
				return usage_error("--queue-mb",
						   "a receive queue size in MiB, 1..1024", optarg);
			p->queue_mb = (unsigned)v;
			break;
		case O_IO:
			if (fwd_io_parse(optarg, &p->io))
				return usage_error("--io", "auto, xdp, ring, mmsg or ring-mmsg",
						   optarg);
			break;
		case O_JSON:
			*json = 1;
			break;
		}
	}
	if (c < 0)
		return MP_EXIT_USAGE;
	if (p->delay_ns && !p->tap)
		return usage_error("--delay",
				   "--tap too (the delay line holds the frames of TAP devices)", NULL);
	if (!p->in[0] || !p->out[0])
		return usage_error(p->in[0] ? "--out" : "--in", "an interface name", NULL);
	if (!strcmp(p->in, p->out))
		return usage_error("--out", "an interface other than --in", p->out);
	return 0;
}

int fwd_main(int argc, char **argv)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;
	struct fwd *f = NULL;
	const char *bad_dev = NULL;
	int json = 0, n, rc;
	char err[256];

	rc = fwd_parse(argc, argv, &p, &json);
	if (rc)
		return rc;
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
		return MP_EXIT_FAILURE;
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
		return MP_EXIT_FAILURE;
	}
	return MP_EXIT_OK;
}
