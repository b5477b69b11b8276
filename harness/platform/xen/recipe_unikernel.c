/* The unikernels of a recipe; see recipe_unikernel.h. */
#include "harness/platform/xen/recipe_unikernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const forwarder_sources[] = {"config.ml", "unikernel.ml"};
/* duniverse.extra: the libraries the offline build (unikernel.sh) adds to the
 * forwarder's duniverse for mirage-tcpip; part of the key like the rest. */
static const char *const iperf3_sources[] = {"iperf3/config.ml", "iperf3/unikernel.ml",
					     "iperf3/duniverse.extra"};

static const struct recipe_unikernel_def unikernels[] = {
    [RECIPE_FORWARDER] = {"forwarder", forwarder_sources, 2, "", 2, "", ""},
    [RECIPE_IPERF3] = {"iperf3", iperf3_sources, 3, "-iperf3", 1, "/iperf3",
		       " (the iperf3 server)"},
};

const struct recipe_unikernel_def *recipe_unikernel_def(enum recipe_unikernel u)
{
	return (unsigned)u < sizeof(unikernels) / sizeof(unikernels[0]) ? &unikernels[u] : NULL;
}

const char *recipe_unikernel_name(enum recipe_unikernel u)
{
	const struct recipe_unikernel_def *k = recipe_unikernel_def(u);

	return k ? k->name : "?";
}

/* The vif line of mirage's .xl.in: vif = [ 'bridge=@NETWORK:N@', ... ]. Each
 * name is the netif's name in config.ml, which mirage-net-xen's
 * Netif.connect takes as the devid; the list's order says nothing (mirage 4.9
 * lists the networks in reverse). netif[d] gets the name of devid d. The
 * forwarder names devids 0 and 1, the iperf3 server devid 0 alone: anything
 * else would boot with a vif on the wrong bridge, or none. */
int recipe_parse_xl_in(const char *path, enum recipe_unikernel u, char netif[2][32])
{
	const struct recipe_unikernel_def *k = recipe_unikernel_def(u);
	char *line = NULL, *p;
	size_t cap = 0;
	unsigned n = 0;
	int rc = -EINVAL;
	FILE *f;

	if (!k)
		return -EINVAL;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	netif[0][0] = netif[1][0] = '\0';
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "vif", 3) || !strchr(line, '['))
			continue;
		for (p = strstr(line, "@NETWORK:"); p; p = strstr(p, "@NETWORK:")) {
			char *end;
			unsigned d;

			p += strlen("@NETWORK:");
			end = strchr(p, '@');
			/* a devid below nnet ("0", or "0" and "1"), each once */
			if (!end || end - p != 1 || *p < '0' || *p >= (char)('0' + k->nnet) ||
			    netif[*p - '0'][0] || n == k->nnet) {
				n = k->nnet + 1;
				break;
			}
			d = (unsigned)(*p - '0');
			netif[d][0] = *p;
			netif[d][1] = '\0';
			n++;
			p = end + 1;
		}
		rc = n == k->nnet ? 0 : -EINVAL;
		break;
	}
	free(line);
	fclose(f);
	return rc;
}
