/* The rr mode's configuration; see rr_cfg.h. */
#include "harness/config/rr_cfg.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "harness/config/conf.h"
#include "harness/config/rr_opts.h"
#include "harness/config/rr_plan.h"

int rr_cfg_options(const struct cli_args *a, struct run_cfg *cfg, char *err, size_t len)
{
	char exp[256], q[256];

	if (cfg->mode != MODE_RR && (a->rr_sizes || a->rr_timeout))
		return cli_fail(err, len, "%s belongs to the rr mode: add --mode rr",
				a->rr_sizes ? "--rr-sizes" : "--rr-timeout");
	if (a->rr_timeout && conf_set(cfg, "rr_timeout", a->rr_timeout, exp, sizeof(exp)))
		return cli_fail(err, len, "--rr-timeout: expected %s, got '%s'", exp,
				cli_q(q, sizeof(q), a->rr_timeout));
	return 0;
}

int rr_cfg_lists(const struct cli_args *a, struct run_cfg *cfg, char *err, size_t len)
{
	char path[PATH_MAX + 16], why[512];
	uint64_t n;
	int rc;

	if (a->sizes || a->rates)
		return cli_fail(err, len,
				"%s belongs to the frames mode; in the rr mode the sweep is over "
				"request/response sizes: --rr-sizes (or range-rrsz)",
				a->sizes ? "--sizes" : "--rates");
	if (cfg->search)
		return cli_fail(err, len,
				"the throughput search (search = / --search) belongs to the frames "
				"mode; the rr mode measures every size");
	if (a->rr_sizes) {
		rc = rr_sizes_parse(a->rr_sizes, "--rr-sizes", &cfg->rrsz, why, sizeof(why));
	} else {
		snprintf(path, sizeof(path), "%s/range-rrsz", cfg->cfg_dir);
		rc = rr_sizes_parse_file(path, &cfg->rrsz, why, sizeof(why));
	}
	if (rc) {
		/* as the range lists': the origin leads the line */
		snprintf(err, len, "%s", why);
		return -EINVAL;
	}
	n = (uint64_t)rr_plan_points(cfg) * cfg->trials;
	if (n > RUN_MAX_POINTS)
		return cli_fail(err, len,
				"%llu rr points (connections x sizes x trials): at most %u",
				(unsigned long long)n, RUN_MAX_POINTS);
	return 0;
}
