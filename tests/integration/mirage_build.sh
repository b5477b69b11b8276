#!/usr/bin/env bash
# mp-timeout: 3000
# The real MirageOS build, offline, from the source mirror (../shared/mirage
# beside the repository in CI; MP_MIRAGE_SOURCES elsewhere): the toolchain
# built by recipes/mirage-net-xen/toolchain.sh into the machine's shared cache
# /var/cache/mir-perf/mirage (cold: about 9 minutes of 2 cores, then reused
# while the sources and the script are unchanged), then our forwarder built by
# the recipe, as a throwaway user, at two commits of mirage-net-xen from the
# mirror's bundle (v2.1.7 and v2.1.5), and the artefacts checked: a PVH ELF
# with solo5's Xen note, the .xl.in mirage 4.9 generated parsed to devid 0 =
# netif "0" (input), devid 1 = netif "1" although it lists them in reverse.
# Then the default commit (the newest that builds, not the branch head) and
# the head refused in one line naming the newest that builds. Then the
# recipe's other unikernel, the iperf3 server on mirage-tcpip (--server dut),
# at v2.1.7: its TCP/IP stack from the mirror (duniverse.extra), a PVH ELF
# whose .xl.in names one network, devid 0, its own cache entry beside the
# forwarder's, which stays a hit.
ALL_TESTS="toolchain toolchain_cache_entry toolchain_ocamlopt toolchain_cache_hit
	$(echo v{217,215}_{built,pvh_elf,xl_in}) fwd_cache_hit default_commit head_refused
	iperf3_built iperf3_pvh_elf iperf3_xl_in iperf3_own_entry iperf3_cache_hit"
. "$(dirname "$0")/../lib.sh"
require_root "builds as a throwaway user and fills /var/cache/mir-perf/mirage"
run_tool=${MP_BUILD:-$MP_TOP/build}/tests/recipe-run
src=$MP_TOP/recipes/mirage-net-xen
mirror=${MP_MIRAGE_SOURCES:-$MP_TOP/../shared/mirage}
shared=/var/cache/mir-perf/mirage
V217=509eb9ebc37d682ab2869b6e35cac19b236483eb
V215=11815dc
if [ ! -r "$mirror/sources.txt" ]; then
	skip_rest "no MirageOS source mirror at $mirror (CI has it beside the clone; set MP_MIRAGE_SOURCES)"
fi
mirror=$(cd "$mirror" && pwd)
require_built "$run_tool"

# 1. the toolchain, into the shared cache (or found there)
key=$("$src/toolchain.sh" key "$mirror")
cached=no
[ -x "$shared/$key/prefix/bin/mirage" ] && cached=yes
t0=$SECONDS
"$src/toolchain.sh" toolchain "$mirror" "$shared" >/tmp/mp-t$MP_SUFFIX-toolchain.log 2>&1
rc=$?
on_exit "rm -f /tmp/mp-t$MP_SUFFIX-toolchain.log"
check toolchain "toolchain $key: built or found in $shared" test $rc -eq 0
diag "toolchain: $((SECONDS - t0)) s (cached before: $cached)"
grep '^mirage-toolchain: ' /tmp/mp-t$MP_SUFFIX-toolchain.log | sed 's/^/# /'
if [ $rc -ne 0 ]; then
	tail -30 /tmp/mp-t$MP_SUFFIX-toolchain.log | sed 's/^/# /'
	fail_rest "no toolchain"
fi
P=$shared/$key/prefix
check toolchain_cache_entry "the cache entry is a finished build: a symlink to its b-* directory, no other b-* left" \
	sh -c "test -L '$shared/$key' && test \$(ls -d '$shared'/b-* | wc -l) -ge 1 &&
		for d in '$shared'/b-*; do find '$shared' -maxdepth 1 -type l -lname \"\${d##*/}\" | grep -q . || exit 1; done"
check toolchain_ocamlopt "the cross compiler answers (ocamlfind -toolchain solo5 ocamlopt -version)" \
	test "$(PATH=$P/bin:/usr/bin:/bin OCAMLFIND_CONF= "$P/bin/ocamlfind" -toolchain solo5 ocamlopt -version 2>/dev/null)" = 4.14.2
t0=$SECONDS
"$src/toolchain.sh" toolchain "$mirror" "$shared" >/dev/null 2>&1
check toolchain_cache_hit "a second call is a cache hit (under 30 s: hashing only)" test $? -eq 0 -a $((SECONDS - t0)) -lt 30
diag "toolchain, cached: $((SECONDS - t0)) s"

# 2. the forwarder at two commits, as a user, from the mirror's bundle
user=mp-t$MP_SUFFIX
T=$(mktemp -d /tmp/mp-t$MP_SUFFIX-mirage.XXXXXX)
chmod 755 "$T"
on_exit "rm -rf '$T'"
useradd -M -d "$T/home" -s /usr/sbin/nologin "$user" || fail_rest "useradd $user failed"
on_exit "userdel -f $user"
mkdir -p "$T/home" && chown "$user:" "$T/home"
recipe() {
	env SUDO_USER=$user MP_RECIPE_SOURCES="$mirror" MP_RECIPE_REPO="$mirror/mirage-net-xen.bundle" \
		"$run_tool" mirage-net-xen "$src" "$@" >"$T/out" 2>"$T/err"
}
val() { sed -n "s/^$1=//p" "$T/out"; }
pvh_elf() { # KERNEL: an x86-64 ELF executable with solo5's Xen (PVH) note
	readelf -h "$1" 2>/dev/null | grep -q 'Type:.*EXEC' &&
		readelf -h "$1" | grep -q 'Machine:.*X86-64' &&
		readelf -S "$1" | grep -q '\.note\.solo5\.xen'
}
for c in $V217 $V215; do
	v=v215
	[ $c = $V217 ] && v=v217
	t0=$SECONDS
	recipe $c
	rc=$?
	took=$((SECONDS - t0))
	commit=$(val commit)
	check "${v}_built" "forwarder at ${c:0:7}: built offline (status 0)" test $rc -eq 0 -a "$(val cache)" = miss
	if [ $rc -ne 0 ]; then
		diag "$(tail -30 "$T/err")"
		not_run "${c:0:7}: no forwarder built" "${v}_pvh_elf" "${v}_xl_in"
		continue
	fi
	diag "forwarder at ${commit:0:12}: $took s, $(stat -c %s "$(val kernel)") bytes"
	check "${v}_pvh_elf" "${c:0:7}: $(basename "$(val kernel)") is a PVH ELF (x86-64 executable, .note.solo5.xen)" \
		pvh_elf "$(val kernel)"
	check "${v}_xl_in" "${c:0:7}: mirage 4.9's .xl.in lists the networks 1, 0; parsed to devid 0 = netif 0, devid 1 = netif 1" \
		sh -c "grep -q \"^vif = \\[ 'bridge=@NETWORK:1@', 'bridge=@NETWORK:0@' \\]\" '$(val xl_in)' &&
			grep -q \"^type = 'pvh'\" '$(val xl_in)' && test '$(val netif0)' = 0 -a '$(val netif1)' = 1"
done
t0=$SECONDS
recipe $V217
check fwd_cache_hit "v2.1.7 again: cache hit" test $? -eq 0 -a "$(val cache)" = hit
diag "forwarder, cached: $((SECONDS - t0)) s"

# 3. the default commit, and the head that mirage's netif device cannot build
recipe
rc=$?
check default_commit "no COMMIT: v2.1.7 (the newest that builds), said, and served from the cache" \
	sh -c "test $rc -eq 0 && test '$(val commit)' = $V217 && test '$(val cache)' = hit &&
		grep -q 'no COMMIT given: taking 509eb9ebc37d (v2.1.7), the newest commit of .* that builds' '$T/err'"
[ $rc -eq 0 ] || diag "$(cat "$T/err")"
recipe 050aed3
rc=$?
check head_refused "the head (v2.1.8, Netif.Make): refused in one line with the reason and v2.1.7" \
	sh -c "test $rc -eq 4 && test \$(wc -l <'$T/err') = 1 &&
		grep -q 'from 87f3737 (\"Merge backend and frontend (#118)\") on, Netif is the functor Netif.Make(C)' '$T/err' &&
		grep -q 'the newest commit of its history that builds is 509eb9ebc37d (v2.1.7)' '$T/err'"
[ $rc -eq 4 ] || diag "status $rc: $(cat "$T/err")"

# 4. the iperf3 server unikernel at v2.1.7
t0=$SECONDS
MP_RECIPE_UNIKERNEL=iperf3 recipe $V217
rc=$?
took=$((SECONDS - t0))
check iperf3_built "iperf3 server at v2.1.7: built offline with mirage-tcpip from the mirror (status 0)" \
	test $rc -eq 0 -a "$(val cache)" = miss
if [ $rc -ne 0 ]; then
	diag "$(tail -30 "$T/err")"
	fail_rest "no iperf3 server built"
fi
ikernel=$(val kernel)
diag "iperf3 server at ${V217:0:12}: $took s, $(stat -c %s "$ikernel") bytes"
check iperf3_pvh_elf "iperf3 server: $(basename "$ikernel") is a PVH ELF (x86-64 executable, .note.solo5.xen)" \
	pvh_elf "$ikernel"
check iperf3_xl_in "iperf3 server: its .xl.in names one network, devid 0 (netif 0), type pvh" \
	sh -c "grep -q \"^vif = \\[ 'bridge=@NETWORK:0@' \\]\" '$(val xl_in)' &&
		grep -q \"^type = 'pvh'\" '$(val xl_in)' && test '$(val netif0)' = 0 -a -z '$(val netif1)'"
check iperf3_own_entry "iperf3 server: a cache entry of its own ($(basename "${ikernel%/build/dist/*}")); the forwarder at v2.1.7 is still a hit" \
	sh -c "test '${ikernel%/build/dist/*}' != '$T/home/.cache/mir-perf/mirage-net-xen/$V217' &&
		env SUDO_USER=$user MP_RECIPE_SOURCES='$mirror' MP_RECIPE_REPO='$mirror/mirage-net-xen.bundle' \
			'$run_tool' mirage-net-xen '$src' $V217 2>/dev/null | grep -qx cache=hit"
MP_RECIPE_UNIKERNEL=iperf3 recipe $V217
check iperf3_cache_hit "iperf3 server at v2.1.7 again: cache hit, the same kernel" \
	test $? -eq 0 -a "$(val cache)" = hit -a "$(val kernel)" = "$ikernel"
