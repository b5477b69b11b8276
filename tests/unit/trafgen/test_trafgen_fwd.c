/* The reference forwarder's output path when the driver refuses frames
 * (issue 12): netfront stops its queue while dom0's backend lags and, with
 * the qdisc bypassed, sendmmsg fails with ENOBUFS. The sockets are stand-ins
 * (--wrap of pkt_*, recvmmsg, sendmmsg, poll): one batch of frames arrives,
 * the output refuses it for a while, or for good, or fails otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "trafgen/fwd.h"

#define BATCH 10

static int refuse_calls; /* sendmmsg fails this many times first (-1: always) */
static int refuse_errno;
static int send_calls, recv_calls;
static unsigned accepted;

int __wrap_pkt_ifindex(const char *dev);
int __wrap_pkt_sock_rx_open(int ifindex, int timestamps, int rcvbuf);
int __wrap_pkt_tx_open(int ifindex);
int __wrap_pkt_fd_drops(int fd, uint64_t *drops);
int __wrap_recvmmsg(int fd, struct mmsghdr *m, unsigned vlen, int flags, struct timespec *t);
int __wrap_sendmmsg(int fd, struct mmsghdr *m, unsigned vlen, int flags);
int __wrap_poll(struct pollfd *p, nfds_t n, int tmo);

int __wrap_pkt_ifindex(const char *dev)
{
	return strcmp(dev, "in0") ? 8 : 7;
}

int __wrap_pkt_sock_rx_open(int ifindex, int timestamps, int rcvbuf)
{
	(void)ifindex, (void)timestamps, (void)rcvbuf;
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int __wrap_pkt_tx_open(int ifindex)
{
	(void)ifindex;
	return open("/dev/null", O_WRONLY | O_CLOEXEC);
}

int __wrap_pkt_fd_drops(int fd, uint64_t *drops)
{
	(void)fd;
	*drops = 0;
	return 0;
}

/* One batch of BATCH 60-byte frames, then nothing. */
int __wrap_recvmmsg(int fd, struct mmsghdr *m, unsigned vlen, int flags, struct timespec *t)
{
	unsigned i;

	(void)fd, (void)flags, (void)t;
	if (recv_calls++ || vlen < BATCH) {
		errno = EAGAIN;
		return -1;
	}
	for (i = 0; i < BATCH; i++) {
		memset(m[i].msg_hdr.msg_iov[0].iov_base, (int)i, 60);
		m[i].msg_len = 60;
	}
	return BATCH;
}

int __wrap_sendmmsg(int fd, struct mmsghdr *m, unsigned vlen, int flags)
{
	(void)fd, (void)m, (void)flags;
	send_calls++;
	if (refuse_calls < 0 || send_calls <= refuse_calls) {
		errno = refuse_errno;
		return -1;
	}
	accepted += vlen;
	return (int)vlen;
}

int __wrap_poll(struct pollfd *p, nfds_t n, int tmo)
{
	struct timespec ts = {.tv_nsec = 1000000};

	(void)p, (void)n, (void)tmo;
	nanosleep(&ts, NULL);
	return 0;
}

/* Run the forwarder in0 -> out0 for 200 ms; returns fwd_join's status. */
static int run(struct fwd_dir_report *r, uint64_t *elapsed_ns)
{
	struct fwd_params p;
	struct fwd *f = NULL;
	const char *bad = NULL;
	uint64_t t0 = mtime_now_ns();
	int rc;

	memset(&p, 0, sizeof(p));
	strcpy(p.in, "in0");
	strcpy(p.out, "out0");
	p.io = FWD_IO_MMSG; /* the path that retries a refused frame */
	p.duration_ns = 200 * NSEC_PER_MSEC;
	send_calls = recv_calls = 0;
	accepted = 0;
	assert_int_equal(fwd_start(&p, &f, &bad), 0);
	while (!fwd_done(f))
		usleep(1000);
	rc = fwd_join(f);
	assert_int_equal(fwd_report(f, r), 1);
	fwd_free(f);
	*elapsed_ns = mtime_now_ns() - t0;
	return rc;
}

/* The driver refuses the batch 5 times, then takes it: nothing is lost. */
static void test_refused_then_taken(void **state)
{
	struct fwd_dir_report r[2];
	uint64_t ns;

	(void)state;
	refuse_calls = 5;
	refuse_errno = ENOBUFS;
	assert_int_equal(run(r, &ns), 0);
	assert_int_equal(r[0].received, BATCH);
	assert_int_equal(r[0].forwarded, BATCH);
	assert_int_equal(r[0].send_errors, 0);
	assert_int_equal(accepted, BATCH);
	assert_int_equal(send_calls, 6);
}

/* EAGAIN is the same: a full queue for now. */
static void test_eagain_then_taken(void **state)
{
	struct fwd_dir_report r[2];
	uint64_t ns;

	(void)state;
	refuse_calls = 3;
	refuse_errno = EAGAIN;
	assert_int_equal(run(r, &ns), 0);
	assert_int_equal(r[0].forwarded, BATCH);
	assert_int_equal(r[0].send_errors, 0);
}

/* A queue that never restarts: after about a second the batch is dropped,
 * every frame counted, and the forwarder ends normally (it does not hang). */
static void test_refused_for_good(void **state)
{
	struct fwd_dir_report r[2];
	uint64_t ns;

	(void)state;
	refuse_calls = -1;
	refuse_errno = ENOBUFS;
	assert_int_equal(run(r, &ns), 0);
	assert_int_equal(r[0].received, BATCH);
	assert_int_equal(r[0].forwarded, 0);
	assert_int_equal(r[0].send_errors, BATCH);
	assert_int_equal(accepted, 0);
	assert_true(ns >= 1000 * NSEC_PER_MSEC);
	assert_true(ns < 5000 * NSEC_PER_MSEC);
}

/* Any other error ends the direction with that error, counted once. */
static void test_other_error_ends(void **state)
{
	struct fwd_dir_report r[2];
	uint64_t ns;

	(void)state;
	refuse_calls = -1;
	refuse_errno = ENETDOWN;
	assert_int_equal(run(r, &ns), -ENETDOWN);
	assert_int_equal(r[0].forwarded, 0);
	assert_int_equal(r[0].send_errors, 1);
	assert_int_equal(send_calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refused_then_taken),
	    cmocka_unit_test(test_eagain_then_taken),
	    cmocka_unit_test(test_refused_for_good),
	    cmocka_unit_test(test_other_error_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
