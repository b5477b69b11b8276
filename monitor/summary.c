#include "monitor/summary.h"

#include <string.h>

#include "lib/json.h"

void summary_text(FILE *f, const struct watch_cfg *o, const struct mon_hop_window *w,
		  uint64_t run_ns)
{
	static const char *const dir[2] = {"rx", "tx"};
	int lw = 9;
	unsigned i, d;

	for (i = 0; i < o->n; i++)
		if ((int)strlen(o->hops[i].label) > lw)
			lw = (int)strlen(o->hops[i].label);
	fprintf(f, "\nSummary: %.3f s, every %.3g ms\n", (double)run_ns / 1e9,
		(double)o->interval_ns / 1e6);
	fprintf(f, "%-*s %3s %14s %16s %10s %8s %12s %10s  %12s %10s %12s %12s %8s\n", lw,
		"Interface", "dir", "packets", "bytes", "dropped", "errors", "pps", "Mbit/s",
		"mean pps", "stddev", "min pps", "max pps", "secs");
	for (i = 0; i < o->n; i++) {
		for (d = 0; d < 2; d++) {
			const struct mon_rate_stats *st =
			    d ? &w[i].tx_pps_stats : &w[i].rx_pps_stats;

			fprintf(f,
				"%-*s %3s %14llu %16llu %10llu %8llu %12.1f %10.3f  %12.1f %10.1f "
				"%12.1f %12.1f %8.3f\n",
				lw, d ? "" : o->hops[i].label, dir[d],
				(unsigned long long)mon_counter_get(&w[i].total, 0, d),
				(unsigned long long)mon_counter_get(&w[i].total, 1, d),
				(unsigned long long)mon_counter_get(&w[i].total, 2, d),
				(unsigned long long)mon_counter_get(&w[i].total, 3, d),
				d ? w[i].tx_pps : w[i].rx_pps,
				(d ? w[i].tx_bps : w[i].rx_bps) / 1e6, st->mean, st->stddev,
				st->min, st->max, (double)w[i].elapsed_ns / 1e9);
		}
		if (w[i].vanished)
			fprintf(f, "%-*s     (vanished: totals up to its last sample)\n", lw, "");
		if (w[i].reset)
			fprintf(f, "%-*s     (a counter was reset: counted from zero again)\n", lw,
				"");
	}
}

void summary_json(FILE *f, const struct watch_cfg *o, const struct mon_hop_window *w,
		  uint64_t run_ns, int have_pcap, uint64_t pcap_frames)
{
	static const char *const dir[2] = {"rx", "tx"};
	struct json_writer j;
	unsigned i, d, k;

	json_init(&j, f, 1);
	json_obj_begin(&j);
	json_kv_double(&j, "interval_s", (double)o->interval_ns / 1e9);
	json_kv_double(&j, "duration_s", (double)run_ns / 1e9);
	json_key(&j, "interfaces");
	json_arr_begin(&j);
	for (i = 0; i < o->n; i++) {
		json_obj_begin(&j);
		json_kv_str(&j, "label", o->hops[i].label);
		json_kv_str(&j, "netns", o->ifs[i].netns);
		json_kv_str(&j, "ifname", o->ifs[i].ifname);
		json_kv_double(&j, "elapsed_s", (double)w[i].elapsed_ns / 1e9);
		json_kv_u64(&j, "elapsed_ns", w[i].elapsed_ns);
		json_kv_u64(&j, "samples", w[i].samples);
		json_kv_bool(&j, "vanished", w[i].vanished);
		json_kv_bool(&j, "reset", w[i].reset);
		for (d = 0; d < 2; d++) {
			const struct mon_rate_stats *st =
			    d ? &w[i].tx_pps_stats : &w[i].rx_pps_stats;

			json_key(&j, dir[d]);
			json_obj_begin(&j);
			for (k = 0; k < mon_counter_count(); k++)
				json_kv_u64(&j, mon_counter_name(k),
					    mon_counter_get(&w[i].total, k, (int)d));
			json_kv_double(&j, "pps", d ? w[i].tx_pps : w[i].rx_pps);
			json_kv_double(&j, "bps", d ? w[i].tx_bps : w[i].rx_bps);
			json_kv_double(&j, "pps_mean", st->mean);
			json_kv_double(&j, "pps_stddev", st->stddev);
			json_kv_double(&j, "pps_min", st->min);
			json_kv_double(&j, "pps_max", st->max);
			json_obj_end(&j);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	if (have_pcap) {
		json_key(&j, "pcap");
		json_obj_begin(&j);
		json_kv_str(&j, "netns", o->pcap_if.netns);
		json_kv_str(&j, "ifname", o->pcap_if.ifname);
		json_kv_str(&j, "file", o->pcap_file);
		json_kv_u64(&j, "frames", pcap_frames);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	fputc('\n', f);
}
