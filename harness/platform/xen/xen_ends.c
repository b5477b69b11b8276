/* The goodput and rr modes' ends on Xen; see xen_ends.h. */
#include "harness/platform/xen/xen_ends.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <unistd.h>

#include "guest/guest_ends.h"
#include "harness/platform/xen/xl_config.h"
#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "trafgen/agent_client.h"
#include "trafgen/agent_end.h"

/* As the run's own connection: a loaded emulator took over 10 s to answer. */
#define ENDS_CONNECT_NS (30 * NSEC_PER_SEC)
#define ENDS_FIELDS	8
#define ENDS_DOC_MAX	(16u * 1024 * 1024)

struct xen_end {
	unsigned id; /* the agent's; 0: free */
	int ended;
	const char *prog; /* names it in messages: "iperf3", "rr" */
	char log[PATH_MAX];
};

struct xen_ends {
	struct agent_client *c;
	struct xen_end e[AGENT_END_MAX];
};

int xen_ends_open(const char *endpoint, const char *token, struct xen_ends **out)
{
	struct xen_ends *e = calloc(1, sizeof(*e));
	int rc;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	rc = agent_client_connect(endpoint, token, ENDS_CONNECT_NS, &e->c);
	if (rc) {
		log_err("the goodput and rr modes' ends: cannot reach the agent in the traff-gen "
			"guest at %s: %s",
			endpoint, strerror(-rc));
		free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* One request; the reply's fields parsed into f (from buf, which the
 * caller frees). 0, or a negative errno after saying what failed. */
static int call(struct xen_ends *e, const char *what, const char *req, char **buf,
		struct json_field *f, int *n)
{
	const struct json_field *ok, *err;
	const char *reply;
	int rc;

	*buf = NULL;
	rc = agent_client_call_raw(e->c, req, &reply);
	if (rc) {
		log_err("%s in the traff-gen guest: %s", what, agent_client_last_error(e->c));
		return rc;
	}
	*buf = strdup(reply);
	if (!*buf)
		return -ENOMEM;
	*n = json_flat_parse(*buf, f, ENDS_FIELDS);
	ok = *n > 0 ? json_flat_get(f, *n, "ok") : NULL;
	if (!ok || ok->type != JSON_T_BOOL) {
		log_err("%s in the traff-gen guest: the agent's reply is not an object with \"ok\"",
			what);
		return -EPROTO;
	}
	if (strcmp(ok->val, "true")) {
		err = json_flat_get(f, *n, "error");
		log_err("%s in the traff-gen guest: the agent said: %s", what,
			err ? err->val : "(no error text)");
		return -EREMOTEIO;
	}
	return 0;
}

static int num(const struct json_field *f, int n, const char *key, unsigned long long *v)
{
	const struct json_field *x = json_flat_get(f, n, key);
	char *end;

	if (!x || x->type != JSON_T_NUMBER)
		return -EPROTO;
	*v = strtoull(x->val, &end, 10);
	return *end ? -EPROTO : 0;
}

static int flag(const struct json_field *f, int n, const char *key)
{
	const struct json_field *x = json_flat_get(f, n, key);

	return x && x->type == JSON_T_BOOL && !strcmp(x->val, "true");
}

static struct xen_end *find(struct xen_ends *e, pid_t pid)
{
	unsigned i;

	for (i = 0; i < AGENT_END_MAX; i++)
		if (e->e[i].id && e->e[i].id == (unsigned)pid)
			return &e->e[i];
	return NULL;
}

/* The end's whole output into its log file (written whole through the
 * directory's fd, lib/atomic_file). */
static int fetch(struct xen_ends *e, struct xen_end *x)
{
	char req[96], *buf = NULL, *doc = NULL, dir[PATH_MAX], *slash, what[48];
	struct json_field f[ENDS_FIELDS];
	size_t len = 0;
	int n, rc = 0, dfd = -1, eof = 0;

	snprintf(what, sizeof(what), "reading %s's output", x->prog);
	while (!eof && !rc) {
		const struct json_field *data;
		size_t dl;
		char *grown;

		snprintf(req, sizeof(req), "{\"cmd\":\"end_read\",\"id\":%u,\"offset\":%zu}", x->id,
			 len);
		rc = call(e, what, req, &buf, f, &n);
		if (rc)
			break;
		data = json_flat_get(f, n, "data");
		eof = flag(f, n, "eof");
		dl = data ? strlen(data->val) : 0;
		/* a running end (stopped now): what it wrote so far */
		eof = eof || dl == 0;
		if (!data || len + dl > ENDS_DOC_MAX) {
			log_err("%s in the traff-gen guest: %s", what,
				!data ? "no \"data\" in the agent's reply" : "over 16 MiB");
			rc = -EPROTO;
			break;
		}
		grown = realloc(doc, len + dl + 1);
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		doc = grown;
		memcpy(doc + len, data->val, dl);
		len += dl;
		free(buf);
		buf = NULL;
	}
	free(buf);
	if (!rc) {
		snprintf(dir, sizeof(dir), "%s", x->log);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = dfd < 0 ? -errno
			     : afile_write_all(dfd, slash ? slash + 1 : x->log, 0644, doc ? doc : "",
					       len);
		if (rc)
			log_err("writing %s: %s", x->log, strerror(-rc));
	}
	if (dfd >= 0)
		close(dfd);
	free(doc);
	return rc;
}

unsigned xen_ends_prog(char *const *argv)
{
	const char *base;

	if (!argv[0])
		return 0;
	if (!strcmp(argv[0], "iperf3"))
		return 1;
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	/* the harness's own path of it: the guest runs its copy, the agent */
	return !strcmp(base, "mir-trafgen") && argv[1] && !strcmp(argv[1], "rr") ? 2 : 0;
}

int xen_ends_spawn(struct xen_ends *e, enum platform_end end, char *const *argv,
		   const char *log, pid_t *pid)
{
	struct json_field f[ENDS_FIELDS];
	struct xen_end *x = NULL;
	char args[512], *req = NULL, *buf = NULL;
	unsigned long long id;
	size_t used = 0, len = 0;
	struct json_writer w;
	unsigned i, first;
	const char *prog; /* as the agent and the messages name it */
	char what[48];
	FILE *m;
	int n, rc;

	for (i = 0; i < AGENT_END_MAX && !x; i++)
		if (!e->e[i].id)
			x = &e->e[i];
	if (!x)
		return -EINVAL; /* a mode runs two ends at a time */
	first = xen_ends_prog(argv);
	if (!first)
		return -EINVAL;
	prog = first == 2 ? "rr" : "iperf3";
	args[0] = '\0';
	for (i = first; argv[i]; i++) {
		int k = snprintf(args + used, sizeof(args) - used, "%s%s", i > first ? " " : "",
				 argv[i]);

		if (k < 0 || (size_t)k >= sizeof(args) - used)
			return -E2BIG;
		used += (size_t)k;
	}
	m = open_memstream(&req, &len);
	if (!m)
		return -ENOMEM;
	json_init(&w, m, 0);
	json_obj_begin(&w);
	json_kv_str(&w, "cmd", "end_start");
	if (first == 2)
		json_kv_str(&w, "prog", prog);
	json_kv_str(&w, "args", args);
	if (end == END_SERVER)
		json_kv_str(&w, "netns", GUEST_ENDS_NETNS);
	json_obj_end(&w);
	fclose(m);
	snprintf(what, sizeof(what), "starting the %s %s", prog,
		 end == END_SERVER ? "server" : "client");
	rc = call(e, what, req, &buf, f, &n);
	if (!rc && (num(f, n, "id", &id) || !id || id > INT_MAX)) {
		log_err("%s in the traff-gen guest: no id in the agent's reply", what);
		rc = -EPROTO;
	}
	if (!rc) {
		x->id = (unsigned)id;
		x->ended = 0;
		x->prog = prog;
		snprintf(x->log, sizeof(x->log), "%s", log);
		*pid = (pid_t)id;
	}
	free(req);
	free(buf);
	return rc;
}

int xen_ends_poll(struct xen_ends *e, pid_t pid, int *status)
{
	struct json_field f[ENDS_FIELDS];
	struct xen_end *x = find(e, pid);
	unsigned long long st;
	char req[64], *buf = NULL, what[48];
	int n, rc;

	if (!x)
		return -ENOENT;
	snprintf(req, sizeof(req), "{\"cmd\":\"end_poll\",\"id\":%u}", x->id);
	snprintf(what, sizeof(what), "watching %s", x->prog);
	rc = call(e, what, req, &buf, f, &n);
	if (!rc && !flag(f, n, "running")) {
		rc = num(f, n, "status", &st);
		if (rc)
			log_err("%s in the traff-gen guest: no status in the agent's reply", what);
		else
			*status = (int)st;
		if (!rc)
			rc = fetch(e, x);
		if (!rc) {
			x->ended = 1;
			rc = 1;
		}
	}
	free(buf);
	return rc;
}

int xen_ends_listening(struct xen_ends *e, pid_t pid, unsigned port)
{
	struct json_field f[ENDS_FIELDS];
	struct xen_end *x = find(e, pid);
	char req[96], *buf = NULL, what[48];
	int n, rc;

	if (!x)
		return 0;
	snprintf(req, sizeof(req), "{\"cmd\":\"end_poll\",\"id\":%u,\"port\":%u}", x->id, port);
	snprintf(what, sizeof(what), "watching the %s server", x->prog);
	rc = call(e, what, req, &buf, f, &n);
	rc = !rc && flag(f, n, "listening");
	free(buf);
	return rc;
}

void xen_ends_stop(struct xen_ends *e, pid_t pid)
{
	struct json_field f[ENDS_FIELDS];
	struct xen_end *x = find(e, pid);
	char req[64], *buf = NULL, what[48];
	int n;

	if (!x)
		return;
	/* what it said so far (the server's log), kept like the local platform's */
	if (!x->ended)
		fetch(e, x);
	snprintf(req, sizeof(req), "{\"cmd\":\"end_stop\",\"id\":%u}", x->id);
	snprintf(what, sizeof(what), "stopping %s", x->prog);
	call(e, what, req, &buf, f, &n);
	free(buf);
	memset(x, 0, sizeof(*x));
}

int xen_ends_dut_csum(unsigned nvifs)
{
	static const enum xl_vif_role vifs[] = {XL_VIF_DUT_IN, XL_VIF_DUT_OUT};
	unsigned i;
	int sk, rc = 0;

	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		rc = -errno;
	for (i = 0; i < nvifs && i < 2 && !rc; i++) {
		struct ethtool_value ev = {.cmd = ETHTOOL_STXCSUM, .data = 0};
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", xl_vif(vifs[i])->vifname);
		ifr.ifr_data = (void *)&ev;
		if (ioctl(sk, SIOCETHTOOL, &ifr)) {
			rc = -errno;
			log_err("the goodput and rr modes: transmit checksum offload off on the "
				"DUT's vif %s in dom0: %s",
				ifr.ifr_name, strerror(-rc));
		}
	}
	if (sk >= 0)
		close(sk);
	else
		log_err("the goodput and rr modes: socket: %s", strerror(-rc));
	return rc;
}

const char *xen_ends_addr(enum platform_end end)
{
	return end == END_SERVER ? XL_SERVER_ADDR : XL_CLIENT_ADDR;
}

void xen_ends_close(struct xen_ends *e)
{
	unsigned i;

	if (!e)
		return;
	for (i = 0; i < AGENT_END_MAX; i++)
		if (e->e[i].id)
			xen_ends_stop(e, (pid_t)e->e[i].id);
	agent_client_close(e->c);
	free(e);
}
