/* Client of the mir-trafgen agent's control channel, linked by the harness.
 *
 * Implemented in $(LIBTGCLIENT) (link $(LIBMP) after it); the harness calls
 * it. The agent (trafgen/agent.c) is the other end of the same protocol.
 *
 * The protocol is one JSON object per line over a stream socket (unix:PATH or
 * tcp:ADDR:PORT). The first request must be {"cmd":"hello","token":"..."};
 * the agent compares the token in constant time and closes the connection on
 * a mismatch. Every request gets exactly one reply line {"ok":true,...} or
 * {"ok":false,"error":"..."}. */
#ifndef MP_AGENT_CLIENT_H
#define MP_AGENT_CLIENT_H

#include <stdint.h>
#include <net/if.h>

struct agent_client;

struct tg_tx_params {
	char dev[IFNAMSIZ];
	uint32_t size;	      /* frame size with FCS, 64..9018 */
	uint64_t rate;	      /* pps; UNITS_RATE_MAX = as fast as possible */
	uint64_t duration_ns; /* 0 = until count or stop */
	uint64_t count;	      /* 0 = until duration or stop */
	uint8_t src_mac[6], dst_mac[6];
	uint32_t src_ip, dst_ip; /* host byte order; 198.18.0.0/15 */
	uint16_t sport, dport;
	uint32_t flows;	  /* UDP source ports sport..sport+flows-1; >= 1 */
	uint32_t stream;  /* stream id carried in every frame */
	int cpu;	  /* -1 = no pinning; with threads, thread i on cpu + i */
	uint32_t threads; /* sending threads (lanes, 1..8) sharing rate and count;
			   * 0 = 1. Extension: zeroed callers get one thread. */
	uint32_t backend; /* enum tg_backend; extension: zeroed callers get auto */
};

/* How the generator sends (trafgen/xsk.h): auto takes AF_XDP when every
 * thread can bind an XDP socket to a queue of its own and the frame fits,
 * else AF_PACKET. */
enum tg_backend { TG_BACKEND_AUTO = 0, TG_BACKEND_PACKET, TG_BACKEND_XDP };

/* tg_rx_params.stream: count the frames of every stream (extension). */
#define TG_STREAM_ANY UINT32_MAX

struct tg_rx_params {
	char dev[IFNAMSIZ];
	uint32_t stream;      /* count only frames of this stream, or TG_STREAM_ANY */
	uint64_t duration_ns; /* 0 = until stop */
	uint64_t count;	      /* 0 = until duration or stop */
	uint32_t backend;     /* enum tg_backend: how the sink receives (trafgen/rx.h:
			       * the TPACKET ring or AF_XDP); extension: zeroed
			       * callers get auto */
};

struct tg_tx_report {
	int running;
	uint64_t sent;	      /* frames the kernel accepted */
	uint64_t bytes;	      /* frame bytes without FCS, as handed to the kernel */
	uint64_t send_errors; /* every failed send, ENOBUFS included */
	uint64_t enobufs;
	uint64_t elapsed_ns;   /* first send to last send */
	double pps;	       /* achieved: sent / elapsed */
	double l2_bps, l1_bps; /* with FCS; L1 adds 20 bytes preamble + gap per frame */
	uint64_t target_pps;   /* what was asked; UNITS_RATE_MAX for max */
	uint32_t backend;      /* TG_BACKEND_PACKET or TG_BACKEND_XDP: what it sent with */
};

struct tg_rx_report {
	int running;
	uint64_t received, bytes;
	uint64_t lost, reordered, duplicated; /* from sequence numbers */
	uint64_t foreign;		      /* frames not ours or of another stream */
	uint64_t ring_drops; /* PACKET_STATISTICS: the sink's loss, not the DUT's */
	uint64_t elapsed_ns; /* first frame to last frame */
	double pps;
	/* one-way latency, ns, same host clock; 0 when nothing was received */
	uint64_t lat_min_ns, lat_max_ns;
	double lat_mean_ns;
	uint64_t lat_p50_ns, lat_p90_ns, lat_p99_ns, lat_p999_ns;
	uint32_t backend; /* TG_BACKEND_PACKET or TG_BACKEND_XDP: what it received with */
};

/* endpoint: "unix:/path" or "tcp:198.18.255.1:7000". token: the shared secret.
 * Returns 0 or a negative errno (-EACCES when the agent refused the token). */
int agent_client_connect(const char *endpoint, const char *token, uint64_t timeout_ns,
			 struct agent_client **out);
void agent_client_close(struct agent_client *c);

/* Start in the background in the agent; return once the engine is running. */
int agent_client_tx_start(struct agent_client *c, const struct tg_tx_params *p);
int agent_client_rx_start(struct agent_client *c, const struct tg_rx_params *p);
/* Current figures of the engines (running or finished), either may be NULL. */
int agent_client_status(struct agent_client *c, struct tg_tx_report *tx, struct tg_rx_report *rx);
/* Stop (if still running) and return the final report. */
int agent_client_tx_stop(struct agent_client *c, struct tg_tx_report *tx);
int agent_client_rx_stop(struct agent_client *c, struct tg_rx_report *rx);
/* Send one raw request line (no newline) and point *reply at the agent's
 * reply line (valid until the next call). For debugging tools and tests of
 * the agent (mir-trafgen ctl raw); 0 or a transport error, whatever the
 * reply says. Extension, not used by the harness. */
int agent_client_call_raw(struct agent_client *c, const char *line, const char **reply);
/* The last error text the agent sent, or "" */
const char *agent_client_last_error(const struct agent_client *c);

#endif
