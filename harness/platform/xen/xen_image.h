/* Is a file a kernel Xen can boot as a PVH domain (what MirageOS 4 builds for
 * -t xen, dist/NAME.xen)? Checked before anything is created, so that a wrong
 * file (a .xl, a solo5 hvt/spt binary, a truncated copy's header) gets one line
 * naming what is wrong instead of a libxl failure half-way through a run. Pure:
 * reads the file, needs no Xen. */
#ifndef MP_XEN_IMAGE_H
#define MP_XEN_IMAGE_H

#include <stddef.h>

/* 0 when path is a 64-bit x86-64 ELF executable whose program headers lie in
 * the file and which carries Xen's PVH entry note (owner "Xen", type 18,
 * XEN_ELFNOTE_PHYS32_ENTRY); else -ENOEXEC with what is wrong in why
 * ("not an ELF file (starts with 6e 6f 74 20)", ...), or -errno when it cannot
 * be read. */
int xen_image_check(const char *path, char *why, size_t len);

#endif
