# xen/: the Xen platform's guest pieces and the real-Xen-under-qemu check.
