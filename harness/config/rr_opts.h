/* The rr mode's size list (mode = rr): cfg/range-rrsz or --rr-sizes, entries
 * "Q" (a Q-byte request and a Q-byte response, netperf's -r Q) or "Q/R" (a
 * Q-byte request and an R-byte response), each 1..RR_SIZE_MAX_BYTES,
 * separated by blanks, commas or newlines, '#' comments to the end of the
 * line; repeats dropped. An entry is stored in a run_list value as
 * RR_SIZE_PACK(Q, R). Plain parsers with no dependency, as goodput_opts. */
#ifndef MP_RR_OPTS_H
#define MP_RR_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

#define RR_SIZE_MAX_BYTES (1024u * 1024u) /* trafgen/rr_wire.h's RR_SIZE_MAX */
#define RR_TIMEOUT_DEFAULT_NS (2ULL * 1000000000ULL)
#define RR_SIZE_PACK(q, r) (((uint64_t)(q) << 32) | (uint32_t)(r))
static inline uint32_t rr_size_req(uint64_t v)
{
	return (uint32_t)(v >> 32);
}
static inline uint32_t rr_size_resp(uint64_t v)
{
	return (uint32_t)v;
}

/* Parse the list in text (origin names it in messages: "--rr-sizes",
 * "cfg/range-rrsz") into out (zeroed or released). 0, or -EINVAL with one
 * line in err: "ORIGIN:LINE:COL: expected ..., got 'TOKEN'"; out is then
 * empty. */
int rr_sizes_parse(const char *text, const char *origin, struct run_list *out, char *err,
		   size_t len);
/* The same from a file (at most RUN_CFG_FILE_MAX bytes); origin = path. */
int rr_sizes_parse_file(const char *path, struct run_list *out, char *err, size_t len);
/* "64/1024" or "64" when both are equal. */
void rr_size_text(char *buf, size_t len, uint64_t v);

#endif
