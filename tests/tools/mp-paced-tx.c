/* mp-paced-tx: send exactly COUNT Ethernet frames on IF at RATE frames per
 * second, paced on absolute deadlines, for the tests and benchmarks of
 * mir-monitor. Frames are locally administered (02:...) and carry the
 * IEEE local experimental ethertype 0x88b5, so no stack answers them.
 *
 *   mp-paced-tx IF COUNT RATE [FRAME_SIZE]   (run it inside the test namespace)
 */
#include "lib/mtime.h"
#include "lib/units.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const unsigned char dst[ETH_ALEN] = {0x02, 0x6d, 0x70, 0x00, 0x00, 0x02};
	static const unsigned char src[ETH_ALEN] = {0x02, 0x6d, 0x70, 0x00, 0x00, 0x01};
	unsigned char frame[UNITS_FRAME_MAX];
	struct sockaddr_ll sll = {0};
	uint64_t count, rate, i, t0, deadline, t_end;
	uint32_t size = 64;
	unsigned retries = 0;
	size_t len;
	int fd = -1, status = 1;

	if (argc < 4 || argc > 5 || strlen(argv[1]) >= IFNAMSIZ ||
	    units_parse_count(argv[2], &count) || units_parse_rate(argv[3], 0, &rate) ||
	    (argc == 5 && units_parse_frame_size(argv[4], &size))) {
		fprintf(stderr, "usage: mp-paced-tx IF COUNT RATE [FRAME_SIZE 64..9018]\n");
		return 2;
	}
	len = size - UNITS_FCS_LEN;
	memset(frame, 0, len);
	memcpy(frame, dst, ETH_ALEN);
	memcpy(frame + ETH_ALEN, src, ETH_ALEN);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, dst, ETH_ALEN);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "mp-paced-tx: unknown interface '%s'\n", argv[1]);
		return 2;
	}
	/* Protocol 0: this socket only sends, it queues nothing received. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("mp-paced-tx: socket");
		goto out;
	}
	t0 = mtime_now_ns();
	for (i = 0; i < count; i++) {
		deadline = t0 + (uint64_t)((double)i * 1e9 / (double)rate);
		if (mtime_now_ns() < deadline)
			mtime_sleep_until(deadline);
		memcpy(frame + 14, &i, sizeof(i)); /* sequence number */
		while (sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) !=
		       (ssize_t)len) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
				perror("mp-paced-tx: sendto");
				goto out;
			}
			retries++;
			mtime_sleep_until(mtime_now_ns() + 50 * NSEC_PER_USEC);
		}
	}
	t_end = mtime_now_ns();
	fprintf(stderr, "mp-paced-tx: sent %llu frames of %u bytes on %s in %.3f s (%u retries)\n",
		(unsigned long long)count, size, argv[1], (double)(t_end - t0) / 1e9, retries);
	status = 0;
out:
	if (fd >= 0)
		close(fd);
	return status;
}
