/* The frames mir-trafgen sends and recognises: Ethernet II / IPv4 / UDP with
 * correct IPv4 header and UDP checksums, and an 18-byte payload header that
 * fits the smallest frame (64 bytes with FCS = 60 on the wire handed to the
 * kernel, 18 bytes of UDP payload):
 *
 *   0..1   magic 0x4d50 ("MP")
 *   2      version (bits 7-6, 1) | lane (bits 5-3) | flags (bits 2-0: FRAME_F_FIN)
 *   3..6   stream id, big endian
 *   7..12  sequence number, 48 bits big endian (FIN: the number of frames sent)
 *   13..17 TX time, CLOCK_MONOTONIC ns, low 40 bits big endian
 *
 * A lane is one sending thread of a stream: each numbers its frames from 0,
 * and the sink follows each lane's sequence apart.
 * 40 bits of nanoseconds wrap every 1099 s; a one-way latency is the
 * difference modulo 2^40, exact for any latency under 18 minutes.
 * The rest of the payload is zero. IPv4 ID is 0 with DF set, so the IPv4
 * checksum is fixed per template; only the UDP source port (--flows), the
 * sequence number and the timestamp change per frame, and the UDP checksum is
 * updated from a precomputed partial sum. */
#ifndef MP_TRAFGEN_FRAME_H
#define MP_TRAFGEN_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAGIC	      0x4d50u
#define FRAME_VERSION	      1u
#define FRAME_F_FIN	      0x1u
#define FRAME_LANES	      8u
#define FRAME_HDR_LEN	      42u /* Ethernet 14 + IPv4 20 + UDP 8 */
#define FRAME_PAYLOAD_HDR_LEN 18u
#define FRAME_SEQ_MASK	      ((1ULL << 48) - 1)
#define FRAME_TS_MASK	      ((1ULL << 40) - 1)
#define FRAME_OFF_SPORT	      34u
#define FRAME_OFF_UDP_CSUM    40u
#define FRAME_OFF_PAYLOAD     42u

struct frame_spec {
	uint8_t src_mac[6], dst_mac[6];
	uint32_t src_ip, dst_ip; /* host byte order */
	uint16_t sport, dport;
	uint32_t size; /* with FCS, 64..9018 */
	uint32_t stream;
	uint32_t lane; /* 0..FRAME_LANES-1 */
};

/* Precomputed for the per-frame patching. */
struct frame_template {
	uint32_t len; /* bytes handed to the kernel: size - FCS */
	uint32_t lane;
	uint32_t udp_base; /* ones-complement partial sum of pseudo header + UDP
			    * without source port, checksum and payload header */
};

struct frame_info {
	uint32_t stream;
	uint32_t lane;
	uint32_t flags;
	uint64_t seq;
	uint64_t ts40; /* low 40 bits of the TX time */
	uint16_t sport, dport;
	uint32_t len;
};

/* The UDP source port of frame seq of a lane, with `flows` flows
 * (ports sport..sport+flows-1) spread over `lanes` sending threads: each
 * flow belongs to one lane (flow f to lane f % lanes), so a flow's frames
 * leave through one TX queue in order, as one queue of a NIC's RSS would
 * receive them; a lane cycles through its own flows. With fewer flows than
 * lanes, lane l sends flow l % flows. */
uint16_t frame_flow_port(uint16_t sport, uint32_t flows, uint32_t lanes, uint32_t lane,
			 uint64_t seq);

/* Ones-complement sum of len bytes added to sum (not folded, not inverted). */
uint32_t frame_csum_add(uint32_t sum, const void *data, size_t len);
/* Fold and invert: the checksum to store. */
uint16_t frame_csum_fold(uint32_t sum);

/* Write the frame for spec into buf (at least spec->size - 4 bytes) with
 * sequence 0, time 0, and fill tpl. Returns 0 or -EINVAL for a bad size. */
int frame_build(const struct frame_spec *spec, uint8_t *buf, size_t buf_len,
		struct frame_template *tpl);
/* Patch source port, flags, sequence, TX time and the UDP checksum of a frame
 * made by frame_build. */
void frame_stamp(uint8_t *buf, const struct frame_template *tpl, uint16_t sport, uint32_t flags,
		 uint64_t seq, uint64_t ts_ns);
/* Recognise one of our frames. Returns 0, or -EINVAL when it is not one
 * (wrong EtherType, not UDP in IPv4, too short, bad magic or version). */
int frame_parse(const uint8_t *buf, size_t len, struct frame_info *out);
/* 0 when both the IPv4 header and the UDP checksum verify, else -EBADMSG. */
int frame_verify_checksums(const uint8_t *buf, size_t len);

/* "02:00:00:00:00:01" -> 6 bytes; 0 or -EINVAL. */
int frame_parse_mac(const char *s, uint8_t mac[6]);
void frame_fmt_mac(char *buf, size_t len, const uint8_t mac[6]);
/* Dotted quad inside 198.18.0.0/15 (benchmark range, RFC 2544): 0, -EINVAL
 * for a malformed address, -ERANGE for one outside the range. */
int frame_parse_ip(const char *s, uint32_t *ip);
void frame_fmt_ip(char *buf, size_t len, uint32_t ip);
int frame_ip_in_bench_range(uint32_t ip);

#endif
