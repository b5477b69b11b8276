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

int xsk_fwd_open(const char *in, const char *out, int bidir, unsigned queue_mb,
		 struct xsk_fwd **outp, const char **bad_dev)
{
	(void)queue_mb;
	(void)in;
	(void)out;
	(void)bidir;
	(void)bad_dev;
	*outp = NULL;
	return -EOPNOTSUPP;
}

void xsk_fwd_close(struct xsk_fwd *x)
{
	(void)x;
}

const char *xsk_fwd_mode(const struct xsk_fwd *x)
{
	(void)x;
	return "none";
}

unsigned xsk_fwd_recv(struct xsk_fwd *x, int dir, struct xsk_fwd_frame *f, unsigned n)
{
	(void)x, (void)dir, (void)f, (void)n;
	return 0;
}

unsigned xsk_fwd_send(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f, unsigned n)
{
	(void)x, (void)dir, (void)f, (void)n;
	return 0;
}

void xsk_fwd_recycle(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f, unsigned n)
{
	(void)x, (void)dir, (void)f, (void)n;
}

int xsk_fwd_kick(struct xsk_fwd *x, int dir)
{
	(void)x, (void)dir;
	return -EOPNOTSUPP;
}

int xsk_fwd_wait(struct xsk_fwd *x, int dir, int timeout_ms)
{
	(void)x, (void)dir, (void)timeout_ms;
	return -EOPNOTSUPP;
}

int xsk_fwd_drops(struct xsk_fwd *x, int dir, uint64_t *drops)
{
	(void)x, (void)dir;
	*drops = 0;
	return -EOPNOTSUPP;
}

int xsk_rx_open(const char *ifname, struct xsk_rx **out)
{
	(void)ifname;
	*out = NULL;
	return -EOPNOTSUPP;
}

void xsk_rx_close(struct xsk_rx *x)
{
	(void)x;
}

unsigned xsk_rx_queues(const struct xsk_rx *x)
{
	(void)x;
	return 0;
}

const char *xsk_rx_mode(const struct xsk_rx *x)
{
	(void)x;
	return "none";
}

unsigned xsk_rx_recv(struct xsk_rx *x, struct xsk_rx_frame *f, unsigned n)
{
	(void)x, (void)f, (void)n;
	return 0;
}

void xsk_rx_release(struct xsk_rx *x)
{
	(void)x;
}

int xsk_rx_wait(struct xsk_rx *x, int timeout_ms)
{
	(void)x, (void)timeout_ms;
	return -EOPNOTSUPP;
}

int xsk_rx_drops(struct xsk_rx *x, uint64_t *drops)
{
	(void)x;
	*drops = 0;
	return -EOPNOTSUPP;
}
