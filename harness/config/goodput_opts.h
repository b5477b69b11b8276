/* The goodput mode's options as written in mir-perf.conf and on the command
 * line: mode = frames|goodput, streams = 1 4, protocol = tcp,udp,
 * bitrate = 10M 100M, server = sink|dut. Plain parsers with no dependency, as search_opts. */
#ifndef MP_GOODPUT_OPTS_H
#define MP_GOODPUT_OPTS_H

#include <stdint.h>

#include "harness/config/run_cfg.h"

/* "frames", "goodput" or "rr"; -EINVAL otherwise. */
int goodput_parse_mode(const char *s, enum run_mode *mode);
const char *goodput_mode_name(enum run_mode mode);
/* "sink" or "dut"; -EINVAL otherwise. */
int goodput_parse_server(const char *s, enum run_server *server);
const char *goodput_server_name(enum run_server server);
/* Up to RUN_MAX_STREAMS_N stream counts 1..128, blank- or comma-separated,
 * repeats dropped, in the order written. */
int goodput_parse_streams(const char *s, unsigned *v, unsigned *n);
/* "tcp", "udp", "tcp,udp" (either order) into RUN_PROTO_* bits. */
int goodput_parse_protocols(const char *s, unsigned *mask);
/* Up to RUN_MAX_BITRATES UDP target bitrates in bit/s, 1k..100G, written
 * like 500k, 10M, 1.5G or 2000000, blank- or comma-separated. A bitrate is
 * the whole point's, split evenly over its streams (iperf3's -b is per
 * stream), so points of different stream counts offer the same load. */
int goodput_parse_bitrates(const char *s, uint64_t *v, unsigned *n);

#endif
