/* Flags in words and tokens; see flags.h. */
#include "harness/output/flags.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"

static const char *const hop_name[HOP_COUNT] = {"offered", "DUT in", "DUT out", "sink rx"};

const char *flags_hop_name(unsigned h)
{
	return h < HOP_COUNT ? hop_name[h] : "?";
}

/* Append to buf (always terminated), with "; " between parts. */
static void add(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	if (used) {
		snprintf(buf + used, len - used, "; ");
		used = strnlen(buf, len);
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

void flags_text(const struct results_point *p, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (p->flags & RESULTS_GEN_FAILED) {
		char target[32];

		if (p->target_pps == UNITS_RATE_MAX)
			snprintf(target, sizeof(target), "max");
		else
			snprintf(target, sizeof(target), "%llu", (unsigned long long)p->target_pps);
		if (p->send_errors)
			add(buf, len, "generator failed: %llu send errors; offered %.0f of %s pps",
			    (unsigned long long)p->send_errors, p->gen_point_pps, target);
		else
			add(buf, len, "generator failed: offered %.0f of %s pps", p->gen_point_pps,
			    target);
	}
	if (p->flags & RESULTS_RATE_ORDER) {
		unsigned h = p->order_hop;

		if (h > 0 && h < HOP_COUNT)
			add(buf, len, "%s %.0f pps > %s %.0f pps: a rate above its upstream's",
			    hop_name[h], p->hop[h].pps, hop_name[h - 1], p->hop[h - 1].pps);
	}
	if (p->flags & RESULTS_DUT_STOPPED && !p->dut_in_since_stop)
		add(buf, len,
		    "the DUT stopped transmitting after %llu frames and takes none in (the "
		    "generator's link carried %llu)",
		    (unsigned long long)p->dut_stopped_after,
		    (unsigned long long)p->hop[HOP_GEN_TX].packets);
	else if (p->flags & RESULTS_DUT_STOPPED)
		add(buf, len, "the DUT stopped transmitting after %llu frames (%llu arrived since)",
		    (unsigned long long)p->dut_stopped_after,
		    (unsigned long long)p->dut_in_since_stop);
	if (p->flags & RESULTS_AGENT_DIFFERS)
		add(buf, len, "the agent counted %.0f pps sent, the generator's link %.0f pps",
		    p->agent_offered_pps, p->offered_pps);
}

void flags_tokens(unsigned flags, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} t[] = {
	    {RESULTS_GEN_FAILED, "gen_failed"},
	    {RESULTS_RATE_ORDER, "rate_order"},
	    {RESULTS_DUT_STOPPED, "dut_stopped"},
	    {RESULTS_AGENT_DIFFERS, "agent_differs"},
	};
	size_t used = 0;
	unsigned i;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!(flags & t[i].bit))
			continue;
		snprintf(buf + used, len - used, "%s%s", used ? "|" : "", t[i].name);
		used = strnlen(buf, len);
	}
}
