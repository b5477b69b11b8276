/* `mir-perf compare`: its options, then compare_runs(). */
#include "harness/cmd.h"
#include "harness/output/compare.h"
#include "harness/output/goodput_compare.h"
#include "harness/output/rr_compare.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "harness/output/plots.h"
#include "lib/log.h"
#include "lib/usage.h"

static void compare_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s compare [OPTIONS] RUN_DIR_A RUN_DIR_B\n"
		"\n"
		"Compare two runs (two sweeps, or two searches) per frame size and rate, or\n"
		"per size and NDR/PDR: A, B, B's difference in %%, and whether it is beyond\n"
		"both runs' noise (confidence intervals of trials, bounds of searches).\n"
		"Two goodput runs: per protocol, streams, write size and UDP target\n"
		"(compare-goodput.csv); lower goodput is a regression.\n"
		"Two rr runs: per request/response size and connections (compare-rr.csv);\n"
		"fewer transactions/s or a higher p99 latency is a regression.\n"
		"Writes compare.csv and compare.png/.svg into B/compare-vs-<A> (or -o DIR).\n"
		"\n"
		"Options:\n"
		"      --fail-on-regression PCT  exit 3 when B is worse than A by more than\n"
		"                      PCT %% beyond noise anywhere (for CI)\n"
		"  -o, --out DIR       where the comparison files go\n"
		"  -q, --quiet         only the table\n"
		"  -h, --help          this help\n"
		"\n"
		"Exit status: 0 no regression, 1 failure, 2 bad usage or runs that cannot be\n"
		"compared (no common size, different platforms), 3 regression.\n",
		log_prog());
}

/* PCT: a number from 0 to 100, optionally with %. */
static int parse_pct(const char *s, double *pct)
{
	char *end;

	if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -EINVAL;
	errno = 0;
	*pct = strtod(s, &end);
	if (errno || end == s)
		return -EINVAL;
	if (*end == '%')
		end++;
	if (*end || !(*pct >= 0 && *pct <= 100))
		return -EINVAL;
	return 0;
}

int compare_main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"fail-on-regression", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct compare_opts o = {.fail_pct = -1};
	char templates[PATH_MAX], expected[64];
	int c;

	usage_set_command("compare");
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_pct(optarg, &o.fail_pct))
				return usage_error("--fail-on-regression",
						   "a percentage from 0 to 100 like 5 or 2.5%",
						   optarg);
			break;
		case 'o':
			if (!*optarg || strlen(optarg) >= PATH_MAX - 32) {
				snprintf(expected, sizeof(expected),
					 "a directory path of 1 to %d bytes", PATH_MAX - 33);
				return usage_error("--out", expected, optarg);
			}
			o.out_dir = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'h':
			compare_usage(stdout);
			return MP_EXIT_OK;
		default:
			return usage_bad_option(c, argv, optind, "mir-perf compare --help");
		}
	}
	if (argc - optind != 2)
		return usage_error("arguments", "two run directories, RUN_DIR_A RUN_DIR_B",
				   argc - optind > 2 ? argv[optind + 2] : NULL);
	/* rr runs (mode = rr) have rr.csv and no sweep to compare */
	c = rr_compare_is_rr(argv[optind]) + rr_compare_is_rr(argv[optind + 1]);
	if (c == 1) {
		log_err("compare: %s is an rr run and %s is not: only runs of the same mode "
			"can be compared",
			rr_compare_is_rr(argv[optind]) ? argv[optind] : argv[optind + 1],
			rr_compare_is_rr(argv[optind]) ? argv[optind + 1] : argv[optind]);
		return MP_EXIT_USAGE;
	}
	if (c == 2)
		return compare_exit_status(
		    rr_compare_runs(argv[optind], argv[optind + 1], &o, stdout));
	/* goodput runs (mode = goodput) have goodput.csv and no sweep to compare */
	c = goodput_compare_is_goodput(argv[optind]) + goodput_compare_is_goodput(argv[optind + 1]);
	if (c == 1) {
		log_err("compare: %s is a goodput run and %s is not: only runs of the same mode "
			"can be compared",
			goodput_compare_is_goodput(argv[optind]) ? argv[optind] : argv[optind + 1],
			goodput_compare_is_goodput(argv[optind]) ? argv[optind + 1] : argv[optind]);
		return MP_EXIT_USAGE;
	}
	if (c == 2)
		return compare_exit_status(
		    goodput_compare_runs(argv[optind], argv[optind + 1], &o, stdout));
	if (!plots_find_templates(templates, sizeof(templates)))
		o.templates = templates;
	else
		log_warn("no plot templates found (set MP_PLOTS_DIR); no comparison plot");
	return compare_exit_status(compare_runs(argv[optind], argv[optind + 1], &o, stdout));
}
