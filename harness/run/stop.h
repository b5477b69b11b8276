/* Stopping a run on SIGINT, SIGTERM or SIGHUP, with full teardown.
 *
 * AGREED between the lifecycle (platform_local.c, state.c) and the sweep:
 * the handlers installed by stop_install only record the signal; nothing is
 * torn down from a handler. Every wait of the harness (agent and DUT start,
 * the sweep's warmup/duration/settle, sampling) polls stop_requested() at
 * least every 100 ms and returns -EINTR once it is set; the caller then
 * unwinds through its normal error path: the sweep writes what it measured,
 * calls platform destroy(), closes the state file and releases the lock, and
 * main exits 130 (SIGINT) or 143 (SIGTERM). The handlers are installed without
 * SA_RESTART so blocking calls return EINTR at once. A second signal during
 * teardown is recorded and ignored, so teardown always completes.
 * Child processes (agent, DUT) run in their own process groups, so a Ctrl-C
 * at the terminal reaches only mir-perf, which then stops them in order. */
#ifndef MP_STOP_H
#define MP_STOP_H

int stop_install(void);
/* The signal that asked to stop (SIGINT, ...), or 0. Async-signal-safe. */
int stop_requested(void);
/* For tests and the driver: forget a recorded signal. */
void stop_reset(void);
/* The exit status main should use after a stop: 128 + signal number. */
int stop_exit_status(void);

#endif
