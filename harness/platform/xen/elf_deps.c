/* The libraries a program needs; see elf_deps.h. Reads the section headers
 * (the dynamic section and the string table it links to): Debian's stripped
 * binaries keep them. */
#include "harness/platform/xen/elf_deps.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const system_dirs[] = {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
					  "/lib64", "/usr/lib64", "/lib", "/usr/lib", NULL};

/* Append every DT_NEEDED of path to names (not there yet); interp when asked. */
static int read_needed(const char *path, struct elf_deps *d, char *interp, char *err,
		       size_t errlen)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const unsigned char *img = MAP_FAILED;
	struct stat st;
	int fd, rc = -ENOEXEC, found_dyn = 0;
	unsigned i, j;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr))
		goto bad;
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED)
		goto bad;
	eh = (const Elf64_Ehdr *)img;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > (uint64_t)st.st_size ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > (uint64_t)st.st_size)
		goto bad;
	if (interp) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);

		interp[0] = '\0';
		for (i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_INTERP && ph[i].p_filesz < PATH_MAX &&
			    ph[i].p_offset + ph[i].p_filesz <= (uint64_t)st.st_size)
				snprintf(interp, PATH_MAX, "%.*s", (int)ph[i].p_filesz,
					 (const char *)img + ph[i].p_offset);
	}
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		const Elf64_Dyn *dyn;
		const Elf64_Shdr *str;

		if (sh[i].sh_type != SHT_DYNAMIC || sh[i].sh_link >= eh->e_shnum)
			continue;
		str = &sh[sh[i].sh_link];
		if (sh[i].sh_offset + sh[i].sh_size > (uint64_t)st.st_size ||
		    str->sh_offset + str->sh_size > (uint64_t)st.st_size)
			goto bad;
		found_dyn = 1;
		dyn = (const Elf64_Dyn *)(img + sh[i].sh_offset);
		for (j = 0; j < sh[i].sh_size / sizeof(*dyn) && dyn[j].d_tag != DT_NULL; j++) {
			const char *name;
			unsigned k;

			if (dyn[j].d_tag != DT_NEEDED)
				continue;
			if (dyn[j].d_un.d_val >= str->sh_size)
				goto bad;
			name = (const char *)img + str->sh_offset + dyn[j].d_un.d_val;
			if (strnlen(name, str->sh_size - dyn[j].d_un.d_val) >= sizeof(d->name[0]) ||
			    strchr(name, '/'))
				goto bad;
			for (k = 0; k < d->n && strcmp(d->name[k], name); k++)
				;
			if (k < d->n)
				continue;
			if (d->n == ELF_DEPS_MAX) {
				snprintf(err, errlen, "%s: more than %d libraries", path,
					 ELF_DEPS_MAX);
				rc = -E2BIG;
				goto out;
			}
			snprintf(d->name[d->n], sizeof(d->name[0]), "%s", name);
			d->path[d->n][0] = '\0';
			d->n++;
		}
	}
	if (found_dyn) {
		rc = 0;
		goto out;
	}
bad:
	snprintf(err, errlen, "%s: expected a 64-bit ELF program or library with a dynamic section",
		 path);
	rc = -ENOEXEC;
out:
	if (img != MAP_FAILED)
		munmap((void *)img, (size_t)st.st_size);
	close(fd);
	return rc;
}

int elf_deps_find(const char *prog, const char *const *dirs, struct elf_deps *d, char *err,
		  size_t errlen)
{
	unsigned i, k;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!dirs)
		dirs = system_dirs;
	rc = read_needed(prog, d, d->interp, err, errlen);
	/* d->n grows while it is walked: a breadth-first closure. */
	for (i = 0; !rc && i < d->n; i++) {
		for (k = 0; dirs[k]; k++) {
			char soname[sizeof(d->name[0])];

			memcpy(soname, d->name[i], sizeof(soname));
			if (snprintf(d->path[i], PATH_MAX, "%s/%s", dirs[k], soname) < PATH_MAX &&
			    access(d->path[i], R_OK) == 0)
				break;
		}
		if (!dirs[k]) {
			snprintf(err, errlen, "%s needs %s, found in none of the library directories",
				 prog, d->name[i]);
			d->path[i][0] = '\0';
			return -ENOENT;
		}
		rc = read_needed(d->path[i], d, NULL, err, errlen);
	}
	if (!rc && !d->interp[0]) {
		snprintf(err, errlen, "%s: no program interpreter (PT_INTERP): not a dynamic program",
			 prog);
		rc = -ENOEXEC;
	}
	return rc;
}
