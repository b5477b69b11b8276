/* The traff-gen guest's settings, read by its /init (mir-geninit) from the
 * kernel command line that harness/platform/xen/xl_config.c writes:
 *   mirperf.mode=gen|fwd  mirperf.ctl=198.18.255.2/30  mirperf.port=7000
 *   mirperf.token=<16..64 of [A-Za-z0-9]>  mirperf.goodput=1
 * gen needs ctl and token; fwd takes neither. goodput=1 (the goodput and rr
 * modes, both kinds): gen splits the server's namespace off with eth1, fwd
 * forwards both ways. Other words are the kernel's. */
#ifndef MP_GENINIT_CMDLINE_H
#define MP_GENINIT_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

#define GENINIT_TOKEN_MAX 64

enum geninit_mode { GENINIT_MODE_NONE = 0, GENINIT_MODE_GEN, GENINIT_MODE_FWD };

struct geninit_cfg {
	enum geninit_mode mode;
	uint32_t ctl_addr; /* host byte order, inside 198.18.0.0/15 */
	unsigned ctl_prefix;
	uint16_t port; /* agent's TCP port, default 7000 */
	char token[GENINIT_TOKEN_MAX + 1];
	int goodput; /* mirperf.goodput=1 */
};

/* 0, or -EINVAL with err naming the bad word and what was expected. */
int geninit_parse_cmdline(const char *line, struct geninit_cfg *out, char *err, size_t errlen);

#endif
