# tests/: the test runner's own tools. Each module's module.mk adds its unit
# tests with $(call unit_test,...) (defined in the top Makefile).
