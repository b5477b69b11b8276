/* recipe-run NAME SRC_DIR [COMMIT]: recipe_build for tests/integration/recipe.sh
 * and the xen-check (tools/xen-check/mirage.sh), which cannot wait for the
 * whole mir-perf run path. MP_RECIPE_SOURCES and MP_RECIPE_REPO give --sources
 * and --repo; MP_RECIPE_UNIKERNEL the unikernel built: unset, "" or
 * "forwarder" (SRC_DIR/config.ml, unikernel.ml), or "iperf3" (the goodput
 * mode's server = dut: SRC_DIR/iperf3/, cached apart in <full commit>-iperf3;
 * anything else is bad input). Prints the result as key=value lines (netif1
 * is empty for the iperf3 server, which has devid 0 only); exit status 0, or
 * 1 after recipe_build reported why (4: a commit the toolchain cannot build,
 * 2: bad input). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/platform/xen/recipe.h"
#include "lib/log.h"

int main(int argc, char **argv)
{
	struct recipe_result r;
	struct recipe_opts o = {0};
	const char *u = getenv("MP_RECIPE_UNIKERNEL");
	int rc;

	log_init("mir-perf");
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: recipe-run NAME SRC_DIR [COMMIT]\n");
		return 2;
	}
	o.commit = argc == 4 ? argv[3] : NULL;
	o.src_dir = argv[2];
	o.sources = getenv("MP_RECIPE_SOURCES");
	o.repo = getenv("MP_RECIPE_REPO");
	if (u && !strcmp(u, "iperf3")) {
		o.unikernel = RECIPE_IPERF3;
	} else if (u && *u && strcmp(u, "forwarder")) {
		fprintf(stderr, "recipe-run: MP_RECIPE_UNIKERNEL='%s': expected forwarder or iperf3\n",
			u);
		return 2;
	}
	rc = recipe_build(argv[1], &o, &r);
	if (rc)
		return rc == -ENOTSUP ? 4 : rc == -EINVAL ? 2 : 1;
	printf("commit=%s\nkernel=%s\nxl_in=%s\nlog=%s\nnetif0=%s\nnetif1=%s\ncache=%s\nunikernel=%s\n",
	       r.commit, r.kernel, r.xl_in, r.log, r.netif[0], r.netif[1],
	       r.cache_hit ? "hit" : "miss", recipe_unikernel_name(o.unikernel));
	return 0;
}
