/* `mir-perf [run]`: argv -> one struct run_cfg (harness/config/) -> the
 * dry-run plan, the cleanup of killed runs, one run or an A/B pair. */
#include "harness/cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "harness/config/cli.h"
#include "harness/config/cli_cfg.h"
#include "harness/config/plan.h"
#include "harness/config/platform_select.h"
#include "harness/config/run_cfg.h"
#include "harness/output/plots.h"
#include "harness/platform/platform.h"
#include "harness/run/run.h"
#include "harness/run/run_dir.h"
#include "harness/run/run_pair.h"
#include "lib/log.h"

#ifndef MP_VERSION
#define MP_VERSION "unknown"
#endif

/* The measurement itself: topology, sweep, results, teardown (harness/run/run.c). */
static int run_measure(const struct run_cfg *cfg)
{
	return run_execute(cfg);
}

/* Remove what killed runs left behind. */
static int run_cleanup(void)
{
	return run_cleanup_stale();
}

int run_main(int argc, char **argv)
{
	struct run_cfg cfg;
	struct cli_args args;
	char err[2048];
	int rc;

	rc = cli_parse_args(argc, argv, &args, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "%s\n", err);
		return MP_EXIT_USAGE;
	}
	switch (args.action) {
	case CLI_HELP:
		return help_main(argc, argv);
	case CLI_VERSION:
		printf("mir-perf %s\n", MP_VERSION);
		return MP_EXIT_OK;
	case CLI_CLEANUP:
		if (geteuid()) {
			log_err("removing the namespaces and bridges of killed runs needs root; "
				"run it with sudo");
			return MP_EXIT_FAILURE;
		}
		return cli_exit_status(run_cleanup());
	default:
		break;
	}
	log_set_level(args.quiet	 ? LOG_QUIET
		      : args.verbose > 1 ? LOG_DEBUG
		      : args.verbose	 ? LOG_VERBOSE
					 : LOG_NORMAL);
	rc = cli_build_cfg(&args, PLATFORM_XEN_CAPS, &cfg, stderr, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	if (cfg.dry_run) {
		plan_print(stdout, &cfg, platform_ops_of(cfg.platform)->describe);
		if (args.commit_b || args.dut_b)
			printf("\nthen the same with %s %s, and B compared with A "
			       "(mir-perf compare)\n",
			       args.commit_b ? "commit" : "--dut",
			       args.commit_b ? args.commit_b : args.dut_b);
		rc = fflush(stdout) ? -errno : 0;
		goto out;
	}
	if (geteuid()) {
		log_err("creating namespaces and bridges needs root; run it with sudo");
		rc = -EPERM;
		goto out;
	}
	if (args.commit_b || args.dut_b) {
		char templates[PATH_MAX];
		struct run_pair_ops pair = {
		    .execute = run_measure,
		    .dir_name = run_dir_name,
		    .templates =
			plots_find_templates(templates, sizeof(templates)) ? NULL : templates,
		};

		rc = run_pair(&cfg, args.commit_b, args.dut_b, &pair, stdout);
	} else {
		rc = run_measure(&cfg);
	}
out:
	cli_cfg_release(&cfg);
	return cli_exit_status(rc);
}
