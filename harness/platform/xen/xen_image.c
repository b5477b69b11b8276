/* Is a file a PVH kernel; see xen_image.h. */
#include "harness/platform/xen/xen_image.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XEN_ELFNOTE_PHYS32_ENTRY 18 /* xen/include/public/elfnote.h */
#define MAX_PHDRS 64
#define MAX_NOTE_BYTES (64 * 1024)

static int why_not(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int why_not(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* Exactly n bytes at off, or -EIO (short: the file ends first). */
static int read_at(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r = pread(fd, buf, n, off);

	if (r < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

/* 1 when the notes in buf[0..n) hold Xen's PVH entry note. Notes are 4-byte
 * aligned (name and descriptor each padded) in ELF64 as produced by every
 * linker that emits them, Xen's own parser included. */
static int has_pvh_note(const unsigned char *buf, size_t n)
{
	size_t o = 0;

	while (o + sizeof(Elf64_Nhdr) <= n) {
		Elf64_Nhdr h;
		size_t name, desc;

		memcpy(&h, buf + o, sizeof(h));
		name = ((size_t)h.n_namesz + 3) & ~(size_t)3;
		desc = ((size_t)h.n_descsz + 3) & ~(size_t)3;
		if (name > n || desc > n || o + sizeof(h) + name + desc > n)
			return 0; /* a malformed note ends the walk */
		if (h.n_namesz == 4 && !memcmp(buf + o + sizeof(h), "Xen", 4) &&
		    h.n_type == XEN_ELFNOTE_PHYS32_ENTRY && h.n_descsz >= 4)
			return 1;
		o += sizeof(h) + name + desc;
	}
	return 0;
}

static int check_fd(int fd, char *why, size_t len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	unsigned char *notes = NULL;
	struct stat st;
	unsigned i, nnotes = 0;
	int rc, pvh = 0;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return why_not(why, len, "not a regular file");
	memset(&eh, 0, sizeof(eh));
	rc = read_at(fd, &eh, sizeof(eh), 0);
	if (rc && rc != -EIO)
		return rc;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		const unsigned char *b = eh.e_ident;

		return why_not(why, len, "not an ELF file (%lld bytes, starting %02x %02x %02x %02x)",
			       (long long)st.st_size, b[0], b[1], b[2], b[3]);
	}
	if (rc)
		return why_not(why, len, "an ELF file cut short (%lld bytes, less than its header)",
			       (long long)st.st_size);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64)
		return why_not(why, len, "an ELF file, but not for x86-64 (class %u, machine %u)",
			       eh.e_ident[EI_CLASS], eh.e_machine);
	if (eh.e_type != ET_EXEC)
		return why_not(why, len, "an ELF file, but not an executable (type %u)", eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > MAX_PHDRS ||
	    eh.e_phoff > (Elf64_Off)st.st_size ||
	    (Elf64_Off)st.st_size - eh.e_phoff < (Elf64_Off)eh.e_phnum * sizeof(Elf64_Phdr))
		return why_not(why, len,
			       "an ELF executable whose %u program headers are not in its %lld "
			       "bytes",
			       eh.e_phnum, (long long)st.st_size);
	rc = read_at(fd, ph, eh.e_phnum * sizeof(Elf64_Phdr), (off_t)eh.e_phoff);
	if (rc)
		return rc == -EIO ? -ENOEXEC : rc;
	for (i = 0; i < eh.e_phnum && !pvh; i++) {
		if (ph[i].p_type != PT_NOTE)
			continue;
		nnotes++;
		if (ph[i].p_filesz > MAX_NOTE_BYTES || ph[i].p_offset > (Elf64_Off)st.st_size ||
		    (Elf64_Off)st.st_size - ph[i].p_offset < ph[i].p_filesz)
			return why_not(why, len,
				       "an ELF executable whose note segment %u (%llu bytes at "
				       "%llu) is not in its %lld bytes",
				       i, (unsigned long long)ph[i].p_filesz,
				       (unsigned long long)ph[i].p_offset, (long long)st.st_size);
		notes = malloc(ph[i].p_filesz ? ph[i].p_filesz : 1);
		if (!notes)
			return -ENOMEM;
		rc = read_at(fd, notes, ph[i].p_filesz, (off_t)ph[i].p_offset);
		if (!rc)
			pvh = has_pvh_note(notes, ph[i].p_filesz);
		free(notes);
		if (rc)
			return rc;
	}
	if (!pvh)
		return why_not(why, len,
			       "an x86-64 ELF executable without Xen's PVH entry note "
			       "(XEN_ELFNOTE_PHYS32_ENTRY; %u note segments)",
			       nnotes);
	return 0;
}

int xen_image_check(const char *path, char *why, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (len)
		why[0] = '\0';
	if (fd < 0) {
		rc = -errno;
		snprintf(why, len, "%s", strerror(-rc));
		return rc;
	}
	rc = check_fd(fd, why, len);
	if (rc && rc != -ENOEXEC)
		snprintf(why, len, "reading it: %s", strerror(-rc));
	close(fd);
	return rc;
}
