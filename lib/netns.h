/* Named network namespaces, made the way iproute2 makes them (a bind mount of
 * the namespace onto /run/netns/NAME), so `ip netns` sees and can remove them.
 * Names are validated here: [A-Za-z0-9_.-], 1..NETNS_NAME_MAX, not "." or "..". */
#ifndef MP_NETNS_H
#define MP_NETNS_H

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_NAME_MAX 64

int netns_name_valid(const char *name);
int netns_create(const char *name);
/* Removing a namespace that does not exist is not an error. */
int netns_delete(const char *name);
int netns_exists(const char *name);
/* An O_RDONLY|O_CLOEXEC fd of the namespace, or a negative errno. */
int netns_open(const char *name);
/* Move this thread into NAME (NULL or "" = stay); *saved gets an fd to come
 * back with through netns_restore, which also closes it. */
int netns_enter(const char *name, int *saved);
int netns_restore(int saved);
/* Write val into path (under /sys/) as seen from inside NAME: /sys/class/net
 * there lists NAME's devices (e.g. a queue's rps_cpus). 0, -EINVAL for a
 * path outside /sys, or the errno of the mount, open or write. */
int netns_sysfs_write(const char *name, const char *path, const char *val);

#endif
