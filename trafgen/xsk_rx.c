/* The sink's AF_XDP receive path with libxdp (xsk.h: xsk_rx). */
#include "trafgen/xsk.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <xdp/xsk.h>

#include "trafgen/xsk_int.h"

/* Half a page per frame: after XDP's 256 bytes of headroom a standard
 * MTU's frame fits (an MTU of up to 1774; larger ones keep the rings). A
 * queue's UMEM holds XR_POOL frames (32 MiB), all on its fill ring while
 * free: 16 ms of a 1 Mpps queue during which the sink may be kept off the
 * CPU (a busy machine) before the kernel drops. */
#define XR_FRAME 2048u
#define XR_POOL	 16384u

struct xr_queue {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp, rx;
	uint64_t drops_seen; /* the kernel's cumulative count, last read */
};

struct xsk_rx {
	unsigned nq;
	unsigned next_q;	 /* received from next */
	unsigned last_q, last_n; /* the batch not released yet */
	uint32_t last_idx;
	int zerocopy;
	int map_fd, link_fd; /* the sink's program (xsk_stamp.c), or -1: libxdp's */
	struct xr_queue q[XSK_FWD_QUEUES];
};

static int xr_queue_open(const char *ifname, unsigned qi, int map_fd, struct xr_queue *q)
{
	struct xsk_umem_config uc = {.fill_size = XR_POOL,
				     .comp_size = XSK_RX_BATCH, /* nothing is sent */
				     .frame_size = XR_FRAME,
				     .frame_headroom = 0,
				     .flags = 0};
	/* Without the sink's program, libxdp's (redirect to the socket of
	 * the frame's queue, pass the rest) is attached with the first
	 * socket; native only: generic XDP copies each frame once more than
	 * the rings do. */
	struct xsk_socket_config sc = {.rx_size = XR_POOL,
				       .tx_size = 0,
				       .libxdp_flags =
					   map_fd >= 0 ? XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD : 0,
				       .xdp_flags = XDP_FLAGS_DRV_MODE,
				       .bind_flags = XDP_USE_NEED_WAKEUP};
	size_t len = (size_t)XR_POOL * XR_FRAME;
	uint32_t idx, i;
	int rc;

	q->area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q->area == MAP_FAILED) {
		q->area = NULL;
		return -errno;
	}
	rc = xsk_umem__create(&q->umem, q->area, len, &q->fill, &q->comp, &uc);
	if (rc) {
		q->umem = NULL;
		return rc < 0 ? rc : -rc;
	}
	rc = xsk_socket__create(&q->xsk, ifname, qi, q->umem, &q->rx, NULL, &sc);
	if (rc) {
		q->xsk = NULL;
		return rc < 0 ? rc : -rc;
	}
	if (map_fd >= 0) {
		rc = xsk_socket__update_xskmap(q->xsk, map_fd);
		if (rc)
			return rc < 0 ? rc : -rc;
	}
	/* Every frame onto the fill ring (it holds them all). */
	if (xsk_ring_prod__reserve(&q->fill, XR_POOL, &idx) != XR_POOL)
		return -ENOBUFS;
	for (i = 0; i < XR_POOL; i++)
		*xsk_ring_prod__fill_addr(&q->fill, idx + i) = (uint64_t)i * XR_FRAME;
	xsk_ring_prod__submit(&q->fill, XR_POOL);
	return 0;
}

void xsk_rx_close(struct xsk_rx *x)
{
	unsigned i;

	if (!x)
		return;
	/* Sockets first: the last one's deletion detaches the program. */
	for (i = 0; i < XSK_FWD_QUEUES; i++)
		if (x->q[i].xsk)
			xsk_socket__delete(x->q[i].xsk);
	if (x->link_fd >= 0)
		close(x->link_fd);
	if (x->map_fd >= 0)
		close(x->map_fd);
	for (i = 0; i < XSK_FWD_QUEUES; i++) {
		if (x->q[i].umem)
			xsk_umem__delete(x->q[i].umem);
		if (x->q[i].area)
			munmap(x->q[i].area, (size_t)XR_POOL * XR_FRAME);
	}
	free(x);
}

int xsk_rx_open(const char *ifname, struct xsk_rx **out)
{
	struct xdp_options opts;
	socklen_t optlen = sizeof(opts);
	struct xsk_rx *x;
	unsigned i;
	int rc;

	*out = NULL;
	xsk_quiet_libs();
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->map_fd = x->link_fd = -1;
	rc = xsk_dev_queues(ifname, XR_FRAME, &x->nq);
	/* The sink's program where the kernel takes it, else libxdp's (the
	 * attach's verdict on native XDP comes from whichever is tried). */
	if (!rc && xsk_stamp_attach(ifname, x->nq, &x->map_fd, &x->link_fd))
		x->map_fd = x->link_fd = -1;
	for (i = 0; !rc && i < x->nq; i++)
		rc = xr_queue_open(ifname, i, x->map_fd, &x->q[i]);
	if (rc) {
		xsk_rx_close(x);
		/* The attach refused (no native XDP): the kernel says -EINVAL
		 * or -EOPNOTSUPP, the caller hears one of them. */
		return rc == -EINVAL ? -EOPNOTSUPP : rc;
	}
	if (!getsockopt(xsk_socket__fd(x->q[0].xsk), SOL_XDP, XDP_OPTIONS, &opts, &optlen))
		x->zerocopy = !!(opts.flags & XDP_OPTIONS_ZEROCOPY);
	*out = x;
	return 0;
}

unsigned xsk_rx_queues(const struct xsk_rx *x)
{
	return x->nq;
}

const char *xsk_rx_mode(const struct xsk_rx *x)
{
	static const char *const m[2][2] = {
	    {"native, copy, batch time", "native, copy, stamped"},
	    {"native, zero-copy, batch time", "native, zero-copy, stamped"}};

	return m[!!x->zerocopy][x->map_fd >= 0];
}

unsigned xsk_rx_recv(struct xsk_rx *x, struct xsk_rx_frame *f, unsigned n)
{
	unsigned k;

	if (n > XSK_RX_BATCH)
		n = XSK_RX_BATCH;
	x->last_n = 0;
	for (k = 0; k < x->nq; k++) {
		unsigned qi = x->next_q;
		struct xr_queue *q = &x->q[qi];
		uint32_t idx, m, i;

		x->next_q = qi + 1 == x->nq ? 0 : qi + 1;
		m = xsk_ring_cons__peek(&q->rx, n, &idx);
		if (!m)
			continue;
		for (i = 0; i < m; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx, idx + i);

			uint8_t *data = xsk_umem__get_data(q->area, d->addr);

			f[i].data = data;
			f[i].len = d->len;
			f[i].ts_ns = 0;
			/* Cleared once read: a frame the program could not
			 * stamp finds 0 there, not a stamp of the frame
			 * before it in this UMEM frame. */
			if (x->map_fd >= 0) {
				memcpy(&f[i].ts_ns, data - XSK_STAMP_LEN, XSK_STAMP_LEN);
				memset(data - XSK_STAMP_LEN, 0, XSK_STAMP_LEN);
			}
		}
		x->last_q = qi;
		x->last_n = m;
		x->last_idx = idx;
		return m;
	}
	return 0;
}

void xsk_rx_release(struct xsk_rx *x)
{
	struct xr_queue *q = &x->q[x->last_q];
	uint32_t idx, i, n = x->last_n;

	if (!n)
		return;
	/* The fill ring holds the whole pool: there is room for these. */
	if (xsk_ring_prod__reserve(&q->fill, n, &idx) == n) {
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&q->fill, idx + i) =
			    xsk_ring_cons__rx_desc(&q->rx, x->last_idx + i)->addr;
		xsk_ring_prod__submit(&q->fill, n);
	}
	xsk_ring_cons__release(&q->rx, n);
	x->last_n = 0;
	/* A zero-copy driver out of fill descriptors waits to be woken. */
	if (xsk_ring_prod__needs_wakeup(&q->fill))
		recvfrom(xsk_socket__fd(q->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

int xsk_rx_wait(struct xsk_rx *x, int timeout_ms)
{
	struct pollfd pfd[XSK_FWD_QUEUES];
	unsigned i;
	int rc;

	for (i = 0; i < x->nq; i++) {
		pfd[i].fd = xsk_socket__fd(x->q[i].xsk);
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	rc = poll(pfd, x->nq, timeout_ms);
	if (rc < 0 && errno != EINTR)
		return -errno;
	return rc < 0 ? 0 : rc;
}

int xsk_rx_drops(struct xsk_rx *x, uint64_t *drops)
{
	unsigned i;

	*drops = 0;
	for (i = 0; i < x->nq; i++) {
		struct xr_queue *q = &x->q[i];
		int rc = xsk_sock_drops(xsk_socket__fd(q->xsk), &q->drops_seen, drops);

		if (rc)
			return rc;
	}
	return 0;
}
