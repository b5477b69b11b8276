# guest/: what runs inside the Xen guests mir-perf boots (and dom0's hotplug helper).
# mir-geninit is the traff-gen guest's /init: linked statically, as the guest
# has no libraries (harness/platform/xen/initramfs.c packs it with mir-trafgen.static).
GENINIT_SRCS := guest/geninit.c guest/geninit_cmdline.c guest/guest_ends.c
BINS += $(BIN)/mir-geninit
$(BIN)/mir-geninit: $(call objs,$(GENINIT_SRCS))
	$(call link,$(LDSTATIC))
$(call unit_test,test_geninit_cmdline,$(B)/guest/geninit_cmdline.o,,)
# mir-vif-hotplug: the vif hotplug script libxl runs for mir-perf's domains.
BINS += $(BIN)/mir-vif-hotplug
$(BIN)/mir-vif-hotplug: $(B)/guest/vif_hotplug.o $(LIBMP)
	$(call link,$(NL_LIBS) -lxenstore)
