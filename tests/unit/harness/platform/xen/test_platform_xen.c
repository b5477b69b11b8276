/* The xen platform on a machine without Xen (this one, CI): a clear message
 * naming --platform local, -ENODEV, and nothing created; cleanup_stale has
 * nothing to do. Skipped on a real dom0. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/platform/platform.h"
#include "lib/log.h"

static unsigned entries(const char *dir)
{
	struct dirent *d;
	unsigned n = 0;
	DIR *dp = opendir(dir);

	assert_non_null(dp);
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

static void test_no_xen_creates_nothing(void **state)
{
	char dir[] = "/tmp/mp-t-xenrun-XXXXXX", errpath[64], msg[1024] = "";
	struct run_cfg *cfg = calloc(1, sizeof(*cfg));
	struct platform *p = (struct platform *)0x1;
	FILE *f;
	int saved, rc;

	if (access("/proc/xen", F_OK) == 0)
		skip();
	assert_non_null(cfg);
	strcpy(cfg->dut, "linux-fwd");
	assert_non_null(mkdtemp(dir));
	snprintf(errpath, sizeof(errpath), "%s.err", dir);
	fflush(stderr);
	saved = dup(2);
	f = freopen(errpath, "w", stderr);
	assert_non_null(f);
	rc = platform_xen_ops.create(cfg, dir, NULL, &p);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "r");
	assert_non_null(f);
	assert_true(fread(msg, 1, sizeof(msg) - 1, f) > 0);
	fclose(f);
	unlink(errpath);
	assert_int_equal(rc, -ENODEV);
	assert_null(p);
	assert_non_null(strstr(msg, "--platform local"));
	assert_non_null(strstr(msg, "/proc/xen does not exist"));
	assert_int_equal(entries(dir), 0); /* not even a log file */
	rmdir(dir);
	free(cfg);
}

static void test_cleanup_without_xen_is_a_no_op(void **state)
{
	if (access("/proc/xen", F_OK) == 0)
		skip();
	assert_int_equal(platform_xen_ops.cleanup_stale(), 0);
	assert_string_equal(platform_xen_ops.name, "xen");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_xen_creates_nothing),
	    cmocka_unit_test(test_cleanup_without_xen_is_a_no_op),
	};

	log_init("mir-perf");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
