/* xsk-tx: an AF_XDP transmitter for make bench-trafgen only, to decide with
 * figures whether mir-trafgen should have an AF_XDP backend: it sends the
 * same frames as mir-trafgen tx (trafgen/frame.h) as fast as it can, one
 * thread per queue, each with its own UMEM and XDP socket bound in copy
 * mode (veth has no zero-copy AF_XDP), and prints the frames the kernel
 * completed per second. Not installed, not used by mir-perf.
 *
 *   xsk-tx --dev IF --size BYTES [--threads N] [--duration S]
 */
#include <errno.h>
#include <getopt.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <xdp/xsk.h>

#include "trafgen/frame.h"

#define NFRAMES	   4096u
#define FRAME_SIZE 2048u
#define BATCH	   64u

struct lane {
	unsigned idx;
	const char *dev;
	unsigned size;
	double duration;
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp;
	struct frame_template tpl;
	unsigned long long sent;
	int rc;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int lane_open(struct lane *l)
{
	struct xsk_umem_config uc = {.fill_size = NFRAMES,
				     .comp_size = NFRAMES,
				     .frame_size = FRAME_SIZE,
				     .frame_headroom = 0,
				     .flags = 0};
	struct xsk_socket_config sc = {.rx_size = 0,
				       .tx_size = NFRAMES,
				       .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
				       .xdp_flags = XDP_FLAGS_SKB_MODE,
				       .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP};
	struct frame_spec spec = {.src_mac = {0x02, 0x6d, 0x70, 0x00, 0x00, 0x01},
				  .dst_mac = {0x02, 0x6d, 0x70, 0x00, 0x00, 0x02},
				  .src_ip = 0xc6120001,
				  .dst_ip = 0xc6130001,
				  .sport = 1024,
				  .dport = 9,
				  .size = l->size,
				  .stream = 0,
				  .lane = l->idx};
	unsigned i;
	int rc;

	l->area = mmap(NULL, (size_t)NFRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (l->area == MAP_FAILED)
		return -errno;
	for (i = 0; i < NFRAMES; i++) {
		rc = frame_build(&spec, (uint8_t *)l->area + (size_t)i * FRAME_SIZE, l->size - 4,
				 &l->tpl);
		if (rc)
			return rc;
	}
	rc = xsk_umem__create(&l->umem, l->area, (size_t)NFRAMES * FRAME_SIZE, &l->fill, &l->comp,
			      &uc);
	if (rc)
		return rc;
	return xsk_socket__create(&l->xsk, l->dev, l->idx, l->umem, NULL, &l->tx, &sc);
}

static void *lane_run(void *arg)
{
	struct lane *l = arg;
	unsigned long long seq = 0, outstanding = 0;
	double end = now_s() + l->duration;
	unsigned k = 0;

	while (now_s() < end) {
		uint32_t idx, n, done;

		done = xsk_ring_cons__peek(&l->comp, NFRAMES, &idx);
		if (done) {
			xsk_ring_cons__release(&l->comp, done);
			outstanding -= done;
			l->sent += done;
		}
		n = NFRAMES - (unsigned)outstanding;
		if (n > BATCH)
			n = BATCH;
		if (n && (n = xsk_ring_prod__reserve(&l->tx, n, &idx)) > 0) {
			struct timespec ts;
			uint64_t t;
			uint32_t i;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			t = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
			for (i = 0; i < n; i++) {
				struct xdp_desc *d = xsk_ring_prod__tx_desc(&l->tx, idx + i);
				uint64_t addr = (uint64_t)k * FRAME_SIZE;

				frame_stamp((uint8_t *)l->area + addr, &l->tpl, 1024, 0, seq++, t);
				d->addr = addr;
				d->len = l->size - 4;
				k = (k + 1) % NFRAMES;
			}
			xsk_ring_prod__submit(&l->tx, n);
			outstanding += n;
		}
		if (xsk_ring_prod__needs_wakeup(&l->tx))
			sendto(xsk_socket__fd(l->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"dev", required_argument, NULL, 'd'},
					     {"size", required_argument, NULL, 's'},
					     {"threads", required_argument, NULL, 't'},
					     {"duration", required_argument, NULL, 'D'},
					     {NULL, 0, NULL, 0}};
	const char *dev = NULL;
	unsigned size = 64, threads = 1, i;
	double duration = 5, t0, t1;
	unsigned long long total = 0;
	struct lane lanes[FRAME_LANES];
	pthread_t th[FRAME_LANES];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev = optarg;
			break;
		case 's':
			size = (unsigned)atoi(optarg);
			break;
		case 't':
			threads = (unsigned)atoi(optarg);
			break;
		case 'D':
			duration = atof(optarg);
			break;
		default:
			return 2;
		}
	}
	if (!dev || size < 64 || size > FRAME_SIZE || threads < 1 || threads > FRAME_LANES) {
		fprintf(stderr, "usage: xsk-tx --dev IF --size 64..2048 [--threads 1..8] [--duration S]\n");
		return 2;
	}
	memset(lanes, 0, sizeof(lanes));
	for (i = 0; i < threads; i++) {
		lanes[i].idx = i;
		lanes[i].dev = dev;
		lanes[i].size = size;
		lanes[i].duration = duration;
		c = lane_open(&lanes[i]);
		if (c) {
			fprintf(stderr, "xsk-tx: %s queue %u: %s\n", dev, i, strerror(c < 0 ? -c : c));
			return 1;
		}
	}
	t0 = now_s();
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, lane_run, &lanes[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += lanes[i].sent;
	}
	t1 = now_s();
	printf("sent %llu pps %.0f\n", total, (double)total / (t1 - t0));
	for (i = 0; i < threads; i++) {
		xsk_socket__delete(lanes[i].xsk);
		xsk_umem__delete(lanes[i].umem);
	}
	return 0;
}
