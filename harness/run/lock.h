/* One run at a time: an flock on STATE_DIR/lock (/run/mir-perf/lock). The
 * holder writes its pid into the file, so a refused run can name it. The
 * kernel drops the lock when the holder dies, kill -9 included; the fd is
 * close-on-exec so the agent or DUT never keep it. */
#ifndef MP_LOCK_H
#define MP_LOCK_H

#include <stdint.h>
#include <sys/types.h>

struct run_lock;

/* Take the lock, waiting up to wait_ns (0 = not at all). -EBUSY when another
 * run holds it, with its pid in *holder (0 when it could not be read). */
int run_lock_take(uint64_t wait_ns, struct run_lock **out, pid_t *holder);
void run_lock_release(struct run_lock *l);

#endif
