#include "trafgen/xsk.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <xdp/xsk.h>

#define XSK_FRAME_SIZE 2048u /* a standard MTU's frame; larger ones use AF_PACKET */

struct xsk_tx {
	void *area;
	size_t area_len;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp;
	uint32_t len;
	uint32_t next;	    /* the next UMEM frame to use, round robin */
	uint32_t reserved;  /* tx descriptors reserved, not submitted */
	uint32_t idx;	    /* the first of them */
	unsigned in_flight; /* submitted, not completed */
};

int xsk_tx_open(const char *ifname, unsigned queue, const uint8_t *frame, uint32_t len,
		struct xsk_tx **out)
{
	struct xsk_umem_config uc = {.fill_size = XSK_TX_FRAMES,
				     .comp_size = XSK_TX_FRAMES,
				     .frame_size = XSK_FRAME_SIZE,
				     .frame_headroom = 0,
				     .flags = 0};
	/* Transmit only: no XDP program is loaded (nothing is received here). */
	struct xsk_socket_config sc = {.rx_size = 0,
				       .tx_size = XSK_TX_FRAMES,
				       .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
				       .xdp_flags = 0,
				       .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP};
	struct xsk_tx *x;
	unsigned i;
	int rc;

	*out = NULL;
	if (len > XSK_FRAME_SIZE)
		return -EMSGSIZE;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->len = len;
	x->area_len = (size_t)XSK_TX_FRAMES * XSK_FRAME_SIZE;
	x->area = mmap(NULL, x->area_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (x->area == MAP_FAILED) {
		x->area = NULL;
		rc = -errno;
		goto err;
	}
	for (i = 0; i < XSK_TX_FRAMES; i++)
		memcpy((uint8_t *)x->area + (size_t)i * XSK_FRAME_SIZE, frame, len);
	rc = xsk_umem__create(&x->umem, x->area, x->area_len, &x->fill, &x->comp, &uc);
	if (rc)
		goto err;
	rc = xsk_socket__create(&x->xsk, ifname, queue, x->umem, NULL, &x->tx, &sc);
	if (rc)
		goto err;
	*out = x;
	return 0;
err:
	xsk_tx_close(x);
	return rc < 0 ? rc : -rc;
}

void xsk_tx_close(struct xsk_tx *x)
{
	if (!x)
		return;
	if (x->xsk)
		xsk_socket__delete(x->xsk);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area)
		munmap(x->area, x->area_len);
	free(x);
}

unsigned xsk_tx_reserve(struct xsk_tx *x, unsigned n, uint8_t **bufs)
{
	unsigned free_frames = XSK_TX_FRAMES - x->in_flight, i;
	uint32_t idx;

	if (n > free_frames)
		n = free_frames;
	if (!n || !(n = xsk_ring_prod__reserve(&x->tx, n, &idx)))
		return 0;
	x->idx = idx;
	x->reserved = n;
	for (i = 0; i < n; i++) {
		struct xdp_desc *d = xsk_ring_prod__tx_desc(&x->tx, idx + i);
		uint64_t addr = (uint64_t)x->next * XSK_FRAME_SIZE;

		/* A frame is reused only after its completion: in_flight bounds it. */
		x->next = x->next + 1 == XSK_TX_FRAMES ? 0 : x->next + 1;
		d->addr = addr;
		d->len = x->len;
		bufs[i] = (uint8_t *)x->area + addr;
	}
	return n;
}

void xsk_tx_submit(struct xsk_tx *x, unsigned n)
{
	if (n > x->reserved)
		n = x->reserved;
	xsk_ring_prod__submit(&x->tx, n);
	x->in_flight += n;
	x->reserved = 0;
}

int xsk_tx_kick(struct xsk_tx *x)
{
	uint32_t idx, done;

	if (xsk_ring_prod__needs_wakeup(&x->tx) &&
	    sendto(xsk_socket__fd(x->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN &&
	    errno != EBUSY && errno != ENOBUFS && errno != EINTR)
		return -errno;
	done = xsk_ring_cons__peek(&x->comp, XSK_TX_FRAMES, &idx);
	if (done) {
		xsk_ring_cons__release(&x->comp, done);
		x->in_flight -= done;
	}
	return (int)done;
}

unsigned xsk_tx_in_flight(const struct xsk_tx *x)
{
	return x->in_flight;
}
