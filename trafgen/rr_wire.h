/* The wire format of mir-trafgen rr (rr_client.h, rr_server.h): TCP
 * request/response as netperf's TCP_RR, one outstanding transaction per
 * connection. A connection opens with one header (all fields big-endian):
 *   magic "MPRR", kind, request size Q, response size R
 * then, for RR_KIND_DATA, repeats: the client writes Q bytes, the server reads
 * all Q and writes R bytes. For RR_KIND_STATS the server answers once with
 * struct rr_wire_stats and closes: its process CPU time, its monotonic clock
 * and the transactions it has answered, which the client samples before and
 * after its run to give the server's CPU use and a count to check its own
 * against. */
#ifndef MP_TRAFGEN_RR_WIRE_H
#define MP_TRAFGEN_RR_WIRE_H

#include <stdint.h>

#define RR_MAGIC      0x4d505252u /* "MPRR" */
#define RR_KIND_DATA  1u
#define RR_KIND_STATS 2u
#define RR_SIZE_MIN   1u
#define RR_SIZE_MAX   (1024u * 1024u) /* request or response, bytes */
#define RR_PORT	      12865	      /* netperf's port: nobody else's in our namespaces */
#define RR_MAX_CONNS  128u

struct rr_wire_hdr {
	uint32_t magic, kind, req, resp;
};

struct rr_wire_stats {
	uint64_t cpu_ns, mono_ns, served;
};

#endif
