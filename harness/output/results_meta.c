/* A run's metadata; see results_meta.h. */
#include "harness/output/results_meta.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "harness/config/goodput_opts.h"
#include "lib/mtime.h"

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* "model name : Intel(R) Xeon(R) ..." from /proc/cpuinfo (first CPU). */
static void cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	copy_str(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		copy_str(buf, len, colon);
		break;
	}
	fclose(f);
}

void results_meta_set_backend(struct results_meta *m, const char *backend)
{
	copy_str(m->backend, sizeof(m->backend), backend);
	snprintf(m->generator, sizeof(m->generator), "%u thread%s, %s", m->gen_threads,
		 m->gen_threads == 1 ? "" : "s", m->backend);
}

void results_meta_collect(struct results_meta *m, const struct run_cfg *cfg, const char *platform,
			  uint64_t start_ns)
{
	struct utsname u;

	memset(m, 0, sizeof(*m));
	copy_str(m->version, sizeof(m->version), MP_VERSION);
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s %s %s", u.sysname, u.release, u.machine);
	else
		copy_str(m->kernel, sizeof(m->kernel), "unknown");
	cpu_model(m->cpu, sizeof(m->cpu));
	copy_str(m->library, sizeof(m->library), cfg->library);
	copy_str(m->commit, sizeof(m->commit), cfg->commit);
	copy_str(m->dut, sizeof(m->dut), cfg->dut);
	copy_str(m->platform, sizeof(m->platform), platform);
	m->gen_threads = cfg->gen_threads ? cfg->gen_threads : 1;
	results_meta_set_backend(m, "auto");
	m->start_ns = start_ns;
	copy_str(m->status, sizeof(m->status), "running");
	if (cfg->mode == MODE_GOODPUT)
		copy_str(m->server, sizeof(m->server), goodput_server_name(cfg->server));
}

/* A time as "2026-11-18T11:06:40Z"; 0 (not yet) is null, or no key at
 * all when omit. */
static void json_time(struct json_writer *w, const char *key, uint64_t ns, int omit)
{
	char buf[32];

	if (!ns && omit)
		return;
	json_key(w, key);
	if (!ns) {
		json_null(w);
		return;
	}
	mtime_fmt_utc(buf, sizeof(buf), ns, 1);
	json_str(w, buf);
}

void results_meta_json(struct json_writer *w, const struct results_meta *m, const char *kind,
		       enum results_meta_form form)
{
	int nested = form == RESULTS_META_NESTED;

	if (nested) {
		json_key(w, "meta");
		json_obj_begin(w);
	}
	json_kv_str(w, nested ? "version" : "mir_perf_version", m->version);
	if (kind)
		json_kv_str(w, "kind", kind);
	json_kv_str(w, "library", m->library);
	json_kv_str(w, "commit", m->commit);
	json_kv_str(w, "dut", m->dut);
	json_kv_str(w, "platform", m->platform);
	json_kv_str(w, "kernel", m->kernel);
	json_kv_str(w, nested ? "cpu" : "cpu_model", m->cpu);
	json_time(w, "start", m->start_ns, 0);
	json_time(w, "end", m->end_ns, nested);
	json_kv_str(w, "status", m->status);
	if (nested && m->server[0])
		json_kv_str(w, "server", m->server);
	if (nested)
		json_obj_end(w);
}
