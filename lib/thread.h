/* Worker threads that never take the program's signals.
 *
 * Every program here handles SIGINT/SIGTERM in its main thread (a flag its
 * loops poll, or a signalfd); a signal delivered to a worker instead would be
 * lost to that design. A thread inherits its creator's mask, so the mask is
 * full while the thread is created and restored right after. */
#ifndef MP_THREAD_H
#define MP_THREAD_H

#include <pthread.h>

/* pthread_create(t, NULL, fn, arg) with every signal blocked in the new
 * thread. Returns 0 or a negative errno. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
