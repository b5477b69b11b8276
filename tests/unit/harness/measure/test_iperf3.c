/* iperf3's command lines and its -J documents, on documents iperf 3.12
 * (Debian 12) wrote here through a tbf of 8 Mbit/s between two namespaces:
 * TCP with 2 streams (retransmits), UDP at 16 Mbit/s (half lost), UDP at
 * 5 Mbit/s without --get-server-output, and a refused connection. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>

#include "harness/measure/iperf3.h"

static char *load(const char *name)
{
	const char *top = getenv("MP_TOP");
	char path[4096];
	char *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/unit/harness/measure/iperf3/%s", top ? top : ".",
		 name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set MP_TOP to the source tree)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#define near(a, b) assert_true(fabs((a) - (b)) <= 1e-6 * fabs(b) + 1e-9)

static void test_tcp(void **state)
{
	char *doc = load("tcp-p2-tbf8m.json"), err[256];
	struct iperf3_result r;

	assert_int_equal(iperf3_parse(doc, &r, err, sizeof(err)), 0);
	assert_false(r.udp);
	assert_int_equal(r.streams, 2);
	assert_int_equal(r.blksize, 1000);
	assert_int_equal(r.bytes_sent, 2230000);
	assert_int_equal(r.bytes_received, 1955336);
	near(r.goodput_bps, 7591883.128386093);
	assert_int_equal(r.retransmits, 647);
	near(r.cpu_client_pct, 0.4221617864068198);
	near(r.cpu_server_pct, 1.5326226488809511);
	/* the server's three 1-s intervals, not the client's four 0.5-s ones */
	assert_int_equal(r.interval.n, 3);
	near(r.interval.mean, 7137314.5732975975);
	near(r.interval.min, 6140573.557450664);
	near(r.interval.max, 7683842.474159954);
	near(r.interval.stddev, 864545.3279026803);
	free(doc);
}

static void test_udp_loss(void **state)
{
	char *doc = load("udp-16m-tbf8m.json"), err[256];
	struct iperf3_result r;

	assert_int_equal(iperf3_parse(doc, &r, err, sizeof(err)), 0);
	assert_true(r.udp);
	assert_int_equal(r.bytes_sent, 3998400);
	assert_int_equal(r.bytes_received, 1939200);
	near(r.goodput_bps, 7649051.63415547);
	assert_int_equal(r.packets, 3332);
	assert_int_equal(r.lost_packets, 1716);
	near(r.lost_pct, 51.50060024009604);
	near(r.jitter_ms, 0.6925721717339104);
	assert_int_equal(r.retransmits, 0);
	assert_int_equal(r.interval.n, 3);
	near(r.interval.mean, 7719406.853534347);
	near(r.interval.stddev, 180945.4872987871);
	free(doc);
}

/* Without the server's output the sender's intervals are all there is. */
static void test_udp_sender_intervals(void **state)
{
	char *doc = load("udp-5m-noserver.json"), err[256];
	struct iperf3_result r;

	assert_int_equal(iperf3_parse(doc, &r, err, sizeof(err)), 0);
	assert_int_equal(r.lost_packets, 0);
	assert_int_equal(r.packets, 1042);
	assert_int_equal(r.interval.n, 4);
	near(r.interval.min, 4991011.7465840485);
	near(r.interval.max, 5011049.46436107);
	free(doc);
}

/* iperf3's stderr lands in the same file, before the document. */
static void test_warning_first(void **state)
{
	char *doc = load("udp-1460-warning.json"), err[256];
	struct iperf3_result r;

	assert_int_equal(iperf3_parse(doc, &r, err, sizeof(err)), 0);
	assert_string_equal(r.warning, "warning: UDP block size 1460 exceeds TCP MSS 1448, may "
				       "result in fragmentation / drops");
	assert_true(r.udp);
	assert_int_equal(r.blksize, 1460);
	assert_true(r.packets > 0);
	free(doc);
}

static void test_error(void **state)
{
	char *doc = load("refused.json"), err[256];
	struct iperf3_result r;

	assert_int_equal(iperf3_parse(doc, &r, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "iperf3: unable to connect to server: Connection refused");
	free(doc);
}

static void test_bad_documents(void **state)
{
	char notjson[] = "iperf3: parameter error - block size too large\n";
	char missing[] = "{\"start\": {\"test_start\": {\"protocol\": \"TCP\", \"num_streams\": 1,"
			 " \"blksize\": 8}}, \"end\": {\"sum_sent\": {\"bytes\": 5,"
			 " \"bits_per_second\": 1}}}";
	char sctp[] = "{\"start\": {\"test_start\": {\"protocol\": \"SCTP\"}}}";
	struct iperf3_result r;
	char err[256];

	assert_int_equal(iperf3_parse(notjson, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "iperf3's output is not JSON (offset 0: expected a value)");
	assert_string_equal(r.warning, "iperf3: parameter error - block size too large");
	assert_int_equal(iperf3_parse(missing, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "iperf3's JSON has no end.sum_received.bytes");
	assert_int_equal(iperf3_parse(sctp, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "iperf3's JSON has no start.test_start.protocol TCP or UDP");
}

static void test_argv(void **state)
{
	struct iperf3_client_args a = {"198.19.0.1", 5201, 1, 1200, 4, 16000000, 10, 2};
	char *argv[32], buf[256], line[512] = "";
	unsigned i;

	assert_int_equal(iperf3_client_argv(&a, argv, buf, sizeof(buf)), 0);
	for (i = 0; argv[i]; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", i ? " " : "",
			 argv[i]);
	assert_string_equal(line, "iperf3 -c 198.19.0.1 -p 5201 -J --get-server-output -t 10 -O 2 "
				  "-i 1 -l 1200 -P 4 --connect-timeout 5000 -u -b 16000000");
	a.udp = 0;
	assert_int_equal(iperf3_client_argv(&a, argv, buf, sizeof(buf)), 0);
	assert_string_equal(argv[18], "5000");
	assert_null(argv[19]);
	assert_int_equal(iperf3_client_argv(&a, argv, buf, 8), -ENOSPC);
	assert_int_equal(iperf3_server_argv("198.19.0.1", 5201, argv, buf, sizeof(buf)), 0);
	assert_string_equal(argv[1], "-s");
	assert_string_equal(argv[4], "198.19.0.1");
	assert_null(argv[9]);
}

/* The limits iperf 3.12 itself prints: "block size invalid (minimum = 16
 * bytes, maximum = 65507 bytes)" for UDP, "block size too large (maximum =
 * 1048576 bytes)" for TCP. */
static void test_bufsz_limits(void **state)
{
	assert_int_equal(iperf3_bufsz_check(0, 1), 0);
	assert_int_equal(iperf3_bufsz_check(0, 1048576), 0);
	assert_int_equal(iperf3_bufsz_check(0, 1048577), -EINVAL);
	assert_int_equal(iperf3_bufsz_check(0, 0), -EINVAL);
	assert_int_equal(iperf3_bufsz_check(1, 15), -EINVAL);
	assert_int_equal(iperf3_bufsz_check(1, 16), 0);
	assert_int_equal(iperf3_bufsz_check(1, 65507), 0);
	assert_int_equal(iperf3_bufsz_check(1, 65508), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp),		 cmocka_unit_test(test_udp_loss),
	    cmocka_unit_test(test_udp_sender_intervals), cmocka_unit_test(test_error),
	    cmocka_unit_test(test_warning_first),
	    cmocka_unit_test(test_bad_documents), cmocka_unit_test(test_argv),
	    cmocka_unit_test(test_bufsz_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
