/* The run state file: records written, parsed back, released, torn lines,
 * malformed files, and the stale-run cleanup walk. */
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

static char undone[16][64];
static unsigned n_undone;
static int undo_fail_kind = -1;

static int record_undo(const struct state_rec *r, void *arg)
{
	snprintf(undone[n_undone++ % 16], 64, "%d:%.50s", r->kind,
		 r->kind == STATE_PROC ? "proc" : r->name);
	return (int)r->kind == undo_fail_kind ? -EBUSY : 0;
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_cleanup_walk(void **state)
{
	struct run_state *mine;
	unsigned runs;
	char text[256];

	/* a dead owner (pid 0x7ffffff0 cannot exist), records undone last first */
	write_file("run-dead1.state",
		   "mir-perf-state 1\nrun dead1 2147483632 5\n+netns mp-dead1\n"
		   "+link mp-dead1 if1\n+proc 2147483632 5\n+file /x\n-file /x\n");
	/* a live owner (us) is never touched */
	assert_int_equal(run_state_create("live1", &mine), 0);
	assert_int_equal(run_state_add_netns(mine, "mp-live1"), 0);
	/* not a state file name */
	write_file("notes.txt", "mir-perf-state 1\nrun z 2147483632 5\n+netns mp-z\n");
	n_undone = 0;
	assert_int_equal(state_cleanup_stale(record_undo, NULL, &runs), 0);
	assert_int_equal(runs, 1);
	assert_int_equal(n_undone, 3);
	assert_string_equal(undone[0], "2:proc");
	assert_string_equal(undone[1], "1:mp-dead1");
	assert_string_equal(undone[2], "0:mp-dead1");
	assert_null(open_state("dead1"));

	/* an undo that fails keeps the file for the next try */
	snprintf(text, sizeof(text), "mir-perf-state 1\nrun dead2 2147483632 5\n+netns mp-dead2\n");
	write_file("run-dead2.state", text);
	undo_fail_kind = STATE_NETNS;
	assert_int_equal(state_cleanup_stale(record_undo, NULL, &runs), -EBUSY);
	assert_int_equal(runs, 0);
	undo_fail_kind = -1;
	assert_int_equal(state_cleanup_stale(record_undo, NULL, &runs), 0);
	assert_int_equal(runs, 1);
	/* a malformed file is left alone and reported */
	write_file("run-bad.state", "garbage\n");
	assert_int_equal(state_cleanup_stale(record_undo, NULL, &runs), -EINVAL);
	assert_int_equal(run_state_release_netns(mine, "mp-live1"), 0);
	assert_int_equal(run_state_close(mine), 0);
}

static void test_cleanup_by_platform(void **state)
{
	struct run_state *st;
	struct state_file sf;
	unsigned runs;
	char err[128];
	FILE *f;

	/* the tag is written and read back */
	assert_int_equal(run_state_create("tag1", &st), 0);
	assert_int_equal(run_state_set_platform(st, "local"), 0);
	assert_int_equal(run_state_set_platform(st, "Xen"), -EINVAL);
	assert_int_equal(run_state_set_platform(st, ""), -EINVAL);
	f = open_state("tag1");
	assert_int_equal(state_parse(f, &sf, err, sizeof(err)), 0);
	fclose(f);
	assert_string_equal(sf.platform, "local");
	state_file_free(&sf);
	assert_int_equal(run_state_close(st), 0);

	write_file("run-x1.state", "mir-perf-state 1\nrun x1 2147483632 5\nplatform xen\n"
				   "+domain mp-x1-dut\n");
	write_file("run-l1.state", "mir-perf-state 1\nrun l1 2147483632 5\nplatform local\n"
				   "+netns mp-l1\n");
	write_file("run-u1.state", "mir-perf-state 1\nrun u1 2147483632 5\n+file /tmp/u1\n");
	n_undone = 0;
	/* local: its own and the untagged run, never the Xen one */
	assert_int_equal(state_cleanup_stale_for("local", record_undo, NULL, &runs), 0);
	assert_int_equal(runs, 2);
	assert_int_equal(n_undone, 2);
	f = open_state("x1");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(state_cleanup_stale_for("xen", record_undo, NULL, &runs), 0);
	assert_int_equal(runs, 1);
	assert_string_equal(undone[2], "4:mp-x1-dut");
	assert_null(open_state("x1"));

	write_file("run-b1.state", "mir-perf-state 1\nrun b1 2147483632 5\nplatform Bad1\n");
	assert_int_equal(state_cleanup_stale(record_undo, NULL, &runs), -EINVAL);
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
	    cmocka_unit_test_setup_teardown(test_cleanup_walk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cleanup_by_platform, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_run_id, setup, teardown),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
