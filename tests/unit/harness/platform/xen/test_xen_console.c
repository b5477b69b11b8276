/* xen_console_has_line: how the run knows that the DUT as the server
 * (server = dut) listens, from its saved console: the line found wherever it
 * is and however lines end (the pty is raw: \r\n), and otherwise the last
 * line the guest printed, for the message that says what it did instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/platform/xen/xen_console.h"

#define LISTENING "mir-perf iperf3: listening on TCP port 5201"

static int has(const char *text, char *last, size_t len)
{
	char path[] = "/tmp/mp-test-console.XXXXXX";
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	rc = xen_console_has_line(path, LISTENING, last, len);
	unlink(path);
	return rc;
}

static void test_found(void **state)
{
	char last[256];

	assert_int_equal(has("Solo5: booting\r\n" LISTENING "\r\n", last, sizeof(last)), 1);
	assert_string_equal(last, LISTENING);
	/* later lines: still found, the last one is the last */
	assert_int_equal(has(LISTENING "\r\nmir-perf iperf3: test 1 from 198.18.0.1:40000: TCP\r\n"
				       "\r\n  \r\n",
			     last, sizeof(last)),
			 1);
	assert_string_equal(last, "mir-perf iperf3: test 1 from 198.18.0.1:40000: TCP");
}

static void test_not_yet(void **state)
{
	char last[256];

	/* another port, a line cut short: not listening on ours */
	assert_int_equal(has("mir-perf iperf3: listening on TCP port 5202\n", last, sizeof(last)),
			 0);
	assert_int_equal(has("mir-perf iperf3: listening on TCP po", last, sizeof(last)), 0);
	assert_string_equal(last, "mir-perf iperf3: listening on TCP po");
	/* what it said instead, control characters shown as '?' */
	assert_int_equal(has("Solo5: booting\nFatal error: \x1b[31mexception Not_found\n", last,
			     sizeof(last)),
			 0);
	assert_string_equal(last, "Fatal error: ?[31mexception Not_found");
	assert_int_equal(has("", last, sizeof(last)), 0);
	assert_string_equal(last, "");
	assert_int_equal(xen_console_has_line("/nonexistent/console-dut.log", LISTENING, last,
					      sizeof(last)),
			 0);
	assert_string_equal(last, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_found),
	    cmocka_unit_test(test_not_yet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
