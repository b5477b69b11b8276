# harness/: bin/mir-perf. Every harness/*.c except main.c goes into
# libharness.a, so new files need no Makefile change. Unit test rules live in
# harness/*.mk fragments (one per area, to keep edits apart).
HARNESS_SRCS := $(filter-out harness/main.c,$(wildcard harness/*.c))
LIBHARNESS := $(B)/libharness.a
$(LIBHARNESS): $(call objs,$(HARNESS_SRCS))
include $(wildcard harness/mk/*.mk)
