/* mir-perf: the orchestrator. A small dispatch table in the style of
 * wireguard-tools' wg.c: `mir-perf COMMAND ...` runs that command
 * (harness/cmd_COMMAND.c), anything else is the default `run` with its
 * options. */
#include <stdio.h>
#include <string.h>

#include "harness/cmd.h"
#include "harness/config/cli.h"
#include "lib/log.h"

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

int help_main(int argc, char **argv)
{
	show_usage(stdout);
	return MP_EXIT_OK;
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
