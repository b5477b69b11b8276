/* `mir-trafgen ctl`: drive an agent from the command line through the same
 * client library the harness links (libtgclient), one command per run,
 * printing the agent's figures as JSON. For people debugging an agent and
 * for the tests of the library. */
#include "trafgen/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/usage.h"
#include "trafgen/agent_token.h"
#include "trafgen/cli.h"
#include "trafgen/proto.h"

#define CTL_CMDS "tx-start, rx-start, status, tx-stop, rx-stop or raw"

static void ctl_print(const struct tg_tx_report *tx, const struct tg_rx_report *rx)
{
	struct json_writer w;

	json_init(&w, stdout, 1);
	json_obj_begin(&w);
	if (tx)
		proto_tx_report_write(&w, "tx_", tx);
	if (rx)
		proto_rx_report_write(&w, "rx_", rx);
	json_obj_end(&w);
}

/* Each line of stdin is a request; each reply is printed on its own line. */
static int ctl_raw(struct agent_client *c)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		const char *reply;

		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		rc = agent_client_call_raw(c, line, &reply);
		if (rc)
			break;
		printf("%s\n", reply);
		fflush(stdout);
	}
	free(line);
	return rc;
}

static int ctl_run(struct agent_client *c, const char *cmd, int argc, char **argv)
{
	struct tg_tx_params txp;
	struct tg_rx_params rxp;
	struct tg_tx_report tx;
	struct tg_rx_report rx;
	int json, rc;

	if (!strcmp(cmd, "tx-start")) {
		rc = tx_parse(argc, argv, &txp, &json);
		if (rc)
			return rc;
		return agent_client_tx_start(c, &txp);
	}
	if (!strcmp(cmd, "rx-start")) {
		rc = rx_parse(argc, argv, &rxp, &json);
		if (rc)
			return rc;
		return agent_client_rx_start(c, &rxp);
	}
	if (argc > 1)
		return usage_error(cmd, "no options", argv[1]);
	if (!strcmp(cmd, "raw"))
		return ctl_raw(c);
	if (!strcmp(cmd, "status")) {
		rc = agent_client_status(c, &tx, &rx);
		if (!rc)
			ctl_print(&tx, &rx);
		return rc;
	}
	if (!strcmp(cmd, "tx-stop")) {
		rc = agent_client_tx_stop(c, &tx);
		if (!rc)
			ctl_print(&tx, NULL);
		return rc;
	}
	if (!strcmp(cmd, "rx-stop")) {
		rc = agent_client_rx_stop(c, &rx);
		if (!rc)
			ctl_print(NULL, &rx);
		return rc;
	}
	return usage_error("command", CTL_CMDS, cmd);
}

int ctl_main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"connect", required_argument, NULL, 'c'},
	    {"token-file", required_argument, NULL, 'k'},
	    {"timeout", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	const char *endpoint = NULL, *token_file = NULL, *cmd;
	char token[PROTO_TOKEN_MAX + 1], err[512];
	struct agent_client *c = NULL;
	uint64_t timeout = 10 * NSEC_PER_SEC;
	size_t token_len;
	int ch, rc;

	/* "+": stop at the command; its own options follow it. */
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			endpoint = optarg;
			break;
		case 'k':
			token_file = optarg;
			break;
		case 't':
			if (cli_parse_duration(optarg, &timeout))
				return MP_EXIT_USAGE;
			break;
		default:
			return usage_bad_option(ch, argv, optind, CLI_HELP);
		}
	}
	if (!endpoint)
		return usage_error("--connect", "unix:/ABSOLUTE/PATH or tcp:A.B.C.D:PORT", NULL);
	if (!token_file)
		return usage_error("--token-file", "a file of mode 0600 holding the token", NULL);
	if (optind >= argc)
		return usage_error("command", CTL_CMDS, NULL);
	cmd = argv[optind];
	if (agent_token_read(token_file, token, &token_len, err, sizeof(err))) {
		/* err names the file and what it should be */
		log_err("%s: --token-file: %s", usage_command(), err);
		return MP_EXIT_USAGE;
	}
	rc = agent_client_connect(endpoint, token, timeout, &c);
	if (rc == -EINVAL)
		return usage_error("--connect", "unix:/ABSOLUTE/PATH or tcp:A.B.C.D:PORT",
				   endpoint);
	if (rc) {
		log_err("ctl: %s: %s", endpoint,
			rc == -EACCES ? "the agent refused the token" : strerror(-rc));
		return MP_EXIT_FAILURE;
	}
	argv += optind;
	argc -= optind;
	rc = ctl_run(c, cmd, argc, argv);
	if (rc < 0)
		log_err("ctl: %s: %s", cmd, agent_client_last_error(c));
	agent_client_close(c);
	return rc < 0 ? MP_EXIT_FAILURE : rc;
}
