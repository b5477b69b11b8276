#include "harness/config/cli_cfg.h"

#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/config/conf.h"
#include "harness/config/conf_file.h"
#include "harness/config/dut_form.h"
#include "harness/config/gen_threads.h"
#include "harness/config/goodput_opts.h"
#include "harness/config/goodput_plan.h"
#include "harness/platform/local/local_dut.h"
#include "harness/platform/xen/xen_image.h"
#include "harness/config/platform_select.h"
#include "harness/config/quote.h"
#include "harness/config/rangelist.h"
#include "harness/config/rr_cfg.h"
#include "harness/measure/search.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/trust.h"
#include "lib/units.h"

#ifndef MP_DATADIR
#define MP_DATADIR "/usr/local/share/mir-perf"
#endif

static int cli_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* An option's value through the same setter as mir-perf.conf. */
static int cli_set(struct run_cfg *cfg, const char *opt, const char *key, const char *value,
		   char *err, size_t len)
{
	char exp[256], q[256];

	if (!value)
		return 0;
	if (conf_set(cfg, key, value, exp, sizeof(exp)))
		return cli_fail(err, len, "%s: expected %s, got '%s'", opt, exp,
				cli_q(q, sizeof(q), value));
	return 0;
}

static int cli_path(char *dst, size_t dstlen, const char *opt, const char *value, char *err,
		    size_t len)
{
	size_t n = strlen(value);
	char q[256];

	if (!n || n >= dstlen || quote_has_control(value, n))
		return cli_fail(err, len,
				"%s: expected a path shorter than %zu bytes without "
				"control characters, got '%s'",
				opt, dstlen, cli_q(q, sizeof(q), value));
	memcpy(dst, value, n + 1);
	return 0;
}

static int cli_lists(const struct cli_args *a, struct run_cfg *cfg, FILE *diag, char *err,
		     size_t len)
{
	char path[PATH_MAX + 16];
	int rc;

	if (a->sizes) {
		rc = rangelist_parse_string(a->sizes, "--sizes", RANGELIST_SIZES, 0, &cfg->sizes,
					    diag, err, len);
	} else {
		snprintf(path, sizeof(path), "%s/range-psz", cfg->cfg_dir);
		rc = rangelist_parse_file(path, RANGELIST_SIZES, 0, &cfg->sizes, diag, err, len);
	}
	if (rc)
		return -EINVAL; /* a missing or unreadable list is bad cfg too */
	if (a->rates) {
		rc = rangelist_parse_string(a->rates, "--rates", RANGELIST_RATES, cfg->sizes.n,
					    &cfg->rates, diag, err, len);
	} else {
		snprintf(path, sizeof(path), "%s/range-pps", cfg->cfg_dir);
		rc = rangelist_parse_file(path, RANGELIST_RATES, cfg->sizes.n, &cfg->rates, diag,
					  err, len);
	}
	return rc ? -EINVAL : 0;
}

/* The goodput mode's lists and limits, instead of the frames' range lists. */
static int cli_goodput_cfg(const struct cli_args *a, struct run_cfg *cfg, FILE *diag, char *err,
			   size_t len)
{
	enum rangelist_kind kind =
	    cfg->protocols & RUN_PROTO_UDP ? RANGELIST_BUFSZ_UDP : RANGELIST_BUFSZ_TCP;
	char path[PATH_MAX + 16], d[32];
	uint64_t n;
	int rc;

	if (a->sizes || a->rates)
		return cli_fail(err, len,
				"%s belongs to the frames mode; in the goodput mode the sweep is "
				"over write sizes: --bufsizes (or range-bufsz)",
				a->sizes ? "--sizes" : "--rates");
	if (cfg->search)
		return cli_fail(err, len,
				"the throughput search (search = / --search) belongs to the frames "
				"mode; the goodput mode measures every write size");
	if (a->bufsizes) {
		rc = rangelist_parse_string(a->bufsizes, "--bufsizes", kind, 0, &cfg->bufsz, diag,
					    err, len);
	} else {
		snprintf(path, sizeof(path), "%s/range-bufsz", cfg->cfg_dir);
		rc = rangelist_parse_file(path, kind, 0, &cfg->bufsz, diag, err, len);
	}
	if (rc)
		return -EINVAL;
	/* iperf3 counts -t and -O in whole seconds. */
	if (cfg->duration_ns % NSEC_PER_SEC || cfg->warmup_ns % NSEC_PER_SEC) {
		units_fmt_duration(d, sizeof(d), cfg->duration_ns % NSEC_PER_SEC ? cfg->duration_ns
										   : cfg->warmup_ns);
		return cli_fail(err, len,
				"the goodput mode's iperf3 counts whole seconds: expected a %s of "
				"whole seconds, got %s",
				cfg->duration_ns % NSEC_PER_SEC ? "duration" : "warm-up", d);
	}
	n = (uint64_t)goodput_plan_points(cfg) * cfg->trials;
	if (n > RUN_MAX_POINTS)
		return cli_fail(err, len,
				"%llu goodput points (protocols x streams x write sizes x UDP "
				"bitrates x trials): at most %u",
				(unsigned long long)n, RUN_MAX_POINTS);
	return 0;
}

/* 1 when name is an executable file in a directory of PATH. */
static int cli_in_path(const char *name, const char **path_out)
{
	const char *path = getenv("PATH"), *dir, *end;
	char buf[PATH_MAX];
	struct stat st;

	*path_out = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
	for (dir = *path_out; *dir; dir = end + (*end == ':')) {
		end = strchrnul(dir, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - dir), end == dir ? "." : dir,
			 name);
		if (!stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK))
			return 1;
		if (!*end)
			break;
	}
	return 0;
}

/* What the goodput and rr modes need of the DUT and the machine, once both
 * are known. */
static int cli_goodput_check(const struct cli_args *a, const struct run_cfg *cfg, char *err,
			     size_t len)
{
	const char *mode = goodput_mode_name(cfg->mode);
	const char *back = cfg->mode == MODE_RR ? "the responses" : "TCP's ACKs";
	const char *path;
	char q[256];

	/* On Xen, linux-fwd (mir-trafgen fwd --bidir) and a library's forwarder
	 * built from our recipe (its --bidir boot argument, xl_config.c) forward
	 * both ways; an image: is anyone's unikernel, not known to. */
	if (cfg->platform == PLATFORM_XEN && !a->library && cfg->dut_kind == RUN_DUT_IMAGE)
		return cli_fail(err, len,
				"the %s mode needs a DUT that forwards both ways (%s come back "
				"through it); on the xen platform that is --dut linux-fwd "
				"(mir-trafgen fwd --bidir) or a library built by mir-perf (%s: "
				"the recipe's forwarder, booted with --bidir), not '%s', a "
				"prebuilt image not known to",
				mode, back, cli_libraries[0], cli_q(q, sizeof(q), cfg->dut));
	if (cfg->platform == PLATFORM_LOCAL && !a->library &&
	    dut_form_platform(cfg->dut_kind) != PLATFORM_LOCAL)
		return cli_fail(err, len,
				"the %s mode needs a DUT that forwards both ways (%s come back "
				"through it); '%s' runs on the xen platform (--platform "
				"xen); on the local platform use bridge, fwd, tap-fwd or "
				"exec:COMMAND",
				mode, back, cli_q(q, sizeof(q), cfg->dut));
	if (cfg->mode == MODE_GOODPUT && !cfg->dry_run && !cli_in_path("iperf3", &path))
		return cli_fail(err, len,
				"the goodput mode runs iperf3, and there is no iperf3 in PATH "
				"(%s); install it: apt-get install iperf3 (or sudo make deps)",
				cli_q(q, sizeof(q), path));
	return 0;
}

/* server = dut (--server dut): the goodput mode's server is the DUT itself,
 * the recipe's MirageOS iperf3 unikernel, which only a library built by
 * mir-perf on the xen platform is (built from recipes/<library>/iperf3/): TCP
 * and UDP from the client, never -R. Said before anything is created:
 * what the mode allows before any list is read
 * (cli_server_mode), the platform and the DUT once they are known
 * (cli_server_place). from: where it was asked for. */
static const char *cli_server_from(const struct cli_args *a, const struct run_cfg *cfg, char *buf,
				   size_t len)
{
	if (a->server)
		snprintf(buf, len, "--server dut");
	else
		snprintf(buf, len, "server = dut in %s", cfg->conf_file);
	return buf;
}

static int cli_server_mode(const struct cli_args *a, const struct run_cfg *cfg, char *err,
			   size_t len)
{
	char from[PATH_MAX + 32];

	if (cfg->server != RUN_SERVER_DUT)
		return 0;
	cli_server_from(a, cfg, from, sizeof(from));
	if (cfg->mode != MODE_GOODPUT)
		return cli_fail(err, len, "%s belongs to the goodput mode: %s; add --mode goodput",
				from,
				cfg->mode == MODE_RR
				    ? "the rr mode's server is mir-trafgen rr, not the DUT"
				    : "the DUT is then iperf3's server (the recipe's MirageOS "
				      "iperf3 unikernel)");
	return 0;
}

static int cli_server_place(const struct cli_args *a, const struct run_cfg *cfg, char *err,
			    size_t len)
{
	char from[PATH_MAX + 32], q[256];

	if (cfg->server != RUN_SERVER_DUT)
		return 0;
	cli_server_from(a, cfg, from, sizeof(from));
	if (cfg->platform != PLATFORM_XEN)
		return cli_fail(err, len,
				"%s needs the xen platform: the server is the recipe's MirageOS "
				"iperf3 unikernel (%s [COMMIT]); the platform is local (%s)",
				from, cli_libraries[0], cfg->platform_why);
	/* as cli_resolve_dut decides: a library unless a Xen --dut or dut = is
	 * given (a second --dut comes with a first) */
	if (!a->library && (a->dut || dut_form_platform(cfg->dut_kind) == PLATFORM_XEN))
		return cli_fail(err, len,
				"%s needs a library built by mir-perf (%s [COMMIT]): the server is "
				"the recipe's MirageOS iperf3 unikernel, and '%s' is not one",
				from, cli_libraries[0], cli_q(q, sizeof(q), cfg->dut));
	return 0;
}

/* The local platform splits COMMAND and OPTS into argv (quotes, no shell):
 * let it refuse what it cannot split now, before anything runs. */
static int cli_check_local_dut(const struct run_cfg *cfg, const char *from, const char *where,
			       char *err, size_t len)
{
	struct local_dut ld;
	char why[1024];
	int rc;

	rc = local_dut_parse(cfg->dut, &ld, why, sizeof(why));
	if (rc == -EINVAL)
		return cli_fail(err, len, "%s%s: %s", from, where, why);
	if (rc) {
		snprintf(err, len, "%s: %s", log_prog(), strerror(-rc));
		return rc;
	}
	local_dut_free(&ld);
	return 0;
}

/* The DUT for the chosen platform; see mir-perf(1), DUTS. */
static int cli_resolve_dut(const struct cli_args *a, const char *caps_path, struct run_cfg *cfg,
			   char *err, size_t len)
{
	const char *from = a->dut ? "--dut" : "dut in ";
	const char *where = a->dut ? "" : cfg->conf_file;
	char q[256], why[192];
	struct stat st;

	if (cfg->platform == PLATFORM_LOCAL) {
		if (a->library) {
			if (!strncmp(cfg->platform_why, "auto", 4)) {
				char found[400];

				platform_is_xen_dom0(caps_path, found, sizeof(found));
				snprintf(err, len,
					 "%s: %s builds a Xen unikernel, and this machine is not a "
					 "Xen dom0 (%s); to run the harness here use --platform "
					 "local with a local --dut (fwd, tap-fwd, bridge or "
					 "exec:COMMAND)",
					 log_prog(), a->library, found);
				return -ENODEV;
			}
			return cli_fail(err, len,
					"%s builds a Xen unikernel, which needs the xen platform; "
					"the platform is local (%s)",
					a->library, cfg->platform_why);
		}
		if (dut_form_platform(cfg->dut_kind) != PLATFORM_LOCAL)
			return cli_fail(err, len,
					"%s%s '%s' runs on the xen platform, and the platform is "
					"local (%s); local DUTs are fwd, tap-fwd, bridge and "
					"exec:COMMAND",
					from, where, cli_q(q, sizeof(q), cfg->dut),
					cfg->platform_why);
		return cli_check_local_dut(cfg, from, where, err, len);
	}
	if (a->library && a->dut)
		return cli_fail(err, len, "give either LIBRARY or --dut, not both");
	if (a->library || (!a->dut && dut_form_platform(cfg->dut_kind) != PLATFORM_XEN)) {
		/* The xen platform's DUT is a unikernel: by default the known recipe at
		 * its default branch head. A local `dut =` does not apply here. */
		snprintf(cfg->library, sizeof(cfg->library), "%s",
			 a->library ? a->library : cli_libraries[0]);
		snprintf(cfg->commit, sizeof(cfg->commit), "%s", a->commit ? a->commit : "");
		cfg->dut[0] = '\0';
		cfg->dut_kind = RUN_DUT_LIBRARY;
		return 0;
	}
	if (dut_form_platform(cfg->dut_kind) != PLATFORM_XEN)
		return cli_fail(err, len,
				"--dut '%s' runs on the local platform, and the platform is xen "
				"(%s); Xen DUTs are LIBRARY [COMMIT], image:PATH and linux-fwd",
				cli_q(q, sizeof(q), cfg->dut), cfg->platform_why);
	if (cfg->dut_kind == RUN_DUT_IMAGE &&
	    (stat(dut_form_arg(cfg->dut), &st) || !S_ISREG(st.st_mode)))
		return cli_fail(err, len,
				"%s%s '%s': expected the path of a unikernel image, "
				"and that is not a file",
				from, where, cli_q(q, sizeof(q), cfg->dut));
	/* What Xen will be handed must look like a PVH kernel before a bridge or
	 * a domain exists (a dry run only shows the plan). */
	if (cfg->dut_kind == RUN_DUT_IMAGE && !cfg->dry_run &&
	    xen_image_check(dut_form_arg(cfg->dut), why, sizeof(why)))
		return cli_fail(err, len,
				"%s%s '%s': not a kernel Xen boots as a PVH domain (what "
				"`mirage configure -t xen` builds as dist/NAME.xen): %s",
				from, where, cli_q(q, sizeof(q), cfg->dut), why);
	return 0;
}

int cli_build_cfg(const struct cli_args *a, const char *caps_path, struct run_cfg *cfg, FILE *diag,
		  char *err, size_t len)
{
	char why[sizeof(cfg->platform_why)], source[PATH_MAX + 64], q[256];
	char d1[32], d2[32];
	int rc;

	conf_defaults(cfg);
	if (len)
		err[0] = '\0';
	cfg->dry_run = a->action == CLI_DRY_RUN;
	cfg->quiet = a->quiet;
	cfg->verbose = a->verbose;
	cfg->dut_as_root = a->dut_as_root;

	/* cfg dir: -c, else ./cfg when present (a checkout), else the installed one */
	if (a->cfg_dir) {
		rc = cli_path(cfg->cfg_dir, sizeof(cfg->cfg_dir) - 32, "--cfg", a->cfg_dir, err,
			      len);
		if (rc)
			return rc;
		if (!cli_is_dir(a->cfg_dir))
			return cli_fail(err, len, "--cfg: expected a directory, got '%s'",
					cli_q(q, sizeof(q), a->cfg_dir));
	} else {
		snprintf(cfg->cfg_dir, sizeof(cfg->cfg_dir), "%s",
			 cli_is_dir("cfg") ? "cfg" : MP_DATADIR "/cfg");
	}
	/* Under sudo, a cfg chooses what runs as root and where root writes:
	 * like sshd's StrictModes, one another user could have planted or
	 * changed is refused, whether found as ./cfg or named by --cfg. */
	rc = trust_path(cfg->cfg_dir, why, sizeof(why));
	if (rc)
		return cli_fail(err, len, "%s '%s' refused: %s; use --cfg with a directory only "
				"root or you can change",
				a->cfg_dir ? "--cfg" : "the cfg directory",
				cli_q(q, sizeof(q), cfg->cfg_dir), why);
	snprintf(cfg->conf_file, sizeof(cfg->conf_file), "%.*s/mir-perf.conf", PATH_MAX - 32,
		 cfg->cfg_dir);
	rc = conf_parse_file(cfg->conf_file, cfg, diag, err, len);
	if (rc)
		return -EINVAL;
	/* the command line wins */
	if ((rc = cli_set(cfg, "--platform", "platform", a->platform, err, len)) ||
	    (rc = cli_set(cfg, "--duration", "duration", a->duration, err, len)) ||
	    (rc = cli_set(cfg, "--trials", "trials", a->trials, err, len)) ||
	    (rc = cli_set(cfg, "--dut", "dut", a->dut, err, len)) ||
	    (rc = cli_set(cfg, "--search", "search", a->search, err, len)) ||
	    (rc = cli_set(cfg, "--ndr-loss", "ndr_loss", a->ndr_loss, err, len)) ||
	    (rc = cli_set(cfg, "--pdr-loss", "pdr_loss", a->pdr_loss, err, len)) ||
	    (rc = cli_set(cfg, "--precision", "precision", a->precision, err, len)) ||
	    (rc = cli_set(cfg, "--max-rate", "max_rate", a->max_rate, err, len)) ||
	    (rc = cli_set(cfg, "--search-mode", "search_mode", a->search_mode, err, len)) ||
	    (rc = cli_set(cfg, "--sources", "mirage_sources", a->sources, err, len)) ||
	    (rc = cli_set(cfg, "--repo", "mirage_repo", a->repo, err, len)) ||
	    (rc = cli_set(cfg, "--gen-threads", "gen_threads", a->gen_threads, err, len)) ||
	    (rc = cli_set(cfg, "--mode", "mode", a->mode, err, len)) ||
	    (rc = cli_set(cfg, "--streams", "streams", a->streams, err, len)) ||
	    (rc = cli_set(cfg, "--protocol", "protocol", a->protocol, err, len)) ||
	    (rc = cli_set(cfg, "--bitrate", "bitrate", a->bitrate, err, len)) ||
	    (rc = cli_set(cfg, "--server", "server", a->server, err, len)) ||
	    (rc = cli_set(cfg, "--on-dut-stop", "on_dut_stop", a->on_dut_stop, err, len)))
		return rc;
	if (cfg->mode == MODE_FRAMES && a->streams)
		return cli_fail(err, len,
				"--streams belongs to the goodput and rr modes: add --mode goodput "
				"or --mode rr");
	if (cfg->mode != MODE_GOODPUT && (a->bufsizes || a->protocol || a->bitrate))
		return cli_fail(err, len, "%s belongs to the goodput mode: add --mode goodput",
				a->bufsizes   ? "--bufsizes"
				: a->protocol ? "--protocol"
					      : "--bitrate");
	rc = rr_cfg_options(a, cfg, err, len);
	if (!rc)
		rc = cli_server_mode(a, cfg, err, len);
	if (rc)
		return rc;
	if (cfg->search && (cfg->search & SEARCH_NDR) && (cfg->search & SEARCH_PDR) &&
	    cfg->pdr_loss < cfg->ndr_loss)
		return cli_fail(err, len,
				"the PDR's loss tolerance (%g %%) is below the NDR's (%g %%): "
				"the PDR tolerates at least as much loss",
				cfg->pdr_loss * 100, cfg->ndr_loss * 100);
	if (a->dut_b) {
		char exp[256];
		enum run_dut_kind kind;

		if (dut_form_parse(a->dut_b, &kind, exp, sizeof(exp)) ||
		    strlen(a->dut_b) >= sizeof(cfg->dut))
			return cli_fail(err, len, "--dut: expected %s, got '%s'", exp,
					cli_q(q, sizeof(q), a->dut_b));
	}
	if (a->out_dir) {
		rc = cli_path(cfg->out_dir, sizeof(cfg->out_dir), "--out", a->out_dir, err, len);
		if (rc)
			return rc;
	}
	if (!cfg->dut_kind) {
		char exp[256];

		/* the default "fwd" was not parsed by the setter */
		dut_form_parse(cfg->dut, &cfg->dut_kind, exp, sizeof(exp));
	}
	rc = cfg->mode == MODE_GOODPUT ? cli_goodput_cfg(a, cfg, diag, err, len)
	     : cfg->mode == MODE_RR    ? rr_cfg_lists(a, cfg, err, len)
				       : cli_lists(a, cfg, diag, err, len);
	if (rc)
		return rc;
	if (cfg->interval_ns > cfg->duration_ns) {
		units_fmt_duration(d1, sizeof(d1), cfg->interval_ns);
		units_fmt_duration(d2, sizeof(d2), cfg->duration_ns);
		return cli_fail(err, len,
				"the sampling interval (%s) is longer than a point's duration "
				"(%s): the monitor would see no interval inside a point",
				d1, d2);
	}

	if (a->platform)
		snprintf(source, sizeof(source), "--platform %s", a->platform);
	else
		snprintf(source, sizeof(source), "platform = %s in %s",
			 conf_platform_name(cfg->platform), cfg->conf_file);
	cfg->platform = platform_select(cfg->platform, source, caps_path, why, sizeof(why));
	snprintf(cfg->platform_why, sizeof(cfg->platform_why), "%s", why);
	rc = cli_server_place(a, cfg, err, len);
	if (rc)
		return rc;
	if (cfg->mode != MODE_FRAMES) {
		rc = cli_goodput_check(a, cfg, err, len);
		if (rc)
			return rc;
	}
	rc = cli_resolve_dut(a, caps_path, cfg, err, len);
	if (!rc)
		gen_threads_resolve(cfg); /* its default depends on the DUT */
	return rc;
}

void cli_cfg_release(struct run_cfg *cfg)
{
	run_list_release(&cfg->sizes);
	run_list_release(&cfg->rates);
	run_list_release(&cfg->bufsz);
	run_list_release(&cfg->rrsz);
}
