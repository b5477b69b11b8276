#!/usr/bin/env bash
# A MirageOS 4 Xen unikernel built offline with the toolchain of toolchain.sh:
# `mirage configure -t xen`, then, in place of `make depend` (opam monorepo,
# which needs the network), a duniverse assembled from the mirror's archives,
# then the dune build that the generated `make build` runs. Kept apart from
# toolchain.sh so that a change here does not change the toolchain's cache key.
#
#   unikernel.sh configure MIRROR PREFIX WORKDIR
#   unikernel.sh build     PREFIX WORKDIR
#
# WORKDIR holds the unikernel's config.ml and unikernel.ml and, for a
# unikernel that needs more than the forwarder's libraries (the iperf3
# server's TCP/IP stack), duniverse.extra: more names of sources.txt, one per
# line ('#' starts a comment); a name with a directory under the mirror's
# overlays/ but no archive (seq: a dune stand-in for an empty findlib
# package) is taken from the overlay alone.
set -euo pipefail
# shellcheck source=recipes/mirage-net-xen/toolchain.sh
. "$(dirname "$(readlink -f "$0")")/toolchain.sh"
ME=mirage-unikernel

# The names of WORKDIR/duniverse.extra, checked: each a source of the mirror
# or an overlay of its own.
extra_libraries() {
	local m=$1 w=$2 n line=0
	[ -e "$w/duniverse.extra" ] || return 0
	while IFS= read -r n || [ -n "$n" ]; do
		line=$((line + 1))
		n=${n%%#*}
		n=${n//[[:space:]]/}
		[ -n "$n" ] || continue
		[[ $n =~ ^[a-z0-9][a-z0-9_-]*$ ]] ||
			die "configure: $w/duniverse.extra line $line: '$n' is not a library name (expected [a-z0-9_-])"
		if [ -d "$m/overlays/$n" ] && ! read_sources "$m" | awk -v n="$n" '$1 == n { f = 1 } END { exit !f }'; then
			echo "overlay:$n"
		else
			tag_of "$m" "$n" "named in $w/duniverse.extra line $line" >/dev/null
			echo "$n"
		fi
	done <"$w/duniverse.extra"
}

cmd_configure() {
	local m=$1 P=$2 w=$3 n extra
	[ -x "$P/bin/mirage" ] || die "configure: $P is not a toolchain prefix (no bin/mirage)"
	[ -r "$w/config.ml" ] || die "configure: $w has no config.ml"
	use_prefix "$P"
	for n in "${DUNIVERSE[@]}"; do tag_of "$m" "$n" "a library of the unikernel" >/dev/null; done
	extra=$(extra_libraries "$m" "$w") || exit 1
	(cd "$w" && mirage configure -t xen)
	# In place of `make depend` (opam monorepo, which needs the network):
	# the libraries' trees from the archives, vendored.
	rm -rf "$w/duniverse"
	mkdir -p "$w/duniverse"
	echo '(vendored_dirs *)' >"$w/duniverse/dune"
	for n in "${DUNIVERSE[@]}" $extra; do
		case $n in
		overlay:*)
			n=${n#overlay:}
			mkdir -p "$w/duniverse/$n"
			overlay "$m" "$n" "$w/duniverse/$n"
			;;
		*)
			extract "$m" "$n" "$w/duniverse"
			overlay "$m" "$n" "$w/duniverse/$n"
			;;
		esac
	done
	# mirage-runtime is the one target library from the mirage tree.
	mkdir -p "$w/duniverse/mirage-runtime"
	tar -xzf "$(archive_of "$m" mirage x)" -C "$w/duniverse/mirage-runtime" --strip-components=1 \
		mirage/dune-project mirage/mirage-runtime.opam mirage/lib_runtime
}

cmd_build() {
	local P=$1 w=$2
	[ -x "$P/bin/mirage" ] || die "build: $P is not a toolchain prefix (no bin/mirage)"
	[ -d "$w/duniverse" ] || die "build: $w has no duniverse (run configure first)"
	use_prefix "$P"
	(cd "$w" && dune build --profile release --root . -j "$JOBS" ./dist)
}

case "${1:-}" in
configure) [ $# -eq 4 ] || die "usage: unikernel.sh configure MIRROR PREFIX WORKDIR"; cmd_configure "$2" "$3" "$4" ;;
build) [ $# -eq 3 ] || die "usage: unikernel.sh build PREFIX WORKDIR"; cmd_build "$2" "$3" ;;
*) die "usage: unikernel.sh configure|build ..." ;;
esac
