/* The command-line conventions the three binaries (mir-perf, mir-trafgen,
 * mir-monitor) share: one set of exit statuses, and one form of the usage
 * error, a single line that names what was wrong, what was expected and
 * quotes the bad token:
 *
 *   mir-trafgen: tx: --rate: expected packets per second like 250k, got '12q'
 *
 * Each command parses its argv into its own data model and then applies it;
 * the parse is where usage errors are reported, once. */
#ifndef MP_USAGE_H
#define MP_USAGE_H

/* Exit statuses, documented in each binary's --help and man page. */
#define MP_EXIT_OK	    0
#define MP_EXIT_FAILURE	    1	/* failure at run time */
#define MP_EXIT_USAGE	    2	/* bad usage, bad cfg, or input that cannot be used */
#define MP_EXIT_REGRESSION  3	/* mir-perf compare: B is worse than A */
#define MP_EXIT_INTERRUPTED 130 /* mir-perf: stopped by SIGINT/SIGTERM */

/* The command being parsed ("tx"), put after the program's name in every
 * usage error; NULL or "" for none. The string must outlive the parse. */
void usage_set_command(const char *cmd);
const char *usage_command(void);

/* "PROG: [CMD: ]WHAT: expected EXPECTED[, got 'GOT']" on stderr (GOT cut at
 * 100 bytes; NULL when the thing was missing). Returns MP_EXIT_USAGE. */
int usage_error(const char *what, const char *expected, const char *got);

/* The usage error for what getopt_long (with a leading ':' in its
 * optstring) returned as '?' or ':' at argv[optind - 1]: an unknown option
 * ("option: expected one of the options `HELP` lists, got '--foo'") or an
 * option without its value ("--rate: expected a value after it"). HELP is
 * the command that lists them, "mir-trafgen --help". Returns MP_EXIT_USAGE. */
int usage_bad_option(int c, char **argv, int optind, const char *help);

#endif
