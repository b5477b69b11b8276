#!/usr/bin/env bash
# Install exactly the Debian 12 packages mir-perf needs to build, test and run.
# Idempotent: when everything is present it only asks dpkg and returns.
set -euo pipefail

PKGS=(
	gcc make pkg-config git              # build (git: version string, recipe checkouts)
	libnl-3-dev libnl-route-3-dev        # every link, bridge, namespace and counter
	libpcap-dev                          # mir-monitor --pcap
	libxdp-dev libbpf-dev                # mir-trafgen's AF_XDP backend
	libxen-dev                           # the Xen platform (libxenlight)
	libcmocka-dev                        # unit tests
	gnuplot-nox                          # plots
	iproute2                             # tests check what the kernel holds with `ip`
	netsniff-ng bmon                     # benchmarks: the tools users would otherwise pick
	valgrind                             # bench-fwd: instructions per frame (callgrind)
	tcpdump                              # tests read mir-monitor --pcap files with it
	groff-base                           # tests render the man pages with groff -ww (man-db not needed)
	python3                              # tests parse stats.json with it
	cpio                                 # Xen traff-gen initramfs
	libseccomp-dev                       # offline MirageOS toolchain: solo5's configure insists
	iperf3                               # the goodput mode (mir-perf --mode goodput)
	chromium                             # tests: the report as a browser shows it (headless screenshot)
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "make deps: missing Debian packages: ${missing[*]}" >&2
	echo "make deps: installing them needs root; run 'sudo make deps' (or sudo make run / sudo make check)" >&2
	exit 1
fi
echo "make deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine often has unattended-upgrades holding dpkg's lock for its
# first minutes; wait for it instead of failing the install.
apt_wait=(-o DPkg::Lock::Timeout=900)
apt-get "${apt_wait[@]}" update -qq
apt-get "${apt_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
