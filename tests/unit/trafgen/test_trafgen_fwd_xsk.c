/* The forwarder's AF_XDP backend and its choice (fwd --io auto|xdp): the
 * AF_XDP device is a stand-in (--wrap of xsk_fwd_*) that hands out a paced
 * stream of TOTAL frames a few at a time and records every descriptor sent
 * and handed back; the rings the fallback opens are stand-ins too (--wrap of
 * ring_*). Checked: every frame received is sent exactly once or handed back
 * (counts exact), the test aids and a full transmit ring hand frames back
 * instead of losing them, auto falls back to the rings when XDP cannot
 * attach and xdp does not, and the report names the backend in use. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "trafgen/fwd.h"
#include "trafgen/report.h"
#include "trafgen/ring.h"
#include "trafgen/xsk.h"

#define TOTAL	 1000u
#define PER_CALL 7u /* frames a receive call finds: a paced stream */

static struct {
	int open_rc;	     /* what xsk_fwd_open returns */
	unsigned send_max;   /* frames xsk_fwd_send takes a call */
	unsigned delivered;  /* frames handed out by xsk_fwd_recv */
	unsigned sent[TOTAL], recycled[TOTAL];
	unsigned in_flight;  /* sent, not completed by a kick */
	int open_calls, opened, closed, ring_opens;
	int bidir;
	uint8_t frame[60];
} sim;

static struct xsk_fwd *const fake_xsk = (struct xsk_fwd *)&sim;

int __wrap_xsk_fwd_open(const char *in, const char *out, int bidir, unsigned queue_mb,
			struct xsk_fwd **outp, const char **bad_dev);
void __wrap_xsk_fwd_close(struct xsk_fwd *x);
const char *__wrap_xsk_fwd_mode(const struct xsk_fwd *x);
unsigned __wrap_xsk_fwd_recv(struct xsk_fwd *x, int dir, struct xsk_fwd_frame *f, unsigned n);
unsigned __wrap_xsk_fwd_send(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f,
			     unsigned n);
void __wrap_xsk_fwd_recycle(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f,
			    unsigned n);
int __wrap_xsk_fwd_kick(struct xsk_fwd *x, int dir);
int __wrap_xsk_fwd_wait(struct xsk_fwd *x, int dir, int timeout_ms);
int __wrap_xsk_fwd_drops(struct xsk_fwd *x, int dir, uint64_t *drops);
int __wrap_pkt_ifindex(const char *dev);
int __wrap_ring_rx_open(int ifindex, unsigned ring_mb, struct ring **out);
int __wrap_ring_tx_open(int ifindex, unsigned ring_mb, struct ring **out);
void __wrap_ring_close(struct ring *r);
int __wrap_ring_fd(const struct ring *r);
const uint8_t *__wrap_ring_rx_peek(struct ring *r, uint32_t *len, uint32_t *caplen,
				   uint64_t *ts_ns);
int __wrap_ring_rx_drops(struct ring *r, uint64_t *drops);
int __wrap_poll(void *p, unsigned long n, int tmo);

int __wrap_xsk_fwd_open(const char *in, const char *out, int bidir, unsigned queue_mb,
			struct xsk_fwd **outp, const char **bad_dev)
{
	assert_int_equal(queue_mb, 16); /* --queue-mb sizes the UMEM */
	assert_string_equal(in, "in0");
	assert_string_equal(out, "out0");
	sim.bidir = bidir;
	sim.open_calls++;
	if (sim.open_rc) {
		*bad_dev = in;
		*outp = NULL;
		return sim.open_rc;
	}
	sim.opened++;
	*outp = fake_xsk;
	return 0;
}

void __wrap_xsk_fwd_close(struct xsk_fwd *x)
{
	if (x) {
		assert_ptr_equal(x, fake_xsk);
		sim.closed++;
	}
}

const char *__wrap_xsk_fwd_mode(const struct xsk_fwd *x)
{
	assert_ptr_equal(x, fake_xsk);
	return "native, copy";
}

unsigned __wrap_xsk_fwd_recv(struct xsk_fwd *x, int dir, struct xsk_fwd_frame *f, unsigned n)
{
	unsigned k;

	assert_ptr_equal(x, fake_xsk);
	assert_int_equal(dir, 0);
	assert_true(n <= XSK_FWD_BATCH);
	for (k = 0; k < n && k < PER_CALL && sim.delivered < TOTAL; k++) {
		f[k].addr = (uint64_t)sim.delivered * 4096 + 256;
		f[k].data = sim.frame;
		f[k].len = 60;
		sim.delivered++;
	}
	return k;
}

static unsigned frame_of(const struct xsk_fwd_frame *f)
{
	unsigned i = (unsigned)(f->addr / 4096);

	assert_true(i < sim.delivered);
	assert_int_equal(f->addr % 4096, 256);
	return i;
}

unsigned __wrap_xsk_fwd_send(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f,
			     unsigned n)
{
	unsigned k;

	assert_ptr_equal(x, fake_xsk);
	assert_int_equal(dir, 0);
	if (n > sim.send_max)
		n = sim.send_max;
	for (k = 0; k < n; k++)
		sim.sent[frame_of(&f[k])]++;
	sim.in_flight += n;
	return n;
}

void __wrap_xsk_fwd_recycle(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f,
			    unsigned n)
{
	unsigned k;

	assert_ptr_equal(x, fake_xsk);
	assert_int_equal(dir, 0);
	for (k = 0; k < n; k++)
		sim.recycled[frame_of(&f[k])]++;
}

/* Completes what was sent at the previous kick: the loop must look again
 * while frames are in flight. */
int __wrap_xsk_fwd_kick(struct xsk_fwd *x, int dir)
{
	static unsigned prev;
	unsigned done;

	assert_ptr_equal(x, fake_xsk);
	(void)dir;
	done = prev < sim.in_flight ? prev : sim.in_flight;
	sim.in_flight -= done;
	prev = sim.in_flight;
	return (int)sim.in_flight;
}

int __wrap_xsk_fwd_wait(struct xsk_fwd *x, int dir, int timeout_ms)
{
	struct timespec ts = {.tv_nsec = 200000};

	(void)x, (void)dir, (void)timeout_ms;
	nanosleep(&ts, NULL);
	return 0;
}

int __wrap_xsk_fwd_drops(struct xsk_fwd *x, int dir, uint64_t *drops)
{
	(void)x, (void)dir;
	*drops = 0;
	return 0;
}

int __wrap_pkt_ifindex(const char *dev)
{
	return strcmp(dev, "in0") ? 8 : 7;
}

/* The rings of the fallback: open, and empty. */
static int fake_ring;

int __wrap_ring_rx_open(int ifindex, unsigned ring_mb, struct ring **out)
{
	(void)ifindex, (void)ring_mb;
	sim.ring_opens++;
	*out = (struct ring *)&fake_ring;
	return 0;
}

int __wrap_ring_tx_open(int ifindex, unsigned ring_mb, struct ring **out)
{
	(void)ifindex, (void)ring_mb;
	sim.ring_opens++;
	*out = (struct ring *)&fake_ring;
	return 0;
}

void __wrap_ring_close(struct ring *r)
{
	assert_true(!r || r == (struct ring *)&fake_ring);
}

int __wrap_ring_fd(const struct ring *r)
{
	(void)r;
	return -1;
}

const uint8_t *__wrap_ring_rx_peek(struct ring *r, uint32_t *len, uint32_t *caplen,
				   uint64_t *ts_ns)
{
	(void)r, (void)len, (void)caplen, (void)ts_ns;
	return NULL;
}

int __wrap_ring_rx_drops(struct ring *r, uint64_t *drops)
{
	(void)r;
	*drops = 0;
	return 0;
}

int __wrap_poll(void *p, unsigned long n, int tmo)
{
	struct timespec ts = {.tv_nsec = 1000000};

	(void)p, (void)n, (void)tmo;
	nanosleep(&ts, NULL);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&sim, 0, sizeof(sim));
	sim.send_max = XSK_FWD_BATCH;
	return 0;
}

static void params(struct fwd_params *p, enum fwd_io io)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->in, "in0");
	strcpy(p->out, "out0");
	p->io = io;
	p->queue_mb = 16;
}

/* Runs until the stand-in has handed out every frame (at most 20 s on a
 * loaded machine), or 50 ms when it is not used (the rings), then stops the
 * forwarder (it drains what is in flight): fwd_start's status. */
static int run(const struct fwd_params *p, struct fwd_dir_report *r)
{
	struct fwd *f = NULL;
	const char *bad = NULL;
	int rc = fwd_start(p, &f, &bad), i;

	if (rc) {
		assert_null(f);
		return rc;
	}
	for (i = 0; i < 20000 && sim.opened && __atomic_load_n(&sim.delivered, __ATOMIC_SEQ_CST) < TOTAL;
	     i++)
		usleep(1000);
	if (!sim.opened)
		usleep(50000);
	fwd_stop(f);
	while (!fwd_done(f))
		usleep(1000);
	assert_int_equal(fwd_join(f), 0);
	assert_int_equal(fwd_report(f, r), 1);
	fwd_free(f);
	return 0;
}

/* Every frame received is sent exactly once; nothing stays in flight. */
static void test_xdp_counts_exact(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;
	unsigned i;

	(void)state;
	params(&p, FWD_IO_XDP);
	assert_int_equal(run(&p, r), 0);
	assert_int_equal(sim.delivered, TOTAL);
	assert_int_equal(r[0].received, TOTAL);
	assert_int_equal(r[0].forwarded, TOTAL);
	assert_int_equal(r[0].bytes, 60ull * TOTAL);
	assert_int_equal(r[0].tx_full + r[0].dropped_every + r[0].ring_drops, 0);
	for (i = 0; i < TOTAL; i++) {
		assert_int_equal(sim.sent[i], 1);
		assert_int_equal(sim.recycled[i], 0);
	}
	assert_int_equal(sim.in_flight, 0); /* the loop kicked until all completed */
	assert_int_equal(r[0].io, FWD_IO_XDP);
	assert_string_equal(r[0].xdp_mode, "native, copy");
	assert_int_equal(sim.opened, 1);
	assert_int_equal(sim.closed, 1);
	assert_int_equal(sim.ring_opens, 0);
}

/* drop-every: the dropped frames go back to the receive side. */
static void test_xdp_drop_every_recycles(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;
	unsigned i;

	(void)state;
	params(&p, FWD_IO_XDP);
	p.drop_every = 10;
	assert_int_equal(run(&p, r), 0);
	assert_int_equal(r[0].received, TOTAL);
	assert_int_equal(r[0].dropped_every, TOTAL / 10);
	assert_int_equal(r[0].forwarded, TOTAL - TOTAL / 10);
	for (i = 0; i < TOTAL; i++) {
		/* the 10th, 20th, ... frame (index 9, 19, ...) */
		assert_int_equal(sim.recycled[i], (i + 1) % 10 == 0);
		assert_int_equal(sim.sent[i] + sim.recycled[i], 1);
	}
}

/* A transmit ring that takes 3 frames a call: the rest are handed back and
 * counted as tx_full, never lost without a count. */
static void test_xdp_tx_full_recycles(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;
	unsigned i, sent = 0, back = 0;

	(void)state;
	sim.send_max = 3;
	params(&p, FWD_IO_XDP);
	assert_int_equal(run(&p, r), 0);
	for (i = 0; i < TOTAL; i++) {
		assert_int_equal(sim.sent[i] + sim.recycled[i], 1);
		sent += sim.sent[i];
		back += sim.recycled[i];
	}
	assert_int_equal(r[0].received, TOTAL);
	assert_int_equal(r[0].forwarded, sent);
	assert_int_equal(r[0].tx_full, back);
	assert_true(back > 0);
	assert_int_equal(sent, (TOTAL / PER_CALL) * 3 + (TOTAL % PER_CALL < 3 ? TOTAL % PER_CALL : 3));
}

/* auto: XDP cannot attach (no native XDP: EOPNOTSUPP), the rings forward. */
static void test_auto_falls_back_to_rings(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;

	(void)state;
	sim.open_rc = -EOPNOTSUPP;
	params(&p, FWD_IO_AUTO);
	assert_int_equal(run(&p, r), 0);
	assert_int_equal(r[0].io, FWD_IO_RING);
	assert_int_equal(sim.open_calls, 1);
	assert_string_equal(r[0].xdp_mode, "");
	assert_int_equal(sim.ring_opens, 2);
	assert_int_equal(sim.delivered, 0);
}

/* auto where XDP attaches: AF_XDP, no ring opened. */
static void test_auto_takes_xdp(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;

	(void)state;
	params(&p, FWD_IO_AUTO);
	assert_int_equal(run(&p, r), 0);
	assert_int_equal(r[0].io, FWD_IO_XDP);
	assert_int_equal(r[0].forwarded, TOTAL);
	assert_int_equal(sim.ring_opens, 0);
	assert_int_equal(sim.bidir, 0);
}

/* auto with the --max-pps test aid: the rings, whose frames carry their
 * arrival times; XDP is not even tried. */
static void test_auto_max_pps_takes_rings(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;

	(void)state;
	params(&p, FWD_IO_AUTO);
	p.max_pps = 1000;
	assert_int_equal(run(&p, r), 0);
	assert_int_equal(r[0].io, FWD_IO_RING);
	assert_int_equal(sim.open_calls, 0);
	assert_int_equal(sim.ring_opens, 2);
}

/* --io xdp asked for and unavailable: an error, no fallback. */
static void test_xdp_required_fails(void **state)
{
	struct fwd_dir_report r[2];
	struct fwd_params p;

	(void)state;
	sim.open_rc = -EOPNOTSUPP;
	params(&p, FWD_IO_XDP);
	assert_int_equal(run(&p, r), -EOPNOTSUPP);
	assert_int_equal(sim.ring_opens, 0);
}

/* The JSON report: io is the backend that forwarded, io_requested what was
 * asked for, xdp_mode only with AF_XDP. */
static void test_report_names_backend(void **state)
{
	struct fwd_dir_report r[1];
	struct fwd_params p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	params(&p, FWD_IO_AUTO);
	memset(r, 0, sizeof(r));
	strcpy(r[0].from, "in0");
	strcpy(r[0].to, "out0");
	r[0].io = FWD_IO_XDP;
	strcpy(r[0].xdp_mode, "native, copy");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_fwd_json(f, &p, r, 1);
	fclose(f);
	assert_non_null(strstr(buf, "\"io\": \"xdp\""));
	assert_non_null(strstr(buf, "\"io_requested\": \"auto\""));
	assert_non_null(strstr(buf, "\"xdp_mode\": \"native, copy\""));
	free(buf);

	r[0].io = FWD_IO_RING;
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_fwd_json(f, &p, r, 1);
	fclose(f);
	assert_non_null(strstr(buf, "\"io\": \"ring\""));
	assert_null(strstr(buf, "xdp_mode"));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	r[0].io = FWD_IO_XDP;
	report_fwd_human(f, &p, r, 1);
	fclose(f);
	assert_non_null(strstr(buf, "AF_XDP (native, copy)"));
	free(buf);
}

static void test_io_names(void **state)
{
	enum fwd_io io;

	(void)state;
	assert_int_equal(fwd_io_parse("xdp", &io), 0);
	assert_int_equal(io, FWD_IO_XDP);
	assert_int_equal(fwd_io_parse("auto", &io), 0);
	assert_int_equal(io, FWD_IO_AUTO);
	assert_int_equal(fwd_io_parse("ring-mmsg", &io), 0);
	assert_int_equal(io, FWD_IO_RING_MMSG);
	assert_int_equal(fwd_io_parse("tap", &io), -EINVAL); /* that is --tap */
	assert_int_equal(fwd_io_parse("XDP", &io), -EINVAL);
	assert_string_equal(fwd_io_name(FWD_IO_MMSG), "mmsg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_xdp_counts_exact, setup),
	    cmocka_unit_test_setup(test_xdp_drop_every_recycles, setup),
	    cmocka_unit_test_setup(test_xdp_tx_full_recycles, setup),
	    cmocka_unit_test_setup(test_auto_falls_back_to_rings, setup),
	    cmocka_unit_test_setup(test_auto_takes_xdp, setup),
	    cmocka_unit_test_setup(test_auto_max_pps_takes_rings, setup),
	    cmocka_unit_test_setup(test_xdp_required_fails, setup),
	    cmocka_unit_test_setup(test_report_names_backend, setup),
	    cmocka_unit_test_setup(test_io_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
