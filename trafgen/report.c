#include "trafgen/report.h"

#include <errno.h>
#include <string.h>

#include "lib/json.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "trafgen/proto.h"

void report_fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3f s", ns / 1e9);
}

static void fmt_bytes(char *buf, size_t len, uint64_t b)
{
	if (b < 10000)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else if (b < 10000000)
		snprintf(buf, len, "%.1f kB", (double)b / 1e3);
	else if (b < 10000000000ULL)
		snprintf(buf, len, "%.1f MB", (double)b / 1e6);
	else
		snprintf(buf, len, "%.2f GB", (double)b / 1e9);
}

void report_tx_human(FILE *f, const struct tg_tx_params *p, const struct tg_tx_report *r)
{
	char pps[32], tgt[32], l2[32], l1[32], by[32];

	units_fmt_pps(pps, sizeof(pps), r->pps);
	if (r->target_pps == UNITS_RATE_MAX)
		snprintf(tgt, sizeof(tgt), "max");
	else
		units_fmt_pps(tgt, sizeof(tgt), (double)r->target_pps);
	units_fmt_bps(l2, sizeof(l2), r->l2_bps);
	units_fmt_bps(l1, sizeof(l1), r->l1_bps);
	fmt_bytes(by, sizeof(by), r->bytes);
	fprintf(f, "tx %s: %u B frames, target %s, %u flow%s, stream %u, %u thread%s, %s%s\n",
		p->dev, p->size, tgt, p->flows, p->flows == 1 ? "" : "s", p->stream,
		p->threads ? p->threads : 1, p->threads > 1 ? "s" : "",
		proto_backend_name(r->backend ? r->backend : TG_BACKEND_PACKET),
		r->running ? " (running)" : "");
	fprintf(f, "  %-14s %llu frames (%s without FCS)\n", "sent", (unsigned long long)r->sent,
		by);
	fprintf(f, "  %-14s %.6f s\n", "elapsed", (double)r->elapsed_ns / 1e9);
	if (r->target_pps == UNITS_RATE_MAX)
		fprintf(f, "  %-14s %s\n", "achieved", pps);
	else
		fprintf(f, "  %-14s %s (%.2f %% of target)\n", "achieved", pps,
			100.0 * r->pps / (double)r->target_pps);
	fprintf(f, "  %-14s %s L2, %s L1\n", "bit rate", l2, l1);
	fprintf(f, "  %-14s %llu (ENOBUFS %llu)\n", "send errors",
		(unsigned long long)r->send_errors, (unsigned long long)r->enobufs);
}

void report_tx_json(FILE *f, const struct tg_tx_params *p, const struct tg_tx_report *r)
{
	struct json_writer w;
	struct tg_tx_params shown = *p;

	json_init(&w, f, 1);
	json_obj_begin(&w);
	json_kv_str(&w, "mode", "tx");
	/* One "backend" key, what it sent with (the report's); what was asked
	 * for, when not auto, under a name of its own. */
	shown.backend = TG_BACKEND_AUTO;
	proto_tx_params_write(&w, &shown);
	if (p->backend != TG_BACKEND_AUTO)
		json_kv_str(&w, "backend_requested", proto_backend_name(p->backend));
	proto_tx_report_write(&w, "", r);
	json_obj_end(&w);
}

void report_rx_human(FILE *f, const struct tg_rx_report *r, const struct rx_stream_report *s, int n)
{
	char pps[32], by[32], a[32], b[32], c[32], d[32];
	uint64_t expected = r->received + r->lost;
	int i;

	units_fmt_pps(pps, sizeof(pps), r->pps);
	fmt_bytes(by, sizeof(by), r->bytes);
	fprintf(f, "rx%s\n", r->running ? " (running)" : "");
	fprintf(f, "  %-14s %llu frames (%s) in %.6f s, %s\n", "received",
		(unsigned long long)r->received, by, (double)r->elapsed_ns / 1e9, pps);
	fprintf(f, "  %-14s %llu (%.4f %%)\n", "lost", (unsigned long long)r->lost,
		expected ? 100.0 * (double)r->lost / (double)expected : 0.0);
	fprintf(f, "  %-14s %llu\n", "reordered", (unsigned long long)r->reordered);
	fprintf(f, "  %-14s %llu\n", "duplicated", (unsigned long long)r->duplicated);
	fprintf(f, "  %-14s %llu (not ours, or another stream)\n", "foreign",
		(unsigned long long)r->foreign);
	fprintf(f, "  %-14s %llu (the sink's own loss, not the DUT's)\n", "ring drops",
		(unsigned long long)r->ring_drops);
	fprintf(f, "  %-14s %s\n", "backend",
		r->backend == TG_BACKEND_XDP ? "af_xdp (latency: the batch's arrival, rx.h)"
					     : "af_packet (TPACKET_V3 ring, kernel arrival times)");
	if (r->received) {
		report_fmt_ns(a, sizeof(a), (double)r->lat_min_ns);
		report_fmt_ns(b, sizeof(b), r->lat_mean_ns);
		report_fmt_ns(c, sizeof(c), (double)r->lat_max_ns);
		fprintf(f, "  %-14s min %s, mean %s, max %s\n", "latency", a, b, c);
		report_fmt_ns(a, sizeof(a), (double)r->lat_p50_ns);
		report_fmt_ns(b, sizeof(b), (double)r->lat_p90_ns);
		report_fmt_ns(c, sizeof(c), (double)r->lat_p99_ns);
		report_fmt_ns(d, sizeof(d), (double)r->lat_p999_ns);
		fprintf(f, "  %-14s p50 %s, p90 %s, p99 %s, p99.9 %s\n", "", a, b, c, d);
	}
	if (n > 1 || (n == 1 && s[0].fin_total)) {
		fprintf(f, "  %10s %14s %12s %10s %10s %14s\n", "stream", "received", "lost",
			"reordered", "duplicated", "sent (FIN)");
		for (i = 0; i < n; i++) {
			char fin[24] = "-";

			if (s[i].fin_total)
				snprintf(fin, sizeof(fin), "%llu",
					 (unsigned long long)s[i].fin_total);
			fprintf(f, "  %10u %14llu %12llu %10llu %10llu %14s\n", s[i].stream,
				(unsigned long long)s[i].received, (unsigned long long)s[i].lost,
				(unsigned long long)s[i].reordered,
				(unsigned long long)s[i].duplicated, fin);
		}
	}
}

void report_rx_json(FILE *f, const struct tg_rx_params *p, const struct tg_rx_report *r,
		    const struct rx_stream_report *s, int n)
{
	struct tg_rx_params shown = *p;
	struct json_writer w;
	int i;

	json_init(&w, f, 1);
	json_obj_begin(&w);
	json_kv_str(&w, "mode", "rx");
	/* One "backend" key, what it received with, as for tx. */
	shown.backend = TG_BACKEND_AUTO;
	proto_rx_params_write(&w, &shown);
	if (p->backend != TG_BACKEND_AUTO)
		json_kv_str(&w, "backend_requested", proto_backend_name(p->backend));
	proto_rx_report_write(&w, "", r);
	json_key(&w, "streams");
	json_arr_begin(&w);
	for (i = 0; i < n; i++) {
		json_obj_begin(&w);
		json_kv_u64(&w, "stream", s[i].stream);
		json_kv_u64(&w, "received", s[i].received);
		json_kv_u64(&w, "bytes", s[i].bytes);
		json_kv_u64(&w, "lost", s[i].lost);
		json_kv_u64(&w, "reordered", s[i].reordered);
		json_kv_u64(&w, "duplicated", s[i].duplicated);
		json_kv_u64(&w, "fin_total", s[i].fin_total);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
}

void report_engine_error(char *buf, size_t len, int rc, const char *dev)
{
	switch (rc) {
	case -ENODEV:
		snprintf(buf, len, "no interface '%.32s' (in this network namespace)", dev);
		break;
	case -EINVAL:
		snprintf(buf, len, "invalid parameter (interface '%.32s')", dev);
		break;
	case -ERANGE:
		snprintf(buf, len, "addresses must be inside 198.18.0.0/15");
		break;
	case -EPERM:
	case -EACCES:
		snprintf(buf, len, "AF_PACKET on '%.32s' needs root (CAP_NET_RAW)", dev);
		break;
	case -ENETDOWN:
		snprintf(buf, len, "interface '%.32s' is down", dev);
		break;
	default:
		snprintf(buf, len, "'%.32s': %s", dev, strerror(-rc));
	}
}

void report_fwd_human(FILE *f, const struct fwd_params *p, const struct fwd_dir_report *r, int n)
{
	int i;

	fprintf(f, "fwd %s%s%s", p->tap ? "tap " : "", p->bidir ? "bidirectional" : "",
		p->bidir ? "" : "one way");
	if (!p->tap && n > 0)
		fprintf(f, ", %s%s%s%s",
			r[0].io == FWD_IO_MMSG	     ? "recvmmsg/sendmmsg"
			: r[0].io == FWD_IO_RING_MMSG ? "TPACKET_V2 receive ring, sendmmsg"
			: r[0].io == FWD_IO_XDP	     ? "AF_XDP"
						     : "TPACKET_V2 rings",
			r[0].io == FWD_IO_XDP ? " (" : "", r[0].io == FWD_IO_XDP ? r[0].xdp_mode : "",
			r[0].io == FWD_IO_XDP ? ")" : "");
	if (p->drop_every)
		fprintf(f, ", test aid: drop every %llu", (unsigned long long)p->drop_every);
	if (p->max_pps)
		fprintf(f, ", test aid: at most %llu pps (bucket %llu ms)",
			(unsigned long long)p->max_pps,
			(unsigned long long)((p->max_burst_ns ? p->max_burst_ns : FWD_MAX_BURST_NS) /
					     1000000));
	fputc('\n', f);
	fprintf(f, "  %-16s %-16s %12s %12s %12s %12s %8s %10s %9s %9s\n", "from", "to",
		"received", "forwarded", "drop-every", "over-rate", "errors", "rcv drops",
		"too long", "tx full");
	for (i = 0; i < n; i++)
		fprintf(f, "  %-16s %-16s %12llu %12llu %12llu %12llu %8llu %10llu %9llu %9llu\n",
			r[i].from, r[i].to, (unsigned long long)r[i].received,
			(unsigned long long)r[i].forwarded, (unsigned long long)r[i].dropped_every,
			(unsigned long long)r[i].dropped_rate, (unsigned long long)r[i].send_errors,
			(unsigned long long)r[i].ring_drops, (unsigned long long)r[i].truncated,
			(unsigned long long)r[i].tx_full);
}

void report_fwd_json(FILE *f, const struct fwd_params *p, const struct fwd_dir_report *r, int n)
{
	struct json_writer w;
	int i;

	json_init(&w, f, 1);
	json_obj_begin(&w);
	json_kv_str(&w, "mode", "fwd");
	json_kv_str(&w, "in", p->in);
	json_kv_str(&w, "out", p->out);
	json_kv_bool(&w, "bidir", p->bidir);
	json_kv_bool(&w, "tap", p->tap);
	/* io: the backend that forwarded; io_requested: what --io asked for */
	json_kv_str(&w, "io", fwd_io_name(p->tap ? FWD_IO_TAP : n > 0 ? r[0].io : p->io));
	json_kv_str(&w, "io_requested", fwd_io_name(p->tap ? FWD_IO_TAP : p->io));
	if (!p->tap && n > 0 && r[0].io == FWD_IO_XDP)
		json_kv_str(&w, "xdp_mode", r[0].xdp_mode);
	json_kv_u64(&w, "drop_every", p->drop_every);
	json_kv_u64(&w, "max_pps", p->max_pps);
	json_key(&w, "directions");
	json_arr_begin(&w);
	for (i = 0; i < n; i++) {
		json_obj_begin(&w);
		json_kv_str(&w, "from", r[i].from);
		json_kv_str(&w, "to", r[i].to);
		json_kv_u64(&w, "received", r[i].received);
		json_kv_u64(&w, "forwarded", r[i].forwarded);
		json_kv_u64(&w, "bytes", r[i].bytes);
		json_kv_u64(&w, "dropped_every", r[i].dropped_every);
		json_kv_u64(&w, "dropped_rate", r[i].dropped_rate);
		json_kv_u64(&w, "send_errors", r[i].send_errors);
		json_kv_u64(&w, "ring_drops", r[i].ring_drops);
		json_kv_u64(&w, "truncated", r[i].truncated);
		json_kv_u64(&w, "tx_full", r[i].tx_full);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
}
