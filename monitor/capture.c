#include "monitor/capture.h"

#include "lib/netns.h"
#include "lib/thread.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPTURE_SNAPLEN 65535
#define CAPTURE_BUFFER	(4 << 20)

struct capture {
	pcap_t *p;
	pcap_dumper_t *dumper;
	uint64_t count;
	uint64_t written;
	atomic_int stopping;
	pthread_t thread;
	int running;
	char err[PCAP_ERRBUF_SIZE + 64];
};

static void capture_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;

	pcap_dump((u_char *)c->dumper, h, bytes);
	c->written++;
}

static void *capture_thread(void *arg)
{
	struct capture *c = arg;
	int r;

	while (!atomic_load(&c->stopping) && c->written < c->count) {
		uint64_t left = c->count - c->written;

		r = pcap_dispatch(c->p, left > 1000000 ? 1000000 : (int)left, capture_frame,
				  (u_char *)c);
		if (r == PCAP_ERROR_BREAK)
			break;
		if (r < 0) {
			snprintf(c->err, sizeof(c->err), "%s", pcap_geterr(c->p));
			break;
		}
	}
	pcap_dump_flush(c->dumper);
	return NULL;
}

int capture_open(const char *netns, const char *ifname, const char *path, uint64_t count,
		 struct capture **out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = NULL;
	int saved = -1, rc, r;

	*out = NULL;
	err[0] = '\0';
	if (!count)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->count = count;
	rc = netns_enter(netns, &saved);
	if (rc)
		goto out;
	c->p = pcap_create(ifname, ebuf);
	if (!c->p) {
		snprintf(err, errlen, "%s", ebuf);
		rc = -EIO;
		goto out;
	}
	pcap_set_snaplen(c->p, CAPTURE_SNAPLEN);
	/* Frames crossing a hop are not all addressed to it. */
	pcap_set_promisc(c->p, 1);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, CAPTURE_BUFFER);
	r = pcap_activate(c->p);
	if (r < 0) {
		rc = r == PCAP_ERROR_NO_SUCH_DEVICE ? -ENODEV
		     : r == PCAP_ERROR_PERM_DENIED  ? -EPERM
						    : -EIO;
		snprintf(err, errlen, "%s", pcap_geterr(c->p));
		goto out;
	}
	/* The packet socket stays in the namespace it was opened in. */
	rc = netns_restore(saved);
	saved = -1;
	if (rc)
		goto out;
	c->dumper = pcap_dump_open(c->p, path);
	if (!c->dumper) {
		snprintf(err, errlen, "%s", pcap_geterr(c->p));
		rc = -EIO;
		goto out;
	}
	rc = 0;
out:
	if (saved >= 0) {
		int rrc = netns_restore(saved);

		if (rrc && !rc)
			rc = rrc;
	}
	if (rc) {
		capture_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

int capture_start(struct capture *c)
{
	int rc;

	rc = thread_start(&c->thread, capture_thread, c);
	if (rc)
		return rc;
	c->running = 1;
	return 0;
}

uint64_t capture_stop(struct capture *c, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!c)
		return 0;
	if (c->running) {
		atomic_store(&c->stopping, 1);
		pcap_breakloop(c->p);
		pthread_join(c->thread, NULL);
		c->running = 0;
	}
	if (err && errlen)
		snprintf(err, errlen, "%s", c->err);
	return c->written;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	capture_stop(c, NULL, 0);
	if (c->dumper)
		pcap_dump_close(c->dumper);
	if (c->p)
		pcap_close(c->p);
	free(c);
}
