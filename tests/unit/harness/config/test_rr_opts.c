/* The rr mode's size list (Q and Q/R entries, file:line:col errors quoting
 * the token) and its plan (connections, then sizes, trials in a row). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/config/conf.h"
#include "harness/config/rangelist.h"
#include "harness/config/rr_opts.h"
#include "harness/config/rr_plan.h"

static void test_entries(void **state)
{
	struct run_list l;
	char err[256] = "";

	memset(&l, 0, sizeof(l));
	assert_int_equal(rr_sizes_parse("1 64/1024,\n# comment 5\n1048576/1\t64/1024 1", "x", &l,
					err, sizeof(err)),
			 0);
	assert_int_equal(l.n, 3); /* repeats dropped */
	assert_int_equal(rr_size_req(l.v[0]), 1);
	assert_int_equal(rr_size_resp(l.v[0]), 1);
	assert_int_equal(rr_size_req(l.v[1]), 64);
	assert_int_equal(rr_size_resp(l.v[1]), 1024);
	assert_int_equal(rr_size_req(l.v[2]), 1048576);
	assert_int_equal(rr_size_resp(l.v[2]), 1);
	assert_string_equal(l.origin, "x");
	rr_size_text(err, sizeof(err), l.v[0]);
	assert_string_equal(err, "1");
	rr_size_text(err, sizeof(err), l.v[1]);
	assert_string_equal(err, "64/1024");
	run_list_release(&l);
}

static void test_bad(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"0", "o:1:1: expected a request size Q or Q/R (response R) from 1 to 1048576 bytes "
		  "each, like 64 or 1/1024, got '0'"},
	    {"64\n  1048577", "o:2:3: expected a request size Q or Q/R (response R) from 1 to "
			      "1048576 bytes each, like 64 or 1/1024, got '1048577'"},
	    {"1 64/", "o:1:3: expected a request size Q or Q/R (response R) from 1 to 1048576 "
		      "bytes each, like 64 or 1/1024, got '64/'"},
	    {"1/2/3", "o:1:1: expected a request size Q or Q/R (response R) from 1 to 1048576 "
		      "bytes each, like 64 or 1/1024, got '1/2/3'"},
	    {"1k", "o:1:1: expected a request size Q or Q/R (response R) from 1 to 1048576 bytes "
		   "each, like 64 or 1/1024, got '1k'"},
	    {"# only a comment\n", "o: expected at least one size (Q or Q/R), got none"},
	};
	struct run_list l;
	char err[256];
	size_t i;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(rr_sizes_parse(cases[i].text, "o", &l, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].want);
		assert_int_equal(l.n, 0);
	}
	assert_int_equal(rr_sizes_parse_file("/nonexistent/range-rrsz", &l, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "/nonexistent/range-rrsz: cannot read it: No such file or directory");
}

static void test_plan(void **state)
{
	struct run_cfg cfg;
	struct rr_point *p = NULL;
	char err[256], text[64];
	unsigned n;

	conf_defaults(&cfg);
	memset(&cfg.rrsz, 0, sizeof(cfg.rrsz));
	assert_int_equal(rr_sizes_parse("1 64/1024", "o", &cfg.rrsz, err, sizeof(err)), 0);
	cfg.streams[0] = 1;
	cfg.streams[1] = 4;
	cfg.nstreams = 2;
	cfg.trials = 2;
	assert_int_equal(rr_plan_points(&cfg), 4);
	assert_int_equal(rr_plan(&cfg, &p, &n), 0);
	assert_int_equal(n, 8);
	/* connections outside, then sizes, each point's trials in a row */
	assert_int_equal(p[0].conns, 1);
	assert_int_equal(p[0].req, 1);
	assert_int_equal(p[1].trial, 2);
	assert_int_equal(p[2].req, 64);
	assert_int_equal(p[2].resp, 1024);
	assert_int_equal(p[4].conns, 4);
	assert_int_equal(p[7].req, 64);
	assert_int_equal(p[7].trial, 2);
	rr_point_text(text, sizeof(text), &p[0]);
	assert_string_equal(text, "1 B  1 conn");
	rr_point_text(text, sizeof(text), &p[7]);
	assert_string_equal(text, "64/1024 B  4 conns");
	/* 8 points of warm-up 2 s + 10 s, 7 gaps of 1 s */
	assert_true(rr_estimate_ns(&cfg) == 8ULL * 12000000000ULL + 7000000000ULL);
	free(p);
	run_list_release(&cfg.rrsz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entries),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
