/* lib/thread: the worker's mask blocks every signal, the creator's mask is
 * left as it was, and errors come back as a negative errno. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>

#include "lib/thread.h"

static void *report_mask(void *arg)
{
	pthread_sigmask(SIG_SETMASK, NULL, (sigset_t *)arg);
	return NULL;
}

static void test_worker_blocks_signals(void **state)
{
	sigset_t worker, before, after;
	pthread_t t;

	sigemptyset(&before);
	sigaddset(&before, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &before, NULL);
	assert_int_equal(thread_start(&t, report_mask, &worker), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(sigismember(&worker, SIGINT));
	assert_true(sigismember(&worker, SIGTERM));
	assert_true(sigismember(&worker, SIGCHLD));
	pthread_sigmask(SIG_SETMASK, NULL, &after);
	assert_true(sigismember(&after, SIGUSR1));
	assert_false(sigismember(&after, SIGINT));
}

/* pthread_create through a --wrap seam: the real one, or a refusal. */
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
static int refuse_with;

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	return refuse_with ? refuse_with : __real_pthread_create(t, a, fn, arg);
}

static void test_error_is_negative_errno(void **state)
{
	sigset_t after;
	pthread_t t;

	pthread_sigmask(SIG_SETMASK, NULL, &after);
	sigemptyset(&after);
	pthread_sigmask(SIG_SETMASK, &after, NULL);
	refuse_with = EAGAIN;
	assert_int_equal(thread_start(&t, report_mask, NULL), -EAGAIN);
	refuse_with = 0;
	/* The creator's mask is restored on the error path too. */
	pthread_sigmask(SIG_SETMASK, NULL, &after);
	assert_false(sigismember(&after, SIGINT));
	assert_false(sigismember(&after, SIGTERM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worker_blocks_signals),
	    cmocka_unit_test(test_error_is_negative_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
