# xen/check.mk: sudo make xen-check — real Xen 4.17 under qemu (see tools/xen-check/).
