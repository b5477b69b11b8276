#include "lib/usage.h"

#include <stdio.h>

#include "lib/log.h"

static const char *usage_cmd;

void usage_set_command(const char *cmd)
{
	usage_cmd = cmd;
}

const char *usage_command(void)
{
	return usage_cmd ? usage_cmd : "";
}

int usage_error(const char *what, const char *expected, const char *got)
{
	const char *cmd = usage_command();
	const char *sep = *cmd ? ": " : "";

	if (got)
		log_err("%s%s%s: expected %s, got '%.100s'", cmd, sep, what, expected, got);
	else
		log_err("%s%s%s: expected %s", cmd, sep, what, expected);
	return MP_EXIT_USAGE;
}

int usage_bad_option(int c, char **argv, int optind, const char *help)
{
	char expected[160];
	const char *tok = argv[optind - 1];

	if (c == ':')
		return usage_error(tok, "a value after it", NULL);
	snprintf(expected, sizeof(expected), "one of the options `%s` lists", help);
	return usage_error("option", expected, tok);
}
