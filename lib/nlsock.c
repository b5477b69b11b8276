#include "lib/nlsock.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>

#include "lib/mtime.h"
#include "lib/netns.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int nlsock_connect(int protocol, struct nl_sock **out)
{
	struct nl_sock *sk;
	int one = 1, rc;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	rc = nl_connect(sk, protocol);
	if (rc < 0) {
		/* The failing socket/bind call's errno says more than libnl's code
		 * (a vif hotplug that could not open rtnetlink said nothing else). */
		int e = errno;

		nl_socket_free(sk);
		return e > 0 ? -e : -EPROTO;
	}
	/* Older kernels do not know the option; their errors just carry no text. */
	(void)setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	*out = sk;
	return 0;
}

int nlsock_open(const char *netns, int protocol, struct nl_sock **out)
{
	int saved = -1, rc, rc2;

	*out = NULL;
	rc = netns_enter(netns, &saved);
	if (rc)
		return rc;
	rc = nlsock_connect(protocol, out);
	rc2 = netns_restore(saved);
	if (rc2 && !rc) {
		/* Staying in the wrong namespace would be worse than failing. */
		nlsock_close(*out);
		*out = NULL;
		rc = rc2;
	}
	return rc;
}

int nlsock_open_fd(int netns_fd, int protocol, struct nl_sock **out)
{
	int self, rc;

	*out = NULL;
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (setns(netns_fd, CLONE_NEWNET)) {
		rc = -errno;
		close(self);
		return rc;
	}
	rc = nlsock_connect(protocol, out);
	if (netns_restore(self) && !rc) {
		nlsock_close(*out);
		*out = NULL;
		rc = -EPERM;
	}
	return rc;
}

void nlsock_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

struct request_ctx {
	int done, error;
	nlsock_reply_fn fn;
	void *arg;
	char *err;
	size_t errlen;
};

/* The extended-ack attributes follow the echoed request (only its header
 * when the kernel capped it), as iproute2's lib/libnetlink.c reads them. */
static void request_ext_ack(struct request_ctx *ctx, struct nlmsgerr *e)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)hdr->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off), len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && ctx->errlen)
		snprintf(ctx->err, ctx->errlen, "%.*s", nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (ctx->err && ctx->errlen) {
		/* The string attribute carries its NUL; drop a trailing newline too. */
		size_t n = strlen(ctx->err);

		while (n && (ctx->err[n - 1] == '\n' || ctx->err[n - 1] == '\0'))
			ctx->err[--n] = '\0';
	}
}

static int request_on_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct request_ctx *ctx = arg;

	ctx->done = 1;
	ctx->error = e->error ? e->error : -EIO;
	request_ext_ack(ctx, e);
	return NL_STOP;
}

static int request_on_ack(struct nl_msg *msg, void *arg)
{
	struct request_ctx *ctx = arg;

	ctx->done = 1;
	return NL_STOP;
}

static int request_on_valid(struct nl_msg *msg, void *arg)
{
	struct request_ctx *ctx = arg;
	int rc;

	if (!ctx->fn)
		return NL_OK;
	rc = ctx->fn(msg, ctx->arg);
	if (rc < 0) {
		ctx->done = 1;
		ctx->error = rc;
		return NL_STOP;
	}
	return rc;
}

int nlsock_request(struct nl_sock *sk, struct nl_msg *msg, nlsock_reply_fn fn, void *arg, char *err,
		   size_t errlen)
{
	return nlsock_request_timed(sk, msg, fn, arg, err, errlen, NULL);
}

int nlsock_request_timed(struct nl_sock *sk, struct nl_msg *msg, nlsock_reply_fn fn, void *arg,
			 char *err, size_t errlen, uint64_t *t_sent)
{
	struct request_ctx ctx = {0, 0, fn, arg, err, errlen};
	struct nl_cb *cb = NULL, *sk_cb;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	sk_cb = nl_socket_get_cb(sk); /* takes a reference */
	cb = sk_cb ? nl_cb_clone(sk_cb) : NULL;
	nl_cb_put(sk_cb);
	if (!cb)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, request_on_err, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, request_on_ack, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, request_on_ack, &ctx);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, request_on_valid, &ctx);
	rc = nl_send_auto(sk, msg);
	if (t_sent)
		*t_sent = mtime_now_ns();
	if (rc < 0) {
		if (err && errlen)
			snprintf(err, errlen, "netlink send: %s", nl_geterror(rc));
		rc = -EIO;
		goto out;
	}
	rc = 0;
	while (!ctx.done) {
		rc = nl_recvmsgs(sk, cb);
		if (rc < 0 && !ctx.done) {
			if (err && errlen)
				snprintf(err, errlen, "netlink receive: %s", nl_geterror(rc));
			rc = -EIO;
			goto out;
		}
	}
	rc = ctx.error;
out:
	nl_cb_put(cb);
	return rc;
}
