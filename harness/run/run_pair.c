/* Two runs and their comparison; see run_pair.h. */
#include "harness/run/run_pair.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/output/compare.h"
#include "harness/config/dut_form.h"
#include "lib/log.h"
#include "lib/mtime.h"

/* Where run `which` ("a" or "b") of the pair goes; 0 or -ENAMETOOLONG. */
static int pair_dir(struct run_cfg *c, const struct run_cfg *a_cfg, const char *which,
		    const char *other_name, const struct run_pair_ops *ops, uint64_t now)
{
	char name[192];
	const char *results = a_cfg->results_dir[0] ? a_cfg->results_dir : "results";
	int n;

	if (a_cfg->out_dir[0]) {
		n = snprintf(c->out_dir, sizeof(c->out_dir), "%s/%s", a_cfg->out_dir, which);
	} else {
		ops->dir_name(name, sizeof(name), c, now);
		/* the same DUT twice: tell the two apart */
		if (other_name && !strcmp(name, other_name))
			n = snprintf(c->out_dir, sizeof(c->out_dir), "%s/%s-%s", results, name,
				     which);
		else
			n = snprintf(c->out_dir, sizeof(c->out_dir), "%s/%s", results, name);
	}
	return n < 0 || (size_t)n >= sizeof(c->out_dir) ? -ENAMETOOLONG : 0;
}

int run_pair(const struct run_cfg *cfg, const char *commit_b, const char *dut_b,
	     const struct run_pair_ops *ops, FILE *out)
{
	const char *parent = cfg->out_dir[0]	   ? cfg->out_dir
			     : cfg->results_dir[0] ? cfg->results_dir
						   : "results";
	struct run_cfg *a = NULL, *b = NULL;
	struct compare_opts co = {.fail_pct = -1, .templates = ops->templates};
	char name_a[192], name_b[192], exp[256];
	uint64_t now = mtime_realtime_ns();
	int rc;

	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	if (!a || !b) {
		rc = -ENOMEM;
		log_err("out of memory");
		goto out;
	}
	*a = *cfg;
	*b = *cfg;
	if (commit_b) {
		if (strlen(commit_b) >= sizeof(b->commit)) {
			rc = -EINVAL;
			log_err("'%.50s' is not a commit id", commit_b);
			goto out;
		}
		snprintf(b->commit, sizeof(b->commit), "%s", commit_b);
	} else if (dut_b) {
		enum run_dut_kind kind;

		if (strlen(dut_b) >= sizeof(b->dut) ||
		    dut_form_parse(dut_b, &kind, exp, sizeof(exp))) {
			rc = -EINVAL;
			log_err("--dut: expected %s, got '%.60s'", exp, dut_b);
			goto out;
		}
		if (dut_form_platform(kind) != cfg->platform || cfg->dut_kind == RUN_DUT_LIBRARY) {
			rc = -EINVAL;
			log_err("the second --dut '%.60s' cannot run where the first does (%s "
				"platform)",
				dut_b, cfg->platform == PLATFORM_XEN ? "xen" : "local");
			goto out;
		}
		snprintf(b->dut, sizeof(b->dut), "%s", dut_b);
		b->dut_kind = kind;
	} else {
		rc = -EINVAL;
		log_err("a pair of runs needs a second COMMIT or --dut");
		goto out;
	}
	ops->dir_name(name_a, sizeof(name_a), a, now);
	ops->dir_name(name_b, sizeof(name_b), b, now);
	if ((rc = pair_dir(a, cfg, "a", name_b, ops, now)) ||
	    (rc = pair_dir(b, cfg, "b", name_a, ops, now))) {
		log_err("%s: path too long for the two run directories", parent);
		goto out;
	}
	if (mkdir(parent, 0755) && errno != EEXIST) {
		rc = -errno;
		log_err("cannot create %s: %s", parent, strerror(errno));
		goto out;
	}
	if (!cfg->quiet)
		fprintf(stderr, "%s: two runs, then B compared with A:\n  A: %s\n  B: %s\n",
			log_prog(), a->out_dir, b->out_dir);
	rc = ops->execute(a);
	if (rc)
		goto out; /* no B without an A to compare it with */
	rc = ops->execute(b);
	if (rc)
		goto out;
	fputc('\n', out);
	rc = compare_runs(a->out_dir, b->out_dir, &co, out);
	if (rc > 0)
		rc = 0; /* differences are the answer, not a failure of the run */
out:
	free(a);
	free(b);
	return rc;
}
