/* `mir-trafgen agent`: argv -> the endpoint and the token file -> the
 * control server (trafgen/agent.c) until SIGINT or SIGTERM. */
#include "trafgen/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/usage.h"
#include "trafgen/agent.h"
#include "trafgen/cli.h"

int agent_main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, O_LISTEN},
	    {"token-file", required_argument, NULL, O_TOKEN},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	const char *listen = NULL, *token = NULL, *bad_opt = NULL;
	struct agent *a = NULL;
	char err[512];
	int c, rc;

	while ((c = cli_next_opt(argc, argv, ":v", opts)) > 0) {
		switch (c) {
		case O_LISTEN:
			listen = optarg;
			break;
		case O_TOKEN:
			token = optarg;
			break;
		}
	}
	if (c < 0)
		return MP_EXIT_USAGE;
	if (!listen)
		return usage_error("--listen", "unix:/ABSOLUTE/PATH or tcp:A.B.C.D:PORT", NULL);
	if (!token)
		return usage_error("--token-file", "a file of mode 0600 holding the token", NULL);
	rc = agent_open(listen, token, &a, &bad_opt, err, sizeof(err));
	if (rc) {
		if (bad_opt) {
			log_err("%s: %s: %s", usage_command(), bad_opt, err);
			return MP_EXIT_USAGE;
		}
		log_err("%s: %s", usage_command(), err);
		return MP_EXIT_FAILURE;
	}
	log_verbose("agent listening on %s", listen);
	rc = agent_serve(a);
	agent_close(a);
	if (rc) {
		log_err("agent: %s", strerror(-rc));
		return MP_EXIT_FAILURE;
	}
	return MP_EXIT_OK;
}
