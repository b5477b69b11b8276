#!/usr/bin/env bash
# The mirage-net-xen build recipe with stand-in git, mirage, make and opam
# first on PATH (each records argv, cwd and uid, and makes the outputs the
# real tools would): the command sequence, the drop to the invoking user
# (a throwaway user made here), the cache, the failure report, a hostile
# COMMIT that never reaches a command, and a missing toolchain.
ALL_TESTS="head_built cmd_sequence as_user build_dir checkout_full result_kernel owned_by_user
	cache_hit rebuilt short_commit fail_status fail_report hostile_refused hostile_nothing_ran
	no_mirage no_sudo_user"
. "$(dirname "$0")/../lib.sh"
require_root "creates a throwaway user"
run_tool=${MP_BUILD:-$MP_TOP/build}/tests/recipe-run
src=$MP_TOP/recipes/mirage-net-xen
require_built "$run_tool"

user=mp-t$MP_SUFFIX
T=$(mktemp -d /tmp/mp-t$MP_SUFFIX-recipe.XXXXXX)
chmod 755 "$T"
on_exit "rm -rf '$T'"
useradd -M -d "$T/home" -s /usr/sbin/nologin "$user" || fail_rest "useradd $user failed"
on_exit "userdel -f $user"
mkdir -p "$T/home" && chown "$user:" "$T/home"
uid=$(id -u "$user")
HEAD=1111111111111111111111111111111111111111
OTHER=2222222222222222222222222222222222222222
SHORTOK=3333333333333333333333333333333333333333
rec=$T/rec.log
: >"$rec" && chmod 666 "$rec"

mkdir -p "$T/bin" "$T/bin-nomirage"
cat >"$T/bin/git" <<EOS
#!/bin/bash
echo "git|\$(id -u)|\$PWD|\$*" >>$rec
dir=.
if [ "\$1" = -C ]; then dir=\$2; shift 2; fi
case \$1 in
ls-remote) printf '%s\tHEAD\n' $HEAD ;;
clone) dst=\${@: -1}; mkdir -p "\$dst/.git" ;;
fetch) ;;
checkout) echo "\${@: -1}" >"\$dir/.git/HEAD_COMMIT" ;;
rev-parse)
	case \${@: -1} in
	HEAD) cat "\$dir/.git/HEAD_COMMIT" ;;
	3333333^{commit}) echo $SHORTOK ;;
	*) exit 1 ;;
	esac ;;
*) exit 1 ;;
esac
EOS
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
	mkdir -p dist && echo xen >dist/forward.xen && echo xl >dist/forward.xl
	printf "name = '@NAME@'\nkernel = '@KERNEL@'\ntype = 'pvh'\nvif = [ 'bridge=@NETWORK:0@', 'bridge=@NETWORK:1@' ]\n" >dist/forward.xl.in ;;
esac
EOS
printf '#!/bin/bash\necho "opam|$(id -u)|$PWD|$*" >>%s\n' "$rec" >"$T/bin/opam"
cp "$T/bin/git" "$T/bin/make" "$T/bin/opam" "$T/bin-nomirage/"
chmod 755 "$T"/bin/* "$T"/bin-nomirage/*

# recipe COMMIT...: run the recipe as root, as `sudo` would from $user.
recipe() { env PATH="$T/bin:$PATH" SUDO_USER=$user "$run_tool" mirage-net-xen "$src" "$@" >"$T/out" 2>"$T/err"; }
val() { sed -n "s/^$1=//p" "$T/out"; }
cmds() { cut -d'|' -f1,4 "$rec" | awk -F'|' '{ split($2, a, " "); w = (a[1] == "-C") ? a[3] : a[1]; print $1, w }' | tr '\n' ';'; }

# 1. default branch head, built from nothing
recipe
rc=$?
check head_built "no COMMIT: built the default branch head, recorded as the full hash" \
	test $rc -eq 0 -a "$(val commit)" = $HEAD -a "$(val cache)" = miss
[ $rc -eq 0 ] || diag "$(cat "$T/err")"
want="git ls-remote;mirage configure;make depend;git clone;git clone;git checkout;git rev-parse;make build;"
got=$(cmds)
check cmd_sequence "command sequence: ls-remote, configure -t xen, make depend, clone, checkout, verify, make build" \
	test "$got" = "$want"
[ "$got" = "$want" ] || diag "got: $got"
check as_user "every command ran as $user (uid $uid), none as root" \
	test -z "$(awk -F'|' -v u="$uid" '$2 != u' "$rec")" -a -s "$rec"
check build_dir "configure and build ran in ~$user/.cache/mir-perf/mirage-net-xen/<full hash>/build" \
	grep -q "^mirage|$uid|$T/home/.cache/mir-perf/mirage-net-xen/$HEAD/build|configure -t xen\$" "$rec"
check checkout_full "duniverse/mirage-net-xen checked out at the full hash" \
	grep -q "checkout --quiet --detach $HEAD\$" "$rec"
check result_kernel "result: the .xen kernel and the .xl.in's netif order (0, 1)" \
	test "$(val kernel)" = "$T/home/.cache/mir-perf/mirage-net-xen/$HEAD/build/dist/forward.xen" \
	-a -f "$(val kernel)" -a "$(val netif0)" = 0 -a "$(val netif1)" = 1
check owned_by_user "build tree and log belong to $user" \
	test "$(stat -c %u "$(val kernel)")" = "$uid" -a "$(stat -c %u "$(val log)")" = "$uid"

# 2. cache
n=$(wc -l <"$rec")
recipe $HEAD
check cache_hit "same commit and sources: cache hit, no command run at all" \
	test $? -eq 0 -a "$(val cache)" = hit -a "$(wc -l <"$rec")" = "$n"
cp -r "$src" "$T/src2" && echo "(* changed *)" >>"$T/src2/unikernel.ml" && chmod -R a+rX "$T/src2"
env PATH="$T/bin:$PATH" SUDO_USER=$user "$run_tool" mirage-net-xen "$T/src2" $HEAD >"$T/out" 2>"$T/err"
check rebuilt "changed forwarder sources: rebuilt" \
	test $? -eq 0 -a "$(val cache)" = miss -a "$(tail -n +$((n + 1)) "$rec" | grep -c '^mirage|')" = 1
recipe 3333333
check short_commit "a short commit is resolved to its full hash through git" \
	test $? -eq 0 -a "$(val commit)" = $SHORTOK

# 3. failure report
touch "$T/fail-build"
recipe $OTHER
rc=$?
check fail_status "failing make build: non-zero status" test $rc -ne 0
check fail_report "failure report names the command, shows its last 20 lines and the log" \
	sh -c "grep -q '\`make build\` failed (exit status 2)' '$T/err' && grep -q 'compile line 30' '$T/err' &&
		grep -q 'compile line 11\$' '$T/err' && ! grep -q 'compile line 10\$' '$T/err' &&
		grep -q '$T/home/.cache/mir-perf/mirage-net-xen/build.log' '$T/err'"
rm -f "$T/fail-build"

# 4. hostile commits never reach a command
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
check hostile_nothing_ran "...and none reached a command (nothing recorded, nothing touched)" \
	test "$(wc -l <"$rec")" = "$n" -a ! -e "$T/pwned"

# 5. missing toolchain, no user
env PATH="$T/bin-nomirage:/usr/bin:/bin" SUDO_USER=$user "$run_tool" mirage-net-xen "$src" $OTHER \
	>"$T/out" 2>"$T/err"
rc=$?
check no_mirage "no mirage for the user: says what to install" \
	sh -c "test $rc -ne 0 && grep -q 'mirage is not installed for user $user' '$T/err' && grep -q 'opam install mirage' '$T/err'"
env -u SUDO_USER PATH="$T/bin:$PATH" "$run_tool" mirage-net-xen "$src" $HEAD >"$T/out" 2>"$T/err"
rc=$?
check no_sudo_user "as root without SUDO_USER: refused, never built as root" \
	sh -c "test $rc -ne 0 && grep -q 'never built as root' '$T/err'"
