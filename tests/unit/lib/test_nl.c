/* lib/nl.c against the real kernel, inside two namespaces of its own
 * (mp-t<pid>a, mp-t<pid>b); skipped when not root. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <cmocka.h>

#include "lib/nl.h"
#include "lib/netns.h"

static char ns_a[32], ns_b[32];
static struct nlh *ha, *hb;
static int fd_b = -1;

static int setup(void **state)
{
	if (geteuid() != 0)
		return 0;
	snprintf(ns_a, sizeof(ns_a), "mp-t%dnla", (int)getpid());
	snprintf(ns_b, sizeof(ns_b), "mp-t%dnlb", (int)getpid());
	if (netns_create(ns_a) || netns_create(ns_b))
		return -1;
	fd_b = netns_open(ns_b);
	if (fd_b < 0 || nlh_open(ns_a, &ha) || nlh_open(ns_b, &hb))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	if (geteuid() != 0)
		return 0;
	nlh_close(ha);
	nlh_close(hb);
	if (fd_b >= 0)
		close(fd_b);
	netns_delete(ns_a);
	netns_delete(ns_b);
	return 0;
}

#define NEED_ROOT()                                                                                \
	do {                                                                                       \
		if (geteuid() != 0)                                                                \
			skip();                                                                    \
	} while (0)

/* What iproute2 says of a link (`ip -d`): the details rtnetlink's own
 * reading here does not parse (queues, a tun device's owner). */
static const char *ip_details(const char *ns, const char *dev, char *buf, size_t len)
{
	char cmd[128];
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip -n %s -d link show %s 2>&1", ns, dev);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(buf, 1, len - 1, p);
	buf[n] = '\0';
	pclose(p);
	return buf;
}

static void test_bridge_veth_tap(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x6d, 0x70, 0, 0, 0x99};
	struct nlh_link l, br;
	char text[4096];

	NEED_ROOT();
	assert_string_equal(nlh_netns(ha), ns_a);
	assert_int_equal(nlh_bridge_add(ha, "br9", mac), 0);
	assert_int_equal(nlh_link_get(ha, "br9", &br), 0);
	assert_string_equal(br.kind, "bridge");
	assert_memory_equal(br.mac, mac, 6);
	assert_int_equal(nlh_bridge_add(ha, "br9", NULL), -EEXIST);

	/* veth: one end here, the peer straight into the other namespace */
	assert_int_equal(nlh_veth_add(ha, "v0", NULL, "v1", fd_b, mac), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_string_equal(l.kind, "veth");
	assert_int_equal(nlh_link_get(ha, "v1", &l), -ENODEV);
	assert_int_equal(nlh_link_get(hb, "v1", &l), 0);
	assert_memory_equal(l.mac, mac, 6);

	assert_int_equal(nlh_link_set_master(ha, "v0", "br9"), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_int_equal(l.master, br.ifindex);
	assert_int_equal(nlh_link_set_master(ha, "v0", NULL), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_int_equal(l.master, 0);

	assert_int_equal(nlh_link_set_up(ha, "v0", 1), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_true(l.flags & IFF_UP);
	assert_int_equal(nlh_link_set_up(ha, "v0", 0), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_false(l.flags & IFF_UP);

	/* TAP: persistent, with no carrier until a program attaches */
	assert_int_equal(nlh_tap_add(ha, "tp0", mac), 0);
	assert_int_equal(nlh_link_get(ha, "tp0", &l), 0);
	assert_string_equal(l.kind, "tun");
	assert_memory_equal(l.mac, mac, 6);
	assert_int_equal(nlh_link_set_up(ha, "tp0", 1), 0);
	assert_int_equal(nlh_link_get(ha, "tp0", &l), 0);
	assert_int_equal(l.carrier, 0);
	/* given to a user, who may then attach without privilege */
	assert_int_equal(nlh_tap_set_owner(ha, "tp0", 65534, 65533), 0);
	ip_details(ns_a, "tp0", text, sizeof(text));
	if (!strstr(text, " user ") || !strstr(text, " group "))
		fail_msg("tp0 has no owner: %s", text);
	assert_int_equal(nlh_tap_set_owner(ha, "a/b", 65534, 65534), -EINVAL);
	assert_int_equal(nlh_link_del(ha, "tp0"), 0);
	assert_int_equal(nlh_link_get(ha, "tp0", &l), -ENODEV);
}

static void test_mtu_and_kernel_text(void **state)
{
	struct nlh_link l;

	NEED_ROOT();
	assert_int_equal(nlh_link_set_mtu(ha, "v0", 9000), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_int_equal(l.mtu, 9000);
	assert_true(l.max_mtu >= 9000);
	/* beyond the maximum: the kernel's own words come back */
	assert_int_equal(nlh_link_set_mtu(ha, "v0", l.max_mtu + 1), -EINVAL);
	assert_non_null(strstr(nlh_error(ha), "mtu"));
	assert_int_equal(nlh_link_get(ha, "v0", &l), 0);
	assert_int_equal(l.mtu, 9000);
	/* a successful call clears the text */
	assert_int_equal(nlh_link_set_mtu(ha, "v0", 1500), 0);
	assert_string_equal(nlh_error(ha), "");
}

static void test_rename_move_addr(void **state)
{
	struct nlh_link l;

	NEED_ROOT();
	assert_int_equal(nlh_link_rename(ha, "v0", "v0new"), 0);
	assert_int_equal(nlh_link_get(ha, "v0", &l), -ENODEV);
	assert_int_equal(nlh_link_get(ha, "v0new", &l), 0);
	assert_int_equal(nlh_addr_add(ha, "v0new", 0xc6120063, 15), 0); /* 198.18.0.99/15 */
	assert_int_equal(nlh_addr_add(ha, "v0new", 0xc6120063, 15), -EEXIST);
	assert_int_equal(nlh_addr_add(ha, "v0new", 0xc6120064, 33), -EINVAL);
	/* move it next to its peer, renamed on the way */
	assert_int_equal(nlh_link_move(ha, "v0new", fd_b, "v2"), 0);
	assert_int_equal(nlh_link_get(ha, "v0new", &l), -ENODEV);
	assert_int_equal(nlh_link_get(hb, "v2", &l), 0);
	assert_string_equal(l.kind, "veth");
	/* deleting one end takes the pair; deleting again is no error */
	assert_int_equal(nlh_link_del(hb, "v2"), 0);
	assert_int_equal(nlh_link_get(hb, "v1", &l), -ENODEV);
	assert_int_equal(nlh_link_del(hb, "v2"), 0);
}

static void test_veth_queues_move_keeping_name(void **state)
{
	struct nlh_link l;
	char text[4096];

	NEED_ROOT();
	assert_int_equal(nlh_veth_add_mq(ha, "q0", NULL, "q1", -1, NULL, 4), 0);
	ip_details(ns_a, "q1", text, sizeof(text));
	if (!strstr(text, "numtxqueues 4 numrxqueues 4"))
		fail_msg("q1 has not 4 TX and RX queues: %s", text);
	assert_int_equal(nlh_veth_add_mq(ha, "q2", NULL, "q3", -1, NULL, NLH_QUEUES_MAX + 1),
			 -EINVAL);
	assert_int_equal(nlh_link_move(ha, "q0", fd_b, NULL), 0);
	assert_int_equal(nlh_link_get(ha, "q0", &l), -ENODEV);
	assert_int_equal(nlh_link_get(hb, "q0", &l), 0);
	assert_int_equal(nlh_link_del(hb, "q0"), 0);
	assert_int_equal(nlh_link_get(ha, "q1", &l), -ENODEV);
}

static void test_bad_names_reach_nothing(void **state)
{
	struct nlh_link l;
	struct nlh *h;

	NEED_ROOT();
	assert_int_equal(nlh_bridge_add(ha, "a/b", NULL), -EINVAL);
	assert_int_equal(nlh_veth_add(ha, "ok", NULL, "this-name-is-too-long", -1, NULL), -EINVAL);
	assert_int_equal(nlh_tap_add(ha, "", NULL), -EINVAL);
	assert_int_equal(nlh_link_get(ha, "x y", &l), -EINVAL);
	assert_int_equal(nlh_link_rename(ha, "br9", "a:b"), -EINVAL);
	assert_int_equal(nlh_link_get(ha, "ok", &l), -ENODEV);
	assert_int_equal(nlh_open("../etc", &h), -EINVAL);
	assert_int_equal(nlh_open("mp-t-no-such-namespace", &h), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bridge_veth_tap),
	    cmocka_unit_test(test_mtu_and_kernel_text),
	    cmocka_unit_test(test_rename_move_addr),
	    cmocka_unit_test(test_veth_queues_move_keeping_name),
	    cmocka_unit_test(test_bad_names_reach_nothing),
	};

	return cmocka_run_group_tests_name("nl", tests, setup, teardown);
}
