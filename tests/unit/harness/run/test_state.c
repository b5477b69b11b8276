/* The run state file: records written, parsed back, released, torn lines,
 * malformed files (the cleanup of killed runs: test_stale.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/run/state.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/mp-test-state-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	state_set_dir(dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static FILE *open_state(const char *id)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/run-%s.state", dir, id);
	return fopen(path, "r");
}

static void test_records_round_trip(void **state)
{
	struct run_state *st;
	struct state_file sf;
	char err[128];
	FILE *f;

	assert_int_equal(run_state_create("abc1", &st), 0);
	assert_string_equal(run_state_id(st), "abc1");
	assert_int_equal(run_state_add_netns(st, "mp-abc1"), 0);
	assert_int_equal(run_state_add_link(st, "mp-abc1", "if1"), 0);
	assert_int_equal(run_state_add_link(st, "", "weird"), 0);
	assert_int_equal(run_state_add_file(st, "/tmp/with space/and%percent"), 0);
	assert_int_equal(run_state_add_proc(st, getpid()), 0);
	assert_int_equal(run_state_add_file(st, "relative/path"), -EINVAL);
	assert_int_equal(run_state_live(st), 5);

	f = open_state("abc1");
	assert_non_null(f);
	assert_int_equal(state_parse(f, &sf, err, sizeof(err)), 0);
	fclose(f);
	assert_string_equal(sf.id, "abc1");
	assert_int_equal(sf.owner, getpid());
	assert_int_equal(sf.n, 5);
	assert_int_equal(sf.recs[0].kind, STATE_NETNS);
	assert_string_equal(sf.recs[0].name, "mp-abc1");
	assert_int_equal(sf.recs[1].kind, STATE_LINK);
	assert_string_equal(sf.recs[1].ifname, "if1");
	assert_string_equal(sf.recs[2].name, ""); /* root namespace */
	assert_string_equal(sf.recs[3].name, "/tmp/with space/and%percent");
	assert_int_equal(sf.recs[4].kind, STATE_PROC);
	assert_int_equal(sf.recs[4].pid, getpid());
	assert_true(sf.recs[4].starttime > 0);
	state_file_free(&sf);

	/* releasing: the file says so, and a clean close removes it */
	assert_int_equal(run_state_release_proc(st, getpid()), 0);
	assert_int_equal(run_state_release_links(st, "mp-abc1"), 0);
	assert_int_equal(run_state_live(st), 3);
	f = open_state("abc1");
	assert_int_equal(state_parse(f, &sf, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(sf.n, 3);
	assert_string_equal(sf.recs[0].name, "mp-abc1");
	assert_int_equal(sf.recs[1].kind, STATE_LINK);
	assert_string_equal(sf.recs[1].ifname, "weird");
	state_file_free(&sf);
	/* still live records: the file is kept for --cleanup */
	assert_int_equal(run_state_close(st), -EBUSY);
	f = open_state("abc1");
	assert_non_null(f);
	fclose(f);
}

static void test_close_removes_when_released(void **state)
{
	struct run_state *st, *again;

	assert_int_equal(run_state_create("abc2", &st), 0);
	assert_int_equal(run_state_create("abc2", &again), -EEXIST);
	assert_null(again);
	assert_int_equal(run_state_add_netns(st, "mp-abc2"), 0);
	assert_int_equal(run_state_release_netns(st, "mp-abc2"), 0);
	assert_int_equal(run_state_close(st), 0);
	assert_null(open_state("abc2"));
}

static int parse_text(const char *text, struct state_file *sf, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(f);
	rc = state_parse(f, sf, err, len);
	fclose(f);
	return rc;
}

static void test_torn_last_line_ignored(void **state)
{
	struct state_file sf;
	char err[128];

	assert_int_equal(parse_text("mir-perf-state 1\nrun x1 12 34\n+netns mp-x1\n+netns mp-x1-g",
				    &sf, err, sizeof(err)),
			 0);
	assert_int_equal(sf.n, 1);
	assert_string_equal(sf.recs[0].name, "mp-x1");
	state_file_free(&sf);
}

static void test_release_matches_last(void **state)
{
	struct state_file sf;
	char err[128];

	assert_int_equal(parse_text("mir-perf-state 1\nrun x1 12 34\n+proc 50 7\n+file /a\n"
				    "+proc 50 9\n-proc 50 0\n-file /nothing\n",
				    &sf, err, sizeof(err)),
			 0);
	assert_int_equal(sf.n, 2);
	assert_int_equal(sf.recs[0].pid, 50);
	assert_int_equal(sf.recs[0].starttime, 7);
	assert_string_equal(sf.recs[1].name, "/a");
	state_file_free(&sf);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
	    {"something else\n", "line 1: not a mir-perf state file"},
	    {"mir-perf-state 1\nrun BAD 1 2\n", "line 2: expected 'run ID PID STARTTIME'"},
	    {"mir-perf-state 1\nrun a 1 2\n+netns\n", "line 3: netns record needs 1 fields, has 0"},
	    {"mir-perf-state 1\nrun a 1 2\n+vm x\n", "line 3: unknown record 'vm'"},
	    {"mir-perf-state 1\nrun a 1 2\n+proc -4 1\n", "line 3: bad pid '-4'"},
	    {"mir-perf-state 1\nrun a 1 2\n+file rel\n", "line 3: file path 'rel' is not absolute"},
	    {"mir-perf-state 1\nrun a 1 2\n+file /a%2\n", "line 3: bad field '/a%2'"},
	    {"mir-perf-state 1\nrun a 1 2\n+file /a%00\n", "line 3: bad field '/a%00'"},
	    {"mir-perf-state 1\nrun a 1 2\nnetns x\n", "line 3: expected '+' or '-' record"},
	    {"mir-perf-state 1\n", "line 1: no header"},
	};
	struct state_file sf;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_text(bad[i].text, &sf, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].err);
		assert_null(sf.recs);
	}
}

static void test_run_id(void **state)
{
	struct run_state *st;

	assert_true(run_id_valid("a1b2"));
	assert_true(run_id_valid("123456789012345678901234"));
	assert_false(run_id_valid("1234567890123456789012345"));
	assert_false(run_id_valid(""));
	assert_false(run_id_valid("A1"));
	assert_false(run_id_valid("a-1"));
	assert_false(run_id_valid("../x"));
	assert_int_equal(run_state_create("../x", &st), -EINVAL);
	/* a random id is valid */
	assert_int_equal(run_state_create(NULL, &st), 0);
	assert_true(run_id_valid(run_state_id(st)));
	assert_int_equal(run_state_close(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_records_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close_removes_when_released, setup, teardown),
	    cmocka_unit_test(test_torn_last_line_ignored),
	    cmocka_unit_test(test_release_matches_last),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test_setup_teardown(test_run_id, setup, teardown),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
