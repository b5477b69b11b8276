/* The agent protocol's messages: parameters and reports survive a round trip
 * through the JSON writer and the flat parser, bad fields are named in the
 * error, and the token comparison is right (its timing is by construction:
 * it always walks PROTO_TOKEN_MAX bytes). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"
#include "lib/units.h"
#include "trafgen/agent_token.h"
#include "trafgen/endpoint.h"
#include "trafgen/proto.h"

/* Write fields with fn into "{...}" and parse them back into f. */
static char line[8192];

static int round_trip(void (*fn)(struct json_writer *, const void *), const void *arg,
		      struct json_field *f, int max)
{
	FILE *mf = fmemopen(line, sizeof(line), "w");
	struct json_writer w;

	assert_non_null(mf);
	json_init(&w, mf, 0);
	json_obj_begin(&w);
	fn(&w, arg);
	json_obj_end(&w);
	fputc('\0', mf);
	fclose(mf);
	return json_flat_parse(line, f, max);
}

static void w_tx_params(struct json_writer *w, const void *p)
{
	proto_tx_params_write(w, p);
}

static void w_rx_params(struct json_writer *w, const void *p)
{
	proto_rx_params_write(w, p);
}

static void w_tx_report(struct json_writer *w, const void *r)
{
	proto_tx_report_write(w, "tx_", r);
}

static void w_rx_report(struct json_writer *w, const void *r)
{
	proto_rx_report_write(w, "rx_", r);
}

static void test_tx_params(void **state)
{
	struct json_field f[PROTO_MAX_FIELDS];
	struct tg_tx_params a, b;
	char err[256];
	int n;

	proto_tx_defaults(&a);
	strcpy(a.dev, "veth-gen0");
	a.size = 1518;
	a.rate = 1500000;
	a.count = 123456789;
	a.src_mac[5] = 0x7f;
	a.dst_ip = 0xc613fffeu;
	a.sport = 5000;
	a.dport = 7;
	a.flows = 300;
	a.stream = 4000000000u;
	a.cpu = 1;
	a.threads = 2;
	a.backend = TG_BACKEND_XDP;
	n = round_trip(w_tx_params, &a, f, PROTO_MAX_FIELDS);
	assert_true(n > 0);
	assert_int_equal(proto_tx_params_read(f, n, NULL, &b, err, sizeof(err)), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	/* "max" and cpu -1 too. */
	a.rate = UNITS_RATE_MAX;
	a.cpu = -1;
	n = round_trip(w_tx_params, &a, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_tx_params_read(f, n, NULL, &b, err, sizeof(err)), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_rx_params(void **state)
{
	struct json_field f[PROTO_MAX_FIELDS];
	struct tg_rx_params a, b;
	char err[256], req[128];
	int n;

	proto_rx_defaults(&a);
	strcpy(a.dev, "k0");
	a.duration_ns = 5 * 1000000000ULL;
	n = round_trip(w_rx_params, &a, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_params_read(f, n, NULL, &b, err, sizeof(err)), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(b.stream == TG_STREAM_ANY);
	a.stream = 17;
	n = round_trip(w_rx_params, &a, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_params_read(f, n, NULL, &b, err, sizeof(err)), 0);
	assert_int_equal(b.stream, 17);
	/* the sink's backend: auto (zero) is not written, the others are */
	assert_int_equal(b.backend, TG_BACKEND_AUTO);
	a.backend = TG_BACKEND_XDP;
	n = round_trip(w_rx_params, &a, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_params_read(f, n, NULL, &b, err, sizeof(err)), 0);
	assert_int_equal(b.backend, TG_BACKEND_XDP);
	assert_memory_equal(&a, &b, sizeof(a));
	snprintf(req, sizeof(req), "{\"dev\":\"k0\",\"backend\":\"xdp\"}"); /* --io's word */
	n = json_flat_parse(req, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_params_read(f, n, NULL, &b, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "\"backend\": expected auto, af_packet or af_xdp");
}

/* Each bad request names its key and what was expected. */
static void test_bad_fields(void **state)
{
	static const struct {
		const char *req, *want;
	} cases[] = {
	    {"{\"dev\":\"a0\",\"size\":63}", "\"size\": expected a frame size in bytes, 64..9018"},
	    {"{\"dev\":\"a0\",\"size\":\"64\"}", "\"size\""},
	    {"{\"dev\":\"a0\",\"rate\":0}", "\"rate\": expected packets per second"},
	    {"{\"dev\":\"a0\",\"rate\":\"fast\"}", "\"rate\""},
	    {"{\"dev\":\"a0\",\"dst_ip\":\"10.0.0.1\"}",
	     "\"dst_ip\": expected an IPv4 address in 198.18.0.0/15"},
	    {"{\"dev\":\"a0\",\"src_mac\":\"zz\"}", "\"src_mac\""},
	    {"{\"dev\":\"a0\",\"flows\":0}", "\"flows\""},
	    {"{\"dev\":\"a0\",\"sport\":65535,\"flows\":2}", "sport + flows"},
	    {"{\"dev\":\"a0\",\"cpu\":-2}", "\"cpu\""},
	    {"{\"dev\":\"a0\",\"threads\":9}", "\"threads\""},
	    {"{\"dev\":\"a0\",\"count\":1,\"threads\":2}", "\"threads\""},
	    {"{\"dev\":\"a0\",\"bogus\":1}", "unknown key \"bogus\""},
	    {"{\"dev\":\"a0\",\"backend\":\"dpdk\"}", "\"backend\": expected auto, af_packet or af_xdp"},
	    {"{\"size\":64}", "\"dev\": missing"},
	    {"{\"dev\":\"a-very-long-interface-name\"}", "\"dev\": expected an interface name"},
	    {"{\"dev\":\"a0\",\"count\":1.5}", "\"count\""},
	    {"{\"dev\":\"a0\",\"count\":-1}", "\"count\""},
	};
	struct json_field f[PROTO_MAX_FIELDS];
	struct tg_tx_params p;
	char err[256];
	size_t i;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "%s", cases[i].req);
		n = json_flat_parse(line, f, PROTO_MAX_FIELDS);
		assert_true(n > 0);
		err[0] = '\0';
		assert_int_equal(proto_tx_params_read(f, n, NULL, &p, err, sizeof(err)), -EINVAL);
		if (!strstr(err, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].req, err, cases[i].want);
	}
}

static void test_reports(void **state)
{
	struct json_field f[PROTO_MAX_FIELDS];
	struct tg_tx_report tx = {.running = 1,
				  .sent = 1000000,
				  .bytes = 60000000,
				  .send_errors = 3,
				  .enobufs = 2,
				  .elapsed_ns = 999999999,
				  .pps = 1000001.0,
				  .l2_bps = 512000512.0,
				  .l1_bps = 672000672.0,
				  .target_pps = UNITS_RATE_MAX};
	struct tg_rx_report rx = {.received = 999990,
				  .bytes = 63999360,
				  .lost = 10,
				  .reordered = 2,
				  .duplicated = 1,
				  .foreign = 5,
				  .ring_drops = 7,
				  .elapsed_ns = 1000000000,
				  .pps = 999990.0,
				  .lat_min_ns = 1500,
				  .lat_max_ns = 2000000,
				  .lat_mean_ns = 2500.5,
				  .lat_p50_ns = 2047,
				  .lat_p90_ns = 4095,
				  .lat_p99_ns = 16383,
				  .lat_p999_ns = 1048575};
	struct tg_tx_report tx2;
	struct tg_rx_report rx2;
	int n;

	n = round_trip(w_tx_report, &tx, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_tx_report_read(f, n, "tx_", &tx2), 0);
	assert_true(tx2.running == 1 && tx2.sent == tx.sent && tx2.bytes == tx.bytes);
	assert_true(tx2.send_errors == 3 && tx2.enobufs == 2 && tx2.elapsed_ns == tx.elapsed_ns);
	assert_true(tx2.target_pps == UNITS_RATE_MAX);
	assert_true(tx2.pps > 1000000.0 * 0.99999 && tx2.pps < 1000001.0 * 1.00001);
	/* the backend: zero (an engine of before it) reads back as AF_PACKET */
	assert_int_equal(tx2.backend, TG_BACKEND_PACKET);
	tx.backend = TG_BACKEND_XDP;
	n = round_trip(w_tx_report, &tx, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_tx_report_read(f, n, "tx_", &tx2), 0);
	assert_int_equal(tx2.backend, TG_BACKEND_XDP);
	snprintf(line, sizeof(line), "{\"tx_running\":false,\"tx_target_pps\":1,\"tx_sent\":0,"
				     "\"tx_bytes\":0,\"tx_send_errors\":0,\"tx_enobufs\":0,"
				     "\"tx_elapsed_ns\":0,\"tx_pps\":0,\"tx_l2_bps\":0,\"tx_l1_bps\":0}");
	n = json_flat_parse(line, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_tx_report_read(f, n, "tx_", &tx2), 0);
	assert_int_equal(tx2.backend, TG_BACKEND_PACKET); /* an agent of before the key */
	snprintf(line, sizeof(line), "{\"tx_running\":false,\"tx_target_pps\":1,\"tx_sent\":0,"
				     "\"tx_bytes\":0,\"tx_send_errors\":0,\"tx_enobufs\":0,"
				     "\"tx_elapsed_ns\":0,\"tx_pps\":0,\"tx_l2_bps\":0,\"tx_l1_bps\":0,"
				     "\"tx_backend\":\"carrier pigeon\"}");
	n = json_flat_parse(line, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_tx_report_read(f, n, "tx_", &tx2), -EPROTO);
	n = round_trip(w_rx_report, &rx, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_report_read(f, n, "rx_", &rx2), 0);
	assert_true(rx2.received == rx.received && rx2.lost == 10 && rx2.reordered == 2);
	assert_true(rx2.duplicated == 1 && rx2.foreign == 5 && rx2.ring_drops == 7);
	assert_true(rx2.lat_p999_ns == 1048575 && rx2.lat_min_ns == 1500);
	assert_int_equal(rx2.backend, TG_BACKEND_PACKET); /* zero: the ring */
	rx.backend = TG_BACKEND_XDP;
	n = round_trip(w_rx_report, &rx, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_report_read(f, n, "rx_", &rx2), 0);
	assert_int_equal(rx2.backend, TG_BACKEND_XDP);
	/* A reply without a key is a protocol error, not zeros. */
	snprintf(line, sizeof(line), "{\"rx_running\":false}");
	n = json_flat_parse(line, f, PROTO_MAX_FIELDS);
	assert_int_equal(proto_rx_report_read(f, n, "rx_", &rx2), -EPROTO);
}

static void test_token_equal(void **state)
{
	assert_true(agent_token_equal("s3cret", "s3cret", 6));
	assert_false(agent_token_equal("s3cret", "s3creT", 6));
	assert_false(agent_token_equal("s3cre", "s3cret", 6));
	assert_false(agent_token_equal("s3crett", "s3cret", 6));
	assert_false(agent_token_equal("", "s3cret", 6));
	assert_false(agent_token_equal("s3cret", "s3cret", 5)); /* expected is "s3cre" */
}

static void test_endpoints(void **state)
{
	struct endpoint ep;
	char err[256];

	assert_int_equal(endpoint_parse("unix:/run/mp/agent.sock", &ep, err, sizeof(err)), 0);
	assert_string_equal(ep.path, "/run/mp/agent.sock");
	assert_int_equal(endpoint_parse("tcp:198.18.255.1:7000", &ep, err, sizeof(err)), 0);
	assert_int_equal(endpoint_parse("unix:relative", &ep, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected unix:/ABSOLUTE/PATH or tcp:A.B.C.D:PORT"));
	assert_int_equal(endpoint_parse("tcp:198.18.255.1", &ep, err, sizeof(err)), -EINVAL);
	assert_int_equal(endpoint_parse("tcp:198.18.255.1:0", &ep, err, sizeof(err)), -EINVAL);
	assert_int_equal(endpoint_parse("tcp:host:80", &ep, err, sizeof(err)), -EINVAL);
	assert_int_equal(endpoint_parse("udp:1.2.3.4:5", &ep, err, sizeof(err)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tx_params),	cmocka_unit_test(test_rx_params),
	    cmocka_unit_test(test_bad_fields),	cmocka_unit_test(test_reports),
	    cmocka_unit_test(test_token_equal), cmocka_unit_test(test_endpoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
