#!/usr/bin/env bash
# A MirageOS 4 Xen unikernel built offline with the toolchain of toolchain.sh:
# `mirage configure -t xen`, then, in place of `make depend` (opam monorepo,
# which needs the network), a duniverse assembled from the mirror's archives,
# then the dune build that the generated `make build` runs. Kept apart from
# toolchain.sh so that a change here does not change the toolchain's cache key.
#
#   unikernel.sh configure MIRROR PREFIX WORKDIR
#   unikernel.sh build     PREFIX WORKDIR
set -euo pipefail
# shellcheck source=recipes/mirage-net-xen/toolchain.sh
. "$(dirname "$(readlink -f "$0")")/toolchain.sh"
ME=mirage-unikernel

cmd_configure() {
	local m=$1 P=$2 w=$3 n
	[ -x "$P/bin/mirage" ] || die "configure: $P is not a toolchain prefix (no bin/mirage)"
	[ -r "$w/config.ml" ] || die "configure: $w has no config.ml"
	use_prefix "$P"
	for n in "${DUNIVERSE[@]}"; do tag_of "$m" "$n" "a library of the unikernel" >/dev/null; done
	(cd "$w" && mirage configure -t xen)
	# In place of `make depend` (opam monorepo, which needs the network):
	# the libraries' trees from the archives, vendored.
	rm -rf "$w/duniverse"
	mkdir -p "$w/duniverse"
	echo '(vendored_dirs *)' >"$w/duniverse/dune"
	for n in "${DUNIVERSE[@]}"; do
		extract "$m" "$n" "$w/duniverse"
		overlay "$m" "$n" "$w/duniverse/$n"
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
