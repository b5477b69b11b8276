/* lib/vec: capacities double from the first one, items survive growth, and a
 * refusal (overflow, no memory) leaves the array and its capacity as they were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "lib/vec.h"

static void test_grows_and_keeps(void **state)
{
	uint64_t *v = NULL;
	unsigned n, cap = 0;

	for (n = 0; n < 1000; n++) {
		assert_int_equal(VEC_ROOM(v, n, cap, 4), 0);
		assert_true(cap > n);
		v[n] = n * 7;
	}
	/* 4, 8, ..., 1024 */
	assert_int_equal(cap, 1024);
	for (n = 0; n < 1000; n++)
		assert_int_equal(v[n], n * 7);
	/* Room already there: nothing changes. */
	assert_int_equal(VEC_ROOM(v, 10, cap, 4), 0);
	assert_int_equal(cap, 1024);
	free(v);
}

static void test_overflow_refused(void **state)
{
	char *v = NULL;
	unsigned cap = UINT_MAX / 2 + 1;

	assert_int_equal(VEC_ROOM(v, cap, cap, 4), -EOVERFLOW);
	assert_int_equal(cap, UINT_MAX / 2 + 1);
	assert_null(v);
}

struct big {
	char b[1 << 20];
};

static void test_no_memory(void **state)
{
	struct big *v = NULL;
	unsigned cap = 0;

	/* 2^31 items of 1 MiB: more than any address space. */
	assert_int_equal(vec_room(&v, 0, &cap, sizeof(*v), 1u << 31), SIZE_MAX / sizeof(*v) < (1u << 31) ? -EOVERFLOW : -ENOMEM);
	assert_int_equal(cap, 0);
	assert_null(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grows_and_keeps),
	    cmocka_unit_test(test_overflow_refused),
	    cmocka_unit_test(test_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
