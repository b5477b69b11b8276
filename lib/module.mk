# lib/: code shared by every program (logging, time, numbers with units, JSON,
# network namespaces, netlink links, processes, running as the invoking user).
# Each other module links $(LIBMP).
LIB_SRCS := $(wildcard lib/*.c)
LIBMP := $(B)/libmp.a
$(LIBMP): $(call objs,$(LIB_SRCS))

$(call unit_test,test_units,$(LIBMP),-lm,)
$(call unit_test,test_json,$(LIBMP),-lm,)
$(call unit_test,test_path,$(LIBMP),,)
$(call unit_test,test_nl,$(LIBMP),$(NL_LIBS),)
$(call unit_test,test_thread,$(LIBMP),,pthread_create)
$(call unit_test,test_vec,$(LIBMP),,)
$(call unit_test,test_atomic_file,$(LIBMP),,)
$(call unit_test,test_proc,$(LIBMP),,)
$(call unit_test,test_usage,$(LIBMP),,log_err)
