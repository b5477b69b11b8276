#include "harness/platform/local/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "lib/netns.h"

#define PROBE_MAGIC    "mpPB" /* payload fits a 64-byte frame: 42 + 16 <= 60 */
#define PROBE_MAX      9018U
#define PROBE_SEEN_MAX 65536U

struct probe_payload {
	char magic[4];
	uint64_t nonce;
	uint32_t seq;
} __attribute__((packed));

struct probe {
	int tx, rx;
	int tx_ifindex;
	uint8_t src[6], dst[6];
	uint64_t nonce;
};

static int packet_socket(const char *dev, int *ifindex)
{
	struct sockaddr_ll sll;
	int fd, rc, buf = 4 << 20;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(dev);
	if (!sll.sll_ifindex) {
		rc = -ENODEV;
		goto fail;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		rc = -errno;
		goto fail;
	}
	*ifindex = sll.sll_ifindex;
	return fd;
fail:
	close(fd);
	return rc;
}

int probe_open(const char *netns, const char *tx_dev, const char *rx_dev, const uint8_t src_mac[6],
	       const uint8_t dst_mac[6], struct probe **out)
{
	return probe_open_split(netns, tx_dev, netns, rx_dev, src_mac, dst_mac, out);
}

/* A packet socket on dev made inside netns (sockets keep the namespace they
 * were made in). */
static int packet_socket_in(const char *netns, const char *dev, int *ifindex)
{
	int saved = -1, fd, rc;

	rc = netns_enter(netns, &saved);
	if (rc)
		return rc;
	fd = packet_socket(dev, ifindex);
	if (netns_restore(saved)) {
		if (fd >= 0)
			close(fd);
		return -EPERM;
	}
	return fd;
}

int probe_open_split(const char *tx_netns, const char *tx_dev, const char *rx_netns,
		     const char *rx_dev, const uint8_t src_mac[6], const uint8_t dst_mac[6],
		     struct probe **out)
{
	struct probe *p = NULL;
	int rc, rx_ifindex;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->tx = p->rx = -1;
	memcpy(p->src, src_mac, 6);
	memcpy(p->dst, dst_mac, 6);
	if (getrandom(&p->nonce, sizeof(p->nonce), 0) != sizeof(p->nonce)) {
		rc = -EIO;
		goto out;
	}
	p->rx = packet_socket_in(rx_netns, rx_dev, &rx_ifindex);
	if (p->rx >= 0)
		p->tx = packet_socket_in(tx_netns, tx_dev, &p->tx_ifindex);
	rc = p->rx < 0 ? p->rx : p->tx < 0 ? p->tx : 0;
	if (rc)
		goto out;
	*out = p;
	return 0;
out:
	probe_close(p);
	return rc;
}

void probe_close(struct probe *p)
{
	if (!p)
		return;
	if (p->tx >= 0)
		close(p->tx);
	if (p->rx >= 0)
		close(p->rx);
	free(p);
}

static uint16_t ip_checksum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static size_t build_frame(const struct probe *p, uint8_t *f, unsigned size, uint32_t seq)
{
	size_t len = size - 4; /* no FCS: the NIC (here: nobody) adds it */
	struct ether_header eth;
	struct iphdr ip;
	struct udphdr udp;
	struct probe_payload pl;

	/* Headers built apart and copied: in the frame, the IP header is not
	 * 4-byte aligned. */
	memset(f, 0, len);
	memcpy(eth.ether_dhost, p->dst, 6);
	memcpy(eth.ether_shost, p->src, 6);
	eth.ether_type = htons(ETHERTYPE_IP);
	memset(&ip, 0, sizeof(ip));
	ip.version = 4;
	ip.ihl = 5;
	ip.ttl = 64;
	ip.protocol = IPPROTO_UDP;
	ip.tot_len = htons((uint16_t)(len - sizeof(eth)));
	ip.saddr = htonl(0xc6120001); /* 198.18.0.1 */
	ip.daddr = htonl(0xc6130001); /* 198.19.0.1 */
	ip.check = ip_checksum(&ip, sizeof(ip));
	memset(&udp, 0, sizeof(udp));
	udp.source = htons(9);
	udp.dest = htons(9);
	udp.len = htons((uint16_t)(len - sizeof(eth) - sizeof(ip)));
	memcpy(pl.magic, PROBE_MAGIC, sizeof(pl.magic));
	pl.nonce = p->nonce;
	pl.seq = seq;
	memcpy(f, &eth, sizeof(eth));
	memcpy(f + sizeof(eth), &ip, sizeof(ip));
	memcpy(f + sizeof(eth) + sizeof(ip), &udp, sizeof(udp));
	memcpy(f + sizeof(eth) + sizeof(ip) + sizeof(udp), &pl, sizeof(pl));
	return len;
}

/* Read what is queued on rx without waiting; mark our frames seen. */
static void drain(struct probe *p, uint8_t *seen, unsigned count, unsigned *received)
{
	const size_t off =
	    sizeof(struct ether_header) + sizeof(struct iphdr) + sizeof(struct udphdr);
	uint8_t buf[PROBE_MAX];
	struct sockaddr_ll from;
	struct probe_payload pl;

	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n =
		    recvfrom(p->rx, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);

		if (n < 0)
			return;
		if (from.sll_pkttype == PACKET_OUTGOING || (size_t)n < off + sizeof(pl))
			continue;
		memcpy(&pl, buf + off, sizeof(pl));
		if (memcmp(pl.magic, PROBE_MAGIC, sizeof(pl.magic)) || pl.nonce != p->nonce ||
		    pl.seq >= count || seen[pl.seq])
			continue;
		seen[pl.seq] = 1;
		(*received)++;
	}
}

int probe_run(struct probe *p, unsigned count, unsigned size, uint64_t gap_ns, uint64_t wait_ns,
	      unsigned *received)
{
	uint8_t frame[PROBE_MAX], *seen = NULL;
	struct sockaddr_ll to;
	uint64_t next, deadline;
	unsigned i;
	int rc = 0;

	*received = 0;
	if (size < 64 || size > PROBE_MAX || count == 0 || count > PROBE_SEEN_MAX)
		return -EINVAL;
	seen = calloc(count, 1);
	if (!seen)
		return -ENOMEM;
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_ifindex = p->tx_ifindex;
	to.sll_halen = 6;
	memcpy(to.sll_addr, p->dst, 6);
	/* A fresh probe also must not count frames of an earlier one. */
	p->nonce++;
	next = mtime_now_ns();
	for (i = 0; i < count; i++) {
		size_t len = build_frame(p, frame, size, i);

		if (gap_ns) {
			mtime_sleep_until(next);
			next += gap_ns;
		}
		if (sendto(p->tx, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
		    errno != ENOBUFS && errno != EAGAIN) {
			rc = -errno;
			goto out;
		}
		drain(p, seen, count, received);
	}
	deadline = mtime_now_ns() + wait_ns;
	while (*received < count) {
		struct pollfd pfd = {p->rx, POLLIN, 0};
		uint64_t now = mtime_now_ns();

		if (now >= deadline)
			break;
		/* EINTR: a stop signal, which the caller checks */
		if (poll(&pfd, 1, (int)((deadline - now) / NSEC_PER_MSEC) + 1) < 0)
			break;
		drain(p, seen, count, received);
	}
out:
	free(seen);
	return rc;
}
