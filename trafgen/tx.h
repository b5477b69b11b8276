/* The generator: sends pre-built frames on one interface through an
 * AF_PACKET socket with the qdisc bypassed, in batches of sendmmsg, or
 * through AF_XDP sockets (xsk.h; p->backend, auto by default: AF_XDP when
 * every thread binds a queue of its own), either
 * as fast as possible or paced on absolute deadlines (see pacer.h), in a
 * thread of its own so the caller can read the figures while it runs.
 * Every frame carries the stream id, its sequence number and its TX time;
 * at the end a few FIN frames announce how many were sent (not counted in
 * `sent`). A failed send is counted and the same frame retried, so the
 * sequence has no hole the sink would count as the DUT's loss.
 * With p->threads > 1 each thread is a lane (frame.h) with its own socket,
 * sequence and share of the rate and count. */
#ifndef MP_TRAFGEN_TX_H
#define MP_TRAFGEN_TX_H

#include <stdint.h>

#include "trafgen/agent_client.h"

#define TX_FIN_FRAMES 4

struct tx_engine;

/* Validate p, open the socket and start sending. Errors: -EINVAL (bad
 * parameter), -ENODEV (no such device), -ERANGE (address outside
 * 198.18.0.0/15), or the socket's errno. */
int tx_engine_start(const struct tg_tx_params *p, struct tx_engine **out);
void tx_engine_stop(struct tx_engine *e);
int tx_engine_done(struct tx_engine *e);
void tx_engine_report(struct tx_engine *e, struct tg_tx_report *r);
/* Stop, wait for the thread, return its status (0 or a negative errno of a
 * send error that ended the run). */
int tx_engine_join(struct tx_engine *e);
void tx_engine_free(struct tx_engine *e);

#endif
