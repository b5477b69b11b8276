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

static void test_tree(void **state)
{
	char text[] = " {\"a\": {\"b\": [1, 2.5e3, -3], \"s\": \"x\\ty\", \"t\": true},"
		      " \"n\": null, \"e\": {}, \"z\": []} ";
	const struct json_val *b, *c;
	struct json_val *root = NULL;
	char err[128];
	double d = 0;

	assert_int_equal(json_tree_parse(text, &root, err, sizeof(err)), 0);
	assert_int_equal(root->kind, JSON_K_OBJ);
	assert_int_equal(root->n, 4);
	b = json_path(root, "a.b");
	assert_non_null(b);
	assert_int_equal(b->kind, JSON_K_ARR);
	assert_int_equal(b->n, 3);
	c = b->child->next;
	assert_true(c->num == 2500.0);
	assert_true(c->next->num == -3.0);
	assert_null(c->next->next);
	assert_string_equal(json_path(root, "a.s")->str, "x\ty");
	assert_int_equal(json_path(root, "a.t")->kind, JSON_K_BOOL);
	assert_true(json_path(root, "a.t")->num == 1.0);
	assert_int_equal(json_member(root, "n")->kind, JSON_K_NULL);
	assert_int_equal(json_member(root, "e")->n, 0);
	assert_int_equal(json_member(root, "z")->kind, JSON_K_ARR);
	assert_int_equal(json_path_num(root, "a.b", &d), -EINVAL);
	assert_int_equal(json_path_num(root, "a.q", &d), -ENOENT);
	assert_null(json_path(root, "a.s.deeper"));
	json_tree_free(root);
}

static void tree_bad(const char *doc, const char *msg)
{
	char text[256], err[128];
	struct json_val *root = (struct json_val *)1;

	snprintf(text, sizeof(text), "%s", doc);
	assert_int_equal(json_tree_parse(text, &root, err, sizeof(err)), -EINVAL);
	assert_null(root);
	assert_string_equal(err, msg);
}

static void test_tree_bad(void **state)
{
	char deep[200];

	tree_bad("{\"a\" 1}", "offset 5: expected ':' after a member name");
	tree_bad("[1, 2", "offset 5: expected ',' or ']'");
	tree_bad("{\"a\": 1,}", "offset 8: expected a member name in double quotes");
	tree_bad("{} x", "offset 3: expected the end of the document");
	tree_bad("[nan]", "offset 1: expected true, false or null");
	tree_bad("[inf]", "offset 1: expected a value");
	tree_bad("[-inf]", "offset 1: expected a value");
	tree_bad("[0x10]", "offset 1: expected a value");
	tree_bad("", "offset 0: expected a value");
	memset(deep, '[', 70);
	deep[70] = '\0';
	tree_bad(deep, "offset 65: expected at most 64 levels of nesting");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_tree_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
