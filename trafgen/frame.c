#include "trafgen/frame.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"

#define ETH_TYPE_IPV4 0x0800u
#define IP_PROTO_UDP  17u

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

uint32_t frame_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t frame_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

int frame_build(const struct frame_spec *spec, uint8_t *buf, size_t buf_len,
		struct frame_template *tpl)
{
	uint32_t len, ip_len, udp_len, sum;
	uint8_t pseudo[12];
	uint8_t *ip, *udp;

	if (spec->size < UNITS_FRAME_MIN || spec->size > UNITS_FRAME_MAX ||
	    spec->lane >= FRAME_LANES)
		return -EINVAL;
	len = spec->size - UNITS_FCS_LEN;
	if (buf_len < len)
		return -EINVAL;
	ip_len = len - 14;
	udp_len = ip_len - 20;
	memset(buf, 0, len);

	memcpy(buf, spec->dst_mac, 6);
	memcpy(buf + 6, spec->src_mac, 6);
	put_be16(buf + 12, ETH_TYPE_IPV4);

	ip = buf + 14;
	ip[0] = 0x45; /* version 4, 5 words */
	put_be16(ip + 2, (uint16_t)ip_len);
	put_be16(ip + 6, 0x4000); /* DF: the ID never changes, so no fragments */
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put_be32(ip + 12, spec->src_ip);
	put_be32(ip + 16, spec->dst_ip);
	put_be16(ip + 10, frame_csum_fold(frame_csum_add(0, ip, 20)));

	udp = ip + 20;
	put_be16(udp + 2, spec->dport);
	put_be16(udp + 4, (uint16_t)udp_len);

	/* Partial sum of everything that never changes: pseudo header, dport,
	 * length and the zero padding after the payload header. */
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IP_PROTO_UDP;
	put_be16(pseudo + 10, (uint16_t)udp_len);
	sum = frame_csum_add(0, pseudo, sizeof(pseudo));
	sum = frame_csum_add(sum, udp + 2, 4);
	sum = frame_csum_add(sum, udp + 8 + FRAME_PAYLOAD_HDR_LEN,
			     udp_len - 8 - FRAME_PAYLOAD_HDR_LEN);
	tpl->len = len;
	tpl->lane = spec->lane;
	tpl->udp_base = sum;

	/* The stream id is fixed per template. */
	put_be32(buf + FRAME_OFF_PAYLOAD + 3, spec->stream);
	frame_stamp(buf, tpl, spec->sport, 0, 0, 0);
	return 0;
}

void frame_stamp(uint8_t *buf, const struct frame_template *tpl, uint16_t sport, uint32_t flags,
		 uint64_t seq, uint64_t ts_ns)
{
	uint8_t *h = buf + FRAME_OFF_PAYLOAD;
	uint32_t sum;
	uint16_t csum;
	int i;

	put_be16(buf + FRAME_OFF_SPORT, sport);
	put_be16(h, FRAME_MAGIC);
	h[2] = (uint8_t)(FRAME_VERSION << 6 | tpl->lane << 3 | (flags & 7));
	seq &= FRAME_SEQ_MASK;
	for (i = 0; i < 6; i++)
		h[7 + i] = (uint8_t)(seq >> (40 - 8 * i));
	ts_ns &= FRAME_TS_MASK;
	for (i = 0; i < 5; i++)
		h[13 + i] = (uint8_t)(ts_ns >> (32 - 8 * i));
	sum = tpl->udp_base + sport;
	sum = frame_csum_add(sum, h, FRAME_PAYLOAD_HDR_LEN);
	csum = frame_csum_fold(sum);
	put_be16(buf + FRAME_OFF_UDP_CSUM, csum ? csum : 0xffff); /* 0 means "none" in UDP */
}

int frame_parse(const uint8_t *buf, size_t len, struct frame_info *out)
{
	const uint8_t *ip, *udp, *h;
	uint64_t v;
	int i;

	if (len < FRAME_HDR_LEN + FRAME_PAYLOAD_HDR_LEN)
		return -EINVAL;
	if (get_be16(buf + 12) != ETH_TYPE_IPV4)
		return -EINVAL;
	ip = buf + 14;
	if (ip[0] != 0x45 || ip[9] != IP_PROTO_UDP)
		return -EINVAL;
	udp = ip + 20;
	h = udp + 8;
	if (get_be16(h) != FRAME_MAGIC || h[2] >> 6 != FRAME_VERSION)
		return -EINVAL;
	out->flags = h[2] & 7;
	out->lane = (h[2] >> 3) & 7;
	out->stream = get_be32(h + 3);
	for (v = 0, i = 0; i < 6; i++)
		v = v << 8 | h[7 + i];
	out->seq = v;
	for (v = 0, i = 0; i < 5; i++)
		v = v << 8 | h[13 + i];
	out->ts40 = v;
	out->sport = get_be16(udp);
	out->dport = get_be16(udp + 2);
	out->len = (uint32_t)len;
	return 0;
}

int frame_verify_checksums(const uint8_t *buf, size_t len)
{
	const uint8_t *ip = buf + 14, *udp = ip + 20;
	uint8_t pseudo[12];
	uint32_t sum;
	uint16_t udp_len;

	if (len < FRAME_HDR_LEN || frame_csum_fold(frame_csum_add(0, ip, 20)) != 0)
		return -EBADMSG;
	udp_len = get_be16(udp + 4);
	if (udp_len < 8 || (size_t)udp_len + 34 > len)
		return -EBADMSG;
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IP_PROTO_UDP;
	put_be16(pseudo + 10, udp_len);
	sum = frame_csum_add(0, pseudo, sizeof(pseudo));
	sum = frame_csum_add(sum, udp, udp_len);
	return frame_csum_fold(sum) == 0 ? 0 : -EBADMSG;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int frame_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	int i;

	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
				      &v[4], &v[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		const char *d = s + 3 * i;

		/* sscanf's %x accepts signs and spaces; insist on two hex digits. */
		if (!is_hex(d[0]) || !is_hex(d[1]) || (i < 5 && d[2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

void frame_fmt_mac(char *buf, size_t len, const uint8_t m[6])
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int frame_ip_in_bench_range(uint32_t ip)
{
	return (ip & 0xfffe0000u) == 0xc6120000u; /* 198.18.0.0/15 */
}

int frame_parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return frame_ip_in_bench_range(*ip) ? 0 : -ERANGE;
}

void frame_fmt_ip(char *buf, size_t len, uint32_t ip)
{
	struct in_addr a = {.s_addr = htonl(ip)};

	if (!inet_ntop(AF_INET, &a, buf, (socklen_t)len) && len)
		buf[0] = '\0';
}

uint16_t frame_flow_port(uint16_t sport, uint32_t flows, uint32_t lanes, uint32_t lane,
			 uint64_t seq)
{
	uint32_t own;

	if (!flows)
		flows = 1;
	if (!lanes)
		lanes = 1;
	if (flows < lanes)
		return (uint16_t)(sport + lane % flows);
	/* flows lane, lane + lanes, lane + 2 lanes, ... below flows */
	own = flows / lanes + (lane < flows % lanes);
	return (uint16_t)(sport + lane + lanes * (uint32_t)(seq % own));
}
