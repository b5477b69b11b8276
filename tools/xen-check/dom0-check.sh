#!/bin/bash
# tools/xen-check/dom0-check.sh MODE OUT: the checks run inside the dom0 that
# xen-check.sh boots, after /init started the toolstack. Prints TAP lines
# without numbers ("ok - ...", "not ok - ...", "# ..."); the host numbers them.
#   smoke  Xen answers, a busybox PV domU boots with a vif on a bridge and its
#          frames are counted on both ends, teardown leaves nothing.
#   full   smoke, then mir-perf --platform xen --dut linux-fwd (see xc_full).
# `xl` is used here only to check the infrastructure; the product uses libxl.
set -u
mode=$1 out=$2
export PATH=/xc/bin:/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
KVER=$(uname -r)
failed=0

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; failed=1; }
diag() { echo "# $*"; }
# check DESCRIPTION CMD...: ok when CMD succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
now() { cut -d' ' -f1 /proc/uptime; }
# wait_for SECONDS CMD...: poll CMD every 0.5 s.
wait_for() {
	local t=$(($1 * 2)) i
	shift
	for ((i = 0; i < t; i++)); do
		"$@" && return 0
		sleep 0.5
	done
	return 1
}

# Domains other than dom0, vif/tap backends and bridges: what teardown must remove.
leftover_domains() { xl list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }'; }
leftover_links() {
	ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
		grep -E '^(vif[0-9]|tap[0-9]|if[12]$|mp-|xenbr)' || true
}
nothing_left() {
	local d l
	d=$(leftover_domains)
	l=$(leftover_links)
	[ -z "$d" ] && [ -z "$l" ] && return 0
	[ -n "$d" ] && diag "domains left: $(echo $d)"
	[ -n "$l" ] && diag "links left: $(echo $l)"
	return 1
}

xc_info() {
	local info
	if info=$(xl info 2>&1); then
		ok "xl info answers: Xen $(awk '/^xen_version/ { print $3 }' <<<"$info"), $(awk '/^nr_cpus/ { print $3 }' <<<"$info") CPUs, $(awk '/^free_memory/ { print $3 }' <<<"$info") MB free"
		echo "$info" >"$out/xl-info.txt"
	else
		nok "xl info answers"
		diag "$info"
		return 1
	fi
}

# The smoke domU: busybox PV guest on bridge mp-tbr0, counted on both ends.
xc_smoke() {
	local br=mp-tbr0 dom=mp-tsmoke log=/var/log/xen/console/guest-mp-tsmoke.log
	local t0 t1 vif domid line gtx vrx
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
	ip link add "$br" type bridge && ip addr add 198.18.0.1/30 dev "$br" && ip link set "$br" up ||
		{ nok "smoke: bridge $br"; return 1; }
	cat >/tmp/smoke.cfg <<-EOF
		name = "$dom"
		type = "pv"
		kernel = "/boot/vmlinux-$KVER"
		ramdisk = "/xc/smoke-domu.cpio"
		extra = "console=hvc0 quiet"
		memory = 128
		vcpus = 1
		vif = [ "mac=02:00:5e:00:00:02,bridge=$br" ]
		on_crash = "preserve"
	EOF
	t0=$(now)
	if ! xl create -q /tmp/smoke.cfg >"$out/smoke-create.log" 2>&1; then
		nok "smoke: xl create of a busybox PV domU"
		sed 's/^/# /' "$out/smoke-create.log" | tail -20
		ip link del "$br"
		return 1
	fi
	t1=$(now)
	domid=$(xl domid "$dom")
	vif=vif$domid.0
	ok "smoke: PV domU $dom created (domid $domid) in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
	check "smoke: backend $vif is a port of $br" \
		test "$(basename "$(readlink /sys/class/net/$vif/master 2>/dev/null)")" = "$br"
	if wait_for 90 grep -q 'XCDOMU tx=' "$log"; then
		line=$(grep -a 'XCDOMU tx=' "$log" | tail -1)
		gtx=$(sed 's/.*tx=\([0-9]*\).*/\1/' <<<"$line")
		vrx=$(cat /sys/class/net/$vif/statistics/rx_packets)
		if [ "$gtx" -ge 5 ] && [ "$gtx" = "$vrx" ]; then
			ok "smoke: domU sent $gtx frames, $vif received $vrx"
		else
			nok "smoke: domU sent $gtx frames, $vif received $vrx (want equal, >= 5)"
		fi
	else
		nok "smoke: domU reports its frames on its console"
		tail -20 "$log" 2>/dev/null | sed 's/^/# guest: /'
	fi
	cp "$log" "$out/" 2>/dev/null
	xl destroy "$dom" >/dev/null 2>&1
	wait_for 20 test ! -e /sys/class/net/$vif
	ip link del "$br"
	check "smoke: no domain, vif or bridge left after teardown" nothing_left
}

xc_info || exit 1
xc_smoke
case $mode in
smoke) ;;
*) nok "unknown mode '$mode'" ;;
esac
exit $failed
