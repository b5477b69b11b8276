/* xen_image_check: what Xen would be handed as a PVH kernel, checked before a
 * run creates anything. Images are made here, byte by byte: a minimal x86-64
 * executable with Xen's PVH entry note (the shape of MirageOS's forward.xen:
 * the note in a PT_NOTE segment among other Xen and Solo5 notes), and the
 * ways a wrong file differs from it. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/platform/xen/xen_image.h"

static char path[] = "/tmp/mp-t-xen-image-XXXXXX";

struct note {
	Elf64_Nhdr h;
	char name[8]; /* padded to 4 */
	unsigned char desc[8];
};

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	struct note notes[2];
	unsigned char text[64];
};

static void note(struct note *n, const char *owner, uint32_t type, uint32_t descsz)
{
	memset(n, 0, sizeof(*n));
	n->h.n_namesz = (uint32_t)strlen(owner) + 1;
	n->h.n_descsz = descsz;
	n->h.n_type = type;
	memcpy(n->name, owner, strlen(owner) + 1);
	memset(n->desc, 0x11, descsz);
}

/* A PVH kernel: a LOAD segment and a NOTE segment holding a Solo5 note and
 * then Xen's PHYS32_ENTRY (type 18). */
static void pvh_image(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = 0x100000;
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 2;
	im->ph[0].p_type = PT_LOAD;
	im->ph[0].p_offset = offsetof(struct image, text);
	im->ph[0].p_vaddr = im->ph[0].p_paddr = 0x100000;
	im->ph[0].p_filesz = im->ph[0].p_memsz = sizeof(im->text);
	im->ph[1].p_type = PT_NOTE;
	im->ph[1].p_offset = offsetof(struct image, notes);
	im->ph[1].p_filesz = sizeof(im->notes);
	note(&im->notes[0], "Solo5", 0x31494241, 8);
	note(&im->notes[1], "Xen", 18, 4);
}

static void write_image(const void *buf, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* xen_image_check on buf; its why into why. */
static int check(const void *buf, size_t n, char *why, size_t len)
{
	write_image(buf, n);
	return xen_image_check(path, why, len);
}

static void test_pvh_kernel_passes(void **state)
{
	struct image im;
	char why[256];

	pvh_image(&im);
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), 0);
	assert_string_equal(why, "");
}

static void test_text_file(void **state)
{
	char why[256];

	assert_int_equal(check("not a kernel\n", 13, why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "not an ELF file (13 bytes, starting 6e 6f 74 20)");
	assert_int_equal(check("", 0, why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "not an ELF file (0 bytes, starting 00 00 00 00)");
}

static void test_wrong_machine_or_type(void **state)
{
	struct image im;
	char why[256];

	pvh_image(&im);
	im.eh.e_machine = EM_AARCH64;
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
	assert_non_null(strstr(why, "not for x86-64 (class 2, machine 183)"));
	pvh_image(&im);
	im.eh.e_ident[EI_CLASS] = ELFCLASS32;
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
	assert_non_null(strstr(why, "not for x86-64 (class 1"));
	pvh_image(&im);
	im.eh.e_type = ET_DYN; /* a solo5 spt binary, a PIE program */
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "an ELF file, but not an executable (type 3)");
}

/* A Solo5 hvt kernel or a Linux bzImage's vmlinux without the PVH note:
 * the Xen PV notes alone do not make a PVH entry. */
static void test_no_pvh_note(void **state)
{
	struct image im;
	char why[256];

	pvh_image(&im);
	note(&im.notes[1], "Xen", 6 /* GUEST_OS */, 6);
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "an x86-64 ELF executable without Xen's PVH entry note "
				 "(XEN_ELFNOTE_PHYS32_ENTRY; 1 note segments)");
	pvh_image(&im);
	note(&im.notes[1], "Xe", 18, 4); /* right type, another owner */
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
	pvh_image(&im);
	im.ph[1].p_type = PT_LOAD; /* the note exists, but in no note segment */
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
	assert_non_null(strstr(why, "0 note segments"));
	/* a note whose size runs past its segment ends the walk */
	pvh_image(&im);
	im.notes[0].h.n_descsz = 4096;
	assert_int_equal(check(&im, sizeof(im), why, sizeof(why)), -ENOEXEC);
}

/* A copy cut short: the headers say more than the file holds. */
static void test_truncated(void **state)
{
	struct image im;
	char why[256];

	pvh_image(&im);
	assert_int_equal(check(&im, offsetof(struct image, ph) + 10, why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "an ELF executable whose 2 program headers are not in its 74 "
				 "bytes");
	assert_int_equal(check(&im, offsetof(struct image, notes) + 8, why, sizeof(why)),
			 -ENOEXEC);
	assert_non_null(strstr(why, "note segment 1 (56 bytes at 176) is not in its 184 bytes"));
	assert_int_equal(check(&im, 20, why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "an ELF file cut short (20 bytes, less than its header)");
	/* the loaded text may be cut: Xen's loader, not this check, refuses that */
	assert_int_equal(check(&im, offsetof(struct image, text) + 8, why, sizeof(why)), 0);
}

static void test_not_a_file(void **state)
{
	char why[256];

	assert_int_equal(xen_image_check("/nonexistent/forward.xen", why, sizeof(why)), -ENOENT);
	assert_string_equal(why, "No such file or directory");
	assert_int_equal(xen_image_check("/tmp", why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "not a regular file");
}

static int setup(void **state)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pvh_kernel_passes),	  cmocka_unit_test(test_text_file),
	    cmocka_unit_test(test_wrong_machine_or_type), cmocka_unit_test(test_no_pvh_note),
	    cmocka_unit_test(test_truncated),		  cmocka_unit_test(test_not_a_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
