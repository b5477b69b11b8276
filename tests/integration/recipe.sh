#!/usr/bin/env bash
# The mirage-net-xen build recipe with real git on a small library repository
# made here (given as --repo: plain-Netif commits, then the Netif.Make
# functor, as upstream's history goes) and stand-in mirage, make and opam
# first on PATH (each records argv, cwd and uid; `make build` writes the
# .xl.in that mirage 4.9.0 really generated, tests/golden/mirage/): the
# command sequence, the drop to the invoking user (a throwaway user made
# here), the default commit (the newest that builds, said), a commit the
# toolchain cannot build, a commit that is not there, the cache, the failure
# report, a hostile COMMIT that never reaches a command, a missing toolchain,
# and the offline mode's bad source mirrors (each one line, nothing built).
# And the iperf3 server (MP_RECIPE_UNIKERNEL=iperf3, the goodput mode's
# server = dut): its sources from iperf3/, its cache entry beside the
# forwarder's, its one-network .xl.in.
ALL_TESTS="head_built head_said cmd_sequence as_user build_dir checkout_full result_kernel owned_by_user
	cache_hit rebuilt short_commit iperf3_built iperf3_sources iperf3_said iperf3_apart iperf3_cache_hit
	iperf3_extra_rebuilt iperf3_no_sources iperf3_two_vifs_refused unikernel_bad functor_refused functor_one_line missing_commit_refused missing_commit_nothing_built fail_status
	fail_report hostile_refused bad_repo_refused hostile_nothing_ran no_mirage no_sudo_user mirror_ok
	mirror_missing mirror_corrupt mirror_no_part mirror_other_source mirror_not_a_mirror"
. "$(dirname "$0")/../lib.sh"
require_root "creates a throwaway user"
run_tool=${MP_BUILD:-$MP_TOP/build}/tests/recipe-run
src=$MP_TOP/recipes/mirage-net-xen
xl_in=$MP_TOP/tests/golden/mirage/forward.xl.in
require_built "$run_tool"

user=mp-t$MP_SUFFIX
T=$(mktemp -d /tmp/mp-t$MP_SUFFIX-recipe.XXXXXX)
chmod 755 "$T"
on_exit "rm -rf '$T'"
useradd -M -d "$T/home" -s /usr/sbin/nologin "$user" || fail_rest "useradd $user failed"
on_exit "userdel -f $user"
mkdir -p "$T/home" && chown "$user:" "$T/home"
uid=$(id -u "$user")
rec=$T/rec.log
: >"$rec" && chmod 666 "$rec"

# The library's repository, upstream's shape: plain Netif, then the functor.
R=$T/repo
g() { git -C "$R" -c user.name=t -c user.email=t@example.invalid "$@"; }
mkdir -p "$R/lib" && git init -q -b main "$R"
echo 'include Mirage_net.S' >"$R/lib/netif.mli"
g add -A && g commit -qm "first" && g tag v1.0
OLD=$(g rev-parse HEAD)
echo '(* TX fix *)' >>"$R/lib/netif.mli"
g commit -qam "changes for 1.1" && g tag v1.1
PLAIN=$(g rev-parse HEAD)
printf 'module Make (C : S.CONFIGURATION) : sig\n  include Mirage_net.S\nend\n' >"$R/lib/netif.mli"
g commit -qam "Merge backend and frontend"
FUNCTOR=$(g rev-parse HEAD)
echo more >"$R/README" && g add README && g commit -qm "Road on"
HEAD=$(g rev-parse HEAD)
chown -R "$user:" "$R"

mkdir -p "$T/bin" "$T/bin-nomirage"
cat >"$T/bin/mirage" <<EOS
#!/bin/bash
echo "mirage|\$(id -u)|\$PWD|\$*" >>$rec
[ -f config.ml ] && [ -f unikernel.ml ] && [ "\$*" = "configure -t xen" ]
EOS
cat >"$T/bin/make" <<EOS
#!/bin/bash
echo "make|\$(id -u)|\$PWD|\$*" >>$rec
case \$1 in
depend) mkdir -p duniverse/mirage-net-xen && echo vendored >duniverse/mirage-net-xen/VENDORED ;;
build)
	if [ -e $T/fail-build ]; then
		for i in \$(seq 1 30); do echo "compile line \$i" >&2; done
		exit 2
	fi
	[ -e duniverse/mirage-net-xen/VENDORED ] && exit 3 # the vendored copy must be gone
	if [ -e duniverse.extra ]; then # the iperf3 server: one network, as mirage generates it
		mkdir -p dist && echo xen >dist/iperf3.xen
		if [ -e $T/iperf3-two-vifs ]; then
			echo "vif = [ 'bridge=@NETWORK:1@', 'bridge=@NETWORK:0@' ]" >dist/iperf3.xl.in
		else
			printf "name = '@NAME@'\\nvif = [ 'bridge=@NETWORK:0@' ]\\n" >dist/iperf3.xl.in
		fi
		exit 0
	fi
	mkdir -p dist && echo xen >dist/forward.xen && echo xl >dist/forward.xl
	cp $xl_in dist/forward.xl.in ;;
esac
EOS
printf '#!/bin/bash\necho "opam|$(id -u)|$PWD|$*" >>%s\n' "$rec" >"$T/bin/opam"
cp "$T/bin/make" "$T/bin/opam" "$T/bin-nomirage/"
chmod 755 "$T"/bin/* "$T"/bin-nomirage/*

# recipe COMMIT...: run the recipe as root, as `sudo` would from $user.
recipe() {
	env PATH="$T/bin:$PATH" SUDO_USER=$user MP_RECIPE_REPO="$R" "$run_tool" mirage-net-xen \
		"$src" "$@" >"$T/out" 2>"$T/err"
}
val() { sed -n "s/^$1=//p" "$T/out"; }
cmds() { cut -d'|' -f1,4 "$rec" | awk -F'|' '{ split($2, a, " "); print $1, a[1] }' | tr '\n' ';'; }
cache=$T/home/.cache/mir-perf/mirage-net-xen

# 1. no COMMIT: the newest commit of the default branch that builds
recipe
rc=$?
check head_built "no COMMIT: took the newest buildable commit (v1.1), not the functor head" \
	test $rc -eq 0 -a "$(val commit)" = "$PLAIN" -a "$(val cache)" = miss
[ $rc -eq 0 ] || diag "$(cat "$T/err")"
check head_said "...and said which one it took and why" \
	grep -q "no COMMIT given: taking ${PLAIN:0:12} (v1.1), the newest commit of $R's default branch that builds with mirage's netif device (its head ${HEAD:0:12}" "$T/err"
want="mirage configure;make depend;make build;"
got=$(cmds)
check cmd_sequence "command sequence: configure -t xen, make depend, make build" test "$got" = "$want"
[ "$got" = "$want" ] || diag "got: $got"
check as_user "every command ran as $user (uid $uid), none as root" \
	test -z "$(awk -F'|' -v u="$uid" '$2 != u' "$rec")" -a -s "$rec"
check build_dir "configure and build ran in ~$user/.cache/mir-perf/mirage-net-xen/<full hash>/build" \
	grep -q "^mirage|$uid|$cache/$PLAIN/build|configure -t xen\$" "$rec"
check checkout_full "duniverse/mirage-net-xen is the repository checked out at that commit" \
	test "$(git -c safe.directory="*" -C "$cache/$PLAIN/build/duniverse/mirage-net-xen" rev-parse HEAD 2>/dev/null)" = "$PLAIN"
check result_kernel "mirage 4.9's real .xl.in (networks listed 1, 0): devid 0 is netif 0, devid 1 netif 1" \
	test "$(val kernel)" = "$cache/$PLAIN/build/dist/forward.xen" -a -f "$(val kernel)" \
	-a "$(val netif0)" = 0 -a "$(val netif1)" = 1 -a "$(grep -c "NETWORK:1@', 'bridge=@NETWORK:0@" "$(val xl_in)")" = 1
check owned_by_user "build tree and log belong to $user" \
	test "$(stat -c %u "$(val kernel)")" = "$uid" -a "$(stat -c %u "$(val log)")" = "$uid"

# 2. cache
n=$(wc -l <"$rec")
recipe "$PLAIN"
check cache_hit "same full commit and sources: cache hit, no command run at all (the log is empty)" \
	test $? -eq 0 -a "$(val cache)" = hit -a "$(wc -l <"$rec")" = "$n" -a ! -s "$(val log)"
cp -r "$src" "$T/src2" && echo "(* changed *)" >>"$T/src2/unikernel.ml" && chmod -R a+rX "$T/src2"
env PATH="$T/bin:$PATH" SUDO_USER=$user MP_RECIPE_REPO="$R" "$run_tool" mirage-net-xen "$T/src2" \
	"$PLAIN" >"$T/out" 2>"$T/err"
check rebuilt "changed forwarder sources: rebuilt" \
	test $? -eq 0 -a "$(val cache)" = miss -a "$(tail -n +$((n + 1)) "$rec" | grep -c '^mirage|')" = 1
recipe "${OLD:0:7}"
check short_commit "a short commit is resolved to its full hash through git" \
	test $? -eq 0 -a "$(val commit)" = "$OLD"

# 2b. the iperf3 server: SRC/iperf3/{config.ml,unikernel.ml,duniverse.extra}
S4=$T/src4
cp -r "$src" "$S4" && mkdir -p "$S4/iperf3"
echo '(* iperf3 config *)' >"$S4/iperf3/config.ml"
echo '(* iperf3 server *)' >"$S4/iperf3/unikernel.ml"
echo 'mirage-tcpip' >"$S4/iperf3/duniverse.extra"
chmod -R a+rX "$S4"
# recipe_in SRC UNIKERNEL COMMIT: the recipe from SRC, MP_RECIPE_UNIKERNEL=UNIKERNEL
recipe_in() {
	env PATH="$T/bin:$PATH" SUDO_USER=$user MP_RECIPE_REPO="$R" MP_RECIPE_UNIKERNEL="$2" \
		"$run_tool" mirage-net-xen "$1" "$3" >"$T/out" 2>"$T/err"
}
recipe_in "$S4" "" "$PLAIN" # the forwarder of these sources at that commit, first
fwd_stamp=$(cat "$cache/$PLAIN/mir-perf.stamp")
recipe_in "$S4" iperf3 "$PLAIN"
rc=$?
check iperf3_built "MP_RECIPE_UNIKERNEL=iperf3: built in <full hash>-iperf3, devid 0 its one netif" \
	test $rc -eq 0 -a "$(val cache)" = miss -a "$(val unikernel)" = iperf3 \
	-a "$(val kernel)" = "$cache/$PLAIN-iperf3/build/dist/iperf3.xen" -a "$(val netif0)" = 0 \
	-a -z "$(val netif1)"
[ $rc -eq 0 ] || diag "status $rc: $(cat "$T/err")"
check iperf3_sources "...from iperf3/'s config.ml, unikernel.ml and duniverse.extra, not the forwarder's" \
	sh -c "for f in config.ml unikernel.ml duniverse.extra; do
		cmp -s '$S4/iperf3/'\$f '$cache/$PLAIN-iperf3/build/'\$f || exit 1; done"
check iperf3_said "...and said it builds the iperf3 server" \
	grep -q "building mirage-net-xen at $PLAIN (the iperf3 server)" "$T/err"
recipe_in "$S4" forwarder "$PLAIN"
check iperf3_apart "the forwarder at the same commit: still its own cache entry, a hit" \
	test $? -eq 0 -a "$(val cache)" = hit -a "$(val kernel)" = "$cache/$PLAIN/build/dist/forward.xen" \
	-a "$(val netif1)" = 1 -a "$(cat "$cache/$PLAIN/mir-perf.stamp")" = "$fwd_stamp"
n=$(wc -l <"$rec")
recipe_in "$S4" iperf3 "$PLAIN"
check iperf3_cache_hit "the iperf3 server again: a hit, no command run" \
	test $? -eq 0 -a "$(val cache)" = hit -a "$(wc -l <"$rec")" = "$n"
echo 'mirage-tcpip-extra' >>"$S4/iperf3/duniverse.extra"
recipe_in "$S4" iperf3 "$PLAIN"
check iperf3_extra_rebuilt "a changed duniverse.extra is in the key: rebuilt" \
	test $? -eq 0 -a "$(val cache)" = miss -a "$(tail -n +$((n + 1)) "$rec" | grep -c '^mirage|')" = 1
n=$(wc -l <"$rec")
# the forwarder's sources alone (the repository's recipe holds iperf3/ too)
cp -r "$T/src2" "$T/src3" && rm -rf "$T/src3/iperf3" && chmod -R a+rX "$T/src3"
recipe_in "$T/src3" iperf3 "$PLAIN"
rc=$?
check iperf3_no_sources "sources without iperf3/: refused in one line naming it, nothing run" \
	sh -c "test $rc -ne 0 && test \$(wc -l <'$T/err') = 1 &&
		grep -q 'the iperf3 sources in $T/src3/iperf3 (user $user)' '$T/err' &&
		test \$(wc -l <'$rec') = $n"
[ $rc -ne 0 ] || diag "status $rc: $(cat "$T/out")"
touch "$T/iperf3-two-vifs"
echo '(* 2 *)' >>"$S4/iperf3/unikernel.ml"
recipe_in "$S4" iperf3 "$PLAIN"
rc=$?
check iperf3_two_vifs_refused "an iperf3 .xl.in with two networks: refused, status 1, said" \
	sh -c "test $rc -eq 1 && grep -q 'iperf3.xl.in: expected a vif line naming @NETWORK:0@ alone' '$T/err'"
[ $rc -eq 1 ] || diag "status $rc: $(cat "$T/err")"
rm -f "$T/iperf3-two-vifs"
recipe_in "$S4" iperf "$PLAIN"
check unikernel_bad "MP_RECIPE_UNIKERNEL=iperf: status 2, what it takes" \
	sh -c "test $? -eq 2 && grep -q 'expected forwarder or iperf3' '$T/err'"

# 3. a commit the toolchain cannot build, a commit that is not there
n=$(wc -l <"$rec")
recipe "${FUNCTOR:0:9}"
rc=$?
check functor_refused "the Netif.Make commit: refused (status 4 from recipe-run), nothing built" \
	test $rc -eq 4 -a "$(wc -l <"$rec")" = "$n"
check functor_one_line "...in one line naming the commit, the reason and the newest commit that builds" \
	sh -c "test \$(wc -l <'$T/err') = 1 &&
		grep -q 'commit ${FUNCTOR:0:12} cannot be built with mirage.s netif device: from ${FUNCTOR:0:7} (\"Merge backend and frontend\") on, Netif is the functor Netif.Make(C)' '$T/err' &&
		grep -q 'the newest commit of its history that builds is ${PLAIN:0:12} (v1.1)' '$T/err'"
[ $rc -eq 4 ] || diag "status $rc: $(cat "$T/err")"
recipe 1234567
rc=$?
check missing_commit_refused "a commit that is not in the repository: one line naming it and the repository, status 2" \
	sh -c "test $rc -eq 2 && test \$(wc -l <'$T/err') = 1 && grep -q 'commit 1234567 is not in $R' '$T/err'"
[ $rc -eq 2 ] || diag "status $rc: $(cat "$T/err")"
check missing_commit_nothing_built "...and nothing built" test "$(wc -l <"$rec")" = "$n"

# 4. failure report
touch "$T/fail-build"
cp -r "$src" "$T/src3" && echo "(* 3 *)" >>"$T/src3/config.ml" && chmod -R a+rX "$T/src3"
env PATH="$T/bin:$PATH" SUDO_USER=$user MP_RECIPE_REPO="$R" "$run_tool" mirage-net-xen "$T/src3" \
	"$OLD" >"$T/out" 2>"$T/err"
rc=$?
check fail_status "failing make build: status 1" test $rc -eq 1
check fail_report "failure report names the command, shows its last 20 lines and the log" \
	sh -c "grep -q '\`make build\` failed (exit status 2)' '$T/err' && grep -q 'compile line 30' '$T/err' &&
		grep -q 'compile line 11\$' '$T/err' && ! grep -q 'compile line 10\$' '$T/err' &&
		grep -q '$cache/build.log' '$T/err'"
rm -f "$T/fail-build"

# 5. hostile commits and repositories never reach a command
n=$(wc -l <"$rec")
bad=0
for c in "1234567; touch $T/pwned" "\$(touch $T/pwned)" "--upload-pack=touch$T/pwned" "ABCDEF0" \
	"123456" "${HEAD}1" "1234567 " "../../../etc"; do
	recipe "$c"
	rc=$?
	if [ $rc -eq 0 ] || ! grep -q "expected 7 to 40 lower-case hex digits" "$T/err"; then
		bad=1
		diag "COMMIT '$c': status $rc: $(cat "$T/err")"
	fi
done
check hostile_refused "hostile or malformed COMMITs are refused with what was expected" test $bad -eq 0
env PATH="$T/bin:$PATH" SUDO_USER=$user MP_RECIPE_REPO="--upload-pack=touch $T/pwned" \
	"$run_tool" mirage-net-xen "$src" >"$T/out" 2>"$T/err"
check bad_repo_refused "a --repo that git would take for an option is refused" \
	sh -c "test $? -eq 2 && grep -q 'expected a URL, a local repository or a git bundle' '$T/err'"
check hostile_nothing_ran "...and none reached a command (nothing recorded, nothing touched)" \
	test "$(wc -l <"$rec")" = "$n" -a ! -e "$T/pwned"

# 6. missing toolchain, no user
env PATH="$T/bin-nomirage:/usr/bin:/bin" SUDO_USER=$user MP_RECIPE_REPO="$R" "$run_tool" \
	mirage-net-xen "$T/src3" "$OLD" >"$T/out" 2>"$T/err"
rc=$?
check no_mirage "no mirage for the user (a build not in the cache): says what to install, and the offline way" \
	sh -c "test $rc -ne 0 && grep -q 'mirage is not installed for user $user' '$T/err' &&
		grep -q 'opam install mirage' '$T/err' && grep -q 'with --sources DIR' '$T/err'"
env -u SUDO_USER PATH="$T/bin:$PATH" MP_RECIPE_REPO="$R" "$run_tool" mirage-net-xen "$src" \
	"$HEAD" >"$T/out" 2>"$T/err"
rc=$?
check no_sudo_user "as root without SUDO_USER: refused, never built as root" \
	sh -c "test $rc -ne 0 && grep -q 'never built as root' '$T/err'"

# 7. offline: bad source mirrors. A small mirror made here, laid out like
# shared/mirage (git archives, so each names its commit), every part the
# toolchain needs named; each defect is one line and nothing is built.
M=$T/mirror
mkdir -p "$M/src" "$M/overlays"
echo "# name repository tag commit" >"$M/sources.txt"
for name in ocaml dune ocamlfind solo5 ocaml-solo5 mirage csexp cppo cmdliner fmt logs astring \
	fpath bos rresult uutf base64 pecu bigstringaf angstrom ocaml-syntax-shims stringext uri \
	domain-name ipaddr emile; do
	P=$T/parts/$name
	mkdir -p "$P" && git init -q "$P" && echo "$name" >"$P/README"
	git -C "$P" add README && git -C "$P" -c user.name=t -c user.email=t@example.invalid commit -qm "$name"
	git -C "$P" archive --format=tar.gz --prefix="$name/" -o "$M/src/$name-v1.tar.gz" HEAD
	echo "$name x/$name v1 $(git -C "$P" rev-parse HEAD) part" >>"$M/sources.txt"
done
chmod -R a+rX "$M"
check mirror_ok "the small mirror passes the mirror check (so the defects below are what fails)" \
	"$src/toolchain.sh" check "$M"
mirror_case() { # CHECK DESCRIPTION EXPECTED-LINE: run offline from $M2, one line, status 2, nothing built
	local t=$1 n
	shift
	n=$(wc -l <"$rec")
	env PATH="$T/bin:$PATH" SUDO_USER=$user MP_RECIPE_REPO="$R" MP_RECIPE_SOURCES="$M2" \
		"$run_tool" mirage-net-xen "$src" "$OLD" >"$T/out" 2>"$T/err"
	local rc=$?
	check "$t" "$1: status 2, one line, nothing built" \
		sh -c "test $rc -eq 2 && test \$(wc -l <'$T/err') = 1 && grep -qF -- \"\$0\" '$T/err' &&
			test \$(wc -l <'$rec') = $n && ! ls '$T/home/.cache/mir-perf/mirage-toolchain'/b-* >/dev/null 2>&1" "$2"
	[ $rc -eq 2 ] || diag "status $rc: $(cat "$T/err")"
}
M2=$T/m-missing && cp -r "$M" "$M2" && rm "$M2/src/solo5-v1.tar.gz"
mirror_case mirror_missing "an archive missing" "mirage-toolchain: source mirror $M2: src/solo5-v1.tar.gz is missing (sources.txt names solo5 v1)"
M2=$T/m-corrupt && cp -r "$M" "$M2" && head -c 60 "$M/src/mirage-v1.tar.gz" >"$M2/src/mirage-v1.tar.gz"
mirror_case mirror_corrupt "a corrupt (truncated) archive" "mirage-toolchain: source mirror $M2: src/mirage-v1.tar.gz is corrupt"
M2=$T/m-nosolo5 && cp -r "$M" "$M2" && sed -i '/^ocaml-solo5 /d' "$M2/sources.txt"
mirror_case mirror_no_part "a mirror without a toolchain part" "mirage-toolchain: source mirror $M2: sources.txt has no 'ocaml-solo5', a part of the toolchain"
M2=$T/m-other && cp -r "$M" "$M2" && cp "$M/src/fmt-v1.tar.gz" "$M2/src/logs-v1.tar.gz"
mirror_case mirror_other_source "an archive of another source" "mirage-toolchain: source mirror $M2: src/logs-v1.tar.gz holds 'fmt/' on top, expected 'logs/'"
M2=$T/m-empty && mkdir -p "$M2"
mirror_case mirror_not_a_mirror "a directory that is no mirror" "mirage-toolchain: source mirror $M2: no sources.txt"
