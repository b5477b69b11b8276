/* The mir-perf command line: options and arguments, then the run
 * configuration they make together with the cfg files (the command line
 * wins). Everything here only reads: it is safe without root, and every
 * string that later reaches a command, a path or a netlink message is
 * validated here, before anything runs. */
#ifndef MP_CLI_H
#define MP_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

/* Exit statuses (MP_EXIT_*), shared with mir-trafgen and mir-monitor and
 * documented in --help and mir-perf(1). */
#include "lib/usage.h"

enum cli_action { CLI_RUN = 0, CLI_DRY_RUN, CLI_CLEANUP, CLI_HELP, CLI_VERSION };

/* What the command line said, before the cfg files are read. Pointers into argv. */
struct cli_args {
	enum cli_action action;
	const char *platform, *cfg_dir, *out_dir, *duration, *sizes, *rates, *dut, *trials;
	const char *library, *commit;
	const char *sources, *repo; /* how LIBRARY is built; harness/platform/xen/recipe.h */
	/* the throughput search; see harness/measure/search.h */
	const char *search, *ndr_loss, *pdr_loss, *precision, *max_rate, *search_mode;
	/* the goodput mode; see harness/measure/goodput.h */
	const char *mode, *bufsizes, *streams, *protocol, *bitrate, *server;
	const char *rr_sizes, *rr_timeout; /* the rr mode; harness/measure/rr.h */
	const char *on_dut_stop;
	/* A second COMMIT or --dut: measure both, then compare them (B against A) */
	const char *commit_b, *dut_b;
	const char *gen_threads; /* --gen-threads */
	int quiet, verbose;
	int dut_as_root; /* --dut-as-root: an exec: DUT keeps root */
};

/* The recipes mir-perf knows how to build into a unikernel. */
extern const char *const cli_libraries[];

/* Parse argv (permuted by getopt_long). 0, or -EINVAL with one message in
 * err ("mir-perf: unknown option '--foo'; see mir-perf --help"). COMMIT is
 * lower-cased in place. */
int cli_parse_args(int argc, char **argv, struct cli_args *a, char *err, size_t errlen);

/* "mir-perf: " and the message into err; returns -EINVAL (usage, status 2). */
int cli_fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* s quoted for a message (quote_text, at most 60 bytes of it). */
const char *cli_q(char *buf, size_t len, const char *s);

/* The exit status for a negative errno from the layers below. */
int cli_exit_status(int rc);

/* --help: cli_usage, then the caller's command table, then cli_usage_footer. */
void cli_usage(FILE *f);
void cli_usage_footer(FILE *f);

#endif
