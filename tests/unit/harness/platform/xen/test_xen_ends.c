/* harness/platform/xen/xen_ends: the goodput and rr modes' ends driven through the
 * agent's end_* requests. The agent client is a stand-in (--wrap) that
 * records each request and answers from a script, so the requests, the
 * chunked read-back of a document and the agent's refusals are checked
 * without a guest (xen-check runs them for real). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/platform/xen/xen_ends.h"
#include "trafgen/agent_client.h"

int __wrap_agent_client_connect(const char *ep, const char *token, uint64_t t,
				struct agent_client **out);
void __wrap_agent_client_close(struct agent_client *c);
const char *__wrap_agent_client_last_error(const struct agent_client *c);
int __wrap_agent_client_call_raw(struct agent_client *c, const char *line, const char **reply);

static char sent[16][512];
static const char *replies[16];
static unsigned nsent, nreply;

int __wrap_agent_client_connect(const char *ep, const char *token, uint64_t t,
				struct agent_client **out)
{
	*out = (struct agent_client *)0x1;
	return 0;
}

void __wrap_agent_client_close(struct agent_client *c) {}

const char *__wrap_agent_client_last_error(const struct agent_client *c)
{
	return "agent connection: broken";
}

int __wrap_agent_client_call_raw(struct agent_client *c, const char *line, const char **reply)
{
	assert_true(nsent < 16);
	snprintf(sent[nsent++], sizeof(sent[0]), "%s", line);
	assert_non_null(replies[nreply]); /* a request the script did not expect */
	*reply = replies[nreply++];
	return strcmp(*reply, "EIO") ? 0 : -EIO;
}

static void script(const char *const *r)
{
	unsigned i;

	memset(replies, 0, sizeof(replies));
	for (i = 0; r[i]; i++)
		replies[i] = r[i];
	nsent = nreply = 0;
}

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/mp-t-ends-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}


/* The file at path holds exactly want (what the ends copied out). */
static void file_is(const char *path, const char *want)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
}
/* The server in the guest's namespace srv, listening; the client to its end,
 * its document read back in chunks into the log file; both stopped. */
static void test_server_and_client(void **state)
{
	static const char *const r[] = {
	    "{\"ok\":true,\"id\":1}",
	    "{\"ok\":true,\"listening\":false,\"running\":true,\"size\":0}",
	    "{\"ok\":true,\"listening\":true,\"running\":true,\"size\":0}",
	    "{\"ok\":true,\"id\":2}",
	    "{\"ok\":true,\"running\":true,\"size\":10}",
	    "{\"ok\":true,\"running\":false,\"status\":256,\"size\":14}",
	    "{\"ok\":true,\"data\":\"{\\\"a\\\":\\n\",\"eof\":false}",
	    "{\"ok\":true,\"data\":\"[1, 2]}\\n\",\"eof\":true}",
	    /* stopping the client that ended: no read, just end_stop */
	    "{\"ok\":true}",
	    /* stopping the running server: what it wrote so far, then end_stop */
	    "{\"ok\":true,\"data\":\"listening\\n\",\"eof\":false}",
	    "{\"ok\":true,\"data\":\"\",\"eof\":false}",
	    "{\"ok\":true}",
	    NULL};
	char *const server[] = {"iperf3", "-s", "-J", "-B", "198.19.0.1", NULL};
	char *const client[] = {"iperf3", "-c", "198.19.0.1", "-t", "3", NULL};
	char log[128], doc[128];
	struct xen_ends *e;
	pid_t s, c;
	int status = -1;

	script(r);
	snprintf(log, sizeof(log), "%s/server.log", dir);
	snprintf(doc, sizeof(doc), "%s/point-1.json", dir);
	assert_int_equal(xen_ends_open("tcp:198.18.255.2:7000", "t0ken", &e), 0);
	assert_int_equal(xen_ends_spawn(e, END_SERVER, server, log, &s), 0);
	assert_int_equal(s, 1);
	assert_string_equal(sent[0], "{\"cmd\":\"end_start\",\"args\":\"-s -J -B 198.19.0.1\","
				     "\"netns\":\"srv\"}");
	assert_int_equal(xen_ends_listening(e, s, 5201), 0);
	assert_int_equal(xen_ends_listening(e, s, 5201), 1);
	assert_string_equal(sent[2], "{\"cmd\":\"end_poll\",\"id\":1,\"port\":5201}");
	assert_int_equal(xen_ends_spawn(e, END_CLIENT, client, doc, &c), 0);
	assert_int_equal(c, 2);
	assert_string_equal(sent[3], "{\"cmd\":\"end_start\",\"args\":\"-c 198.19.0.1 -t 3\"}");
	assert_int_equal(xen_ends_poll(e, c, &status), 0);
	assert_int_equal(xen_ends_poll(e, c, &status), 1);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	assert_string_equal(sent[6], "{\"cmd\":\"end_read\",\"id\":2,\"offset\":0}");
	assert_string_equal(sent[7], "{\"cmd\":\"end_read\",\"id\":2,\"offset\":6}");
	file_is(doc, "{\"a\":\n[1, 2]}\n");
	xen_ends_stop(e, c);
	assert_string_equal(sent[8], "{\"cmd\":\"end_stop\",\"id\":2}");
	xen_ends_close(e); /* stops the server still running */
	assert_string_equal(sent[11], "{\"cmd\":\"end_stop\",\"id\":1}");
	assert_int_equal(nreply, 12);
	file_is(log, "listening\n");
}

/* The agent's refusal and a broken connection are errors, not "running";
 * another program than iperf3 is never asked for. */
static void test_errors(void **state)
{
	static const char *const r[] = {
	    "{\"ok\":false,\"error\":\"end_start: no iperf3\",\"errno\":2}",
	    "{\"ok\":true,\"id\":3}",
	    "EIO",
	    "{\"ok\":true,\"running\":false}",
	    /* closing: the end never seen to end is read, then stopped */
	    "{\"ok\":true,\"data\":\"\",\"eof\":false}",
	    "{\"ok\":true}",
	    NULL};
	char *const client[] = {"iperf3", "-c", "198.19.0.1", NULL};
	char *const other[] = {"sh", "-c", "reboot", NULL};
	char doc[128];
	struct xen_ends *e;
	pid_t c;
	int status;

	script(r);
	snprintf(doc, sizeof(doc), "%s/point-2.json", dir);
	assert_int_equal(xen_ends_open("tcp:198.18.255.2:7000", "t0ken", &e), 0);
	assert_int_equal(xen_ends_spawn(e, END_CLIENT, other, doc, &c), -EINVAL);
	assert_int_equal(nsent, 0);
	assert_int_equal(xen_ends_spawn(e, END_CLIENT, client, doc, &c), -EREMOTEIO);
	assert_int_equal(xen_ends_spawn(e, END_CLIENT, client, doc, &c), 0);
	assert_int_equal(xen_ends_poll(e, c, &status), -EIO);
	/* ended without a status: a broken reply, not a success */
	assert_int_equal(xen_ends_poll(e, c, &status), -EPROTO);
	assert_int_equal(xen_ends_poll(e, 99, &status), -ENOENT);
	xen_ends_close(e);
	assert_string_equal(sent[nsent - 1], "{\"cmd\":\"end_stop\",\"id\":3}");
	assert_null(replies[nreply]);
}

/* The rr mode's ends: the harness's argv names its own mir-trafgen (a path
 * of the host); the agent is asked for prog "rr" with the words after "rr",
 * the server in the guest's namespace srv; messages name rr, not iperf3. */
static void test_rr_ends(void **state)
{
	static const char *const r[] = {
	    "{\"ok\":true,\"id\":7}",
	    "{\"ok\":true,\"listening\":true,\"running\":true,\"size\":0}",
	    "{\"ok\":true,\"id\":8}",
	    "{\"ok\":true,\"running\":false,\"status\":0,\"size\":20}",
	    "{\"ok\":true,\"data\":\"{\\\"completed\\\":12}\\n\",\"eof\":true}",
	    "{\"ok\":true}",
	    /* closing: the server's log so far, then end_stop */
	    "{\"ok\":true,\"data\":\"\",\"eof\":false}",
	    "{\"ok\":true}",
	    NULL};
	char *const server[] = {"/opt/mp/bin/mir-trafgen", "rr", "server", "--listen",
				"198.19.0.1:12865", NULL};
	char *const client[] = {"/opt/mp/bin/mir-trafgen", "rr", "client", "--connect",
				"198.19.0.1:12865", "--size", "1/1024", "--json", NULL};
	char log[128], doc[128];
	struct xen_ends *e;
	pid_t s, c;
	int status = -1;

	script(r);
	snprintf(log, sizeof(log), "%s/rr-server.log", dir);
	snprintf(doc, sizeof(doc), "%s/rr-point-1.json", dir);
	assert_int_equal(xen_ends_open("tcp:198.18.255.2:7000", "t0ken", &e), 0);
	assert_int_equal(xen_ends_spawn(e, END_SERVER, server, log, &s), 0);
	assert_int_equal(s, 7);
	assert_string_equal(sent[0], "{\"cmd\":\"end_start\",\"prog\":\"rr\",\"args\":\"server "
				     "--listen 198.19.0.1:12865\",\"netns\":\"srv\"}");
	assert_int_equal(xen_ends_listening(e, s, 12865), 1);
	assert_string_equal(sent[1], "{\"cmd\":\"end_poll\",\"id\":7,\"port\":12865}");
	assert_int_equal(xen_ends_spawn(e, END_CLIENT, client, doc, &c), 0);
	assert_string_equal(sent[2], "{\"cmd\":\"end_start\",\"prog\":\"rr\",\"args\":\"client "
				     "--connect 198.19.0.1:12865 --size 1/1024 --json\"}");
	assert_int_equal(xen_ends_poll(e, c, &status), 1);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	file_is(doc, "{\"completed\":12}\n");
	xen_ends_stop(e, c);
	xen_ends_close(e);
	assert_string_equal(sent[nsent - 1], "{\"cmd\":\"end_stop\",\"id\":7}");
	assert_null(replies[nreply]);
}

/* Which programs the agent is asked for: iperf3 and mir-trafgen rr only. */
static void test_prog(void **state)
{
	char *const iperf3[] = {"iperf3", "-s", NULL};
	char *const rr[] = {"/x/mir-trafgen", "rr", "client", NULL};
	char *const rr_bare[] = {"mir-trafgen", "rr", NULL};
	char *const fwd[] = {"/x/mir-trafgen", "fwd", "--in", "eth0", NULL};
	char *const lone[] = {"/x/mir-trafgen", NULL};
	char *const other[] = {"/x/not-mir-trafgen", "rr", NULL};
	char *const iperf3_path[] = {"/usr/bin/iperf3", "-s", NULL};
	char *const none[] = {NULL};

	assert_int_equal(xen_ends_prog(iperf3), 1);
	assert_int_equal(xen_ends_prog(rr), 2);
	assert_int_equal(xen_ends_prog(rr_bare), 2);
	assert_int_equal(xen_ends_prog(fwd), 0);
	assert_int_equal(xen_ends_prog(lone), 0);
	assert_int_equal(xen_ends_prog(other), 0);
	/* the goodput mode names iperf3 bare; a path is not what it asks */
	assert_int_equal(xen_ends_prog(iperf3_path), 0);
	assert_int_equal(xen_ends_prog(none), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_server_and_client),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_rr_ends),
	    cmocka_unit_test(test_prog),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
