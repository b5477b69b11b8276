# tools/xen-check/images.sh: the cached pieces of the real-Xen check, sourced by
# xen-check.sh. Nothing here is installed on the host except the tools that
# build the images (qemu, debootstrap, cpio, xz); Xen and the Debian kernel
# are fetched with `apt-get download` and unpacked with `dpkg-deb -x`.
#
# Cache layout (XC_CACHE, default /var/cache/mir-perf/xen-check):
#   debs/                  downloaded .deb files
#   KEY/xen                Xen 4.17, decompressed: a multiboot ELF for qemu -kernel
#   KEY/vmlinuz            Debian's kernel (bzImage), dom0's kernel
#   KEY/vmlinux            the same kernel as an uncompressed ELF, for guests
#   KEY/busybox            busybox-static, for the smoke domU
#   KEY/domu-modules/      xen-netfront.ko for guests
#   KEY/base.cpio          dom0 root filesystem, uncompressed newc cpio
#   KEY/base.files         its file list (to check what the overlay needs)
#   KEY/versions           what KEY was made from
# KEY hashes the package versions and XC_RECIPE, so a new Xen or kernel
# security update, or a change of recipe, builds new images; old keys are
# removed once the new one is complete.

XC_CACHE=${XC_CACHE:-/var/cache/mir-perf/xen-check}
XC_MIRROR=${XC_MIRROR:-http://deb.debian.org/debian}
XC_SECURITY=${XC_SECURITY:-http://deb.debian.org/debian-security}
XC_SUITE=bookworm
# Bump when the way the images are made changes (it is part of the cache key).
XC_RECIPE=4
XC_XEN_PKG=xen-hypervisor-4.17-amd64
# Tools the check itself runs on the host.
XC_HOST_PKGS=(qemu-system-x86 debootstrap cpio xz-utils kmod grep coreutils)
# dom0's root filesystem: the Xen toolstack, what /init uses, and the runtime
# libraries bin/mir-perf links (libnl, libpcap, libxenlight) plus gnuplot for plots.
XC_DOM0_PKGS=(xen-utils-4.17 xenstore-utils iproute2 kmod busybox procps
	libnl-3-200 libnl-route-3-200 libpcap0.8 libxenmisc4.17 libxentoollog1
	gnuplot-nox)
# Kernel modules dom0 needs (paths under lib/modules/VERSION/kernel), and
# xen-netfront, which mir-perf packs into its traff-gen guest's initramfs.
XC_DOM0_MODS=(drivers/xen drivers/net/xen-netback drivers/net/xen-netfront.ko drivers/block/xen-blkback
	net/bridge net/802 net/llc drivers/net/tun.ko drivers/virtio
	drivers/block/virtio_blk.ko)

xc_log() { printf '# [%s] %s\n' "$(date +%T)" "$*"; }
xc_die() { printf 'xen-check: %s\n' "$*" >&2; return 1; }

# xc_host_deps: install the host tools, idempotently.
xc_host_deps() {
	local p missing=()
	for p in "${XC_HOST_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	xc_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || return 1
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		xc_die "apt-get install ${missing[*]} failed"
}

# xc_key: sets XC_CAND (candidate versions by package), XC_KPKG, XC_KVER (the
# kernel package linux-image-amd64 depends on, linux-image-6.1.0-N-amd64),
# XC_VERSIONS, XC_KEY and XC_DIR. One apt-cache call: each one rebuilds apt's
# cache, seconds on a busy host. The meta package pins its kernel's version.
declare -A XC_CAND
xc_key() {
	local p v k
	XC_CAND=()
	XC_KPKG=
	while read -r p v k; do
		XC_CAND[$p]=$v
		[ "$p" = linux-image-amd64 ] && XC_CAND[$k]=$v && XC_KPKG=$k
	done < <(apt-cache show --no-all-versions linux-image-amd64 "$XC_XEN_PKG" xen-utils-4.17 \
		busybox-static 2>/dev/null | awk '
		/^Package:/ { p = $2; k = "-" }
		/^Version:/ { v = $2 }
		/^Depends:/ && p == "linux-image-amd64" { k = $2; kv = $4; sub(/\)$/, "", kv) }
		/^$/ && p { print p, (p == "linux-image-amd64" ? kv : v), k; p = "" }
		END { if (p) print p, (p == "linux-image-amd64" ? kv : v), k }')
	[ -n "${XC_KPKG:-}" ] && [ -n "${XC_CAND[$XC_KPKG]:-}" ] && [ -n "${XC_CAND[$XC_XEN_PKG]:-}" ] &&
		[ -n "${XC_CAND[xen-utils-4.17]:-}" ] && [ -n "${XC_CAND[busybox-static]:-}" ] ||
		{ xc_die "apt-cache: no candidate for linux-image-amd64, $XC_XEN_PKG, xen-utils-4.17 or busybox-static (apt-get update?)"; return 1; }
	XC_KVER=${XC_KPKG#linux-image-}
	XC_VERSIONS="recipe=$XC_RECIPE $XC_XEN_PKG=${XC_CAND[$XC_XEN_PKG]} $XC_KPKG=${XC_CAND[$XC_KPKG]}"
	XC_VERSIONS+=" xen-utils-4.17=${XC_CAND[xen-utils-4.17]} dom0=${XC_DOM0_PKGS[*]}"
	XC_KEY=$(echo "$XC_VERSIONS" | sha256sum | cut -c1-16)
	XC_DIR=$XC_CACHE/$XC_KEY
}

# xc_extract_vmlinux BZIMAGE OUT: the uncompressed ELF inside a bzImage (libxl
# then needs no XZ decompression per guest, see the notes).
xc_extract_vmlinux() {
	local img=$1 out=$2 pos
	for pos in $(LC_ALL=C grep -aboP '\xfd7zXZ\x00' "$img" | cut -d: -f1); do
		tail -c +$((pos + 1)) "$img" | xz -dcq >"$out.tmp" 2>/dev/null
		if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			mv "$out.tmp" "$out"
			return 0
		fi
	done
	rm -f "$out.tmp"
	xc_die "no XZ-compressed ELF found in $img"
}

# xc_deb PKG: where apt-get download puts the candidate version of PKG.
xc_deb() { local v=${XC_CAND[$1]}; echo "$XC_CACHE/debs/${1}_${v//:/%3a}_amd64.deb"; }

# xc_fetch: Xen, dom0 kernel, guest kernel, busybox-static into XC_DIR.
xc_fetch() {
	local x p get=()
	[ -s "$XC_DIR/xen" ] && [ -s "$XC_DIR/vmlinux" ] && [ -s "$XC_DIR/busybox" ] &&
		{ [ -s "$XC_DIR/base.cpio" ] || [ -d "$XC_DIR/unpack/lib/modules" ]; } && return 0
	mkdir -p "$XC_CACHE/debs" "$XC_DIR" || return 1
	for p in "$XC_XEN_PKG" "$XC_KPKG" busybox-static; do
		[ -s "$(xc_deb "$p")" ] || get+=("$p")
	done
	if [ ${#get[@]} -gt 0 ]; then
		xc_log "downloading ${get[*]}"
		(cd "$XC_CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "${get[@]}" \
			>/dev/null) || { xc_die "apt-get download ${get[*]} failed"; return 1; }
	fi
	x=$XC_DIR/unpack
	rm -rf "$x" && mkdir -p "$x" || return 1
	for p in "$XC_XEN_PKG" "$XC_KPKG" busybox-static; do
		dpkg-deb -x "$(xc_deb "$p")" "$x" || { xc_die "dpkg-deb -x $(xc_deb "$p") failed"; return 1; }
	done
	zcat "$x/boot/xen-4.17-amd64.gz" >"$XC_DIR/xen.tmp" && mv "$XC_DIR/xen.tmp" "$XC_DIR/xen" ||
		{ xc_die "cannot decompress xen-4.17-amd64.gz"; return 1; }
	cp "$x/boot/vmlinuz-$XC_KVER" "$XC_DIR/vmlinuz" || return 1
	xc_extract_vmlinux "$XC_DIR/vmlinuz" "$XC_DIR/vmlinux" || return 1
	mkdir -p "$XC_DIR/domu-modules" &&
		cp "$x/lib/modules/$XC_KVER/kernel/drivers/net/xen-netfront.ko" "$XC_DIR/domu-modules/" ||
		return 1
	# The kernel tree stays unpacked for xc_base (modules for dom0).
	cp "$x/bin/busybox" "$XC_DIR/busybox"
}

# xc_base: the dom0 root filesystem as XC_DIR/base.cpio (about 2-3 minutes, once).
xc_base() {
	local root=$XC_DIR/root m xv uv
	[ -s "$XC_DIR/base.cpio" ] && [ -s "$XC_DIR/base.files" ] && return 0
	rm -rf "$root"
	xc_log "debootstrap $XC_SUITE minbase into $root (about 2 minutes, cached afterwards)"
	debootstrap --variant=minbase --include="$(IFS=,; echo "${XC_DOM0_PKGS[*]}")" \
		"$XC_SUITE" "$root" "$XC_MIRROR" >"$XC_DIR/debootstrap.log" 2>&1 ||
		{ tail -20 "$XC_DIR/debootstrap.log" >&2; xc_die "debootstrap failed (log: $XC_DIR/debootstrap.log)"; return 1; }
	# Xen and xen-utils both come from security updates: upgrade so they match.
	cat >"$root/etc/apt/sources.list" <<-EOF
		deb $XC_MIRROR $XC_SUITE main
		deb $XC_MIRROR $XC_SUITE-updates main
		deb $XC_SECURITY $XC_SUITE-security main
	EOF
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
	xc_log "upgrading dom0 from $XC_SUITE-security"
	mount -t proc proc "$root/proc" || return 1
	(chroot "$root" apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		chroot "$root" apt-get -y -qq upgrade) >>"$XC_DIR/debootstrap.log" 2>&1
	m=$?
	umount "$root/proc"
	[ $m -eq 0 ] || { tail -20 "$XC_DIR/debootstrap.log" >&2; xc_die "apt-get upgrade in dom0 failed"; return 1; }
	xv=$(dpkg-deb -f "$(xc_deb "$XC_XEN_PKG")" Version)
	uv=$(chroot "$root" dpkg-query -W -f='${Version}' xen-utils-4.17)
	[ "$xv" = "$uv" ] || { xc_die "dom0 xen-utils-4.17 $uv does not match hypervisor $xv"; return 1; }
	# Kernel modules dom0 needs, resolved by depmod.
	for m in "${XC_DOM0_MODS[@]}"; do
		mkdir -p "$root/lib/modules/$XC_KVER/kernel/$(dirname "$m")"
		cp -a "$XC_DIR/unpack/lib/modules/$XC_KVER/kernel/$m" \
			"$root/lib/modules/$XC_KVER/kernel/$(dirname "$m")/" || return 1
	done
	cp "$XC_DIR"/unpack/lib/modules/"$XC_KVER"/modules.{builtin,builtin.modinfo,order} \
		"$root/lib/modules/$XC_KVER/" || return 1
	depmod -b "$root" "$XC_KVER" || { xc_die "depmod failed"; return 1; }
	for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback bridge tun virtio_blk; do
		modprobe -d "$root" -S "$XC_KVER" --show-depends "$m" >/dev/null 2>&1 ||
			{ xc_die "module $m missing from dom0"; return 1; }
	done
	# What a RAM-only dom0 never reads: docs, locales, apt's caches and dpkg's
	# scripts (no package is installed there), udev's hardware database (no
	# udev runs), HVM firmware, Python and Perl (only pygrub and maintainer
	# scripts use them; xl, libxl and the hotplug scripts are C and sh).
	rm -rf "$root"/usr/share/{doc,man,info,locale,i18n,lintian,bash-completion,perl} \
		"$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/*.log \
		"$root"/var/lib/dpkg/info "$root"/usr/sbin/policy-rc.d "$root"/usr/lib/udev/hwdb.* \
		"$root"/usr/lib/xen-4.17/boot "$root"/usr/lib/python3* "$root"/usr/bin/python3* \
		"$root"/usr/lib/x86_64-linux-gnu/perl* "$root"/usr/bin/perl*
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort >"$XC_DIR/base.files.tmp" &&
		cpio -o -H newc --quiet <"$XC_DIR/base.files.tmp" >"$XC_DIR/base.cpio.tmp") ||
		{ xc_die "cpio of dom0 failed"; return 1; }
	sed 's|^\./|/|' "$XC_DIR/base.files.tmp" >"$XC_DIR/base.files" &&
		rm -f "$XC_DIR/base.files.tmp" && mv "$XC_DIR/base.cpio.tmp" "$XC_DIR/base.cpio" || return 1
	echo "$XC_VERSIONS" >"$XC_DIR/versions"
	rm -rf "$root" "$XC_DIR/unpack"
	xc_log "dom0 base: $(du -m "$XC_DIR/base.cpio" | cut -f1) MB"
}

# xc_images: everything above, under a lock, then drop superseded keys.
xc_images() {
	local lock k d keep
	mkdir -p "$XC_CACHE" || return 1
	exec {lock}>"$XC_CACHE/.lock"
	flock "$lock" || return 1
	# Stale or missing package lists (a fresh machine, a mirror that moved
	# on): update them once and try again.
	if ! xc_key 2>/dev/null || ! xc_fetch; then
		xc_log "apt-get update"
		apt-get update -qq && xc_key && xc_fetch
	fi && xc_base
	k=$?
	if [ $k -eq 0 ]; then
		for d in "$XC_CACHE"/*/; do
			d=${d%/}
			[ "$d" != "$XC_DIR" ] && [ "$d" != "$XC_CACHE/debs" ] && rm -rf "$d"
		done
		# Keep only the .debs this key was made from.
		keep=" $(xc_deb "$XC_XEN_PKG") $(xc_deb "$XC_KPKG") $(xc_deb busybox-static) "
		for d in "$XC_CACHE"/debs/*.deb; do
			[[ $keep == *" $d "* ]] || rm -f "$d"
		done
	fi
	exec {lock}>&-
	return $k
}
