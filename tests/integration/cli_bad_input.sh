#!/usr/bin/env bash
# Bad input to the real mir-perf binary: the three cfg files and the command
# line. Each case checks the exact message (file:line:col for the cfg files)
# and the exit status. Every case runs with --dry-run except where the case is
# about running, so nothing is ever created; no root needed.
# One check per case of the table below (its lines starting "bad "), named
# case01, case02... in order, then the checks after the table.
ALL_TESTS="$(seq -f case%02g "$(grep -c '^bad ' "$0")") not_root_refused not_root_dry_run help version"
. "$(dirname "$0")/../lib.sh"

MP=$MP_BIN/mir-perf
work=$(mktemp -d /tmp/mp-t-cli.XXXXXX)
on_exit "rm -rf '$work'"
chmod 755 "$work"
cd "$work" || exit 1

# bad STATUS EXPECTED_STDERR FILE CONTENT [ARGS...]
#   A fresh ./cfg (the shipped one), FILE in it replaced by CONTENT (printf %b;
#   FILE '-' = none), then `mir-perf ARGS` from here, so ./cfg is the default
#   and messages name cfg/FILE as a user would see them.
_case=0
bad() {
	local status=$1 want=$2 file=$3 content=$4 got rc name
	shift 4
	_case=$((_case + 1))
	name=$(printf 'case%02d' $_case)
	rm -rf cfg && cp -r "$MP_TOP/cfg" cfg || { fail "$name" "cannot copy $MP_TOP/cfg"; return 1; }
	[ "$file" = - ] || printf '%b' "$content" >"cfg/$file"
	got=$("$MP" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$status" ] && [ "$got" = "$want" ]; then
		want=${want%%$'\n'*}
		pass "$name" "mir-perf $* ${file#-} -> $status: ${want:0:70}"
	else
		fail "$name" "mir-perf $* ${file#-}"
		diag "expected status $status: $want"
		diag "got      status $rc: $got"
	fi
}

# two goodput runs, iperf3's server behind the DUT (no key: a run written
# before goodput.json's meta said) and the DUT itself
for d in gp-sink gp-dut; do
	mkdir -p $d
	printf 'index,trial,protocol,streams,bufsz,target_bps,goodput_mbps\n1,1,tcp,1,1460,0,100.0\n' >$d/goodput.csv
done
printf '{"mode": "goodput", "meta": {"status": "complete", "server": "dut"}, "points": []}\n' >gp-dut/goodput.json

# cfg dirs with files missing
mkdir -p cfg-missing-rates cfg-empty
cp "$MP_TOP/cfg/range-psz" "$MP_TOP/cfg/mir-perf.conf" cfg-missing-rates/

FCS="sizes here include the 4-byte FCS, as RFC 2544 counts them (the original's pktgen pkt_size 60 is the 64-byte frame)"
RATE="expected a rate like 250000, 250k or 1.5M"
SIZE="expected a frame size like 64, 1518 or 64..1518:64"
KEYS="the keys are duration, warmup, settle, interval, trials, flows, platform, results, dut, order, dut_memory, gen_memory, tsc_mode, gen_kernel, search, ndr_loss, pdr_loss, precision, max_rate, search_mode, mirage_sources, mirage_repo, gen_threads, gen_vcpus, mode, streams, protocol, bitrate, server, rr_timeout, on_dut_stop and gen_tolerance"

# --- cfg/range-pps
bad 2 "cfg/range-pps:3:7: $RATE, got '1O0k'" \
	range-pps '# rates\n10k 50k\n100k, 1O0k\n' -n
bad 2 "cfg/range-pps:1:1: expected a rate from 1 to 100M packets per second, got '0'" \
	range-pps '0\n' -n
bad 2 "cfg/range-pps:2:1: expected a rate from 1 to 100M packets per second, got '150M'" \
	range-pps '1M\n150M\n' -n
bad 2 "cfg/range-pps:2:1: expected at least one rate like 250000, 250k, 1.5M or max, got an empty list" \
	range-pps '# all commented out: 10k 50k\n' -n
bad 2 "cfg/range-pps:1:1: expected at least one rate like 250000, 250k, 1.5M or max, got an empty list" \
	range-pps '' -n
bad 2 "cfg/range-pps:1:24: expected a step above 0, got '0'" \
	range-pps '100k..1M:100k 100k..1M:0\n' -n
bad 2 "cfg/range-pps:1:1: range '1M..100k:100k' runs backwards: expected FROM no higher than TO" \
	range-pps '1M..100k:100k\n' -n
bad 2 "cfg/range-pps:1:1: expected a range FROM..TO:STEP like 100k..1M:100k, got '100k..1M'" \
	range-pps '100k..1M\n' -n
bad 2 "cfg/range-pps:1:1: '1..5000:1' makes the sweep longer than 10000 points (already 3 sizes x 3334 rates); use fewer sizes or rates" \
	range-pps '1..5000:1\n' -n
bad 2 "cfg/range-pps:1:6: $RATE as a range bound ('max' stands on its own), got 'max'" \
	range-pps '10k..max:10k\n' -n
bad 2 "cfg/range-pps:1:1: $RATE, got '\\x1b[2J'" \
	range-pps '\033[2J\n' -n
bad 2 "cfg-missing-rates/range-pps: cannot open the rate list: No such file or directory" \
	- '' -n -c cfg-missing-rates
# --- cfg/range-psz
bad 2 "cfg/range-psz:2:1: expected a frame size from 64 to 9018 bytes, got '60': $FCS; use 64" \
	range-psz '# the original sizes\n60\n' -n
bad 2 "cfg/range-psz:1:1: expected a frame size from 64 to 9018 bytes, got '60': $FCS; use 64" \
	range-psz '60..1514:64\n' -n
bad 2 "cfg/range-psz:1:4: expected a frame size from 64 to 9018 bytes (FCS included), got '9100'" \
	range-psz '64 9100\n' -n
bad 2 "cfg/range-psz:1:1: $SIZE, got '1.5k'" \
	range-psz '1.5k\n' -n
bad 2 "cfg/range-psz:1:9: expected a step above 0, got '0'" \
	range-psz '64..128:0\n' -n
bad 2 "cfg/range-psz:1:1: range '1518..64:64' runs backwards: expected FROM no higher than TO" \
	range-psz '1518..64:64\n' -n
bad 2 "cfg/range-psz:3:1: expected at least one frame size like 64 or 64..1518:64, got an empty list" \
	range-psz '\n\n' -n
bad 0 "cfg/range-psz:1:4: warning: '64' already listed; dropped
cfg/range-psz:2:1: warning: 2 values of '64..192:64' already listed; dropped" \
	range-psz '64 64 128\n64..192:64\n' -n
# --- cfg/mir-perf.conf
bad 2 "cfg/mir-perf.conf:2:1: unknown key 'durration' (did you mean 'duration'?)" \
	mir-perf.conf '# conf\ndurration = 10\n' -n
bad 2 "cfg/mir-perf.conf:1:1: unknown key 'colour'; $KEYS" \
	mir-perf.conf 'colour = blue\n' -n
bad 2 "cfg/mir-perf.conf:1:12: expected a duration from 100ms to 1h, like 10, 10s or 500ms for 'duration', got 'ten'" \
	mir-perf.conf 'duration = ten\n' -n
bad 2 "cfg/mir-perf.conf:1:1: expected 'key = value', got 'duration 10'" \
	mir-perf.conf 'duration 10\n' -n
bad 2 "cfg/mir-perf.conf:1:12: expected auto, local or xen for 'platform', got 'kvm'" \
	mir-perf.conf 'platform = kvm\n' -n
bad 2 "cfg/mir-perf.conf:1:7: expected fwd, tap-fwd, bridge, exec:COMMAND, image:PATH or linux-fwd for 'dut', got 'dpdk'" \
	mir-perf.conf 'dut = dpdk\n' -n
bad 2 "cfg/mir-perf.conf:1:12: expected a duration from 1ms to 10s, like 10, 10s or 500ms for 'interval', got '100us'" \
	mir-perf.conf 'interval = 100us\n' -n
bad 2 "cfg/mir-perf.conf:1:12: expected native, default, always_emulate or native_paravirt for 'tsc_mode', got 'emulated'" \
	mir-perf.conf 'tsc_mode = emulated\n' -n
bad 2 "cfg/mir-perf.conf:1:12: expected a closing '\"' for the value of 'duration'" \
	mir-perf.conf 'duration = "5\n' -n
bad 2 "mir-perf: the sampling interval (2 s) is longer than a point's duration (1 s): the monitor would see no interval inside a point" \
	mir-perf.conf 'interval = 2s\nduration = 1\n' -n
bad 2 "cfg-empty/mir-perf.conf: cannot open: No such file or directory" \
	- '' -n -c cfg-empty
# --- the command line
bad 2 "mir-perf: unknown library 'foo'; the known library is mirage-net-xen" - '' -n foo
bad 2 "mir-perf: 'abc;rm -rf /' is not a commit id: expected 7 to 40 hex digits" \
	- '' -n mirage-net-xen 'abc;rm -rf /'
bad 2 "mir-perf: '0123456789abcdef0123456789abcdef012345678' is not a commit id: expected 7 to 40 hex digits, got 41" \
	- '' -n mirage-net-xen 0123456789abcdef0123456789abcdef012345678
bad 2 "mir-perf: unknown option '--frobnicate'; see mir-perf --help" - '' --frobnicate
bad 2 "mir-perf: option --platform needs a value: auto, local or xen" - '' -n --platform
# compare: the usage-error line of every command (lib/usage.h)
bad 2 "mir-perf: compare: --fail-on-regression: expected a percentage from 0 to 100 like 5 or 2.5%, got '5x'" \
	- '' compare --fail-on-regression 5x a b
bad 2 "mir-perf: compare: arguments: expected two run directories, RUN_DIR_A RUN_DIR_B, got 'c'" \
	- '' compare a b c
bad 2 "mir-perf: compare: option: expected one of the options \`mir-perf compare --help\` lists, got '--frobnicate'" \
	- '' compare --frobnicate a b
bad 2 "mir-perf: cannot compare gp-sink with gp-dut: iperf3's server differs (server sink, server dut): one run measures the DUT forwarding, the other the DUT's own stack" \
	- '' compare gp-sink gp-dut
bad 2 "mir-perf: --platform: expected auto, local or xen, got 'kvm'" - '' -n -p kvm
bad 2 "mir-perf: --duration: expected a duration from 100ms to 1h, like 10, 10s or 500ms, got '-5'" \
	- '' -n -d -5
bad 2 "--sizes:1:4: expected a frame size from 64 to 9018 bytes, got '60': $FCS; use 64" \
	- '' -n --sizes '64 60'
bad 2 "--rates:1:1: $RATE, got '1O0k'" - '' -n --rates 1O0k
bad 2 "mir-perf: --dut: expected exec: followed by a command, like exec:./netif-forward, got 'exec:'" \
	- '' -n --dut exec:
bad 2 "mir-perf: --dut 'linux-fwd' runs on the xen platform, and the platform is local (asked for by --platform local); local DUTs are fwd, tap-fwd, bridge and exec:COMMAND" \
	- '' -n -p local --dut linux-fwd
bad 2 "mir-perf: --dut: dut 'exec:sh -c 'x': unterminated single quote in command; expected exec:COMMAND [ARG...]" \
	- '' -n -p local --dut "exec:sh -c 'x"
bad 2 "mir-perf: dut in cfg/mir-perf.conf: dut 'fwd --max-pps \"1k': unterminated double quote in command" \
	mir-perf.conf 'dut = fwd --max-pps "1k\n' -n -p local
bad 2 "mir-perf: --cfg: expected a directory, got '/nonexistent'" - '' -n -c /nonexistent
bad 2 "mir-perf: --cleanup removes what killed runs left; it has no --dry-run" - '' --cleanup -n
# --- the goodput mode (harness/config/cli_cfg.c)
bad 2 "mir-perf: --mode: expected frames, goodput or rr, got 'tcp_rr'" - '' -n --mode tcp_rr
bad 2 "mir-perf: --streams belongs to the goodput and rr modes: add --mode goodput or --mode rr" - '' -n --streams 4
bad 2 "mir-perf: --sizes belongs to the frames mode; in the goodput mode the sweep is over write sizes: --bufsizes (or range-bufsz)" \
	- '' -n --mode goodput --sizes 64
bad 2 "mir-perf: the goodput mode's iperf3 counts whole seconds: expected a duration of whole seconds, got 1.5 s" \
	- '' -n --mode goodput -d 1500ms
bad 2 "cfg/range-bufsz:2:1: expected a write size from 16 to 65507 bytes, as iperf3 takes for UDP (protocol includes udp), got '8'" \
	range-bufsz '1460\n8\n' -n --mode goodput --protocol tcp,udp
bad 2 "mir-perf: --bitrate: expected up to 8 UDP bitrates from 1k to 100G bit/s, like 10M 1.5G, got '10Q'" \
	- '' -n --mode goodput --bitrate 10Q
# --- the rr mode (harness/config/rr_cfg.c)
RRSZ="expected a request size Q or Q/R (response R) from 1 to 1048576 bytes each, like 64 or 1/1024"
bad 2 "mir-perf: --rr-sizes belongs to the rr mode: add --mode rr" - '' -n --rr-sizes 64
bad 2 "mir-perf: --rr-timeout belongs to the rr mode: add --mode rr" - '' -n --mode goodput --rr-timeout 1s
bad 2 "--rr-sizes:1:4: $RRSZ, got '2000000'" - '' -n --mode rr --rr-sizes '64 2000000'
bad 2 "cfg/range-rrsz:2:3: $RRSZ, got '64/0'" range-rrsz '1\n  64/0 # no response\n' -n --mode rr
bad 2 "cfg/range-rrsz: expected at least one size (Q or Q/R), got none" range-rrsz '# none\n' -n --mode rr
bad 2 "mir-perf: --sizes belongs to the frames mode; in the rr mode the sweep is over request/response sizes: --rr-sizes (or range-rrsz)" \
	- '' -n --mode rr --sizes 64
bad 2 "mir-perf: --bufsizes belongs to the goodput mode: add --mode goodput" - '' -n --mode rr --bufsizes 64
bad 2 "mir-perf: --rr-timeout: expected a timeout from 10ms to 1m, like 2s or 500ms, got '5ms'" \
	- '' -n --mode rr --rr-timeout 5ms
bad 2 "mir-perf: the rr mode needs a DUT that forwards both ways (the responses come back through it); on the xen platform that is --dut linux-fwd (mir-trafgen fwd --bidir) or a library built by mir-perf (mirage-net-xen: the recipe's forwarder, booted with --bidir), not 'image:cfg/range-psz', a prebuilt image not known to" \
	- '' -n -p xen --mode rr --dut image:cfg/range-psz

# Not root, not --dry-run: refused before anything, status 1. Run as nobody.
if [ "$(id -u)" -eq 0 ]; then
	asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
	asuser=()
fi
rm -rf cfg && cp -r "$MP_TOP/cfg" cfg && chmod -R a+rX cfg
got=$("${asuser[@]}" "$MP" -p local 2>&1 >/dev/null)
rc=$?
want="mir-perf: creating namespaces and bridges needs root; run it with sudo"
if [ $rc -eq 1 ] && [ "$got" = "$want" ]; then
	pass not_root_refused "not root, not --dry-run -> 1: $want"
else
	fail not_root_refused "not root: expected 1 '$want', got $rc '$got'"
fi
# ... and the same user may do a dry run.
out=$("${asuser[@]}" "$MP" -n -p local 2>&1)
rc=$?
check not_root_dry_run "not root, --dry-run -> 0 with a plan (status $rc)" \
	test $rc -eq 0 -a -n "$(grep '^sweep: 3 sizes x 4 rates' <<<"$out")"

# --help documents every option and the exit statuses; -V prints the version
help=$("$MP" --help)
missing=
for w in --platform --cfg --out --duration --sizes --rates --dut --dry-run --cleanup \
	--mode --bufsizes --streams --protocol --bitrate \
	--quiet --verbose --help --version "0 done" "1 failure at run time" "2 bad usage or cfg" \
	"130" "mirage-net-xen"; do
	grep -q -- "$w" <<<"$help" || missing="$missing $w"
done
check help "--help names every option and exit status${missing:+ (missing:$missing)}" test -z "$missing"
check version "-V prints the version" test -n "$("$MP" -V | grep -E '^mir-perf [0-9a-g]')"
