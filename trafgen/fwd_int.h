/* Inside the forwarder (fwd.h): the state its I/O backends share, and the
 * backends' loops, one file each: fwd_sock.c (recvmmsg/sendmmsg, tap),
 * fwd_ring.c (TPACKET_V2 rings), fwd_xsk.c (AF_XDP). fwd.c opens them,
 * runs one thread per direction and keeps the counts. */
#ifndef MP_TRAFGEN_FWD_INT_H
#define MP_TRAFGEN_FWD_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#include "trafgen/delay.h"
#include "trafgen/fwd.h"

#define FWD_BATCH	64u
#define FWD_DRAIN_NS	(1000 * NSEC_PER_MSEC)
#define FWD_POLL_MS	20
#define FWD_DROPS_EVERY_NS (10 * NSEC_PER_MSEC)
#define FWD_TXRING_MB	8u
#define FWD_FRAME_MAX	9216u /* 9018-byte frames without FCS, and some room */
#define FWD_CMSG_LEN	64u
#define FWD_TAP_MTU_MAX 9018u
#define FWD_TX_WAIT_NS	(1000 * NSEC_PER_MSEC) /* a stopped output queue holds a batch this long */
#define FWD_TX_PAUSE_NS 50000			/* between offers to a stopped queue */

struct fwd_dir {
	struct fwd *f;
	int rxfd;      /* AF_PACKET: receive on `from` (owned) */
	int p_ts;      /* frames carry their arrival time (max_pps) */
	uint8_t *rbuf; /* FWD_BATCH frames of FWD_FRAME_MAX */
	struct mmsghdr rmsgs[FWD_BATCH];
	struct iovec riov[FWD_BATCH];
	uint8_t cmsg[FWD_BATCH][FWD_CMSG_LEN] __attribute__((aligned(8)));
	int txfd;	     /* AF_PACKET: send on `to` (owned) */
	struct ring *rxr, *txr; /* FWD_IO_RING: receive on `from`, send on `to` (owned) */
	int tap_in, tap_out; /* tap: fds of struct fwd, not owned */
	struct delay_line *delay; /* tap with delay_ns: frames go out through it (owned) */
	pthread_t thread;
	int started, status;
	uint64_t seen; /* frames counted for drop_every */
	double tokens; /* max_pps bucket */
	uint64_t last_ts;
	struct fwd_dir_report r; /* under f->lock */
	struct mmsghdr msgs[FWD_BATCH];
	struct iovec iov[FWD_BATCH];
};

struct fwd {
	struct fwd_params p;
	int tapfd[2]; /* tap mode: in, out */
	int ndirs;
	volatile int stop;
	uint64_t start_ns;
	pthread_mutex_t lock;
	int running;
	enum fwd_io io;	     /* in use: p.io, or what FWD_IO_AUTO chose */
	struct xsk_fwd *xsk; /* FWD_IO_XDP: both directions' sockets */
	char xdp_mode[24];
	struct fwd_dir dir[2];
};

/* The test aids (drop_every, max_pps) on one frame arriving at ts_ns
 * (realtime): 1 when it is to be dropped. Under f->lock. */
int fwd_policy_drop(struct fwd_dir *d, uint64_t ts_ns);
/* Adds the kernel's receive drops to the report. */
void fwd_add_drops(struct fwd_dir *d, uint64_t drops);

/* fwd_sock.c: send d->msgs[0..n) on d->txfd, offering refused frames again. */
int fwd_flush(struct fwd_dir *d, unsigned n);
int fwd_sock_open(struct fwd_dir *d, int in, int out, const char *from, const char *to,
		  const char **bad_dev);
int fwd_sock_loop(struct fwd_dir *d);
int fwd_tap_loop(struct fwd_dir *d);
/* fwd_ring.c */
int fwd_ring_open(struct fwd_dir *d, int in, int out, const char *from, const char *to,
		  const char **bad_dev);
int fwd_ring_loop(struct fwd_dir *d);
/* fwd_xsk.c: the direction's half of f->xsk (xsk.h) */
int fwd_xsk_loop(struct fwd_dir *d);

#endif
