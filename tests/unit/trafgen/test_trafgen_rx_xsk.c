/* The sink's AF_XDP backend and its choice (rx --io auto|xdp|ring): the
 * AF_XDP device is a stand-in (--wrap of xsk_rx_*) handing out mir-trafgen
 * frames of one stream over two lanes, a few at a time, with one frame
 * missing and one twice; the ring the other choices open is a stand-in too
 * (--wrap of pkt_rx_*). Checked: the frames go through the same accounting
 * as the ring's (exact received, lost, duplicated, FIN totals), each
 * frame's latency is its XDP arrival stamp minus its TX stamp, unstamped
 * frames get the batch's clock, --io xdp fails where AF_XDP does (never the
 * ring), auto keeps the ring, and the report names the backend. */
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
#include "trafgen/frame.h"
#include "trafgen/pkt.h"
#include "trafgen/rx.h"
#include "trafgen/xsk.h"

#define DATA	 1000u /* frames the generator sent, 500 a lane */
#define PER_CALL 7u    /* frames a receive call finds */
#define MISSING	 10u   /* lane 0's sequence 10 never arrives */
#define TWICE	 20u   /* lane 1's sequence 20 arrives twice */
#define XDP_LAT	 5000u /* stamped arrival = TX stamp + this */

static struct {
	int open_rc; /* what xsk_rx_open returns */
	int stamped; /* frames carry ts_ns */
	int xsk_opens, xsk_closed, ring_opens, ring_closed;
	unsigned next, n; /* the schedule: frame next of n */
	unsigned out;	  /* handed out, not released */
	int drained;	  /* a receive found nothing after the last */
	uint8_t buf[PER_CALL][64];
	struct frame_template tpl[2];
	uint8_t base[2][64];
	struct {
		uint32_t lane, flags;
		uint64_t seq;
	} sched[DATA + 16];
} sim;

static struct xsk_rx *const fake_xsk = (struct xsk_rx *)&sim;
static struct pkt_rx *const fake_ring = (struct pkt_rx *)&sim.ring_opens;

int __wrap_xsk_rx_open(const char *ifname, struct xsk_rx **out);
void __wrap_xsk_rx_close(struct xsk_rx *x);
unsigned __wrap_xsk_rx_queues(const struct xsk_rx *x);
const char *__wrap_xsk_rx_mode(const struct xsk_rx *x);
unsigned __wrap_xsk_rx_recv(struct xsk_rx *x, struct xsk_rx_frame *f, unsigned n);
void __wrap_xsk_rx_release(struct xsk_rx *x);
int __wrap_xsk_rx_wait(struct xsk_rx *x, int timeout_ms);
int __wrap_xsk_rx_drops(struct xsk_rx *x, uint64_t *drops);
int __wrap_pkt_ifindex(const char *dev);
int __wrap_pkt_rx_open(int ifindex, unsigned ring_mb, unsigned block_tmo_ms, struct pkt_rx **out);
int __wrap_pkt_rx_wait(struct pkt_rx *rx, int timeout_ms);
const uint8_t *__wrap_pkt_rx_next(struct pkt_rx *rx, uint32_t *len, uint64_t *ts_ns);
void __wrap_pkt_rx_release(struct pkt_rx *rx);
int __wrap_pkt_rx_drops(struct pkt_rx *rx, uint64_t *drops);
void __wrap_pkt_rx_close(struct pkt_rx *rx);

int __wrap_xsk_rx_open(const char *ifname, struct xsk_rx **out)
{
	assert_string_equal(ifname, "k0");
	sim.xsk_opens++;
	*out = sim.open_rc ? NULL : fake_xsk;
	return sim.open_rc;
}

void __wrap_xsk_rx_close(struct xsk_rx *x)
{
	if (x) {
		assert_ptr_equal(x, fake_xsk);
		sim.xsk_closed++;
	}
}

unsigned __wrap_xsk_rx_queues(const struct xsk_rx *x)
{
	assert_ptr_equal(x, fake_xsk);
	return 2;
}

const char *__wrap_xsk_rx_mode(const struct xsk_rx *x)
{
	assert_ptr_equal(x, fake_xsk);
	return "native, copy, stamped";
}

unsigned __wrap_xsk_rx_recv(struct xsk_rx *x, struct xsk_rx_frame *f, unsigned n)
{
	unsigned k;

	assert_ptr_equal(x, fake_xsk);
	assert_true(n <= XSK_RX_BATCH);
	assert_int_equal(sim.out, 0); /* the last batch was released */
	for (k = 0; k < n && k < PER_CALL && sim.next < sim.n; k++, sim.next++) {
		uint32_t lane = sim.sched[sim.next].lane;
		/* sent 10 us ago, arrived 5 us ago: a stamp in the sink's past */
		uint64_t tx = mtime_now_ns() - 2 * XDP_LAT;

		memcpy(sim.buf[k], sim.base[lane], sizeof(sim.buf[k]));
		frame_stamp(sim.buf[k], &sim.tpl[lane], 1024, sim.sched[sim.next].flags,
			    sim.sched[sim.next].seq, tx);
		f[k].data = sim.buf[k];
		f[k].len = sim.tpl[lane].len;
		f[k].ts_ns = sim.stamped ? tx + XDP_LAT : 0;
	}
	sim.out = k;
	if (!k && sim.next == sim.n)
		__atomic_store_n(&sim.drained, 1, __ATOMIC_RELEASE);
	return k;
}

void __wrap_xsk_rx_release(struct xsk_rx *x)
{
	assert_ptr_equal(x, fake_xsk);
	sim.out = 0;
}

int __wrap_xsk_rx_wait(struct xsk_rx *x, int timeout_ms)
{
	assert_ptr_equal(x, fake_xsk);
	(void)timeout_ms;
	usleep(1000);
	return 0;
}

int __wrap_xsk_rx_drops(struct xsk_rx *x, uint64_t *drops)
{
	assert_ptr_equal(x, fake_xsk);
	*drops = 3; /* each reading: 3 more */
	return 0;
}

int __wrap_pkt_ifindex(const char *dev)
{
	return strcmp(dev, "k0") ? -ENODEV : 7;
}

int __wrap_pkt_rx_open(int ifindex, unsigned ring_mb, unsigned block_tmo_ms, struct pkt_rx **out)
{
	assert_int_equal(ifindex, 7);
	(void)ring_mb;
	(void)block_tmo_ms;
	sim.ring_opens++;
	*out = fake_ring;
	return 0;
}

int __wrap_pkt_rx_wait(struct pkt_rx *rx, int timeout_ms)
{
	assert_ptr_equal(rx, fake_ring);
	(void)timeout_ms;
	usleep(1000);
	return 0;
}

const uint8_t *__wrap_pkt_rx_next(struct pkt_rx *rx, uint32_t *len, uint64_t *ts_ns)
{
	assert_ptr_equal(rx, fake_ring);
	(void)len;
	(void)ts_ns;
	return NULL;
}

void __wrap_pkt_rx_release(struct pkt_rx *rx)
{
	assert_ptr_equal(rx, fake_ring);
}

int __wrap_pkt_rx_drops(struct pkt_rx *rx, uint64_t *drops)
{
	assert_ptr_equal(rx, fake_ring);
	*drops = 0;
	return 0;
}

void __wrap_pkt_rx_close(struct pkt_rx *rx)
{
	if (rx) {
		assert_ptr_equal(rx, fake_ring);
		sim.ring_closed++;
	}
}

/* Lanes 0 and 1 alternate; MISSING of lane 0 is left out, TWICE of lane 1
 * comes twice; then each lane's FIN with its total (500). */
static int setup(void **state)
{
	struct frame_spec sp = {.src_mac = {2, 0x6d, 0x70, 0, 0, 1},
				.dst_mac = {2, 0x6d, 0x70, 0, 0, 2},
				.src_ip = 0xc6120001u,
				.dst_ip = 0xc6130001u,
				.sport = 1024,
				.dport = 9,
				.size = 64,
				.stream = 5};
	unsigned i, l;

	(void)state;
	memset(&sim, 0, sizeof(sim));
	for (l = 0; l < 2; l++) {
		sp.lane = l;
		assert_int_equal(frame_build(&sp, sim.base[l], sizeof(sim.base[l]), &sim.tpl[l]),
				 0);
	}
	for (i = 0; i < DATA; i++) {
		uint32_t lane = i % 2;
		uint64_t seq = i / 2;

		if (lane == 0 && seq == MISSING)
			continue;
		sim.sched[sim.n].lane = lane;
		sim.sched[sim.n++].seq = seq;
		if (lane == 1 && seq == TWICE) {
			sim.sched[sim.n].lane = lane;
			sim.sched[sim.n++].seq = seq;
		}
	}
	for (l = 0; l < 2; l++) {
		sim.sched[sim.n].lane = l;
		sim.sched[sim.n].flags = FRAME_F_FIN;
		sim.sched[sim.n++].seq = DATA / 2;
	}
	return 0;
}

static struct rx_engine *start(uint32_t backend, int *rc)
{
	struct tg_rx_params p;
	struct rx_engine *e = NULL;

	memset(&p, 0, sizeof(p));
	strcpy(p.dev, "k0");
	p.stream = TG_STREAM_ANY;
	p.backend = backend;
	*rc = rx_engine_start(&p, 0, &e);
	return e;
}

/* Until the stand-in handed out every frame and was asked again (5 s). */
static void wait_drained(void)
{
	int i;

	for (i = 0; i < 5000 && !__atomic_load_n(&sim.drained, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	assert_true(sim.drained);
}

static void run_xdp(struct tg_rx_report *r, struct rx_stream_report *s)
{
	struct rx_engine *e;
	int rc;

	e = start(TG_BACKEND_XDP, &rc);
	assert_int_equal(rc, 0);
	wait_drained();
	assert_int_equal(rx_engine_join(e), 0);
	rx_engine_report(e, r);
	assert_int_equal(rx_engine_streams(e, s, 4), 1);
	rx_engine_free(e);
	assert_int_equal(sim.xsk_opens, 1);
	assert_int_equal(sim.xsk_closed, 1);
	assert_int_equal(sim.ring_opens, 0); /* --io xdp never opens the ring */
}

static void test_xdp_counts_exact(void **state)
{
	struct tg_rx_report r;
	struct rx_stream_report s[4];

	(void)state;
	sim.stamped = 1;
	run_xdp(&r, s);
	assert_int_equal(r.backend, TG_BACKEND_XDP);
	assert_int_equal(r.received, DATA - 1);
	assert_int_equal(r.lost, 1);
	assert_int_equal(r.duplicated, 1);
	assert_int_equal(r.reordered, 0);
	assert_int_equal(r.foreign, 0);
	assert_true(r.ring_drops >= 3 && r.ring_drops % 3 == 0); /* the sockets' drops summed */
	assert_int_equal(s[0].stream, 5);
	assert_int_equal(s[0].received, DATA - 1);
	assert_int_equal(s[0].lost, 1);
	assert_int_equal(s[0].fin_total, DATA);		   /* both lanes' FIN */
	assert_int_equal(s[0].bytes, (uint64_t)DATA * 64); /* the duplicate's bytes too */
	/* Every latency is the stamp's: exact, whatever the thread's delay. */
	assert_int_equal(r.lat_min_ns, XDP_LAT);
	assert_int_equal(r.lat_max_ns, XDP_LAT);
}

static void test_xdp_unstamped_batch_time(void **state)
{
	struct tg_rx_report r;
	struct rx_stream_report s[4];

	(void)state;
	run_xdp(&r, s);
	assert_int_equal(r.received, DATA - 1);
	assert_int_equal(r.lost, 1);
	/* The batch's clock, read after the frames were found: at least the
	 * 10 us since their TX stamps, under a second here. */
	assert_true(r.lat_min_ns >= 2 * XDP_LAT);
	assert_true(r.lat_max_ns < NSEC_PER_SEC);
	assert_true(r.lat_p50_ns <= r.lat_max_ns);
}

static void test_xdp_required_fails(void **state)
{
	struct tg_rx_params p;
	char err[256];
	int rc;

	(void)state;
	sim.open_rc = -EOPNOTSUPP;
	assert_null(start(TG_BACKEND_XDP, &rc));
	assert_int_equal(rc, -EOPNOTSUPP);
	assert_int_equal(sim.xsk_opens, 1);
	assert_int_equal(sim.ring_opens, 0);
	memset(&p, 0, sizeof(p));
	strcpy(p.dev, "k0");
	p.backend = TG_BACKEND_XDP;
	rx_start_error(err, sizeof(err), rc, &p);
	assert_non_null(strstr(err, "--io xdp"));
	assert_non_null(strstr(err, "'k0'"));
	assert_non_null(strstr(err, "no native XDP"));
}

/* auto keeps the ring: on this machine's veths AF_XDP did not win (rx.h). */
static void test_auto_keeps_ring(void **state)
{
	struct tg_rx_report r;
	struct rx_engine *e;
	int rc;

	(void)state;
	e = start(TG_BACKEND_AUTO, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(rx_engine_join(e), 0);
	rx_engine_report(e, &r);
	rx_engine_free(e);
	assert_int_equal(r.backend, TG_BACKEND_PACKET);
	assert_int_equal(sim.xsk_opens, 0);
	assert_int_equal(sim.ring_opens, 1);
	assert_int_equal(sim.ring_closed, 1);
}

static void test_ring_asked(void **state)
{
	struct tg_rx_report r;
	struct rx_engine *e;
	int rc;

	(void)state;
	e = start(TG_BACKEND_PACKET, &rc);
	assert_int_equal(rc, 0);
	rx_engine_report(e, &r);
	rx_engine_free(e);
	assert_int_equal(r.backend, TG_BACKEND_PACKET);
	assert_int_equal(sim.xsk_opens, 0);
}

static void test_io_names(void **state)
{
	uint32_t b = 99;

	(void)state;
	assert_int_equal(rx_io_parse("xdp", &b), 0);
	assert_int_equal(b, TG_BACKEND_XDP);
	assert_int_equal(rx_io_parse("ring", &b), 0);
	assert_int_equal(b, TG_BACKEND_PACKET);
	assert_int_equal(rx_io_parse("auto", &b), 0);
	assert_int_equal(b, TG_BACKEND_AUTO);
	assert_int_equal(rx_io_parse("af_xdp", &b), -EINVAL); /* tx's word, not --io's */
	assert_int_equal(rx_io_parse("", &b), -EINVAL);
	assert_string_equal(rx_io_name(TG_BACKEND_XDP), "xdp");
	assert_string_equal(rx_io_name(TG_BACKEND_PACKET), "ring");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_xdp_counts_exact, setup),
	    cmocka_unit_test_setup(test_xdp_unstamped_batch_time, setup),
	    cmocka_unit_test_setup(test_xdp_required_fails, setup),
	    cmocka_unit_test_setup(test_auto_keeps_ring, setup),
	    cmocka_unit_test_setup(test_ring_asked, setup),
	    cmocka_unit_test_setup(test_io_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
