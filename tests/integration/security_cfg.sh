#!/usr/bin/env bash
# Hostile cfg and numbers under root (issue 13, rows 2, 7, 8): a cfg another
# user could have planted or changed is refused with the reason (status 2),
# like sshd's StrictModes; cfg files that are FIFOs, devices or huge are
# refused without hanging or eating memory; overflowing numbers are errors
# naming the token. Every case is a dry run (no lock, nothing created), and a
# scan of the sandbox shows nothing was written.
ALL_TESTS="cfg_world_writable cfg_other_owner conf_group_writable planted_dut_never_ran
	psz_other_owner cfg_opt_other_user cfg_opt_in_other_dir cfg_opt_symlink pps_fifo pps_dev_zero
	conf_dev_zero conf_huge psz_directory duration_wrap rates_wrap pps_overflow duration_2_64
	valid_hours_accepted sudo_user_cfg_used victim_untouched"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/security_common.bash"
require_root "the checks apply to root only"

work=$SANDBOX/w
mkdir "$work" && cd "$work" || exit 1
fresh() { rm -rf cfg && cp -r "$MP_TOP/cfg" cfg && chmod -R go-w cfg; }

# refused CHECK NAME WANT [ARGS...]: mir-perf -n ARGS (from $work, ./cfg) exits 2
# within 10 s, its stderr holding WANT, and nothing in the sandbox changed.
refused() {
	local t=$1 name=$2 want=$3 before got rc
	shift 3
	before=$(snap)
	got=$(timeout 10 "$MP" -n "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && [[ $got == *"$want"* ]] && untouched "$before"; then
		pass "$t" "$name: refused (2): ${got:0:150}"
	else
		fail "$t" "$name: expected status 2 with '$want', got $rc: ${got:0:300}"
	fi
}

# 1: ./cfg writable by everyone: another user could put `dut = exec:...` in it
fresh
chmod o+w cfg
refused cfg_world_writable "world-writable ./cfg" "the cfg directory 'cfg' refused: directory '$work/cfg' is writable by everyone"

# 2: ./cfg owned by another user
fresh
chown "$NOBODY" cfg
refused cfg_other_owner "./cfg owned by uid $NOBODY" "belongs to uid $NOBODY, expected root or the user running sudo"

# 3: a planted cfg choosing the DUT: never run (the marker is never made)
fresh
cat >"$SANDBOX/evil" <<EOF2
#!/bin/sh
touch "$SANDBOX/evil-ran"
EOF2
chmod 755 "$SANDBOX/evil"
echo "dut = exec:$SANDBOX/evil" >>cfg/mir-perf.conf
chmod g+w cfg/mir-perf.conf
refused conf_group_writable "group-writable mir-perf.conf naming exec:evil" "cfg/mir-perf.conf: file 'cfg/mir-perf.conf' is writable by its group"
check planted_dut_never_ran "the planted DUT never ran" test ! -e "$SANDBOX/evil-ran"

# 5: a cfg file owned by another user
fresh
chown "$NOBODY" cfg/range-psz
refused psz_other_owner "range-psz owned by uid $NOBODY" "cfg/range-psz: refused as the frame size list: file 'cfg/range-psz' belongs to uid $NOBODY"

# 6: a planted results = in a cfg of another user, named by --cfg
mkdir -p "$SANDBOX/other" && cp "$MP_TOP"/cfg/* "$SANDBOX/other/"
echo "results = /etc" >>"$SANDBOX/other/mir-perf.conf"
chown -R "$NOBODY" "$SANDBOX/other"
refused cfg_opt_other_user "--cfg of another user (results = /etc)" "--cfg '$SANDBOX/other' refused: directory '$SANDBOX/other' belongs to uid $NOBODY" --cfg "$SANDBOX/other"

# 7: --cfg under a directory another user can change (rename, swap)
mkdir -p "$SANDBOX/theirs/cfg" && cp "$MP_TOP"/cfg/* "$SANDBOX/theirs/cfg/"
chown "$NOBODY" "$SANDBOX/theirs"
refused cfg_opt_in_other_dir "--cfg inside a directory of uid $NOBODY" "directory '$SANDBOX/theirs' belongs to uid $NOBODY" --cfg "$SANDBOX/theirs/cfg"

# 8: a cfg reached through a symlink another user owns
fresh
ln -s "$work/cfg" "$SANDBOX/link-cfg" && chown -h "$NOBODY" "$SANDBOX/link-cfg"
refused cfg_opt_symlink "--cfg through a symlink of uid $NOBODY" "symlink '$SANDBOX/link-cfg' belongs to uid $NOBODY" --cfg "$SANDBOX/link-cfg"

# 9: range-pps is a FIFO: refused at once, no writer awaited
fresh
rm cfg/range-pps && mkfifo -m 600 cfg/range-pps
refused pps_fifo "range-pps a FIFO" "cfg/range-pps: refused as the rate list: expected a regular file, got a FIFO"

# 10: range-pps is /dev/zero (the old parser looped forever)
fresh
ln -sf /dev/zero cfg/range-pps
refused pps_dev_zero "range-pps -> /dev/zero" "expected a regular file, got a character device"

# 11: mir-perf.conf is /dev/zero
fresh
ln -sf /dev/zero cfg/mir-perf.conf
refused conf_dev_zero "mir-perf.conf -> /dev/zero" "cfg/mir-perf.conf: expected a regular file, got a character device"

# 12: a 64 MB mir-perf.conf: refused by its size, not read
fresh
head -c 67108864 /dev/zero | tr '\0' '#' >cfg/mir-perf.conf
refused conf_huge "64 MB mir-perf.conf" "cfg/mir-perf.conf: expected at most 1048576 bytes, got 67108864"

# 13: range-psz is a directory
fresh
rm cfg/range-psz && mkdir cfg/range-psz
refused psz_directory "range-psz a directory" "expected a regular file, got a directory"

# 14..17: overflowing numbers are errors naming the token (they used to wrap)
fresh
refused duration_wrap "-d 5124095.9h (wrapped to 19 min)" "got '5124095.9h'" -d 5124095.9h
refused rates_wrap "--rates 18446744073709551.9k (wrapped to 284 pps)" "got '18446744073709551.9k'" --rates 18446744073709551.9k
echo "99999999999999999999k" >cfg/range-pps
refused pps_overflow "range-pps 99999999999999999999k" "cfg/range-pps:1:1: expected a rate from 1 to 100M packets per second, got '99999999999999999999k'"
fresh
echo "duration = 18446744073709551616ns" >>cfg/mir-perf.conf
refused duration_2_64 "duration = 2^64 ns" "got '18446744073709551616ns'"

# 18: the valid 0.123456789h is accepted (it was refused)
fresh
out=$(timeout 10 "$MP" -n -d 0.123456789h 2>&1)
check valid_hours_accepted "-d 0.123456789h is accepted (7 min 24 s a point)" eval '[[ $out == *"7 min 24 s"* ]]'

# 19: the invoking user's own cfg is trusted (SUDO_UID names them)
fresh
chown -R "$NOBODY" cfg
out=$(SUDO_UID=$NOBODY SUDO_GID=$NOGROUP timeout 10 "$MP" -n 2>&1)
check sudo_user_cfg_used "a cfg of the user running sudo is used" eval '[[ $out == *"dry run"* ]]'

# 20: nothing in the sandbox but what the cases made themselves
check victim_untouched "the victim file is untouched" victim_ok
