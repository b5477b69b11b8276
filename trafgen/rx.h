/* The sink: counts the frames of mir-trafgen streams arriving on one
 * interface, per stream (received, lost, reordered, duplicated, bytes) with
 * one-way latency percentiles, in a thread of its own so the caller (the CLI
 * or the agent) can read the figures while it runs.
 *
 * Each lane (sending thread) of a stream has its own sequence.
 * Loss: sequence gaps, plus the tail announced by the generator's FIN frames
 * (frames sent after the last one received). A frame arriving after a later
 * one was seen is reordered (and no longer lost); one seen twice within the
 * last SEQ_WINDOW sequence numbers (seqtrack.h) is a duplicate. */
#ifndef MP_TRAFGEN_RX_H
#define MP_TRAFGEN_RX_H

#include <stdint.h>

#include "trafgen/agent_client.h"

#define RX_MAX_STREAMS 64

struct rx_stream_report {
	uint32_t stream;
	uint64_t received, bytes, lost, reordered, duplicated;
	uint64_t fin_total; /* frames the generator said it sent (lanes whose FIN
			     * arrived); 0 = no FIN seen */
};

struct rx_engine;

/* Open the ring on p->dev and start counting. p->stream may be
 * TG_STREAM_ANY. Errors: -EINVAL/-ENODEV for the device, others from the
 * socket. ring_mb: receive ring size (0 = default). */
int rx_engine_start(const struct tg_rx_params *p, unsigned ring_mb, struct rx_engine **out);
/* Ask the thread to finish (it ends by itself on count or duration). */
void rx_engine_stop(struct rx_engine *e);
/* Non-zero once the thread has ended. */
int rx_engine_done(struct rx_engine *e);
/* Figures so far (final once done). */
void rx_engine_report(struct rx_engine *e, struct tg_rx_report *r);
/* Per-stream figures: fills up to max entries, returns how many streams. */
int rx_engine_streams(struct rx_engine *e, struct rx_stream_report *s, int max);
/* Stop, wait for the thread, and return its status (0 or a negative errno
 * of a receive error). */
int rx_engine_join(struct rx_engine *e);
void rx_engine_free(struct rx_engine *e);

#endif
