/* A stopped DUT's vif event channels as Xen sees them; see xen_evtchn.h. */
#include "harness/platform/xen/xen_evtchn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_HEAD "Event channel information for domain "
/* Xen's console ring is 16 KB by default; more is read if it is larger. */
#define CONSOLE_MAX (1u << 20)

/* The start of domid's last block in text, or NULL. */
static const char *last_block(const char *text, uint32_t domid)
{
	char head[64];
	const char *at, *last = NULL;

	snprintf(head, sizeof(head), BLOCK_HEAD "%u:", domid);
	for (at = strstr(text, head); at; at = strstr(at + 1, head))
		last = at;
	return last ? last + strlen(head) : NULL;
}

/* The text of a console line after "(XEN) " and a timestamp "[...]", if any. */
static const char *line_body(const char *line)
{
	if (!strncmp(line, "(XEN)", 5))
		line += 5;
	while (*line == ' ')
		line++;
	if (*line == '[' && strchr(line, ']')) {
		line = strchr(line, ']') + 1; /* console_timestamps */
		while (*line == ' ')
			line++;
	}
	return line;
}

/* One port line of the block: "(XEN)        4 [1/0/1]: ..." -> port, p, m. */
static int port_line(const char *line, unsigned *port, int *pending, int *masked)
{
	return sscanf(line_body(line), " %u [%d/%d/", port, pending, masked) == 3 ? 0 : -EINVAL;
}

/* The lines of a block that are not ports: they do not end it. */
static int block_header(const char *line)
{
	const char *b = line_body(line);

	return !strncmp(b, "Polling vCPUs", 13) || !strncmp(b, "port [p/m/s]", 12);
}

int xen_evtchn_parse(const char *text, uint32_t domid, struct xen_evtchn *ch, unsigned n)
{
	const char *at = last_block(text, domid);
	unsigned i, port;
	int pending, masked;

	if (!at)
		return -ENOENT;
	for (i = 0; i < n; i++)
		ch[i].found = 0;
	/* The block's lines, up to the first that is neither a port nor a header. */
	for (at = strchr(at, '\n'); at && at[1]; at = strchr(at + 1, '\n')) {
		if (port_line(at + 1, &port, &pending, &masked)) {
			if (block_header(at + 1))
				continue;
			break;
		}
		for (i = 0; i < n; i++) {
			if (ch[i].port >= 0 && (unsigned)ch[i].port == port) {
				ch[i].found = 1;
				ch[i].pending = !!pending;
				ch[i].masked = !!masked;
			}
		}
	}
	return 0;
}

void xen_evtchn_say(const struct xen_evtchn *ch, unsigned n, char *buf, size_t len)
{
	unsigned i, found = 0, pending = 0, masked = 0;
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!ch[i].found)
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%d (vif %d)%s%s",
					 found ? ", " : "its vif event channels in Xen: ", ch[i].port,
					 ch[i].devid, ch[i].pending ? " pending" : " idle",
					 ch[i].masked ? " and masked" : "");
		found++;
		pending += !!ch[i].pending;
		masked += ch[i].pending && ch[i].masked;
		if (used >= len)
			return;
	}
	if (!found)
		return;
	if (!pending)
		snprintf(buf + used, len - used,
			 ": nothing pending, it waits for a notification its backend has not sent");
	else if (masked == pending)
		snprintf(buf + used, len - used,
			 ": events wait on channels the domain masked and never unmasked");
	else
		snprintf(buf + used, len - used,
			 ": Xen holds events for it that it has not taken (an upcall lost "
			 "between Xen and the guest)");
}

/* Xen's console ring, all of it, as one string (the caller frees). */
static int console_text(libxl_ctx *ctx, char **out)
{
	libxl_xen_console_reader *cr = libxl_xen_console_read_start(ctx, 0);
	char *text = NULL, *chunk, *grown;
	size_t used = 0, len;
	int rc = 0;

	if (!cr)
		return -EIO;
	while (libxl_xen_console_read_line(ctx, cr, &chunk) > 0) {
		len = strlen(chunk);
		if (used + len + 1 > CONSOLE_MAX)
			break;
		grown = realloc(text, used + len + 1);
		if (!grown) {
			rc = -ENOMEM;
			goto out;
		}
		text = grown;
		memcpy(text + used, chunk, len + 1);
		used += len;
	}
	if (!text)
		rc = -ENOENT;
out:
	libxl_xen_console_read_finish(ctx, cr);
	if (rc)
		free(text);
	else
		*out = text;
	return rc;
}

int xen_evtchn_read(libxl_ctx *ctx, uint32_t domid, struct xen_evtchn *ch, unsigned max,
		    unsigned *n)
{
	libxl_device_nic *nics = NULL;
	libxl_nicinfo info;
	char *text = NULL, key[] = "e";
	int i, num = 0, rc;

	*n = 0;
	nics = libxl_device_nic_list(ctx, domid, &num);
	for (i = 0; i < num && *n < max; i++) {
		libxl_nicinfo_init(&info);
		if (!libxl_device_nic_getinfo(ctx, domid, &nics[i], &info) && info.evtch > 0) {
			ch[*n].devid = info.devid;
			ch[*n].port = info.evtch;
			ch[*n].found = ch[*n].pending = ch[*n].masked = 0;
			(*n)++;
		}
		libxl_nicinfo_dispose(&info);
	}
	if (nics)
		libxl_device_nic_list_free(nics, num);
	if (!*n)
		return -ENOENT;
	if (libxl_send_debug_keys(ctx, key))
		return -EIO;
	rc = console_text(ctx, &text);
	if (!rc)
		rc = xen_evtchn_parse(text, domid, ch, *n);
	free(text);
	return rc;
}
