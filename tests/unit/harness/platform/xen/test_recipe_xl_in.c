/* recipe_parse_xl_in: which netif opens which devid, read from the
 * @NETWORK:N@ names of mirage's generated .xl.in, never from the list's
 * order. The first case reads the .xl.in that mirage 4.9.0 really generated
 * for recipes/mirage-net-xen (tests/golden/mirage/forward.xl.in), whose vif
 * list is in reverse order: the position-based parse this replaces gave
 * devid 0 the output role there. The iperf3 server (server = dut) names
 * devid 0 alone, which the forwarder's parse must refuse, and the other way
 * round. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/platform/xen/recipe.h"

static void real_path(char *out, size_t len)
{
	const char *top = getenv("MP_TOP");

	snprintf(out, len, "%s/tests/golden/mirage/forward.xl.in", top ? top : ".");
}

/* mirage 4.9.0's own output: reverse list order, devids from the names. */
static void test_real_mirage_49(void **state)
{
	char path[PATH_MAX], netif[2][32], line[512];
	int seen_reverse = 0;
	FILE *f;

	real_path(path, sizeof(path));
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *one = strstr(line, "@NETWORK:1@"), *zero = strstr(line, "@NETWORK:0@");

		if (!strncmp(line, "vif", 3) && one && zero && one < zero)
			seen_reverse = 1;
	}
	fclose(f);
	/* the fixture is the case that matters: networks listed 1 then 0 */
	assert_true(seen_reverse);
	assert_int_equal(recipe_parse_xl_in(path, RECIPE_FORWARDER, netif), 0);
	assert_string_equal(netif[0], "0");
	assert_string_equal(netif[1], "1");
}

static int parse_as(const char *text, enum recipe_unikernel u, char netif[2][32])
{
	char path[] = "/tmp/mp-test-xl-in.XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	rc = recipe_parse_xl_in(path, u, netif);
	unlink(path);
	return rc;
}

static int parse_text(const char *text, char netif[2][32])
{
	return parse_as(text, RECIPE_FORWARDER, netif);
}

static void test_either_order(void **state)
{
	char netif[2][32];

	assert_int_equal(parse_text("name = '@NAME@'\nvif = [ 'bridge=@NETWORK:0@', "
				    "'bridge=@NETWORK:1@' ]\n",
				    netif),
			 0);
	assert_string_equal(netif[0], "0");
	assert_string_equal(netif[1], "1");
	assert_int_equal(parse_text("vif = [ 'bridge=@NETWORK:1@', 'bridge=@NETWORK:0@' ]\n", netif),
			 0);
	assert_string_equal(netif[0], "0");
	assert_string_equal(netif[1], "1");
}

static void test_refused(void **state)
{
	char netif[2][32];

	/* a name that is no devid of ours, a devid twice, one, three, none */
	assert_int_equal(parse_text("vif = [ 'bridge=@NETWORK:in@', 'bridge=@NETWORK:1@' ]\n", netif),
			 -EINVAL);
	assert_int_equal(parse_text("vif = [ 'bridge=@NETWORK:0@', 'bridge=@NETWORK:0@' ]\n", netif),
			 -EINVAL);
	assert_int_equal(parse_text("vif = [ 'bridge=@NETWORK:0@' ]\n", netif), -EINVAL);
	assert_int_equal(parse_text("vif = [ 'bridge=@NETWORK:0@', 'bridge=@NETWORK:1@', "
				    "'bridge=@NETWORK:2@' ]\n",
				    netif),
			 -EINVAL);
	assert_int_equal(parse_text("vif = [ 'bridge=@NETWORK:10@', 'bridge=@NETWORK:1@' ]\n", netif),
			 -EINVAL);
	assert_int_equal(parse_text("name = 'x'\n", netif), -EINVAL);
	assert_int_equal(recipe_parse_xl_in("/nonexistent/forward.xl.in", RECIPE_FORWARDER, netif),
			 -ENOENT);
}

/* The iperf3 server's .xl.in as mirage generates it for one network. */
#define IPERF3_XL_IN "name = '@NAME@'\nkernel = '@KERNEL@'\nvif = [ 'bridge=@NETWORK:0@' ]\n"

static void test_iperf3_one_vif(void **state)
{
	char netif[2][32];

	strcpy(netif[1], "stale");
	assert_int_equal(parse_as(IPERF3_XL_IN, RECIPE_IPERF3, netif), 0);
	assert_string_equal(netif[0], "0");
	assert_string_equal(netif[1], "");
	/* the forwarder's parse refuses it: a forwarder with one vif forwards nowhere */
	assert_int_equal(parse_as(IPERF3_XL_IN, RECIPE_FORWARDER, netif), -EINVAL);
}

static void test_iperf3_refused(void **state)
{
	char netif[2][32], path[PATH_MAX];

	/* the forwarder's two networks, devid 1 alone, devid 0 twice, none */
	assert_int_equal(parse_as("vif = [ 'bridge=@NETWORK:0@', 'bridge=@NETWORK:1@' ]\n",
				  RECIPE_IPERF3, netif),
			 -EINVAL);
	assert_int_equal(parse_as("vif = [ 'bridge=@NETWORK:1@' ]\n", RECIPE_IPERF3, netif),
			 -EINVAL);
	assert_int_equal(parse_as("vif = [ 'bridge=@NETWORK:0@', 'bridge=@NETWORK:0@' ]\n",
				  RECIPE_IPERF3, netif),
			 -EINVAL);
	assert_int_equal(parse_as("name = 'x'\n", RECIPE_IPERF3, netif), -EINVAL);
	/* mirage 4.9's real forwarder template, read as the iperf3 server's */
	real_path(path, sizeof(path));
	assert_int_equal(recipe_parse_xl_in(path, RECIPE_IPERF3, netif), -EINVAL);
	/* no such unikernel */
	assert_int_equal(parse_as(IPERF3_XL_IN, (enum recipe_unikernel)7, netif), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_mirage_49),
	    cmocka_unit_test(test_either_order),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_iperf3_one_vif),
	    cmocka_unit_test(test_iperf3_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
