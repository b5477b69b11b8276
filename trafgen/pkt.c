#include "trafgen/pkt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define PKT_BLOCK_SIZE (1u << 18) /* fills in ~2 ms at 1.5 Mpps of 64 B */
#define PKT_FRAME_SIZE 2048u

struct pkt_rx {
	int fd;
	uint8_t *map;
	size_t map_len;
	unsigned block_nr, cur;
	struct tpacket_block_desc *blk; /* current block, NULL when none held */
	uint32_t left;			/* frames of blk not yet returned */
	struct tpacket3_hdr *next;
};

int pkt_ifindex(const char *dev)
{
	size_t n = dev ? strlen(dev) : 0;
	unsigned idx;
	size_t i;

	if (n == 0 || n >= IFNAMSIZ || !strcmp(dev, ".") || !strcmp(dev, ".."))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (dev[i] == '/' || dev[i] == ':' || dev[i] <= ' ' || dev[i] == 0x7f)
			return -EINVAL;
	idx = if_nametoindex(dev);
	if (!idx)
		return -ENODEV;
	return (int)idx;
}

static int pkt_bind(int fd, int ifindex, uint16_t proto)
{
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(proto),
	    .sll_ifindex = ifindex,
	};

	return bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ? -errno : 0;
}

int pkt_tx_open(int ifindex)
{
	int fd, one = 1, sndbuf = 4 << 20, rc;

	/* Protocol 0: this socket receives nothing, so sending costs no copy back. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) &&
	     setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))) {
		rc = -errno;
		goto err;
	}
	rc = pkt_bind(fd, ifindex, 0);
	if (rc)
		goto err;
	return fd;
err:
	close(fd);
	return rc;
}

int pkt_sock_rx_open(int ifindex, int timestamps, int rcvbuf)
{
	int fd, one = 1, rc;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	     setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf))) ||
	    (timestamps && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))) {
		rc = -errno;
		goto err;
	}
	rc = pkt_bind(fd, ifindex, ETH_P_ALL);
	if (rc)
		goto err;
	return fd;
err:
	close(fd);
	return rc;
}

int pkt_fd_drops(int fd, uint64_t *drops)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return -errno;
	*drops = st.tp_drops;
	return 0;
}

int pkt_rx_open(int ifindex, unsigned ring_mb, unsigned block_tmo_ms, struct pkt_rx **out)
{
	struct pkt_rx *rx = NULL;
	struct tpacket_req3 req;
	int ver = TPACKET_V3, one = 1, rc;

	rx = calloc(1, sizeof(*rx));
	if (!rx)
		return -ENOMEM;
	/* Protocol 0 until bound: no frame of another interface enters the ring. */
	rx->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (rx->fd < 0) {
		rc = -errno;
		goto err;
	}
	if (ring_mb < 2)
		ring_mb = 2;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = PKT_BLOCK_SIZE;
	req.tp_block_nr = ring_mb * ((1u << 20) / PKT_BLOCK_SIZE);
	req.tp_frame_size = PKT_FRAME_SIZE;
	req.tp_frame_nr = req.tp_block_size / req.tp_frame_size * req.tp_block_nr;
	req.tp_retire_blk_tov = block_tmo_ms ? block_tmo_ms : 1;
	if (setsockopt(rx->fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) ||
	    setsockopt(rx->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    setsockopt(rx->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req))) {
		rc = -errno;
		goto err;
	}
	rx->block_nr = req.tp_block_nr;
	rx->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	rx->map =
	    mmap(NULL, rx->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, rx->fd, 0);
	if (rx->map == MAP_FAILED)
		rx->map = mmap(NULL, rx->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, rx->fd, 0);
	if (rx->map == MAP_FAILED) {
		rx->map = NULL;
		rc = -errno;
		goto err;
	}
	rc = pkt_bind(rx->fd, ifindex, ETH_P_ALL);
	if (rc)
		goto err;
	*out = rx;
	return 0;
err:
	pkt_rx_close(rx);
	return rc;
}

static struct tpacket_block_desc *pkt_rx_block(struct pkt_rx *rx, unsigned i)
{
	return (struct tpacket_block_desc *)(rx->map + (size_t)i * PKT_BLOCK_SIZE);
}

int pkt_rx_wait(struct pkt_rx *rx, int timeout_ms)
{
	struct tpacket_block_desc *b;
	struct pollfd pfd = {.fd = rx->fd, .events = POLLIN | POLLERR};

	if (rx->blk)
		pkt_rx_release(rx);
	b = pkt_rx_block(rx, rx->cur);
	if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) {
		int n = poll(&pfd, 1, timeout_ms);

		if (n < 0)
			return -errno;
		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return 0;
	}
	rx->blk = b;
	rx->left = b->hdr.bh1.num_pkts;
	rx->next = (struct tpacket3_hdr *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);
	if (!rx->left) {
		pkt_rx_release(rx);
		return 0;
	}
	return (int)rx->left;
}

const uint8_t *pkt_rx_next(struct pkt_rx *rx, uint32_t *len, uint64_t *ts_ns)
{
	struct tpacket3_hdr *h = rx->next;

	if (!rx->blk || !rx->left)
		return NULL;
	rx->left--;
	rx->next = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	*len = h->tp_snaplen;
	if (ts_ns)
		*ts_ns = (uint64_t)h->tp_sec * 1000000000ULL + h->tp_nsec;
	return (const uint8_t *)h + h->tp_mac;
}

void pkt_rx_release(struct pkt_rx *rx)
{
	if (!rx->blk)
		return;
	__atomic_store_n(&rx->blk->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	rx->blk = NULL;
	rx->left = 0;
	rx->cur = (rx->cur + 1) % rx->block_nr;
}

int pkt_rx_drops(struct pkt_rx *rx, uint64_t *drops)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);

	if (getsockopt(rx->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return -errno;
	*drops = st.tp_drops;
	return 0;
}

int pkt_rx_fd(const struct pkt_rx *rx)
{
	return rx->fd;
}

void pkt_rx_close(struct pkt_rx *rx)
{
	if (!rx)
		return;
	if (rx->map)
		munmap(rx->map, rx->map_len);
	if (rx->fd >= 0)
		close(rx->fd);
	free(rx);
}
