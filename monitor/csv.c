#include "monitor/csv.h"

#include <string.h>

static const char *const dir_names[2] = {"rx", "tx"};

const char *mon_status_name(enum mon_status st)
{
	static const char *const names[] = {
	    [MON_FIRST] = "first",	 [MON_OK] = "ok",
	    [MON_WRAP] = "wrap",	 [MON_RESET] = "reset",
	    [MON_VANISHED] = "vanished", [MON_ERROR] = "error",
	};

	return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

/* Quote a field holding a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void mon_csv_header(FILE *f)
{
	unsigned i, d;

	fputs("time_s,mono_ns,late_ns,point,hop,netns,ifname,status", f);
	for (i = 0; i < mon_counter_count(); i++)
		for (d = 0; d < 2; d++)
			fprintf(f, ",%s_%s", dir_names[d], mon_counter_name(i));
	fputs(",interval_s", f);
	for (i = 0; i < mon_counter_count(); i++)
		for (d = 0; d < 2; d++)
			fprintf(f, ",%s_%s_per_s", dir_names[d], mon_counter_name(i));
	fputs(",read_ns\n", f);
}

void mon_csv_row(FILE *f, uint64_t t0, const char *tag, const char *label, const char *netns,
		 const char *ifname, const struct mon_sample *s)
{
	int have_ctr = s->status != MON_VANISHED && s->status != MON_ERROR;
	int have_rate = have_ctr && s->status != MON_FIRST;
	unsigned i, d;

	fprintf(f, "%.9f,%llu,", (double)(int64_t)(s->t_ns - t0) / 1e9,
		(unsigned long long)s->t_ns);
	if (s->scheduled)
		fprintf(f, "%lld", (long long)s->late_ns);
	fputc(',', f);
	csv_field(f, tag);
	fputc(',', f);
	csv_field(f, label);
	fputc(',', f);
	csv_field(f, netns);
	fputc(',', f);
	csv_field(f, ifname);
	fprintf(f, ",%s", mon_status_name(s->status));
	for (i = 0; i < mon_counter_count(); i++)
		for (d = 0; d < 2; d++)
			if (have_ctr)
				fprintf(f, ",%llu",
					(unsigned long long)mon_counter_get(&s->c, i, (int)d));
			else
				fputc(',', f);
	if (have_rate)
		fprintf(f, ",%.9f", (double)s->interval_ns / 1e9);
	else
		fputc(',', f);
	for (i = 0; i < mon_counter_count(); i++)
		for (d = 0; d < 2; d++)
			if (have_rate)
				fprintf(f, ",%.3f", mon_rate_get(&s->rate, i, (int)d));
			else
				fputc(',', f);
	if (s->status == MON_VANISHED && !s->read_ns)
		fputs(",\n", f);
	else
		fprintf(f, ",%llu\n", (unsigned long long)s->read_ns);
}
