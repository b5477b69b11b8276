/* mir-perf: the orchestrator. A small dispatch table in the style of
 * wireguard-tools' wg.c: `mir-perf COMMAND ...` runs that command, anything
 * else is the default `run` with its options. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/config/cli.h"
#include "harness/config/cli_cfg.h"
#include "harness/output/compare.h"
#include "harness/config/plan.h"
#include "harness/output/plots.h"
#include "harness/run/run_pair.h"
#include "harness/config/platform_select.h"
#include "harness/run/run.h"
#include "harness/config/run_cfg.h"
#include "lib/log.h"

#ifndef MP_VERSION
#define MP_VERSION "unknown"
#endif

static int run_main(int argc, char **argv);
static int help_main(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
} subcommands[] = {
    {"run", run_main, "[OPTIONS] [LIBRARY [COMMIT [COMMIT_B]]]: measure (the default command)"},
    {"compare", compare_main, "RUN_DIR_A RUN_DIR_B [--fail-on-regression PCT]: compare two runs"},
    {"help", help_main, "show this help"},
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void show_usage(FILE *f)
{
	size_t i;

	cli_usage(f);
	fprintf(f, "\nCommands:\n");
	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].description);
	cli_usage_footer(f);
}

static int help_main(int argc, char **argv)
{
	show_usage(stdout);
	return MP_EXIT_OK;
}

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

static int run_main(int argc, char **argv)
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
		show_usage(stdout);
		return MP_EXIT_OK;
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
		plan_print(stdout, &cfg);
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

int main(int argc, char *argv[])
{
	size_t i;

	log_init("mir-perf");
	if (argc > 1)
		for (i = 0; i < NSUBCOMMANDS; i++)
			if (!strcmp(argv[1], subcommands[i].name))
				return subcommands[i].fn(argc - 1, argv + 1);
	return run_main(argc, argv);
}
