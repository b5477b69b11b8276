/* The forwarder's AF_XDP I/O with libxdp (xsk.h: xsk_fwd). */
#include "trafgen/xsk.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include "lib/log.h"
#include "trafgen/xsk_int.h"

/* A page per frame: the kernel puts a received frame XDP_PACKET_HEADROOM
 * into it, so frames up to XF_FRAME - 256 bytes fit (an MTU of 3800). */
#define XF_FRAME    4096u
#define XF_POOL_MIN 512u
#define XF_POOL_MAX 65536u

struct xf_sock {
	struct xsk_socket *xsk;
	struct xsk_ring_cons rx, comp_own;
	struct xsk_ring_prod tx, fill_own;
	struct xsk_ring_prod *fill; /* fill_own, or the UMEM's for its first socket */
	struct xsk_ring_cons *comp;
	uint64_t drops_seen; /* the kernel's cumulative count, last read */
};

struct xf_dev {
	char name[IFNAMSIZ];
	unsigned nq;
	struct xf_sock s[XSK_FWD_QUEUES];
};

struct xsk_fwd {
	uint32_t pool; /* frames per direction (its receive queue's depth); every
			* ring holds a whole pool, so none can overflow */
	void *area;
	size_t area_len;
	struct xsk_umem *umem;
	struct xsk_ring_prod fill0;
	struct xsk_ring_cons comp0;
	int umem_rings_used;
	struct xf_dev dev[2];  /* in, out */
	unsigned next_q[2];    /* per direction: the queue received from next */
	unsigned in_flight[2]; /* per direction: queued for sending, not completed */
	int zerocopy;
};

/* libbpf and libxdp explain a failed attach on stderr; the caller reports
 * the error once (and falls back to AF_PACKET), so only -v shows theirs. */
static int xf_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (log_get_level() < LOG_VERBOSE)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int xf_bpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return xf_print(level == LIBBPF_WARN ? LIBXDP_WARN : LIBXDP_DEBUG, fmt, ap);
}

void xsk_quiet_libs(void)
{
	libxdp_set_print(xf_print);
	libbpf_set_print(xf_bpf_print);
}

/* xsk_int.h; the forwarder's frames are a page, the sink's half one. */
int xsk_sock_drops(int fd, uint64_t *seen, uint64_t *drops)
{
	struct xdp_statistics st;
	socklen_t len = sizeof(st);
	uint64_t total;

	if (getsockopt(fd, SOL_XDP, XDP_STATISTICS, &st, &len))
		return -errno;
	total = st.rx_dropped + st.rx_ring_full;
	*drops += total - *seen;
	*seen = total;
	return 0;
}

int xsk_dev_queues(const char *name, unsigned frame, unsigned *nq)
{
	struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
	struct ifreq ifr;
	int fd, rc = 0;

	*nq = 1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFMTU, &ifr)) {
		rc = -errno;
		goto out;
	}
	if ((unsigned)ifr.ifr_mtu + XSK_L2 > frame - XDP_PACKET_HEADROOM) {
		rc = -EMSGSIZE;
		goto out;
	}
	ifr.ifr_data = (void *)&ch;
	if (!ioctl(fd, SIOCETHTOOL, &ifr) && ch.rx_count + ch.combined_count > 0)
		*nq = ch.rx_count + ch.combined_count;
	if (*nq > XSK_FWD_QUEUES)
		rc = -E2BIG;
out:
	close(fd);
	return rc;
}

/* One socket on queue q of dev: receiving (rx: the XDP program is loaded
 * with the first) and/or transmitting. */
static int xf_sock_open(struct xsk_fwd *x, struct xf_dev *dev, unsigned q, int rx, int tx)
{
	struct xf_sock *s = &dev->s[q];
	struct xsk_socket_config sc = {
	    .rx_size = rx ? x->pool : 0,
	    .tx_size = tx ? x->pool : 0,
	    .libxdp_flags = rx ? 0 : XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
	    .xdp_flags = XDP_FLAGS_DRV_MODE,
	    .bind_flags = XDP_USE_NEED_WAKEUP,
	};
	int rc;

	if (!x->umem_rings_used) {
		s->fill = &x->fill0;
		s->comp = &x->comp0;
		x->umem_rings_used = 1;
	} else {
		s->fill = &s->fill_own;
		s->comp = &s->comp_own;
	}
	rc = xsk_socket__create_shared(&s->xsk, dev->name, q, x->umem, rx ? &s->rx : NULL,
				       tx ? &s->tx : NULL, s->fill, s->comp, &sc);
	if (rc) {
		s->xsk = NULL;
		return rc < 0 ? rc : -rc;
	}
	return 0;
}

/* Frames back to the receive side of direction dir: to the fill ring of the
 * queue holding the fewest (the busy one), all of them fit in any. */
static void xf_refill(struct xsk_fwd *x, int dir, const uint64_t *addr, unsigned n)
{
	struct xf_dev *dev = &x->dev[dir];
	struct xsk_ring_prod *fill = dev->s[0].fill;
	uint32_t idx, least = UINT32_MAX;
	unsigned q, i;

	if (!n)
		return;
	for (q = 0; dev->nq > 1 && q < dev->nq; q++) {
		struct xsk_ring_prod *f = dev->s[q].fill;
		uint32_t held = *f->producer - __atomic_load_n(f->consumer, __ATOMIC_ACQUIRE);

		if (held < least) {
			least = held;
			fill = f;
		}
	}
	if (xsk_ring_prod__reserve(fill, n, &idx) != n)
		return; /* cannot happen: a ring holds the pool */
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(fill, idx + i) = addr[i];
	xsk_ring_prod__submit(fill, n);
}

void xsk_fwd_close(struct xsk_fwd *x)
{
	unsigned d, q;

	if (!x)
		return;
	for (d = 0; d < 2; d++)
		for (q = 0; q < XSK_FWD_QUEUES; q++)
			if (x->dev[d].s[q].xsk)
				xsk_socket__delete(x->dev[d].s[q].xsk);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area)
		munmap(x->area, x->area_len);
	free(x);
}

int xsk_fwd_open(const char *in, const char *out, int bidir, unsigned queue_mb,
		 struct xsk_fwd **outp, const char **bad_dev)
{
	uint64_t want = (uint64_t)queue_mb * ((1u << 20) / XF_FRAME);
	uint32_t pool = XF_POOL_MIN;
	struct xsk_umem_config uc = {.frame_size = XF_FRAME,
				     .frame_headroom = 0,
				     .flags = 0};
	struct xdp_options opts;
	socklen_t optlen = sizeof(opts);
	uint64_t addr[XSK_FWD_BATCH];
	struct xsk_fwd *x;
	unsigned d, q, i;
	int rc;

	*outp = NULL;
	while (pool < XF_POOL_MAX && (uint64_t)pool * 2 <= want)
		pool *= 2;
	uc.fill_size = uc.comp_size = pool;
	xsk_quiet_libs();
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->pool = pool;
	snprintf(x->dev[0].name, sizeof(x->dev[0].name), "%s", in);
	snprintf(x->dev[1].name, sizeof(x->dev[1].name), "%s", out);
	for (d = 0; d < 2; d++) {
		*bad_dev = d ? out : in; /* the caller's: they outlive x */
		rc = xsk_dev_queues(x->dev[d].name, XF_FRAME, &x->dev[d].nq);
		if (rc)
			goto err;
	}
	x->area_len = (size_t)(bidir ? 2 : 1) * pool * XF_FRAME;
	x->area = mmap(NULL, x->area_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (x->area == MAP_FAILED) {
		x->area = NULL;
		rc = -errno;
		goto err;
	}
	rc = xsk_umem__create(&x->umem, x->area, x->area_len, &x->fill0, &x->comp0, &uc);
	if (rc) {
		x->umem = NULL;
		rc = rc < 0 ? rc : -rc;
		goto err;
	}
	/* A socket on every receive queue of `from`; `to` sends on queue 0
	 * (its socket also receives there with bidir). */
	for (d = 0; d < 2; d++) {
		struct xf_dev *dev = &x->dev[d];
		int rx = d == 0 || bidir;

		*bad_dev = d ? out : in;
		for (q = 0; q < (rx ? dev->nq : 1); q++) {
			rc = xf_sock_open(x, dev, q, rx, q == 0 && (d == 1 || bidir));
			if (rc)
				goto err;
		}
		if (!rx)
			dev->nq = 0; /* nothing received here */
	}
	*bad_dev = in;
	if (!getsockopt(xsk_socket__fd(x->dev[0].s[0].xsk), SOL_XDP, XDP_OPTIONS, &opts, &optlen))
		x->zerocopy = !!(opts.flags & XDP_OPTIONS_ZEROCOPY);
	/* Each direction's pool onto its receive side. */
	for (d = 0; d < (bidir ? 2u : 1u); d++) {
		for (i = 0; i < pool; i++) {
			addr[i % XSK_FWD_BATCH] = ((uint64_t)d * pool + i) * XF_FRAME;
			if (i % XSK_FWD_BATCH == XSK_FWD_BATCH - 1)
				xf_refill(x, (int)d, addr, XSK_FWD_BATCH);
		}
	}
	*bad_dev = NULL;
	*outp = x;
	return 0;
err:
	xsk_fwd_close(x);
	return rc == -EINVAL || rc == -EOPNOTSUPP ? -EOPNOTSUPP : rc;
}

const char *xsk_fwd_mode(const struct xsk_fwd *x)
{
	return x->zerocopy ? "native, zero-copy" : "native, copy";
}

unsigned xsk_fwd_recv(struct xsk_fwd *x, int dir, struct xsk_fwd_frame *f, unsigned n)
{
	struct xf_dev *dev = &x->dev[dir];
	unsigned got = 0, k;

	if (n > XSK_FWD_BATCH)
		n = XSK_FWD_BATCH;
	for (k = 0; k < dev->nq && got < n; k++) {
		struct xf_sock *s = &dev->s[x->next_q[dir]];
		uint32_t idx, m, i;

		x->next_q[dir] = x->next_q[dir] + 1 == dev->nq ? 0 : x->next_q[dir] + 1;
		m = xsk_ring_cons__peek(&s->rx, n - got, &idx);
		for (i = 0; i < m; i++) {
			const struct xdp_desc *dsc = xsk_ring_cons__rx_desc(&s->rx, idx + i);

			f[got].addr = dsc->addr;
			f[got].len = dsc->len;
			f[got].data = xsk_umem__get_data(x->area, dsc->addr);
			got++;
		}
		if (m)
			xsk_ring_cons__release(&s->rx, m);
	}
	return got;
}

unsigned xsk_fwd_send(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f, unsigned n)
{
	struct xf_sock *s = &x->dev[!dir].s[0];
	uint32_t idx, i;

	if (!n || xsk_ring_prod__reserve(&s->tx, n, &idx) != n)
		return 0;
	for (i = 0; i < n; i++) {
		struct xdp_desc *dsc = xsk_ring_prod__tx_desc(&s->tx, idx + i);

		dsc->addr = f[i].addr;
		dsc->len = f[i].len;
	}
	xsk_ring_prod__submit(&s->tx, n);
	x->in_flight[dir] += n;
	return n;
}

void xsk_fwd_recycle(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f, unsigned n)
{
	uint64_t addr[XSK_FWD_BATCH];
	unsigned i;

	while (n) {
		unsigned m = n < XSK_FWD_BATCH ? n : XSK_FWD_BATCH;

		for (i = 0; i < m; i++)
			addr[i] = f[i].addr;
		xf_refill(x, dir, addr, m);
		f += m;
		n -= m;
	}
}

int xsk_fwd_kick(struct xsk_fwd *x, int dir)
{
	struct xf_sock *s = &x->dev[!dir].s[0];
	uint64_t addr[XSK_FWD_BATCH];
	unsigned tries, q;
	uint32_t idx, done, i;

	/* Copy mode sends at most 32 frames a call (-EAGAIN: more to send): a
	 * few calls, the rest at the next kick. */
	for (tries = 0; tries < 4 && xsk_ring_prod__needs_wakeup(&s->tx) &&
			*s->tx.producer != __atomic_load_n(s->tx.consumer, __ATOMIC_ACQUIRE);
	     tries++) {
		if (sendto(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			continue;
		if (errno == EAGAIN || errno == EINTR)
			continue;
		if (errno == EBUSY || errno == ENOBUFS || errno == ENETDOWN)
			break;
		return -errno;
	}
	while ((done = xsk_ring_cons__peek(s->comp, XSK_FWD_BATCH, &idx)) > 0) {
		for (i = 0; i < done; i++)
			addr[i] = *xsk_ring_cons__comp_addr(s->comp, idx + i);
		xsk_ring_cons__release(s->comp, done);
		xf_refill(x, dir, addr, done);
		x->in_flight[dir] -= done;
	}
	/* A zero-copy driver out of fill descriptors waits to be woken. */
	for (q = 0; q < x->dev[dir].nq; q++) {
		struct xf_sock *r = &x->dev[dir].s[q];

		if (xsk_ring_prod__needs_wakeup(r->fill))
			recvfrom(xsk_socket__fd(r->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
	}
	return (int)x->in_flight[dir];
}

int xsk_fwd_wait(struct xsk_fwd *x, int dir, int timeout_ms)
{
	struct pollfd pfd[XSK_FWD_QUEUES];
	unsigned q, n = x->dev[dir].nq;
	int rc;

	for (q = 0; q < n; q++) {
		pfd[q].fd = xsk_socket__fd(x->dev[dir].s[q].xsk);
		pfd[q].events = POLLIN;
		pfd[q].revents = 0;
	}
	rc = poll(pfd, n, timeout_ms);
	if (rc < 0 && errno != EINTR)
		return -errno;
	return rc < 0 ? 0 : rc;
}

int xsk_fwd_drops(struct xsk_fwd *x, int dir, uint64_t *drops)
{
	unsigned q;

	*drops = 0;
	for (q = 0; q < x->dev[dir].nq; q++) {
		struct xf_sock *s = &x->dev[dir].s[q];
		int rc = xsk_sock_drops(xsk_socket__fd(s->xsk), &s->drops_seen, drops);

		if (rc)
			return rc;
	}
	return 0;
}
