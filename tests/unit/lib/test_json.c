/* JSON writer output and the flat parser of the agent's control protocol. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>

#include "lib/json.h"

static void test_writer(void **state)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_init(&w, f, 0);
	json_obj_begin(&w);
	json_kv_str(&w, "name", "a\"b\\c\n");
	json_kv_u64(&w, "n", 18446744073709551615ULL);
	json_key(&w, "list");
	json_arr_begin(&w);
	json_double(&w, 1.5);
	json_double(&w, NAN);
	json_bool(&w, 1);
	json_arr_end(&w);
	json_key(&w, "empty");
	json_obj_begin(&w);
	json_obj_end(&w);
	json_obj_end(&w);
	fclose(f);
	assert_string_equal(buf, "{\"name\":\"a\\\"b\\\\c\\n\",\"n\":18446744073709551615,"
				 "\"list\":[1.5,null,true],\"empty\":{}}");
	free(buf);
}

static void test_parse_ok(void **state)
{
	char line[] = " {\"cmd\": \"tx\", \"rate\":250000,\"neg\":-1.5e3, \"on\":true,"
		      "\"s\":\"x\\\"y\\u0041\", \"z\":null} ";
	struct json_field f[8];
	int n = json_flat_parse(line, f, 8);

	assert_int_equal(n, 6);
	assert_string_equal(json_flat_get(f, n, "cmd")->val, "tx");
	assert_string_equal(json_flat_get(f, n, "rate")->val, "250000");
	assert_int_equal(json_flat_get(f, n, "rate")->type, JSON_T_NUMBER);
	assert_string_equal(json_flat_get(f, n, "neg")->val, "-1.5e3");
	assert_string_equal(json_flat_get(f, n, "on")->val, "true");
	assert_string_equal(json_flat_get(f, n, "s")->val, "x\"yA");
	assert_int_equal(json_flat_get(f, n, "z")->type, JSON_T_NULL);
	assert_null(json_flat_get(f, n, "nope"));
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = { "", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
					   "{\"a\":{}}", "{\"a\":1} x", "{\"a\":\"\\u0000\"}",
					   "{\"a\":\"unterminated}", "{a:1}", "{\"a\":tru}" };
	struct json_field f[4];
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i]);
		assert_true(json_flat_parse(buf, f, 4) < 0);
	}
	snprintf(buf, sizeof(buf), "{\"a\":1,\"b\":2,\"c\":3}");
	assert_int_equal(json_flat_parse(buf, f, 2), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
