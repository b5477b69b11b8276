/* The traff-gen guest's initramfs: a newc cpio archive holding mir-geninit as
 * /init, the static mir-trafgen as /bin/mir-trafgen, /dev/console, and
 * xen-netfront.ko with the modules it needs (from the guest kernel's
 * /lib/modules/<release>/, in load order as /modules/NN-name.ko), and for
 * the goodput mode iperf3 as /bin/iperf3 with the libraries it links (this
 * machine's, found by elf_deps.h) and a /tmp (iperf3 keeps its buffers in
 * a temporary file).
 * Archives are cached by a hash of their content: the same inputs give the
 * same file, built once. */
#ifndef MP_INITRAMFS_H
#define MP_INITRAMFS_H

#include <stddef.h>

struct initramfs_src {
	const char *geninit;	  /* the /init binary */
	const char *trafgen;	  /* a statically linked mir-trafgen */
	const char *iperf3;	  /* NULL, or a dynamically linked iperf3 */
	const char *kernel;	  /* the guest kernel, for its release */
	const char *modules_root; /* NULL = "/lib/modules" */
	const char *cache_dir;	  /* NULL = /var/cache/mir-perf/initramfs as root, else
				   * ~/.cache/mir-perf/initramfs */
};

/* Build (or find in the cache) the archive; its path goes to out. Returns 0
 * or a negative errno with err saying what was wrong with which file. */
int initramfs_build(const struct initramfs_src *src, char *out, size_t outlen, char *err,
		    size_t errlen);

/* The release ("6.1.0-28-amd64") a kernel image was built as: from a bzImage's
 * setup header, or the "Linux version" banner of an uncompressed vmlinux. */
int initramfs_kernel_release(const char *kernel, char *buf, size_t len);

#endif
