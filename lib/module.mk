# lib/: code shared by every program (logging, time, numbers with units, JSON,
# network namespaces). Each other module links $(LIBMP).
LIB_SRCS := $(wildcard lib/*.c)
LIBMP := $(B)/libmp.a
$(LIBMP): $(call objs,$(LIB_SRCS))
