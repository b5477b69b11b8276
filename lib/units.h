/* Numbers with units, parsed the same way by the cfg files, mir-perf,
 * mir-trafgen and mir-monitor. Every parser takes the whole token (no leading
 * or trailing junk, no sign, no exponent, no hex) and returns 0, -EINVAL for a
 * token of the wrong form or -ERANGE for a value outside the allowed range. */
#ifndef MP_UNITS_H
#define MP_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "max": as fast as the generator can. */
#define UNITS_RATE_MAX UINT64_MAX
#define UNITS_RATE_MIN 1ULL
#define UNITS_RATE_LIMIT 100000000ULL /* 100M pps */

/* Ethernet frame sizes including the 4-byte FCS, as RFC 2544 counts them. */
#define UNITS_FRAME_MIN 64U
#define UNITS_FRAME_MAX 9018U
#define UNITS_FCS_LEN 4U

/* Packets per second: 250000, 250k, 1.5M (1..100M) or "max" if allow_max. */
int units_parse_rate(const char *s, int allow_max, uint64_t *pps);
/* Frame size in bytes, 64..9018. -ERANGE also for 60..63, which harness/config/rangelist.c
 * explains as a size without its FCS. */
int units_parse_frame_size(const char *s, uint32_t *bytes);
/* A plain count with optional k/M suffix: 100000, 100k, 1.5M. */
int units_parse_count(const char *s, uint64_t *n);
/* Duration: 10 (seconds), 10s, 1.5s, 500ms, 250us, 2m. Result in ns. */
int units_parse_duration(const char *s, uint64_t *ns);
/* Plain unsigned decimal integer in [min, max]. */
int units_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v);

/* Human forms: "1.50 Mpps", "250 kpps", "812 Mbit/s", "1.2 Gbit/s". */
void units_fmt_pps(char *buf, size_t len, double pps);
void units_fmt_bps(char *buf, size_t len, double bits_per_sec);
/* A duration for people: "500 ms", "1.5 s", "10 s", "1 min 24 s", "2 h 5 min". */
void units_fmt_duration(char *buf, size_t len, uint64_t ns);
/* L1 bit rate of a frame rate: frame size (with FCS) plus 20 bytes of preamble and gap. */
double units_l1_bps(double pps, uint32_t frame_size);
double units_l2_bps(double pps, uint32_t frame_size);

#endif
