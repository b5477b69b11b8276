/* One guest domain of a xen run, from its libxl configuration to its end:
 * recorded in the run state before it exists, created paused, its console
 * saved from the first byte (console-ROLE.log in the run directory, the
 * agent's token redacted), unpaused; watched while the run goes on; asked to
 * shut down (a unikernel prints its counters then) and destroyed, with
 * xenconsoled's own log copied when the console pty gave nothing. */
#ifndef MP_XEN_DOMAIN_H
#define MP_XEN_DOMAIN_H

#include <libxl.h>
#include <stddef.h>
#include <stdint.h>

struct dut_sample;
struct run_state;
struct xen_console;
struct xl_redact;

#define XEN_NO_DOMID ((uint32_t)INVALID_DOMID)

/* What every domain of one run shares. */
struct xen_dom_env {
	libxl_ctx *ctx;
	struct run_state *st;
	const char *run_dir;
	const char *token;	  /* redacted from the consoles */
	struct xl_redact *redact; /* libxl's logger: the reason of a failed call */
};

struct xen_domain {
	const char *role;  /* "gen", "dut": console-ROLE.log */
	const char *image; /* a unikernel image it boots (named when Xen refuses it), or NULL */
	char name[64];	   /* from its configuration: mp-<run id>-ROLE */
	uint32_t domid;	   /* XEN_NO_DOMID while it does not run */
	struct xen_console *console;
};

void xen_domain_init(struct xen_domain *d, const char *role);
/* Create it from dc (the caller disposes dc), attach its console, unpause.
 * A half-created domain is destroyed before the error returns (as xl's
 * create_domain does); errors are logged. */
int xen_domain_start(const struct xen_dom_env *e, struct xen_domain *d, libxl_domain_config *dc);
/* 0 while it runs (or never started); else -ESRCH and how it ended, in why. */
int xen_domain_state(const struct xen_dom_env *e, const struct xen_domain *d, char *why,
		     size_t len);
/* Its state and CPU time now (all vCPUs), for dut_activity_say; -ENOENT
 * when it never started, -ESRCH when Xen no longer knows it. */
int xen_domain_sample(const struct xen_dom_env *e, const struct xen_domain *d,
		      struct dut_sample *s);
/* Ask it to shut down and wait up to wait_ns for it to stop. */
void xen_domain_shutdown(const struct xen_dom_env *e, const struct xen_domain *d, uint64_t wait_ns);
/* Destroy it, release its record, keep its console. */
void xen_domain_destroy(const struct xen_dom_env *e, struct xen_domain *d);

#endif
