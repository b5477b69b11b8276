/* A run's metadata (what ran where, when, with what): collected once when
 * the run starts, and written by one function into every JSON document of
 * the run directory (stats.json, search.json, goodput.json). */
#ifndef MP_RESULTS_META_H
#define MP_RESULTS_META_H

#include <stdint.h>

#include "harness/config/run_cfg.h"
#include "lib/json.h"

struct results_meta {
	char version[64];
	char kernel[256]; /* uname: sysname release machine */
	char cpu[128];
	char library[64];
	char commit[41];
	char dut[512];
	char platform[16];
	unsigned gen_threads;
	char backend[16];   /* "auto" (asked) until the agent says: "af_packet", "af_xdp" */
	char generator[64]; /* "2 threads, af_xdp": sending threads and backend */
	uint64_t start_ns;  /* CLOCK_REALTIME */
	uint64_t end_ns;    /* 0 while running */
	char status[16];    /* "running", "complete", "interrupted", "error" */
	/* goodput runs only, "" otherwise: where iperf3's server was, "sink"
	 * (behind the DUT) or "dut" (the DUT itself). The two measure different
	 * things (the driver forwarding vs the stack on top of it), so the
	 * documents say which and compare refuses to mix them. */
	char server[8];
};

/* Fill meta from this machine (kernel, CPU model), cfg and the platform name. */
void results_meta_collect(struct results_meta *m, const struct run_cfg *cfg, const char *platform,
			  uint64_t start_ns);

/* The generator's backend as its agent reported it ("af_xdp"), and the
 * "2 threads, af_xdp" text made from it. */
void results_meta_set_backend(struct results_meta *m, const char *backend);

/* How a document carries the metadata. The spellings differ for the
 * readers already written against them, not by choice: */
enum results_meta_form {
	/* stats.json, search.json: top-level keys "mir_perf_version", ...,
	 * "cpu_model", "start", "end" (null while running), "status" */
	RESULTS_META_TOP,
	/* goodput.json: an object "meta" with "version", ..., "cpu", "start",
	 * "end" (left out while running), "status", and "server" when the meta
	 * has one (goodput runs) */
	RESULTS_META_NESTED,
};

/* The metadata as JSON into the object w is writing; kind (or NULL) is
 * written as "kind" after the version ("search"). */
void results_meta_json(struct json_writer *w, const struct results_meta *m, const char *kind,
		       enum results_meta_form form);

#endif
