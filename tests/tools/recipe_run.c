/* recipe-run NAME SRC_DIR [COMMIT]: recipe_build for tests/integration/recipe.sh,
 * which cannot wait for the whole mir-perf run path. Prints the result as
 * key=value lines; exit status 0, or 1 after recipe_build reported why. */
#include <stdio.h>

#include "harness/platform/xen/recipe.h"
#include "lib/log.h"

int main(int argc, char **argv)
{
	struct recipe_result r;

	log_init("mir-perf");
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: recipe-run NAME SRC_DIR [COMMIT]\n");
		return 2;
	}
	if (recipe_build(argv[1], argc == 4 ? argv[3] : NULL, argv[2], &r))
		return 1;
	printf("commit=%s\nkernel=%s\nxl_in=%s\nlog=%s\nnetif0=%s\nnetif1=%s\ncache=%s\n", r.commit,
	       r.kernel, r.xl_in, r.log, r.netif[0], r.netif[1], r.cache_hit ? "hit" : "miss");
	return 0;
}
