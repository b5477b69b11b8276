/* lib/path: paths never silently cut; mkdir -p. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/path.h"

static void test_fmt(void **state)
{
	char buf[8];

	assert_int_equal(path_fmt(buf, sizeof(buf), "/%s", "abcdef"), 0);
	assert_string_equal(buf, "/abcdef");
	assert_int_equal(path_fmt(buf, sizeof(buf), "/%s", "abcdefg"), -ENAMETOOLONG);
}

static void test_mkdir_p(void **state)
{
	char top[] = "/tmp/mp-t-path-XXXXXX", deep[128], file[128], cmd[160];
	struct stat st;

	assert_non_null(mkdtemp(top));
	snprintf(deep, sizeof(deep), "%s/a/b/c", top);
	assert_int_equal(path_mkdir_p(deep, 0750), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(path_mkdir_p(deep, 0750), 0); /* already there */
	snprintf(file, sizeof(file), "%s/f", top);
	fclose(fopen(file, "w"));
	snprintf(deep, sizeof(deep), "%s/f/x", top);
	assert_int_equal(path_mkdir_p(deep, 0750), -ENOTDIR);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fmt),
	    cmocka_unit_test(test_mkdir_p),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
