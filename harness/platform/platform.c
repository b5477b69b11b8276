#include "harness/platform/platform.h"

const struct platform_ops *platform_ops_of(enum run_platform p)
{
	switch (p) {
	case PLATFORM_LOCAL:
		return &platform_local_ops;
	case PLATFORM_XEN:
		return &platform_xen_ops;
	default:
		return NULL;
	}
}
