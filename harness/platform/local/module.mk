# The local platform (topology, DUTs, probes): unit tests and the platform
# test driver.
$(call unit_test,test_local_names,$(LIBHARNESS) $(LIBMP),$(NL_LIBS),)

PLATFORM_DRIVE := $(B)/tests/platform_drive
$(PLATFORM_DRIVE): $(B)/tests/tools/platform_drive.o $(LIBHARNESS) $(LIBTGCLIENT) $(LIBMP)
	$(call link,$(NL_LIBS) -lm)
build-tests: $(PLATFORM_DRIVE)
