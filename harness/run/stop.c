#include "harness/run/stop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;

static void stop_handler(int sig)
{
	if (!stop_signal)
		stop_signal = sig;
}

int stop_install(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking calls return EINTR */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	/* A DUT or agent going away must not kill us while writing to it. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL))
		return -errno;
	return 0;
}

int stop_requested(void)
{
	return stop_signal;
}

void stop_reset(void)
{
	stop_signal = 0;
}

int stop_exit_status(void)
{
	return stop_signal ? 128 + stop_signal : 0;
}
