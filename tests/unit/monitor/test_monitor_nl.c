/* The rtnetlink counter reader against the kernel, in the test's own
 * namespace (no root needed): lo's counters, a vanished index, an index that
 * now names another interface, and the kernel's extended-ack text. The reader
 * is included whole so a malformed request can be sent on its socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "monitor/nlstats.c"
#include "lib/mtime.h"

void __wrap_log_warn(const char *fmt, ...);

static char warned[512];

void __wrap_log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(warned, sizeof(warned), fmt, ap);
	va_end(ap);
}

static void test_lo(void **state)
{
	struct mon_counters c1, c2;
	struct mon_nl *s = NULL;
	uint64_t t0, t, t1;
	int lo;

	assert_int_equal(mon_nl_open(NULL, &s), 0);
	lo = mon_nl_ifindex(s, "lo");
	assert_true(lo > 0);
	assert_int_equal(mon_nl_read(s, lo, "lo", &c1, NULL), 0);
	t0 = mtime_now_ns();
	assert_int_equal(mon_nl_read(s, lo, "lo", &c2, &t), 0);
	t1 = mtime_now_ns();
	assert_true(t > t0 && t < t1);
	assert_true(c2.rx_packets >= c1.rx_packets);
	/* lo counts what it sends as received too. */
	assert_true(c1.rx_packets == c1.tx_packets || c2.rx_packets >= c1.tx_packets);
	assert_int_equal(mon_nl_ifindex(s, "mp-no-such-if"), -ENODEV);
	assert_int_equal(mon_nl_read(s, 0x7ffffff0, "lo", &c1, NULL), -ENODEV);
	/* The index now naming another interface is not the one measured. */
	assert_int_equal(mon_nl_read(s, lo, "lo-renamed", &c1, NULL), -ENODEV);
	mon_nl_close(s);
}

static void test_missing_namespace(void **state)
{
	struct mon_nl *s = NULL;

	assert_int_equal(mon_nl_open("mp-t-no-such-namespace", &s), -ENOENT);
	assert_null(s);
}

/* The kernel's extended-ack text reaches the reader through lib/nlsock; a
 * missing link is an answer, not a warning. */
static void test_ext_ack_text(void **state)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = 1, .ifi_flags = 1};
	struct link_reply r;
	struct mon_nl *s = NULL;
	struct nl_msg *msg;
	char err[256];
	int one = 1;

	assert_int_equal(mon_nl_open(NULL, &s), 0);
	warned[0] = '\0';
	assert_int_equal(mon_nl_ifindex(s, "mp-no-such-if"), -ENODEV);
	assert_string_equal(warned, "");
	/* Strict checking makes the kernel refuse header flags in a get, with a message. */
	assert_int_equal(setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_GET_STRICT_CHK,
				    &one, sizeof(one)),
			 0);
	msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
	assert_non_null(msg);
	assert_int_equal(nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(nlsock_request(s->sk, msg, link_reply_parse, &r, err, sizeof(err)), -EINVAL);
	nlmsg_free(msg);
	assert_true(strlen(err) > 5);
	assert_int_equal(r.ifindex, 0);
	mon_nl_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lo),
	    cmocka_unit_test(test_missing_namespace),
	    cmocka_unit_test(test_ext_ack_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
