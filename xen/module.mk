# xen/: the Xen platform's guest pieces and the real-Xen-under-qemu check.
# mir-geninit is the traff-gen guest's /init: linked statically, as the guest
# has no libraries (harness/initramfs.c packs it with mir-trafgen.static).
GENINIT_SRCS := xen/geninit.c xen/geninit_cmdline.c
BINS += $(BIN)/mir-geninit
$(BIN)/mir-geninit: $(call objs,$(GENINIT_SRCS))
	$(call link,$(LDSTATIC))
$(call unit_test,test_geninit_cmdline,$(B)/xen/geninit_cmdline.o,,)
# mir-vif-hotplug: the vif hotplug script libxl runs for mir-perf's domains.
BINS += $(BIN)/mir-vif-hotplug
$(BIN)/mir-vif-hotplug: $(B)/xen/vif_hotplug.o $(LIBHARNESS) $(LIBMP)
	$(call link,$(NL_LIBS) -lxenstore)
