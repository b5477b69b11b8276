/* mir-trafgen frames: build/parse round trip, and both checksums against an
 * independent computation (textbook vectors and a plain 32-bit sum written
 * here from RFC 768/791, not the code under test). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trafgen/frame.h"

static struct frame_spec spec_of(uint32_t size)
{
	struct frame_spec s = {
	    .src_mac = {0x02, 0, 0, 0, 0, 1},
	    .dst_mac = {0x02, 0, 0, 0, 0, 2},
	    .src_ip = 0xc6120001u,
	    .dst_ip = 0xc6130002u,
	    .sport = 1024,
	    .dport = 9,
	    .size = size,
	    .stream = 0xdeadbeefu,
	    .lane = 5,
	};
	return s;
}

/* RFC 1071's worked example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2. */
static void test_csum_rfc1071(void **state)
{
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	assert_int_equal(frame_csum_fold(frame_csum_add(0, d, sizeof(d))), (uint16_t)~0xddf2);
}

/* The IPv4 header every tutorial uses (Wikipedia "IPv4 header checksum"). */
static void test_csum_ipv4_vector(void **state)
{
	uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

	assert_int_equal(frame_csum_fold(frame_csum_add(0, h, 20)), 0xb861);
	h[10] = 0xb8;
	h[11] = 0x61;
	assert_int_equal(frame_csum_fold(frame_csum_add(0, h, 20)), 0);
}

/* An independent UDP checksum: 16-bit words in a 32-bit accumulator. */
static uint16_t ref_udp_csum(const uint8_t *f)
{
	const uint8_t *ip = f + 14, *udp = f + 34;
	unsigned udp_len = (unsigned)(udp[4] << 8 | udp[5]), i;
	uint32_t sum = 0;

	for (i = 12; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	sum += 17 + udp_len;
	for (i = 0; i < udp_len; i += 2) {
		if (i == 6)
			continue; /* the checksum field itself */
		sum += (uint32_t)(udp[i] << 8 | (i + 1 < udp_len ? udp[i + 1] : 0));
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	return (uint16_t)(sum ? sum : 0xffff);
}

static uint16_t ref_ip_csum(const uint8_t *f)
{
	const uint8_t *ip = f + 14;
	uint32_t sum = 0;
	unsigned i;

	for (i = 0; i < 20; i += 2)
		if (i != 10)
			sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void test_round_trip_and_checksums(void **state)
{
	static const uint32_t sizes[] = {64, 65, 128, 1518, 9018};
	static const uint64_t seqs[] = {0, 1, 0xffff, 0x123456789abULL, (1ULL << 48) - 1};
	uint8_t *buf = malloc(9018);
	size_t i, j;

	assert_non_null(buf);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct frame_spec s = spec_of(sizes[i]);
		struct frame_template t;
		struct frame_info fi;

		assert_int_equal(frame_build(&s, buf, 9018, &t), 0);
		assert_int_equal(t.len, sizes[i] - 4);
		/* IPv4 header: length, protocol, addresses, checksum. */
		assert_int_equal(buf[12] << 8 | buf[13], 0x0800);
		assert_int_equal(buf[16] << 8 | buf[17], sizes[i] - 4 - 14);
		assert_int_equal(buf[23], 17);
		assert_int_equal(buf[24] << 8 | buf[25], ref_ip_csum(buf));
		for (j = 0; j < sizeof(seqs) / sizeof(seqs[0]); j++) {
			uint16_t sport = (uint16_t)(1024 + j * 7);
			uint64_t ts = 0x0123456789abcdefULL + j;

			frame_stamp(buf, &t, sport, j == 2 ? FRAME_F_FIN : 0, seqs[j], ts);
			assert_int_equal(buf[40] << 8 | buf[41], ref_udp_csum(buf));
			assert_int_equal(frame_verify_checksums(buf, t.len), 0);
			assert_int_equal(frame_parse(buf, t.len, &fi), 0);
			assert_int_equal(fi.stream, 0xdeadbeefu);
			assert_int_equal(fi.lane, 5);
			assert_true(fi.seq == seqs[j]);
			assert_true(fi.ts40 == (ts & FRAME_TS_MASK));
			assert_int_equal(fi.sport, sport);
			assert_int_equal(fi.dport, 9);
			assert_int_equal(fi.flags, j == 2 ? FRAME_F_FIN : 0);
		}
		/* A flipped payload bit must break the UDP checksum. */
		buf[t.len - 1] ^= 0x10;
		assert_int_equal(frame_verify_checksums(buf, t.len), -EBADMSG);
	}
	free(buf);
}

static void test_parse_rejects(void **state)
{
	struct frame_spec s = spec_of(64);
	struct frame_template t;
	struct frame_info fi;
	uint8_t buf[64];

	assert_int_equal(frame_build(&s, buf, sizeof(buf), &t), 0);
	assert_int_equal(frame_parse(buf, t.len, &fi), 0);
	assert_int_equal(frame_parse(buf, FRAME_HDR_LEN + FRAME_PAYLOAD_HDR_LEN - 1, &fi), -EINVAL);
	buf[42] ^= 1; /* magic */
	assert_int_equal(frame_parse(buf, t.len, &fi), -EINVAL);
	buf[42] ^= 1;
	buf[12] = 0x86; /* IPv6 EtherType */
	assert_int_equal(frame_parse(buf, t.len, &fi), -EINVAL);
	buf[12] = 0x08;
	buf[23] = 6; /* TCP */
	assert_int_equal(frame_parse(buf, t.len, &fi), -EINVAL);
	s.size = 63;
	assert_int_equal(frame_build(&s, buf, sizeof(buf), &t), -EINVAL);
	s.size = 9019;
	assert_int_equal(frame_build(&s, buf, sizeof(buf), &t), -EINVAL);
	s.size = 64;
	s.lane = FRAME_LANES;
	assert_int_equal(frame_build(&s, buf, sizeof(buf), &t), -EINVAL);
}

static void test_addresses(void **state)
{
	uint8_t mac[6];
	uint32_t ip;
	char buf[32];

	assert_int_equal(frame_parse_mac("02:6d:70:0A:ff:01", mac), 0);
	frame_fmt_mac(buf, sizeof(buf), mac);
	assert_string_equal(buf, "02:6d:70:0a:ff:01");
	assert_int_equal(frame_parse_mac("02:6d:70:0a:ff", mac), -EINVAL);
	assert_int_equal(frame_parse_mac("02:6d:70:0a:ff:0g", mac), -EINVAL);
	assert_int_equal(frame_parse_mac("02-6d-70-0a-ff-01", mac), -EINVAL);
	assert_int_equal(frame_parse_mac(" 2:6d:70:0a:ff:01", mac), -EINVAL);
	assert_int_equal(frame_parse_ip("198.18.0.1", &ip), 0);
	assert_int_equal(ip, 0xc6120001u);
	assert_int_equal(frame_parse_ip("198.19.255.254", &ip), 0);
	assert_int_equal(frame_parse_ip("198.20.0.1", &ip), -ERANGE);
	assert_int_equal(frame_parse_ip("10.0.0.1", &ip), -ERANGE);
	assert_int_equal(frame_parse_ip("198.18.0", &ip), -EINVAL);
	assert_int_equal(frame_parse_ip("198.18.0.1x", &ip), -EINVAL);
	frame_fmt_ip(buf, sizeof(buf), 0xc6130001u);
	assert_string_equal(buf, "198.19.0.1");
}

/* Every flow is sent, each by exactly one lane, and a lane cycles through
 * its own flows; one lane is the plain sport + seq % flows. */
static void test_flow_ports(void **state)
{
	unsigned owner[16];
	uint32_t flows, lanes, l, f;
	uint64_t s;

	(void)state;
	for (s = 0; s < 20; s++)
		assert_int_equal(frame_flow_port(10000, 7, 1, 0, s), 10000 + s % 7);
	for (flows = 1; flows <= 16; flows++) {
		for (lanes = 1; lanes <= 8; lanes++) {
			unsigned seen = 0;

			memset(owner, 0xff, sizeof(owner));
			for (l = 0; l < lanes; l++) {
				for (s = 0; s < 64; s++) {
					uint16_t p = frame_flow_port(10000, flows, lanes, l, s);

					assert_in_range(p, 10000, 10000 + flows - 1);
					f = p - 10000u;
					if (flows >= lanes) {
						/* one owner per flow */
						assert_true(owner[f] == 0xffffffffu ||
							    owner[f] == l);
						owner[f] = l;
					}
					seen |= 1u << f;
				}
			}
			assert_int_equal(seen, (1u << flows) - 1u);
		}
	}
	/* 5 flows on 2 lanes: lane 0 has 10000, 10002, 10004; lane 1 10001, 10003 */
	assert_int_equal(frame_flow_port(10000, 5, 2, 0, 0), 10000);
	assert_int_equal(frame_flow_port(10000, 5, 2, 0, 1), 10002);
	assert_int_equal(frame_flow_port(10000, 5, 2, 0, 2), 10004);
	assert_int_equal(frame_flow_port(10000, 5, 2, 0, 3), 10000);
	assert_int_equal(frame_flow_port(10000, 5, 2, 1, 0), 10001);
	assert_int_equal(frame_flow_port(10000, 5, 2, 1, 1), 10003);
	assert_int_equal(frame_flow_port(10000, 5, 2, 1, 2), 10001);
	/* fewer flows than lanes: lane l sends flow l % flows only */
	for (s = 0; s < 4; s++) {
		assert_int_equal(frame_flow_port(10000, 2, 3, 2, s), 10000);
		assert_int_equal(frame_flow_port(10000, 2, 3, 1, s), 10001);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csum_rfc1071),
	    cmocka_unit_test(test_csum_ipv4_vector),
	    cmocka_unit_test(test_round_trip_and_checksums),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_flow_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
