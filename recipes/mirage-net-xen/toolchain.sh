#!/usr/bin/env bash
# The MirageOS 4 Xen toolchain, offline, from a
# source mirror laid out like this project's shared/mirage: sources.txt (name,
# upstream repository, tag, commit), src/NAME-TAG.tar.gz (git archives, so each
# names its commit), overlays/ (dune files for libraries that ship topkg builds).
#
# A shell script rather than C: every step is a sequence of upstream build
# commands (configure, make, dune) with their environment, which is what a
# shell states most plainly; mir-perf (harness/platform/xen/recipe.c) runs it as the
# invoking user, like the rest of a recipe build, and keeps its output in the
# build log.
#
#   toolchain.sh key       MIRROR          the cache key (sha256)
#   toolchain.sh check     MIRROR          every part named, present, intact, at its commit
#   toolchain.sh toolchain MIRROR CACHE [SHARED]
#                    build into CACHE or reuse (from SHARED, read-only, first);
#                    last stdout line: "prefix P"
# (unikernel.sh, beside it, builds a unikernel with the result.)
#
# The toolchain cache: CACHE/<key> is a symlink to the build directory that
# produced it, created (renamed into place) only once every step succeeded, so
# a killed build leaves no entry, only a b-* directory that the next build
# removes. The installed prefix is not relocatable (the cross compiler's
# configuration points into the ocaml-solo5 tree), hence a symlink and not a
# rename of the prefix. The key hashes sources.txt, every archive it names, the
# overlays and this script: a change to any of them is a new toolchain.
#
# Errors: one line on stderr, "mirage-toolchain: ...", status 1. Progress:
# "step n of N: what (elapsed s)" on stderr.
set -euo pipefail

ME=mirage-toolchain
JOBS=${MIR_PERF_JOBS:-$(nproc 2>/dev/null || echo 2)}
SELF=$(readlink -f "${BASH_SOURCE[0]}")

die() {
	echo "$ME: $*" >&2
	if [ -n "${MIR_PERF_PROGRESS_FD:-}" ]; then echo "$ME: $*" >&"$MIR_PERF_PROGRESS_FD"; fi
	exit 1
}

# What the toolchain is made of: the compilers and the host `mirage` tool.
TOOLCHAIN_PARTS=(ocaml dune ocamlfind solo5 ocaml-solo5 mirage)
# The host workspace that gives the `mirage` tool (dune packages to build).
HOST_TREES=(csexp cppo cmdliner fmt logs astring fpath bos rresult uutf base64 pecu
	bigstringaf angstrom ocaml-syntax-shims stringext uri domain-name ipaddr emile mirage)
HOST_PKGS=csexp,cppo,cmdliner,fmt,logs,astring,fpath,bos,rresult,uutf,base64,pecu,bigstringaf,angstrom,ocaml-syntax-shims,stringext,uri,domain-name,ipaddr,macaddr,emile,mirage,dune-configurator
# A Xen unikernel's libraries with mirage 4.9 (its default RNG device brings
# mirage-crypto, digestif, eqaf); mirage's runtime comes from the mirage tree.
DUNIVERSE=(cmdliner-stdlib duration lwt ocplib-endian mirage-bootvar mirage-logs mirage-mtime
	mirage-ptime mirage-sleep mirage-xen cmdliner logs fmt ptime mtime cstruct
	shared-memory-ring xenstore lwt-dllist io-page bheap metrics ipaddr domain-name mirage-net
	mirage-net-xen mirage-crypto digestif eqaf)

# sources.txt as "name tag commit" lines.
read_sources() {
	local m=$1
	[ -d "$m" ] || die "source mirror $m: not a directory"
	[ -r "$m/sources.txt" ] || die "source mirror $m: no sources.txt (expected lines: name repository tag commit)"
	awk '!/^#/ && NF >= 4 { print $1, $3, $4 }' "$m/sources.txt"
}

# The tag of a source, or die naming what is missing.
tag_of() {
	local m=$1 name=$2 why=$3 t
	t=$(read_sources "$m" | awk -v n="$name" '$1 == n { print $2; exit }')
	[ -n "$t" ] || die "source mirror $m: sources.txt has no '$name', $why"
	echo "$t"
}

archive_of() { echo "$1/src/$2-$(tag_of "$1" "$2" "$3").tar.gz"; }

# Every toolchain part and duniverse library is named in sources.txt.
check_parts() {
	local m=$1 p
	for p in "${TOOLCHAIN_PARTS[@]}"; do tag_of "$m" "$p" "a part of the toolchain" >/dev/null; done
	for p in "${HOST_TREES[@]}"; do tag_of "$m" "$p" "needed by the host tool mirage" >/dev/null; done
}

# One archive: present, a readable gzip tar with NAME/ on top, the commit of sources.txt.
check_archive() {
	local m=$1 name=$2 tag=$3 commit=$4 a top got
	a="$m/src/$name-$tag.tar.gz"
	[ -e "$a" ] || die "source mirror $m: src/$name-$tag.tar.gz is missing (sources.txt names $name $tag)"
	top=$(tar -tzf "$a" 2>/dev/null | head -1) || true
	if ! gzip -t "$a" 2>/dev/null || ! tar -tzf "$a" >/dev/null 2>&1; then
		die "source mirror $m: src/$name-$tag.tar.gz is corrupt (gzip -t / tar -tzf fail)"
	fi
	[ "$top" = "$name/" ] || die "source mirror $m: src/$name-$tag.tar.gz holds '$top' on top, expected '$name/'"
	# git reads the pax header and stops: gzip's SIGPIPE is no error here.
	got=$( (gzip -dc "$a" 2>/dev/null || true) | git get-tar-commit-id 2>/dev/null || true)
	[ "$got" = "$commit" ] || die "source mirror $m: src/$name-$tag.tar.gz is commit '${got:-none}', sources.txt says $commit"
}

check_mirror() {
	local m=$1 name tag commit
	check_parts "$m"
	while read -r name tag commit; do
		check_archive "$m" "$name" "$tag" "$commit"
	done < <(read_sources "$m")
}

cmd_key() {
	local m=$1 name tag commit
	read_sources "$m" >/dev/null
	{
		sha256sum <"$m/sources.txt"
		while read -r name tag commit; do
			[ -e "$m/src/$name-$tag.tar.gz" ] ||
				die "source mirror $m: src/$name-$tag.tar.gz is missing (sources.txt names $name $tag)"
			echo "$name $(sha256sum <"$m/src/$name-$tag.tar.gz")"
		done < <(read_sources "$m")
		if [ -d "$m/overlays" ]; then
			(cd "$m/overlays" && find . -type f | LC_ALL=C sort | while read -r f; do
				echo "$f $(sha256sum <"$f")"
			done)
		fi
		sha256sum <"$SELF"
	} | sha256sum | cut -c1-64
}

# The environment every OCaml step runs in: the toolchain's prefix first and
# nothing of an opam switch the user may have.
use_prefix() {
	export PATH="$1/bin:/usr/local/bin:/usr/bin:/bin"
	unset OCAMLPATH OCAMLFIND_CONF OCAMLLIB CAML_LD_LIBRARY_PATH OPAM_SWITCH_PREFIX OPAMROOT \
		OCAMLPARAM OCAMLRUNPARAM
	export DUNE_CACHE=disabled
}

T0=$SECONDS
STEP=0
NSTEPS=8
# Progress goes to stderr (the build log under mir-perf) and, when mir-perf
# passes one, to the terminal through the descriptor MIR_PERF_PROGRESS_FD.
say() {
	echo "$ME: $*" >&2
	if [ -n "${MIR_PERF_PROGRESS_FD:-}" ]; then echo "$ME: $*" >&"$MIR_PERF_PROGRESS_FD"; fi
}
step() {
	STEP=$((STEP + 1))
	say "step $STEP of $NSTEPS: $* (elapsed $((SECONDS - T0)) s)"
}

extract() { # MIRROR NAME DEST-PARENT
	local a
	a=$(archive_of "$1" "$2" "a source this step needs")
	tar -xzf "$a" -C "$3"
}

overlay() { # MIRROR NAME TREE
	[ -d "$1/overlays/$2" ] && cp -R "$1/overlays/$2/." "$3/"
	chmod -R u+w "$3"
}

build_toolchain() { # MIRROR DIR
	local m=$1 d=$2 P="$2/prefix" S="$2/src" n v
	mkdir -p "$P" "$S" "$S/host"
	use_prefix "$P"

	step "extract the archives"
	for n in "${TOOLCHAIN_PARTS[@]}"; do extract "$m" "$n" "$S"; done
	for n in "${HOST_TREES[@]}"; do
		[ -d "$S/host/$n" ] || extract "$m" "$n" "$S/host"
		overlay "$m" "$n" "$S/host/$n"
	done
	chmod -R u+w "$S"
	# solo5 builds only from a git checkout or a release tarball; a git
	# archive is neither, so give it the header a release carries.
	v=$(tag_of "$m" solo5 "a part of the toolchain")
	printf '#define SOLO5_VERSION "%s"\n' "$v" >"$S/solo5/include/version.h.distrib"
	# dune-configurator (dune's otherlibs) as a project of its own.
	mkdir -p "$S/host/dune-configurator"
	cp -R "$S/dune/otherlibs/configurator/src" "$S/host/dune-configurator/src"
	printf '(lang dune 3.0)\n(name dune-configurator)\n' >"$S/host/dune-configurator/dune-project"
	echo 'opam-version: "2.0"' >"$S/host/dune-configurator/dune-configurator.opam"

	step "OCaml (the host compiler, about 5 minutes on 2 cores)"
	(cd "$S/ocaml" && ./configure --prefix="$P" && make -j"$JOBS" world.opt && make install)
	# ocaml-solo5 copies the compiler's sources from `ocamlfind query ocaml-src`.
	mkdir -p "$P/lib/ocaml-src"
	tar -xzf "$(archive_of "$m" ocaml x)" -C "$P/lib/ocaml-src" --strip-components=1
	v=$(tag_of "$m" ocaml x)
	printf 'version = "%s"\ndescription = "OCaml sources"\n' "$v" >"$P/lib/ocaml-src/META"

	step "dune"
	(cd "$S/dune" && ocaml boot/bootstrap.ml -j "$JOBS" &&
		./_boot/dune.exe build @install -p dune --profile dune-bootstrap &&
		./_boot/dune.exe install dune --prefix "$P")

	step "findlib"
	(cd "$S/ocamlfind" && ./configure -bindir "$P/bin" -mandir "$P/man" -sitelib "$P/lib" \
		-config "$P/lib/findlib.conf" -no-topfind && make all && make opt && make install)

	step "solo5 (with its Xen bindings)"
	(cd "$S/solo5" && ./configure.sh --prefix="$P" && make -j"$JOBS" && make install)

	step "ocaml-solo5 (the cross compiler, about 2 minutes)"
	(cd "$S/ocaml-solo5" && ./configure.sh --prefix="$P" --target=x86_64-solo5-none-static &&
		make -j"$JOBS" && make install)
	ocamlfind -toolchain solo5 ocamlopt -version >/dev/null ||
		die "ocaml-solo5 installed, but 'ocamlfind -toolchain solo5 ocamlopt -version' fails"

	step "the mirage tool and its host libraries"
	# -p is the release mode: it implies --root . (which may not be repeated).
	(cd "$S/host" && dune build -j "$JOBS" -p "$HOST_PKGS" @install &&
		dune install --root . --prefix "$P" ${HOST_PKGS//,/ })

	step "check and seal"
	command -v mirage >/dev/null || die "the host workspace built, but $P/bin/mirage is missing"
	[ -e "$P/lib/solo5/xen/solo5_xen.o" ] || [ -n "$(find "$P" -name 'solo5_xen.o' -print -quit)" ] ||
		die "solo5 installed, but no solo5_xen.o under $P"
	# The compiler's build tree is most of the 2.7 GB and nothing points into it.
	rm -rf "$S/ocaml"
}

cmd_toolchain() {
	local m=$1 cache=$2 shared=${3:-} key dir lockfd stale
	[ -n "$cache" ] || die "toolchain: no cache directory given"
	key=$(cmd_key "$m")
	# A cache an administrator filled (read-only for us) serves as well.
	if [ -n "$shared" ] && [ -x "$shared/$key/prefix/bin/mirage" ]; then
		say "toolchain $key: cached in $(readlink -f "$shared/$key")"
		echo "prefix $shared/$key/prefix"
		return 0
	fi
	mkdir -p "$cache" || die "cache $cache: cannot create it"
	if [ -x "$cache/$key/prefix/bin/mirage" ]; then
		say "toolchain $key: cached in $(readlink -f "$cache/$key")"
		echo "prefix $cache/$key/prefix"
		return 0
	fi
	# One builder at a time per cache; a second one waits and then finds it.
	exec {lockfd}>"$cache/.lock"
	flock "$lockfd"
	if [ -x "$cache/$key/prefix/bin/mirage" ]; then
		say "toolchain $key: built meanwhile, cached in $(readlink -f "$cache/$key")"
		echo "prefix $cache/$key/prefix"
		return 0
	fi
	check_mirror "$m"
	# What a killed build left: b-* directories no key points to.
	for stale in "$cache"/b-*; do
		[ -e "$stale" ] || continue
		if ! find "$cache" -maxdepth 1 -type l -lname "$(basename "$stale")" | grep -q .; then
			say "removing $stale (an unfinished build)"
			rm -rf "$stale"
		fi
	done
	dir="$cache/b-${key:0:16}-$$"
	say "building the toolchain $key from $m in $dir ($JOBS jobs, about 9 minutes on 2 idle cores)"
	# A child of its own: `set -e` holds inside it (it would not under `||`).
	"$SELF" _build "$m" "$dir" || die "toolchain build failed in $dir (the step above; its output is above it)"
	ln -sfn "$(basename "$dir")" "$cache/.$key.new"
	mv -T "$cache/.$key.new" "$cache/$key"
	say "toolchain $key built in $((SECONDS - T0)) s"
	echo "prefix $cache/$key/prefix"
}

# Run as a script (not sourced by unikernel.sh): the subcommands.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case "${1:-}" in
	key) [ $# -eq 2 ] || die "usage: toolchain.sh key MIRROR"; cmd_key "$2" ;;
	check) [ $# -eq 2 ] || die "usage: toolchain.sh check MIRROR"; check_mirror "$2" ;;
	toolchain)
		[ $# -eq 3 ] || [ $# -eq 4 ] || die "usage: toolchain.sh toolchain MIRROR CACHE [SHARED]"
		cmd_toolchain "$2" "$3" "${4:-}" ;;
	_build) build_toolchain "$2" "$3" ;;
	*) die "usage: toolchain.sh key|check|toolchain ..." ;;
	esac
fi
