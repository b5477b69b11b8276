/* The reference DUT: copies every frame received on IN out of OUT unchanged
 * (and OUT to IN with bidir), like MirageOS netif-forward, through AF_XDP
 * (io FWD_IO_XDP, chosen by FWD_IO_AUTO where the devices have native XDP:
 * a frame is sent from the UMEM frame it was received into), AF_PACKET
 * TPACKET_V2 rings (ring.h; the fallback: batches both ways, one copy from
 * receive slot to transmit slot, a frame taken as soon as it arrives), through
 * plain AF_PACKET sockets with recvmmsg/sendmmsg (io FWD_IO_MMSG, the naive
 * forwarder the rings are measured against), or, with tap, through
 * /dev/net/tun on existing TAP devices the way a MirageOS unix unikernel does. Test aids:
 * drop_every N drops every Nth frame; max_pps R forwards at most R frames per second (token bucket
 * of max_burst_ns depth, default 50 ms, on the kernel's arrival times), making a DUT of known loss
 * and capacity; delay_ns D (tap) holds every frame D before sending it on: a DUT of known latency. */
#ifndef MP_TRAFGEN_FWD_H
#define MP_TRAFGEN_FWD_H

#include <net/if.h>
#include <stdint.h>

/* About 20000 small frames (an skb of a 64-byte frame takes ~768 bytes):
 * 17 ms at 1.2 Mpps, 400 ms at 50 kpps. */
#define FWD_QUEUE_MB 16u

/* The receive ring's default size: ~7000 slots (each holds a jumbo frame),
 * the DUT's queue: more than a NIC's descriptors, less deep than the naive
 * forwarder's 16 MiB socket buffer (~20000 small frames). */
#define FWD_RING_MB 64u

/* The largest frame (with FCS) io xdp carries on a veth: with an XDP
 * program attached, veth refuses an MTU over about 3500 (a page less XDP's
 * headroom and the skb's tail). */
#define FWD_XDP_FRAME_MAX 3518u

/* max_pps's default bucket: 50 ms of the rate. */
#define FWD_MAX_BURST_NS 50000000ULL

/* auto (the default): xdp where the devices have native XDP, ring
 * otherwise; ring: receive and transmit rings; mmsg: recvmmsg/sendmmsg (the
 * naive forwarder); ring-mmsg: receive ring, sendmmsg from its slots; xdp:
 * AF_XDP sockets sharing one UMEM (xsk.h), no copy in user space; tap: in
 * reports only (fwd_params.tap). */
enum fwd_io { FWD_IO_AUTO = 0, FWD_IO_RING, FWD_IO_MMSG, FWD_IO_RING_MMSG, FWD_IO_XDP, FWD_IO_TAP };

/* "auto", "ring", "mmsg", "ring-mmsg", "xdp", "tap" */
const char *fwd_io_name(enum fwd_io io);
/* 0, or -EINVAL for a name that is not one of --io's */
int fwd_io_parse(const char *s, enum fwd_io *io);

struct fwd_params {
	char in[IFNAMSIZ], out[IFNAMSIZ];
	int bidir, tap;
	enum fwd_io io;	      /* AF_PACKET I/O (not tap) */
	uint64_t drop_every;  /* 0 = never */
	uint64_t max_pps;     /* 0 = no limit */
	uint64_t max_burst_ns; /* max_pps's bucket depth in time; 0 = FWD_MAX_BURST_NS */
	uint64_t duration_ns; /* 0 = until stopped */
	uint64_t delay_ns;    /* tap: hold each frame this long before sending it (delay.h) */
	unsigned queue_mb;    /* receive queue, ring or AF_XDP UMEM, MiB; 0 = FWD_QUEUE_MB
			       * (mmsg) or FWD_RING_MB (ring, xdp) */
};

struct fwd_dir_report {
	char from[IFNAMSIZ], to[IFNAMSIZ];
	uint64_t received, forwarded, bytes;
	uint64_t dropped_every, dropped_rate; /* by the test aids */
	uint64_t send_errors;
	uint64_t ring_drops; /* AF_PACKET receive buffer or ring overflow */
	uint64_t tx_full;    /* ring: frames dropped for a full transmit ring */
	uint64_t truncated;  /* frames over 9216 bytes, dropped */
	enum fwd_io io;	     /* the backend that forwarded (never auto) */
	char xdp_mode[24];   /* xdp: "native, copy" or "native, zero-copy" */
};

struct fwd;

/* Errors: -ENODEV/-EINVAL for a device (*bad_dev says which), or the
 * socket's or /dev/net/tun's errno. */
int fwd_start(const struct fwd_params *p, struct fwd **out, const char **bad_dev);
void fwd_stop(struct fwd *f);
int fwd_done(struct fwd *f);
/* Fills one report per direction, returns how many (1 or 2). */
int fwd_report(struct fwd *f, struct fwd_dir_report r[2]);
int fwd_join(struct fwd *f);
void fwd_free(struct fwd *f);

#endif
