/* The one cleanup policy for killed runs (harness/run/stale.c): the walk over
 * state files (live owners, other platforms, malformed files left alone),
 * records undone last first, and the checks every record kind shares: a
 * hostile record of each kind (a name outside mp-<run id>, a root-namespace
 * link the platform does not make, a relative path or one with '..', a pid
 * now used by another process) is refused and reported, a good one removed.
 * Stand-ins (--wrap): the process table (proc_stat, proc_stop_stale), the
 * namespaces and rtnetlink (netns_exists, nlh_*), and log_err/log_warn, whose
 * lines are kept to check what was reported. Files are real, in a temporary
 * state directory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/run/stale.h"
#include "lib/nl.h"

#define DEAD_OWNER "2147483632 5" /* pid 0x7ffffff0 cannot exist */
#define FAKE_PID   424242	  /* the process table below knows it */

static char dir[64];
static char actions[4096]; /* what cleanup did, in order: "proc 424242;link mp-a/if1;" */
static char reported[8192];
static uint64_t fake_start; /* FAKE_PID's start time now; 0: no such process */
static int undo_fail_kind = -1;

int __real_proc_stat(pid_t pid, uint64_t *starttime, pid_t *pgrp);
int __wrap_proc_stat(pid_t pid, uint64_t *starttime, pid_t *pgrp);
int __wrap_proc_stop_stale(pid_t pid, uint64_t starttime, uint64_t grace_ns);
int __wrap_netns_exists(const char *name);
int __wrap_nlh_open(const char *netns, struct nlh **out);
int __wrap_nlh_link_del(struct nlh *h, const char *name);
void __wrap_nlh_close(struct nlh *h);
const char *__wrap_nlh_error(const struct nlh *h);
void __wrap_log_err(const char *fmt, ...);
void __wrap_log_warn(const char *fmt, ...);

int __wrap_proc_stat(pid_t pid, uint64_t *starttime, pid_t *pgrp)
{
	if (pid != FAKE_PID)
		return __real_proc_stat(pid, starttime, pgrp);
	if (!fake_start)
		return -ENOENT;
	*starttime = fake_start;
	if (pgrp)
		*pgrp = pid;
	return 0;
}

static void act(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void act(const char *fmt, ...)
{
	size_t n = strlen(actions);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(actions + n, sizeof(actions) - n, fmt, ap);
	va_end(ap);
}

int __wrap_proc_stop_stale(pid_t pid, uint64_t starttime, uint64_t grace_ns)
{
	(void)grace_ns;
	act("proc %d@%llu;", (int)pid, (unsigned long long)starttime);
	return 0;
}

int __wrap_netns_exists(const char *name)
{
	return strcmp(name, "mp-dead1-srv") != 0; /* the one gone already */
}

static char open_ns[64];
static int fake_handle;

int __wrap_nlh_open(const char *netns, struct nlh **out)
{
	snprintf(open_ns, sizeof(open_ns), "%s", netns ? netns : "(root)");
	*out = (struct nlh *)&fake_handle;
	return 0;
}

int __wrap_nlh_link_del(struct nlh *h, const char *name)
{
	assert_ptr_equal(h, &fake_handle);
	act("link %s/%s;", open_ns, name);
	return 0;
}

void __wrap_nlh_close(struct nlh *h)
{
	(void)h;
}

const char *__wrap_nlh_error(const struct nlh *h)
{
	(void)h;
	return "";
}

static void report(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static void report(const char *fmt, va_list ap)
{
	size_t n = strlen(reported);

	vsnprintf(reported + n, sizeof(reported) - n, fmt, ap);
	n = strlen(reported);
	snprintf(reported + n, sizeof(reported) - n, "\n");
}

void __wrap_log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
}

void __wrap_log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
}

/* The platforms' own kinds: recorded, failing on demand. */
static int record_undo(const struct state_rec *r, void *arg)
{
	act("%s %s;", (const char *)arg, r->name);
	return (int)r->kind == undo_fail_kind ? -EBUSY : 0;
}

static const struct stale_kind netns_kind[] = {{STATE_NETNS, record_undo}};
static const struct stale_kind domain_kind[] = {{STATE_DOMAIN, record_undo}};
static const char *const xen_links[] = {"if1", "if2", "mp-ctl", NULL};
static const struct stale_platform local = {
    .name = "local", .kinds = netns_kind, .nkinds = 1, .arg = "netns"};
static const struct stale_platform xen = {
    .name = "xen", .kinds = domain_kind, .nkinds = 1, .root_links = xen_links, .arg = "domain"};

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/mp-test-stale-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	state_set_dir(dir);
	actions[0] = reported[0] = '\0';
	fake_start = 0;
	undo_fail_kind = -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void write_file(const char *name, const char *fmt, ...)
{
	char path[128];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static int exists(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void test_walk_good_records(void **state)
{
	struct run_state *mine;
	char path[128];
	unsigned runs;

	/* a good record of every kind, undone last first; the files are real */
	write_file("dead1-token", "x");
	snprintf(path, sizeof(path), "%s/dead1-dir", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	fake_start = 77;
	write_file(
	    "run-dead1.state",
	    "mir-perf-state 1\nrun dead1 " DEAD_OWNER "\nplatform local\n"
	    "+file %s/dead1-dir\n+netns mp-dead1\n+netns mp-dead1-gen\n"
	    "+link mp-dead1-gen eth0\n+link mp-dead1-srv eth1\n+proc %d 77\n+file %s/dead1-token\n"
	    "+file /x\n-file /x\n",
	    dir, FAKE_PID, dir);
	/* a live owner (us) is never touched */
	assert_int_equal(run_state_create("live1", &mine), 0);
	assert_int_equal(run_state_add_netns(mine, "mp-live1"), 0);
	/* not a state file name */
	write_file("notes.txt", "mir-perf-state 1\nrun z " DEAD_OWNER "\n+netns mp-z\n");

	if (stale_cleanup(&local, &runs))
		fail_msg("cleanup failed: %s (did: %s)", reported, actions);
	assert_int_equal(runs, 1);
	/* the link in a namespace that is gone went with it: not asked for */
	assert_string_equal(actions, "proc 424242@77;link mp-dead1-gen/eth0;netns mp-dead1-gen;"
				     "netns mp-dead1;");
	assert_false(exists("dead1-token"));
	assert_false(exists("dead1-dir"));
	assert_false(exists("run-dead1.state"));
	assert_true(exists("run-live1.state"));
	assert_true(exists("notes.txt"));
	assert_string_equal(reported, "");

	/* an undo that fails keeps the file for the next try */
	write_file("run-dead2.state",
		   "mir-perf-state 1\nrun dead2 " DEAD_OWNER "\n+netns mp-dead2\n");
	undo_fail_kind = STATE_NETNS;
	assert_int_equal(stale_cleanup(&local, &runs), -EBUSY);
	assert_int_equal(runs, 0);
	assert_true(exists("run-dead2.state"));
	undo_fail_kind = -1;
	assert_int_equal(stale_cleanup(&local, &runs), 0);
	assert_int_equal(runs, 1);
	assert_false(exists("run-dead2.state"));

	/* a malformed file is left alone and reported */
	write_file("run-bad.state", "garbage\n");
	assert_int_equal(stale_cleanup(&local, &runs), -EINVAL);
	assert_true(exists("run-bad.state"));
	assert_non_null(
	    strstr(reported, "run-bad.state: line 1: not a mir-perf state file: left alone"));
	assert_int_equal(run_state_release_netns(mine, "mp-live1"), 0);
	assert_int_equal(run_state_close(mine), 0);
}

static void test_walk_by_platform(void **state)
{
	unsigned runs;

	write_file("run-x1.state", "mir-perf-state 1\nrun x1 " DEAD_OWNER "\nplatform xen\n"
				   "+link - if1\n+domain mp-x1-dut\n");
	write_file("run-l1.state", "mir-perf-state 1\nrun l1 " DEAD_OWNER "\nplatform local\n"
				   "+netns mp-l1\n");
	write_file("run-u1.state", "mir-perf-state 1\nrun u1 " DEAD_OWNER "\n+netns mp-u1\n");
	/* local: its own and the untagged run, never the Xen one */
	assert_int_equal(stale_cleanup(&local, &runs), 0);
	assert_int_equal(runs, 2);
	assert_null(strstr(actions, "x1"));
	assert_true(exists("run-x1.state"));
	/* xen: its domain, and its bridge in the root namespace */
	actions[0] = '\0';
	assert_int_equal(stale_cleanup(&xen, &runs), 0);
	assert_int_equal(runs, 1);
	assert_string_equal(actions, "domain mp-x1-dut;link (root)/if1;");
	assert_false(exists("run-x1.state"));

	/* a record of another platform's kind in an untagged file: left for it */
	write_file("run-u2.state", "mir-perf-state 1\nrun u2 " DEAD_OWNER "\n+domain mp-u2-dut\n");
	actions[0] = '\0';
	assert_int_equal(stale_cleanup(&local, &runs), -EBUSY);
	assert_string_equal(actions, "");
	assert_non_null(strstr(reported, "run u2: a domain record ('mp-u2-dut') is for another "
					 "platform than local; left for it"));
	assert_int_equal(stale_cleanup(&xen, &runs), 0);
	assert_string_equal(actions, "domain mp-u2-dut;");
}

/* One hostile record in a state file of run h1: refused (nothing done, the
 * file kept, -EBUSY), and reported with the run and what was wrong. */
static void refused(const struct stale_platform *pf, const char *rec, const char *says)
{
	unsigned runs;

	actions[0] = reported[0] = '\0';
	write_file("run-h1.state", "mir-perf-state 1\nrun h1 " DEAD_OWNER "\n%s\n", rec);
	assert_int_equal(stale_cleanup(pf, &runs), -EBUSY);
	assert_int_equal(runs, 0);
	assert_string_equal(actions, "");
	assert_true(exists("run-h1.state"));
	if (!strstr(reported, says))
		fail_msg("'%s': reported '%s', expected '%s'", rec, reported, says);
}

static void test_hostile_records(void **state)
{
	char rec[256];
	unsigned runs;

	/* names outside the run's mp-<id> */
	refused(&local, "+netns mp-other", "run h1: namespace 'mp-other' is not named mp-<run id>");
	refused(&local, "+netns mp-h1x", "namespace 'mp-h1x' is not named");
	refused(&local, "+netns mp-h1-", "namespace 'mp-h1-' is not named");
	refused(&local, "+netns h1", "namespace 'h1' is not named");
	/* a name with a control character is quoted, never printed raw */
	refused(&local, "+netns mp-h1%0a%1b[2J", "namespace 'mp-h1\\x0a\\x1b[2J' is not named");
	refused(&xen, "+domain mp-other-dut", "run h1: domain 'mp-other-dut' is not named");
	refused(&xen, "+domain Domain-0", "domain 'Domain-0' is not named");
	refused(&local, "+link mp-other-gen eth0",
		"run h1: link 'eth0' in namespace 'mp-other-gen' is in a namespace not named");
	/* the root namespace: only the links the platform makes there */
	refused(&local, "+link - if1", "link 'if1' in namespace '(root)' is in the root namespace");
	refused(&xen, "+link - eth0", "link 'eth0' in namespace '(root)' is in the root namespace");
	/* files: a path with '..' (a relative one cannot even be parsed back) */
	write_file("victim", "keep");
	snprintf(rec, sizeof(rec), "+file %s/sub/../victim", dir);
	refused(&local, rec, "is not an absolute path without '.' or '..' components");
	snprintf(rec, sizeof(rec), "+file %s/./victim", dir);
	refused(&local, rec, "is not an absolute path without '.' or '..' components");
	assert_true(exists("victim"));
	/* a process that is not one a run starts */
	refused(&local, "+proc 1 5", "run h1: process 1 is not a process a run starts");

	/* a pid now used by another process: never signalled, reported; the run's
	 * own process is gone, so nothing of the run is left */
	fake_start = 999;
	actions[0] = reported[0] = '\0';
	write_file("run-h2.state", "mir-perf-state 1\nrun h2 " DEAD_OWNER "\n+proc %d 77\n",
		   FAKE_PID);
	assert_int_equal(stale_cleanup(&local, &runs), -EBUSY); /* h1 still refused */
	assert_int_equal(runs, 1);
	assert_string_equal(actions, "");
	assert_non_null(strstr(reported, "run h2: pid 424242 is now another process (start time "
					 "999, the run's was 77); left alone"));
	assert_false(exists("run-h2.state"));
}

static void test_rec_check(void **state)
{
	struct state_rec r = {.kind = STATE_NETNS};

	(void)state;
	snprintf(r.name, sizeof(r.name), "mp-ab1");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), 0);
	snprintf(r.name, sizeof(r.name), "mp-ab1-srv");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), 0);
	assert_int_equal(stale_rec_check(&r, "ab", &local), -EPERM);
	snprintf(r.name, sizeof(r.name), "mp-ab1-../x");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), -EPERM);
	r.kind = STATE_FILE;
	snprintf(r.name, sizeof(r.name), "relative/path");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), -EPERM);
	snprintf(r.name, sizeof(r.name), "/run//x");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), -EPERM);
	snprintf(r.name, sizeof(r.name), "/run/mir-perf/run-ab1/..");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), -EPERM);
	snprintf(r.name, sizeof(r.name), "/run/mir-perf/run-ab1/agent..sock");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), 0);
	r.kind = STATE_LINK;
	snprintf(r.name, sizeof(r.name), "mp-ab1-gen");
	snprintf(r.ifname, sizeof(r.ifname), "a/b");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), -EPERM);
	snprintf(r.ifname, sizeof(r.ifname), "mp-ctl");
	assert_int_equal(stale_rec_check(&r, "ab1", &local), 0);
	r.name[0] = '\0';
	assert_int_equal(stale_rec_check(&r, "ab1", &local), -EPERM);
	assert_int_equal(stale_rec_check(&r, "ab1", &xen), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_walk_good_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_by_platform, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hostile_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rec_check, setup, teardown),
	};

	return cmocka_run_group_tests_name("stale", tests, NULL, NULL);
}
