/* xen_evtchn: a stopped DUT's vif channels read from Xen's 'e' dump. The two
 * goldens are Xen 4.17's real dumps (xen-check, mirage mode, the forwarder
 * on mirage-net-xen 2.1.5 hung at point 2; dom0's and the generator's idle
 * channel lines trimmed): evtchn-idle.txt 5 s after the stall (domain 8's
 * vifs on ports 4 and 5, nothing pending), evtchn-pending.txt 18 s later
 * (both pending, not masked, the domain still blocked). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness/platform/xen/xen_evtchn.h"

static char *golden(const char *name)
{
	const char *top = getenv("MP_TOP");
	char path[512];
	FILE *f;
	char *text = calloc(1, 65536);
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/golden/xen/%s", top ? top : ".", name);
	f = fopen(path, "r");
	if (!f || !text)
		fail_msg("cannot read %s", path);
	n = fread(text, 1, 65535, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void two_vifs(struct xen_evtchn *ch)
{
	memset(ch, 0, 2 * sizeof(*ch));
	ch[0].devid = 0;
	ch[0].port = 4;
	ch[1].devid = 1;
	ch[1].port = 5;
}

static void said(const char *want, const struct xen_evtchn *ch, unsigned n)
{
	char buf[512];

	xen_evtchn_say(ch, n, buf, sizeof(buf));
	if (!strstr(buf, want))
		fail_msg("'%s' not in '%s'", want, buf);
}

static void nothing_pending_waits_for_backend(void **state)
{
	char *text = golden("evtchn-idle.txt");
	struct xen_evtchn ch[2];

	(void)state;
	two_vifs(ch);
	assert_int_equal(xen_evtchn_parse(text, 8, ch, 2), 0);
	assert_true(ch[0].found && ch[1].found);
	assert_false(ch[0].pending || ch[1].pending || ch[0].masked || ch[1].masked);
	said("its vif event channels in Xen: 4 (vif 0) idle, 5 (vif 1) idle: nothing pending, it "
	     "waits for a notification its backend has not sent",
	     ch, 2);
	free(text);
}

static void pending_not_taken(void **state)
{
	char *text = golden("evtchn-pending.txt");
	struct xen_evtchn ch[2];

	(void)state;
	two_vifs(ch);
	assert_int_equal(xen_evtchn_parse(text, 8, ch, 2), 0);
	assert_true(ch[0].found && ch[0].pending && !ch[0].masked);
	assert_true(ch[1].found && ch[1].pending && !ch[1].masked);
	said("4 (vif 0) pending, 5 (vif 1) pending: Xen holds events for it that it has not taken",
	     ch, 2);
	free(text);
}

/* Dumps accumulate in the ring: the last block of the domain is now. */
static void last_dump_wins(void **state)
{
	char *idle = golden("evtchn-idle.txt"), *pending = golden("evtchn-pending.txt");
	char *both = malloc(strlen(idle) + strlen(pending) + 1);
	struct xen_evtchn ch[2];

	(void)state;
	strcpy(both, pending);
	strcat(both, idle);
	two_vifs(ch);
	assert_int_equal(xen_evtchn_parse(both, 8, ch, 2), 0);
	assert_false(ch[0].pending);
	strcpy(both, idle);
	strcat(both, pending);
	assert_int_equal(xen_evtchn_parse(both, 8, ch, 2), 0);
	assert_true(ch[0].pending);
	free(idle);
	free(pending);
	free(both);
}

/* Another domain's block, a port the dump lacks, a masked pending channel,
 * timestamps on the console lines. */
static void other_domains_and_masks(void **state)
{
	char *text = golden("evtchn-idle.txt");
	struct xen_evtchn ch[2];
	const char *stamped = "(XEN) [  470.1] Event channel information for domain 3:\n"
			      "(XEN) [  470.1] Polling vCPUs: {}\n"
			      "(XEN) [  470.1]     port [p/m/s]\n"
			      "(XEN) [  470.1]        4 [1/1/1]: s=3 n=0 x=0 d=0 p=30\n"
			      "(XEN) [  470.2] 'q' pressed -> dumping domain info\n"
			      "(XEN) [  470.2]        5 [1/0/1]: s=3 n=0 x=0 d=0 p=31\n";

	(void)state;
	two_vifs(ch);
	assert_int_equal(xen_evtchn_parse(text, 2, ch, 2), -ENOENT); /* no block for domain 2 */
	assert_int_equal(xen_evtchn_parse(stamped, 3, ch, 2), 0);
	assert_true(ch[0].found && ch[0].pending && ch[0].masked);
	assert_false(ch[1].found); /* after the block ended */
	said("4 (vif 0) pending and masked: events wait on channels the domain masked and never "
	     "unmasked",
	     ch, 2);
	ch[0].found = 0;
	{
		char buf[64] = "x";

		xen_evtchn_say(ch, 2, buf, sizeof(buf));
		assert_string_equal(buf, ""); /* nothing found: nothing said */
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nothing_pending_waits_for_backend),
	    cmocka_unit_test(pending_not_taken),
	    cmocka_unit_test(last_dump_wins),
	    cmocka_unit_test(other_domains_and_masks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
