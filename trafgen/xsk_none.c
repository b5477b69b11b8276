/* xsk.h without libxdp (the static mir-trafgen of the Xen traff-gen
 * initramfs): there is no AF_XDP backend, and the generator uses AF_PACKET. */
#include "trafgen/xsk.h"

#include <errno.h>
#include <stddef.h>

int xsk_tx_open(const char *ifname, unsigned queue, const uint8_t *frame, uint32_t len,
		struct xsk_tx **out)
{
	(void)ifname;
	(void)queue;
	(void)frame;
	(void)len;
	*out = NULL;
	return -EOPNOTSUPP;
}

void xsk_tx_close(struct xsk_tx *x)
{
	(void)x;
}

unsigned xsk_tx_reserve(struct xsk_tx *x, unsigned n, uint8_t **bufs)
{
	(void)x;
	(void)n;
	(void)bufs;
	return 0;
}

void xsk_tx_submit(struct xsk_tx *x, unsigned n)
{
	(void)x;
	(void)n;
}

int xsk_tx_kick(struct xsk_tx *x)
{
	(void)x;
	return -EOPNOTSUPP;
}

unsigned xsk_tx_in_flight(const struct xsk_tx *x)
{
	(void)x;
	return 0;
}
