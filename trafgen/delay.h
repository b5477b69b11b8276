/* A delay line for mir-trafgen fwd --delay D: each frame is held D after it
 * arrived and then sent on, in arrival order (the delay is the same for all,
 * so a FIFO is in due order), by a thread of its own, so that the forwarder
 * keeps receiving meanwhile. A DUT of known added latency: this kernel has no
 * sch_netem. Frames beyond DELAY_SLOTS held at once are dropped (counted). */
#ifndef MP_TRAFGEN_DELAY_H
#define MP_TRAFGEN_DELAY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DELAY_SLOTS    1024u
#define DELAY_FRAME_MAX 9216u

struct delay_line;

/* Sends one frame on; returns the bytes sent or -1 with errno (the line
 * counts a failure and goes on). */
typedef ssize_t (*delay_send_fn)(void *ctx, const void *buf, size_t len);

/* 0 or a negative errno. */
int delay_open(uint64_t delay_ns, delay_send_fn send, void *ctx, struct delay_line **out);
/* Hold a copy of buf; len on success, -1 with errno ENOBUFS (full) or
 * EMSGSIZE (over DELAY_FRAME_MAX): the caller counts it as a send error. */
ssize_t delay_push(struct delay_line *d, const void *buf, size_t len);
/* Frames the sending thread failed to send. */
uint64_t delay_send_errors(struct delay_line *d);
/* Stop the thread (what is still held is dropped) and free; NULL is fine. */
void delay_close(struct delay_line *d);

#endif
