#include "trafgen/ring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* A slot: the tpacket2_hdr, the sockaddr_ll and the frame's offset padding,
 * then the frame; 16-byte aligned (TPACKET_ALIGNMENT). Seven slots to a
 * 64 KiB block (slots never span blocks). */
#define RING_SLOT  (RING_FRAME_MAX + 128u)
#define RING_BLOCK (1u << 16)
#define RING_SLOTS_PER_BLOCK (RING_BLOCK / RING_SLOT)

struct ring {
	int fd;
	int tx;
	uint8_t *map;
	size_t map_len;
	unsigned nslots, cur;
	unsigned tx_hdrlen; /* transmit: where the frame starts in a slot */
};

static uint8_t *slot(const struct ring *r, unsigned i)
{
	return r->map + (size_t)(i / RING_SLOTS_PER_BLOCK) * RING_BLOCK +
	       (size_t)(i % RING_SLOTS_PER_BLOCK) * RING_SLOT;
}

static int ring_open(int ifindex, unsigned ring_mb, int tx, struct ring **out)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = ifindex};
	int ver = TPACKET_V2, one = 1, sndbuf = 8 << 20, rc;
	struct tpacket_req req;
	struct ring *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->tx = tx;
	/* Protocol 0 until bound: no frame of another interface enters a ring. */
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (r->fd < 0) {
		rc = -errno;
		goto err;
	}
	if (ring_mb < 1)
		ring_mb = 1;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = RING_BLOCK;
	req.tp_block_nr = ring_mb * ((1u << 20) / RING_BLOCK);
	req.tp_frame_size = RING_SLOT;
	req.tp_frame_nr = req.tp_block_nr * RING_SLOTS_PER_BLOCK;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) ||
	    /* PACKET_LOSS: a frame the kernel refuses (longer than the MTU) is
	     * skipped, where it would otherwise stop the ring at its slot */
	    (tx ? setsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
		      setsockopt(r->fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) ||
		      (setsockopt(r->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) &&
		       setsockopt(r->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))
		: setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one))) ||
	    setsockopt(r->fd, SOL_PACKET, tx ? PACKET_TX_RING : PACKET_RX_RING, &req,
		       sizeof(req))) {
		rc = -errno;
		goto err;
	}
	r->nslots = req.tp_frame_nr;
	r->tx_hdrlen = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	r->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		rc = -errno;
		goto err;
	}
	/* The transmit socket receives nothing (protocol 0); the receive one
	 * every protocol. */
	sll.sll_protocol = tx ? 0 : htons(ETH_P_ALL);
	if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		rc = -errno;
		goto err;
	}
	*out = r;
	return 0;
err:
	ring_close(r);
	return rc;
}

int ring_rx_open(int ifindex, unsigned ring_mb, struct ring **out)
{
	return ring_open(ifindex, ring_mb, 0, out);
}

int ring_tx_open(int ifindex, unsigned ring_mb, struct ring **out)
{
	return ring_open(ifindex, ring_mb, 1, out);
}

void ring_close(struct ring *r)
{
	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->map_len);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

int ring_fd(const struct ring *r)
{
	return r->fd;
}

unsigned ring_slots(const struct ring *r)
{
	return r->nslots;
}

static uint32_t status_of(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static void status_set(struct tpacket2_hdr *h, uint32_t s)
{
	__atomic_store_n(&h->tp_status, s, __ATOMIC_RELEASE);
}

const uint8_t *ring_rx_peek(struct ring *r, uint32_t *len, uint32_t *caplen, uint64_t *ts_ns)
{
	return ring_rx_peek_at(r, 0, len, caplen, ts_ns);
}

const uint8_t *ring_rx_peek_at(struct ring *r, unsigned k, uint32_t *len, uint32_t *caplen,
			       uint64_t *ts_ns)
{
	unsigned i = r->cur + k;
	struct tpacket2_hdr *h;

	if (i >= r->nslots)
		i -= r->nslots;
	h = (struct tpacket2_hdr *)slot(r, i);

	if (!(status_of(h) & TP_STATUS_USER))
		return NULL;
	*len = h->tp_len;
	*caplen = h->tp_snaplen;
	if (ts_ns)
		*ts_ns = (uint64_t)h->tp_sec * 1000000000ULL + h->tp_nsec;
	return (const uint8_t *)h + h->tp_mac;
}

void ring_rx_done_n(struct ring *r, unsigned n)
{
	while (n--)
		ring_rx_done(r);
}

void ring_rx_done(struct ring *r)
{
	status_set((struct tpacket2_hdr *)slot(r, r->cur), TP_STATUS_KERNEL);
	r->cur = r->cur + 1 == r->nslots ? 0 : r->cur + 1;
}

int ring_rx_drops(struct ring *r, uint64_t *drops)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return -errno;
	*drops = st.tp_drops;
	return 0;
}

uint8_t *ring_tx_slot(struct ring *r)
{
	uint8_t *s = slot(r, r->cur);

	/* AVAILABLE (0) once the kernel freed what it sent from the slot;
	 * WRONG_FORMAT: the kernel refused the frame, and the slot is free. */
	if (status_of((struct tpacket2_hdr *)s) & ~(uint32_t)TP_STATUS_WRONG_FORMAT)
		return NULL;
	return s + r->tx_hdrlen;
}

void ring_tx_commit(struct ring *r, uint32_t len)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)slot(r, r->cur);

	h->tp_len = len;
	status_set(h, TP_STATUS_SEND_REQUEST);
	r->cur = r->cur + 1 == r->nslots ? 0 : r->cur + 1;
}

int ring_tx_kick(struct ring *r)
{
	while (send(r->fd, NULL, 0, MSG_DONTWAIT) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}
