/* lib/proc: a killed run's process is stopped only while its pid AND start
 * time match the record; a reused pid (another job) is never signalled. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "lib/proc.h"

/* A process group: a leader sleeping, with one member sleeping too. The
 * leader is our child; *member is its child. */
static pid_t spawn_group(pid_t *member)
{
	int pfd[2];
	pid_t leader;

	assert_int_equal(pipe(pfd), 0);
	leader = fork();
	assert_true(leader >= 0);
	if (leader == 0) {
		pid_t m;

		setpgid(0, 0);
		m = fork();
		if (m == 0) {
			execlp("sleep", "sleep", "30", (char *)NULL);
			_exit(127);
		}
		if (write(pfd[1], &m, sizeof(m)) != sizeof(m))
			_exit(1);
		execlp("sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	setpgid(leader, leader);
	assert_int_equal(read(pfd[0], member, sizeof(*member)), sizeof(*member));
	close(pfd[0]);
	close(pfd[1]);
	usleep(100000); /* both exec'd */
	return leader;
}

static int alive(pid_t pid)
{
	uint64_t st;

	return proc_stat(pid, &st, NULL) == 0;
}

static void test_stale_mismatch_untouched(void **state)
{
	pid_t leader, member;
	uint64_t st;
	int status;

	leader = spawn_group(&member);
	assert_int_equal(proc_stat(leader, &st, NULL), 0);
	/* the record says another start time: the pid was reused */
	assert_int_equal(proc_stop_stale(leader, st + 1, NSEC_PER_SEC / 2), 0);
	assert_true(alive(leader));
	assert_true(alive(member));
	/* the right record: leader and member are stopped */
	assert_int_equal(proc_stop_stale(leader, st, NSEC_PER_SEC), 0);
	waitpid(leader, &status, 0);
	assert_true(WIFSIGNALED(status));
	usleep(200000);
	assert_false(alive(member));
}

/* The leader gone, its group id may be anyone's: nothing is signalled. */
static void test_stale_leader_gone(void **state)
{
	pid_t leader, member;
	uint64_t st;
	int status;

	leader = spawn_group(&member);
	assert_int_equal(proc_stat(leader, &st, NULL), 0);
	kill(leader, SIGKILL);
	waitpid(leader, &status, 0);
	assert_int_equal(proc_stop_stale(leader, st, NSEC_PER_SEC / 2), 0);
	assert_true(alive(member));
	kill(member, SIGKILL);
}

/* A group whose leader sleeps and whose member spins: running (R), its CPU
 * time growing; the same group once the spinner is gone: the leader's S and
 * no CPU between two samples. */
static void test_group_cpu(void **state)
{
	uint64_t cpu0, cpu1, deadline;
	pid_t leader, spinner;
	char st;
	int status;

	(void)state;
	leader = spawn_group(&spinner); /* two sleeps; the spinner joins below */
	kill(spinner, SIGKILL);
	spinner = fork();
	assert_true(spinner >= 0);
	if (spinner == 0) {
		setpgid(0, leader);
		for (;;)
			;
	}
	setpgid(spinner, leader);
	assert_int_equal(proc_group_cpu(leader, &st, &cpu0), 0);
	/* at least one clock tick of CPU, however loaded the machine */
	deadline = mtime_now_ns() + 10 * NSEC_PER_SEC;
	do {
		usleep(50000);
		assert_int_equal(proc_group_cpu(leader, &st, &cpu1), 0);
	} while (cpu1 == cpu0 && mtime_now_ns() < deadline);
	assert_int_equal(st, 'R');
	assert_true(cpu1 > cpu0);
	kill(spinner, SIGKILL);
	waitpid(spinner, &status, 0);
	assert_int_equal(proc_group_cpu(leader, &st, &cpu0), 0);
	usleep(300000);
	assert_int_equal(proc_group_cpu(leader, &st, &cpu1), 0);
	assert_int_equal(st, 'S');
	assert_int_equal(cpu1, cpu0);
	kill(-leader, SIGKILL);
	waitpid(leader, &status, 0);
	assert_int_equal(proc_group_cpu(leader, &st, &cpu0), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stale_mismatch_untouched),
	    cmocka_unit_test(test_stale_leader_gone),
	    cmocka_unit_test(test_group_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
