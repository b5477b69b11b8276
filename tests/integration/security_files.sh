#!/usr/bin/env bash
# Where root writes (issue 13, row 1): -o DIR and results/ that another user
# planted or can change are refused before anything is written; planted
# symlinks are never written through; results/latest is replaced, never
# followed; under sudo the run directory is given to the invoking user.
# After each case a scan of the sandbox shows nothing changed outside the
# run directory that case was allowed to make.
# mp-timeout: 1500
ALL_TESTS="out_planted_symlinks out_other_owner out_mode_0777 out_symlink_other out_under_other_dir
	out_under_0777 results_other_owner results_symlink_other latest_run_done latest_relinked
	latest_planted_untouched latest_files_root sudo_out_done sudo_out_owned sudo_nothing_outside
	out_root_empty_dir victim_untouched"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/security_common.bash"
require_root "mir-perf runs as root"

cfg=$SANDBOX/cfg
short_cfg "$cfg"

# refused CHECK NAME WANT ARGS...: mir-perf ARGS fails (1) saying WANT, with no
# platform made and nothing in the sandbox changed.
refused() {
	local t=$1 name=$2 want=$3 before
	shift 3
	before=$(snap)
	mp_run "$MPOUT" --cfg "$cfg" "$@"
	if [ "$MP_RC" -eq 1 ] && grep -qF -- "$want" "$MPOUT" &&
		! grep -q 'on the local platform' "$MPOUT" &&
		untouched "$before" && victim_ok; then
		pass "$t" "$name: refused: $(grep -F -- "$want" "$MPOUT" | head -1 | cut -c1-150)"
	else
		fail "$t" "$name: expected status 1 with '$want', got $MP_RC"
		sed 's/^/#   /' "$MPOUT" | head -5
	fi
}

# 1: -o DIR holding planted links to the victim: never written through
od=$SANDBOX/planted
mkdir "$od" && for f in stats stats.csv stats.json samples.csv report.html; do ln -s "$VICTIM" "$od/$f"; done
refused out_planted_symlinks "-o DIR with planted symlinks" "-o $od: expected a new or empty directory, and it holds files" -o "$od"

# 2: -o DIR another user owns (they could plant links during the run)
od=$SANDBOX/theirs && mkdir "$od" && chown "$NOBODY" "$od"
refused out_other_owner "-o DIR owned by uid $NOBODY" "directory '$od' belongs to uid $NOBODY" -o "$od"

# 3: -o DIR writable by everyone
od=$SANDBOX/open && mkdir -m 777 "$od" && chmod 777 "$od"
refused out_mode_0777 "-o DIR of mode 0777" "is writable by everyone" -o "$od"

# 4: -o DIR a symlink another user owns (to a directory root would trust)
mkdir "$SANDBOX/real" && ln -s "$SANDBOX/real" "$SANDBOX/link" && chown -h "$NOBODY" "$SANDBOX/link"
refused out_symlink_other "-o a symlink of uid $NOBODY" "symlink '$SANDBOX/link' belongs to uid $NOBODY" -o "$SANDBOX/link"

# 5: -o inside a directory of another user (they could swap it mid-run)
mkdir "$SANDBOX/home2" && chown "$NOBODY" "$SANDBOX/home2"
refused out_under_other_dir "-o under a directory of uid $NOBODY" "not making results under $SANDBOX/home2: directory '$SANDBOX/home2' belongs to uid $NOBODY" -o "$SANDBOX/home2/run"

# 6: -o inside a world-writable directory without the sticky bit
mkdir "$SANDBOX/pub" && chmod 777 "$SANDBOX/pub"
refused out_under_0777 "-o under a 0777 directory" "directory '$SANDBOX/pub' is writable by everyone" -o "$SANDBOX/pub/run"

# 7: results = a directory another user owns
mkdir "$SANDBOX/res-nobody" && chown "$NOBODY" "$SANDBOX/res-nobody"
c2=$SANDBOX/cfg-res && short_cfg "$c2" && chmod u+w "$c2/mir-perf.conf" &&
	echo "results = $SANDBOX/res-nobody" >>"$c2/mir-perf.conf" && chmod go-w "$c2/mir-perf.conf"
before=$(snap)
mp_run "$MPOUT" --cfg "$c2"
check results_other_owner "results/ owned by uid $NOBODY: refused, nothing written" eval \
	'[ $MP_RC -eq 1 ] && grep -q "belongs to uid $NOBODY" "$MPOUT" && untouched "$before"'

# 8: results/ a symlink another user owns, to a directory of root's
mkdir "$SANDBOX/rootdir" && ln -s "$SANDBOX/rootdir" "$SANDBOX/res-link" && chown -h "$NOBODY" "$SANDBOX/res-link"
chmod u+w "$c2/mir-perf.conf" && echo "results = $SANDBOX/res-link" >>"$c2/mir-perf.conf" && chmod go-w "$c2/mir-perf.conf"
before=$(snap)
mp_run "$MPOUT" --cfg "$c2"
check results_symlink_other "results/ through a symlink of uid $NOBODY: refused" eval \
	'[ $MP_RC -eq 1 ] && grep -q "symlink .$SANDBOX/res-link. belongs to uid $NOBODY" "$MPOUT" && untouched "$before"'

# 9..12: a real run into results/ whose latest was planted as a link to the
# victim's directory, with a planted .latest temp name too: latest is
# replaced by a link to the new run, nothing is written elsewhere.
res=$SANDBOX/results
mkdir "$res" && ln -s "$SANDBOX/victimdir" "$res/latest" && mkdir "$SANDBOX/victimdir"
ln -s "$VICTIM" "$SANDBOX/victimdir/stats"
chmod u+w "$c2/mir-perf.conf" && echo "results = $res" >>"$c2/mir-perf.conf" && chmod go-w "$c2/mir-perf.conf"
before=$(snap "$res")
mp_run "$MPOUT" --cfg "$c2"
run=$(ls -d "$res"/fwd-local-* 2>/dev/null | head -1)
if [ "$MP_RC" -eq 0 ] && [ -n "$run" ]; then
	pass latest_run_done "a run into results/ with a planted latest: done ($(basename "$run"))"
	check latest_relinked "results/latest now a link to the new run" eval \
		'[ -L "$res/latest" ] && [ "$(readlink "$res/latest")" = "$(basename "$run")" ]'
	check latest_planted_untouched "the planted latest's directory and the victim untouched" eval \
		'untouched "$before" "$res" && victim_ok && [ "$(ls "$SANDBOX/victimdir")" = stats ]'
	check latest_files_root "every file of the run is a regular file or directory made by root" eval \
		'[ -z "$(find "$run" ! -user root -o -type l)" ] && [ -s "$run/stats.json" ]'
else
	fail latest_run_done "a run into results/ with a planted latest: status $MP_RC"
	sed 's/^/#   /' "$MPOUT" | tail -5
	not_run "the run into results/ failed" latest_relinked latest_planted_untouched latest_files_root
fi

# 13..15: under sudo (SUDO_UID of nobody, whose -o directory it is): the run
# directory and everything in it is given to that user, through fds.
od=$SANDBOX/mine && mkdir "$od" && chown "$NOBODY:$NOGROUP" "$od"
before=$(snap "$od")
SUDO_UID=$NOBODY SUDO_GID=$NOGROUP mp_run "$MPOUT" --cfg "$cfg" -o "$od"
check sudo_out_done "-o an empty directory of the user running sudo: run done" eval '[ $MP_RC -eq 0 ] && [ -s "$od/stats.json" ]'
check sudo_out_owned "the run directory's files all belong to uid $NOBODY now" eval \
	'[ -z "$(find "$od" ! -user "$NOBODY")" ] && [ -z "$(find "$od" -type l)" ]'
check sudo_nothing_outside "nothing written outside that run directory" untouched "$before" "$od"

# 16: -o an existing empty directory of root's (the documented use) works
od=$SANDBOX/empty && mkdir -m 755 "$od"
mp_run "$MPOUT" --cfg "$cfg" -o "$od"
check out_root_empty_dir "-o an existing empty directory of root's: run done" eval '[ $MP_RC -eq 0 ] && [ -s "$od/stats" ]'

# 17
check victim_untouched "the victim file is untouched" victim_ok
