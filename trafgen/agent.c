#include "trafgen/agent.h"
#include "trafgen/agent_token.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "trafgen/agent_conn.h"
#include "trafgen/agent_end.h"
#include "trafgen/endpoint.h"
#include "trafgen/proto.h"
#include "trafgen/report.h"
#include "trafgen/rx.h"
#include "trafgen/tx.h"

/* A connection must authenticate within this: an idle or hostile one only
 * holds a slot that long, and the real client (which sends its hello at
 * once) is never kept waiting behind it. */
#define AGENT_HELLO_TIMEOUT_NS (1 * NSEC_PER_SEC)
#define AGENT_NICE  (-10)

struct agent {
	struct endpoint ep;
	int sfd;
	char token[PROTO_TOKEN_MAX + 1];
	size_t token_len;
	struct agent_conns conns;
	struct agent_conn *c; /* the connection being served */
	struct tx_engine *tx;
	struct rx_engine *rx;
	struct tg_tx_params tx_params;
	struct agent_ends *ends; /* iperf3 of the goodput mode on Xen (agent_end.h) */
};

int agent_open(const char *listen, const char *token_file, struct agent **out, const char **bad_opt,
	       char *err, size_t errlen)
{
	struct agent *a;
	sigset_t sigs;
	int rc;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->sfd = -1;
	agent_conns_init(&a->conns);
	a->c = &a->conns.c[0];
	*bad_opt = "--listen";
	rc = endpoint_parse(listen, &a->ep, err, errlen);
	if (rc)
		goto err;
	*bad_opt = "--token-file";
	rc = agent_token_read(token_file, a->token, &a->token_len, err, errlen);
	if (rc)
		goto err;
	*bad_opt = "--listen";
	rc = agent_conns_listen(&a->conns, &a->ep, err, errlen);
	if (rc)
		goto err;
	*bad_opt = NULL;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	a->sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a->sfd < 0) {
		rc = -errno;
		snprintf(err, errlen, "signalfd: %s", strerror(errno));
		goto err;
	}
	rc = agent_ends_new(&a->ends);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		goto err;
	}
	*out = a;
	return 0;
err:
	agent_close(a);
	return rc;
}

/* Send one reply line to the connection being served. */
static void agent_send(struct agent *a, const char *s, size_t len)
{
	agent_conn_send(a->c, s, len);
}

struct reply {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static int reply_begin(struct reply *r, int ok)
{
	r->buf = NULL;
	r->f = open_memstream(&r->buf, &r->len);
	if (!r->f)
		return -ENOMEM;
	json_init(&r->w, r->f, 0);
	json_obj_begin(&r->w);
	json_kv_bool(&r->w, "ok", ok);
	return 0;
}

static void reply_end(struct agent *a, struct reply *r)
{
	json_obj_end(&r->w);
	fputc('\n', r->f);
	if (!fclose(r->f))
		agent_send(a, r->buf, r->len);
	free(r->buf);
}

static void reply_error(struct agent *a, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reply_error(struct agent *a, int err, const char *fmt, ...)
{
	struct reply r;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (reply_begin(&r, 0))
		return;
	json_kv_str(&r.w, "error", text);
	json_kv_u64(&r.w, "errno", (uint64_t)(err < 0 ? -err : err));
	reply_end(a, &r);
}

static void agent_status_fields(struct agent *a, struct json_writer *w)
{
	struct tg_tx_report tx;
	struct tg_rx_report rx;

	json_kv_bool(w, "has_tx", a->tx != NULL);
	if (a->tx) {
		tx_engine_report(a->tx, &tx);
		proto_tx_report_write(w, "tx_", &tx);
	}
	json_kv_bool(w, "has_rx", a->rx != NULL);
	if (a->rx) {
		rx_engine_report(a->rx, &rx);
		proto_rx_report_write(w, "rx_", &rx);
	}
}

static const char *const agent_skip_cmd[] = {"cmd", NULL};

static void agent_tx_start(struct agent *a, const struct json_field *f, int n)
{
	struct tg_tx_params p;
	char err[256];
	struct reply r;
	int rc;

	rc = proto_tx_params_read(f, n, agent_skip_cmd, &p, err, sizeof(err));
	if (rc) {
		reply_error(a, rc, "tx_start: %s", err);
		return;
	}
	if (a->tx && !tx_engine_done(a->tx)) {
		reply_error(a, -EBUSY, "tx_start: the generator is running; tx_stop first");
		return;
	}
	tx_engine_free(a->tx);
	a->tx = NULL;
	rc = tx_engine_start(&p, &a->tx);
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		reply_error(a, rc, "tx_start: %s", err);
		return;
	}
	a->tx_params = p;
	log_verbose("tx started on %s", p.dev);
	if (!reply_begin(&r, 1))
		reply_end(a, &r);
}

static void agent_rx_start(struct agent *a, const struct json_field *f, int n)
{
	struct tg_rx_params p;
	char err[256];
	struct reply r;
	int rc;

	rc = proto_rx_params_read(f, n, agent_skip_cmd, &p, err, sizeof(err));
	if (rc) {
		reply_error(a, rc, "rx_start: %s", err);
		return;
	}
	if (a->rx && !rx_engine_done(a->rx)) {
		reply_error(a, -EBUSY, "rx_start: the sink is running; rx_stop first");
		return;
	}
	rx_engine_free(a->rx);
	a->rx = NULL;
	rc = rx_engine_start(&p, 0, &a->rx);
	if (rc) {
		rx_start_error(err, sizeof(err), rc, &p);
		reply_error(a, rc, "rx_start: %s", err);
		return;
	}
	log_verbose("rx started on %s", p.dev);
	if (!reply_begin(&r, 1))
		reply_end(a, &r);
}

static void agent_stop(struct agent *a, int tx)
{
	struct tg_tx_report txr;
	struct tg_rx_report rxr;
	struct reply r;
	int rc;

	if (tx ? !a->tx : !a->rx) {
		reply_error(a, -ENOENT, "%s: nothing was started", tx ? "tx_stop" : "rx_stop");
		return;
	}
	if (tx) {
		rc = tx_engine_join(a->tx);
		tx_engine_report(a->tx, &txr);
	} else {
		rc = rx_engine_join(a->rx);
		rx_engine_report(a->rx, &rxr);
	}
	if (reply_begin(&r, 1))
		return;
	if (tx)
		proto_tx_report_write(&r.w, "tx_", &txr);
	else
		proto_rx_report_write(&r.w, "rx_", &rxr);
	if (rc) {
		/* The figures are still true up to the error; say what ended the run. */
		json_kv_str(&r.w, "run_error", strerror(-rc));
	}
	reply_end(a, &r);
}

/* end_start, end_poll, end_read, end_stop (agent_end.h) */
static void agent_end(struct agent *a, const char *cmd, const struct json_field *f, int n)
{
	char err[256] = "";
	struct reply r;
	int rc;

	if (reply_begin(&r, 1))
		return;
	rc = agent_ends_request(a->ends, cmd, f, n, &r.w, err, sizeof(err));
	if (rc) {
		fclose(r.f);
		free(r.buf);
		reply_error(a, rc, "%s: %s", cmd, err);
		return;
	}
	reply_end(a, &r);
}

static void agent_request(struct agent *a, char *line)
{
	struct json_field f[PROTO_MAX_FIELDS];
	const struct json_field *cmd, *tok;
	struct reply r;
	int n;

	n = json_flat_parse(line, f, PROTO_MAX_FIELDS);
	cmd = n > 0 ? json_flat_get(f, n, "cmd") : NULL;
	if (!a->c->authed) {
		tok = n > 0 ? json_flat_get(f, n, "token") : NULL;
		if (!cmd || cmd->type != JSON_T_STRING || strcmp(cmd->val, "hello") || !tok ||
		    tok->type != JSON_T_STRING ||
		    !agent_token_equal(tok->val, a->token, a->token_len)) {
			log_warn("refused a client: no hello with the right token");
			reply_error(a, -EACCES, "token refused");
			a->c->closing = 1;
			return;
		}
		/* one session at a time: the engines have one owner */
		if (agent_conns_has_session(&a->conns, a->c)) {
			reply_error(a, -EBUSY, "busy: another client is connected");
			a->c->closing = 1;
			return;
		}
		a->c->authed = 1;
		if (!reply_begin(&r, 1)) {
			json_kv_str(&r.w, "version", MP_VERSION);
			json_kv_u64(&r.w, "proto", PROTO_VERSION);
			reply_end(a, &r);
		}
		return;
	}
	if (n < 0) {
		reply_error(a, n, "malformed request: expected one flat JSON object per line");
		return;
	}
	if (!cmd || cmd->type != JSON_T_STRING) {
		reply_error(a, -EINVAL, "request without a \"cmd\" string");
		return;
	}
	if (!strcmp(cmd->val, "hello")) {
		reply_error(a, -EINVAL, "hello: already authenticated");
	} else if (!strcmp(cmd->val, "tx_start")) {
		agent_tx_start(a, f, n);
	} else if (!strcmp(cmd->val, "rx_start")) {
		agent_rx_start(a, f, n);
	} else if (!strcmp(cmd->val, "tx_stop")) {
		agent_stop(a, 1);
	} else if (!strcmp(cmd->val, "rx_stop")) {
		agent_stop(a, 0);
	} else if (!strcmp(cmd->val, "status")) {
		if (!reply_begin(&r, 1)) {
			agent_status_fields(a, &r.w);
			reply_end(a, &r);
		}
	} else if (agent_ends_is_request(cmd->val)) {
		agent_end(a, cmd->val, f, n);
	} else if (!strcmp(cmd->val, "bye")) {
		if (!reply_begin(&r, 1))
			reply_end(a, &r);
		a->c->closing = 1;
	} else {
		reply_error(a, -EINVAL,
			    "unknown cmd \"%.64s\": expected hello, tx_start, rx_start, status, "
			    "tx_stop, rx_stop, end_start, end_poll, end_read, end_stop or bye",
			    cmd->val);
	}
}

static void agent_line(void *ctx, struct agent_conn *c, char *line)
{
	struct agent *a = ctx;

	a->c = c;
	agent_request(a, line);
}

/* A line too long or holding a NUL byte: answered with an error; before
 * the hello it ends the connection. */
static void agent_bad_line(void *ctx, struct agent_conn *c, int err, const char *why)
{
	struct agent *a = ctx;

	a->c = c;
	reply_error(a, err, "%s", why);
	if (!c->authed)
		c->closing = 1;
}

static const struct agent_conn_ops agent_conn_ops = {.line = agent_line, .bad = agent_bad_line};

/* The agent is the measuring instrument: the pacer and the sink it starts
 * run at AGENT_NICE (threads inherit it), so that other work on a busy
 * machine delays them less than it delays the DUT, which keeps the default
 * priority. A pacer stalled past a DUT's queue depth sends what was due in
 * one burst, and the DUT's loss is then the generator's stall (seen: NDR 11 %
 * low behind a 75 ms tbf burst, one core hogged, load 12). Without
 * CAP_SYS_NICE it runs as it is, and says so. */
static void agent_raise_priority(void)
{
	if (setpriority(PRIO_PROCESS, 0, AGENT_NICE))
		log_warn("agent: cannot raise its priority to nice %d (%s): a busy machine may "
			 "delay its pacer",
			 AGENT_NICE, strerror(errno));
	else
		log_verbose("agent: running at nice %d", AGENT_NICE);
}

int agent_serve(struct agent *a)
{
	agent_raise_priority();
	log_verbose("agent: ready");
	for (;;) {
		struct pollfd p[2 + AGENT_CONNS];
		unsigned i;
		int n;

		p[0] = (struct pollfd){.fd = a->sfd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = a->conns.lfd, .events = POLLIN};
		for (i = 0; i < AGENT_CONNS; i++)
			p[2 + i] = (struct pollfd){.fd = a->conns.c[i].fd, .events = POLLIN};
		/* wake for the next authentication deadline */
		n = poll(p, 2 + AGENT_CONNS, 100);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n < 0)
			continue;
		if (p[0].revents & POLLIN)
			break;
		for (i = 0; i < AGENT_CONNS; i++) {
			if (a->conns.c[i].fd < 0 ||
			    !(p[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			a->c = &a->conns.c[i];
			agent_conn_input(a->c, &agent_conn_ops, a);
		}
		if (p[1].revents & POLLIN)
			agent_conns_accept(&a->conns);
		agent_conns_expire(&a->conns, mtime_now_ns(), AGENT_HELLO_TIMEOUT_NS);
	}
	/* SIGINT/SIGTERM: end the runs, report what they measured. */
	if (a->tx) {
		struct tg_tx_report r;

		tx_engine_join(a->tx);
		tx_engine_report(a->tx, &r);
		report_tx_human(stdout, &a->tx_params, &r);
	}
	if (a->rx) {
		struct tg_rx_report r;

		rx_engine_join(a->rx);
		rx_engine_report(a->rx, &r);
		report_rx_human(stdout, &r, NULL, 0);
	}
	return 0;
}

void agent_close(struct agent *a)
{
	if (!a)
		return;
	tx_engine_free(a->tx);
	rx_engine_free(a->rx);
	agent_ends_free(a->ends);
	agent_conns_close(&a->conns);
	if (a->sfd >= 0)
		close(a->sfd);
	free(a);
}
