/* The shared libraries a dynamically linked program needs, found as the
 * dynamic linker would find them on a Debian system: its interpreter
 * (PT_INTERP) and the closure of its DT_NEEDED entries, searched in the
 * multiarch and plain library directories. For the traff-gen guest's
 * initramfs, which carries Debian's iperf3 with its libraries. */
#ifndef MP_ELF_DEPS_H
#define MP_ELF_DEPS_H

#include <limits.h>
#include <stddef.h>

#define ELF_DEPS_MAX 24

struct elf_deps {
	char interp[PATH_MAX];		      /* "/lib64/ld-linux-x86-64.so.2" */
	char name[ELF_DEPS_MAX][64];	      /* sonames, "libc.so.6" */
	char path[ELF_DEPS_MAX][PATH_MAX];    /* where each was found */
	unsigned n;
};

/* 0, or a negative errno with err naming the file and what was wrong
 * (-ENOEXEC: not a 64-bit ELF with a dynamic section, -ENOENT: a library
 * not found, -E2BIG: more than ELF_DEPS_MAX). dirs: NULL-terminated search
 * directories, NULL = the system's. */
int elf_deps_find(const char *prog, const char *const *dirs, struct elf_deps *d, char *err,
		  size_t errlen);

#endif
