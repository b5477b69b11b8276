# tools/xen-check/mirage.sh: sourced by xen-check.sh in XC_MODE=mirage. On the
# host, before the boot: the MirageOS toolchain from the source mirror (into
# the machine's shared cache, /var/cache/mir-perf/mirage), then our forwarder
# built by the recipe at two commits of mirage-net-xen, as a user of its own
# whose HOME is kept in the image cache, so that dom0, given the same user,
# HOME, mirror and forwarder sources, finds both builds in that user's cache
# exactly as a user's second run would. dom0-mirage.sh runs the rest.
#
#   XC_MIRAGE_SOURCES  the source mirror (default ../shared/mirage beside the repository)
#   XC_MIRAGE_A, XC_MIRAGE_B  the two commits (default v2.1.7 and v2.1.5)
#   XC_MIRAGE_UNIKERNEL  "" (the forwarder) or iperf3 (the recipe's iperf3
#                        server, for XC_GOODPUT_DUT=endpoint)

# xc_mirage_overlay OVERLAY_DIR: 0, or 1 after saying what failed.
xc_mirage_overlay() {
	local ov=$1 mirror=${XC_MIRAGE_SOURCES:-$top/../shared/mirage}
	local user=mp-xc-mirage home=$XC_DIR/mirage-home shared=/var/cache/mir-perf/mirage
	local run_tool=${MP_BUILD:-$top/build}/tests/recipe-run src=$top/recipes/mirage-net-xen
	local a=${XC_MIRAGE_A:-509eb9e} b=${XC_MIRAGE_B:-11815dc} t
	local -A tag
	mirror=$(cd "$mirror" 2>/dev/null && pwd) || {
		echo "# mirage: no source mirror at ${XC_MIRAGE_SOURCES:-$top/../shared/mirage}"
		return 1
	}
	[ -x "$run_tool" ] || { echo "# mirage: $run_tool is not built (make build-tests)"; return 1; }
	t=$SECONDS
	if ! "$src/toolchain.sh" toolchain "$mirror" "$shared" >"$work/toolchain.log" 2>&1; then
		echo "# mirage: the toolchain build failed:"
		tail -5 "$work/toolchain.log" | sed 's/^/#   /'
		return 1
	fi
	echo "# mirage: toolchain ready in $((SECONDS - t)) s ($(grep -c 'step .* of' "$work/toolchain.log") steps run)"
	# The user exists for the builds only (its HOME, the cache, is kept).
	id "$user" >/dev/null 2>&1 || useradd -M -d "$home" -s /usr/sbin/nologin "$user" || return 1
	mkdir -p "$home" && chown -R "$user:" "$home" || { userdel "$user"; return 1; }
	XC_MIRAGE_UID=$(id -u "$user")
	xc_mirage_builds "$ov"
	t=$?
	userdel "$user"
	[ $t -eq 0 ] || return 1
	# The mirror (the cache key is its hash), the recipe's sources and
	# scripts beside mir-perf, and git for the mirror check.
	mkdir -p "$ov/xc/mirage" "$ov/xc/recipes"
	cp -R "$mirror/." "$ov/xc/mirage/" && cp -R "$top/recipes/mirage-net-xen" "$ov/xc/recipes/" &&
		install -m 0755 "$(command -v git)" "$ov/xc/bin/git" || return 1
	cat >"$ov/xc/mirage.env" <<EOF
XC_MIRAGE_USER=$user
XC_MIRAGE_UID=$XC_MIRAGE_UID
XC_MIRAGE_HOME=$home
XC_MIRAGE_A=$XC_MIRAGE_A_FULL
XC_MIRAGE_B=$XC_MIRAGE_B_FULL
XC_MIRAGE_DIR_A=$XC_MIRAGE_DIR_A
XC_MIRAGE_UNIKERNEL=${XC_MIRAGE_UNIKERNEL:-}
XC_MIRAGE_TAG_A=${tag[$a]}
XC_MIRAGE_TAG_B=${tag[$b]}
EOF
	install -m 0644 "$here/dom0-mirage.sh" "$ov/xc/dom0-mirage.sh"
}

# The forwarder at both commits, as $user; their cache entries into the
# overlay (uses xc_mirage_overlay's locals: a, b, user, mirror, tag, ...).
xc_mirage_builds() {
	local ov=$1 c full kernel dir t what=forwarder
	[ -z "${XC_MIRAGE_UNIKERNEL:-}" ] || what="$XC_MIRAGE_UNIKERNEL unikernel"
	for c in "$a" "$b"; do
		t=$SECONDS
		if ! env SUDO_USER=$user MP_RECIPE_SOURCES="$mirror" ${XC_MIRAGE_UNIKERNEL:+MP_RECIPE_UNIKERNEL=$XC_MIRAGE_UNIKERNEL} \
			MP_RECIPE_REPO="$mirror/mirage-net-xen.bundle" "$run_tool" mirage-net-xen "$src" "$c" \
			>"$work/recipe.out" 2>"$work/recipe.err"; then
			echo "# mirage: the $what at $c did not build:"
			tail -20 "$work/recipe.err" | sed 's/^/#   /'
			return 1
		fi
		full=$(sed -n 's/^commit=//p' "$work/recipe.out")
		kernel=$(sed -n 's/^kernel=//p' "$work/recipe.out")
		# the cache entry: DIR/build/dist/NAME.xen
		dir=${kernel%/build/dist/*}
		tag[$c]=$(git -c safe.directory='*' -C "$dir/build/duniverse/mirage-net-xen" describe --tags --always 2>/dev/null)
		echo "# mirage: $what at ${full:0:12} (${tag[$c]}): $(stat -c %s "$kernel") bytes, $((SECONDS - t)) s ($(sed -n 's/^cache=//p' "$work/recipe.out"))"
		# The cache entry as dom0's mir-perf reads it: the stamp, the kernel
		# and the template, at the same paths.
		mkdir -p "$ov$dir/build/dist"
		cp "$dir/mir-perf.stamp" "$ov$dir/" &&
			cp "$dir"/build/dist/*.xen "$dir"/build/dist/*.xl.in "$ov$dir/build/dist/" || return 1
		# A and B may be the same commit (XC_GOODPUT_DUT=mirage builds one)
		[ "$c" != "$a" ] || { XC_MIRAGE_A_FULL=$full XC_MIRAGE_DIR_A=$dir; }
		[ "$c" != "$b" ] || XC_MIRAGE_B_FULL=$full
	done
}
