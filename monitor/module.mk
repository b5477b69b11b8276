# monitor/: the per-hop counter sampler ($(LIBMONITOR), linked by the harness)
# and bin/mir-monitor (live view, CSV, JSON, pcap capture).
MONITOR_SRCS := monitor/monitor.c monitor/nlstats.c
LIBMONITOR := $(B)/libmonitor.a
$(LIBMONITOR): $(call objs,$(MONITOR_SRCS))

$(call unit_test,test_monitor,$(B)/monitor/monitor.o $(LIBMP),-lm,mtime_now_ns mon_nl_open mon_nl_close mon_nl_ifindex mon_nl_read)
