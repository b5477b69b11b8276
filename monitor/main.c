/* mir-monitor: per-hop interface counters, live, with CSV, JSON and pcap.
 * The same shape as mir-perf's harness/main.c and mir-trafgen's
 * trafgen/main.c: a table of commands, each NAME_main() in
 * monitor/cmd_NAME.c; anything else is the default `watch` with its
 * options and interfaces. */
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/usage.h"
#include "monitor/cmd.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
} subcommands[] = {
    {"watch", watch_main, "[OPTIONS] [NETNS/]IF...: sample the counters (the default command)"},
    {"help", help_main, "show this help"},
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

int help_main(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	watch_usage(stdout);
	printf("\nCommands:\n");
	for (i = 0; i < NSUBCOMMANDS; i++)
		printf("  %-8s %s\n", subcommands[i].name, subcommands[i].description);
	printf("An interface named like a command is given after `watch` or an option.\n");
	return MP_EXIT_OK;
}

int main(int argc, char **argv)
{
	size_t i;

	log_init(argv[0]);
	if (argc > 1)
		for (i = 0; i < NSUBCOMMANDS; i++)
			if (!strcmp(argv[1], subcommands[i].name))
				return subcommands[i].fn(argc - 1, argv + 1);
	return watch_main(argc, argv);
}
