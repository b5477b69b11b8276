#!/usr/bin/env bash
# The generator agent against hostile local clients (issue 13, rows 4 and 6):
# idle, garbage and half-hello connections are dropped within about a second
# and never keep the real client out, even more of them than the agent has
# slots, and even while a sweep runs through it; a token file another user
# owns, or a symlink, is refused; the socket is 0600 from the start.
# mp-timeout: 1200
ALL_TESTS="token_other_owner token_symlink socket_mode_600 idle_client_served idle40_client_served
	idle_dropped half_hello_dropped garbage_closed second_client_busy agent_logged_drops
	sweep_completed sweep_all_points sweep_hostile_connected sweep_nothing_outside"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/security_common.bash"
TG=$MP_BIN/mir-trafgen
HOSTILE=${MP_BUILD:-$MP_TOP/build}/tests/tools/sock_hostile
require_root "the agent and mir-perf run as root"
require_built "$HOSTILE"

TMP=$SANDBOX/agent && mkdir -m 700 "$TMP"
printf 'tok-%s-%s\n' "$MP_SUFFIX" "$RANDOM$RANDOM" >"$TMP/token" && chmod 600 "$TMP/token"
SOCK=$TMP/agent.sock
CTL=("$TG" ctl --connect "unix:$SOCK" --token-file "$TMP/token" --timeout 5s)

# 1: a token file another user owns: they may know what is in it
cp "$TMP/token" "$TMP/theirs" && chown "$NOBODY" "$TMP/theirs"
out=$("$TG" agent --listen "unix:$SOCK" --token-file "$TMP/theirs" 2>&1)
rc=$?
check token_other_owner "token file owned by uid $NOBODY refused (status $rc: ${out:0:120})" eval \
	'[ $rc -eq 2 ] && [[ $out == *"belongs to uid $NOBODY"* ]] && [ ! -e "$SOCK" ]'

# 2: a token file that is a symlink to ours
ln -s "$TMP/token" "$TMP/link"
out=$("$TG" agent --listen "unix:$SOCK" --token-file "$TMP/link" 2>&1)
rc=$?
check token_symlink "token file a symlink refused (status $rc: ${out:0:100})" eval '[ $rc -eq 2 ] && [ ! -e "$SOCK" ]'

"$TG" agent --listen "unix:$SOCK" --token-file "$TMP/token" -v >"$TMP/agent.out" 2>"$TMP/agent.err" &
agent=$!
on_exit "kill $agent"
for ((i = 0; i < 100; i++)); do grep -q ready "$TMP/agent.err" 2>/dev/null && break; sleep 0.05; done

# 3: the socket is 0600 as bind made it (no chmod by path afterwards)
mode=$(stat -c %a "$SOCK" 2>/dev/null)
check socket_mode_600 "control socket mode 600 (got $mode)" [ "$mode" = 600 ]

# served WHAT: the real client's status call succeeds within 3 s
served() {
	local t0=$SECONDS out
	out=$(timeout 5 "${CTL[@]}" status 2>&1) && [ $((SECONDS - t0)) -le 3 ] && return 0
	diag "$1: real client: $out"
	return 1
}

# 4: one idle connection (the old agent then answered the real client "busy")
"$HOSTILE" "unix:$SOCK" idle 1 4 >"$TMP/h1" &
h=$!
sleep 0.2
check idle_client_served "an idle connection does not keep the real client out" served idle
wait $h

# 5: more idle connections than the agent has slots
"$HOSTILE" "unix:$SOCK" idle 40 4 >"$TMP/h2" &
h=$!
sleep 0.3
check idle40_client_served "40 idle connections do not keep the real client out" served idle40
wait $h

# 6, 7: idle and half-hello connections are dropped within about a second
r=$("$HOSTILE" "unix:$SOCK" idle 8 5)
check idle_dropped "8 idle connections dropped within 2 s ($r)" eval \
	'[[ $r == "connected 8 closed 8 "* ]] && awk "BEGIN{exit !(${r##* } <= 2.0)}"'
r=$("$HOSTILE" "unix:$SOCK" partial 8 5)
check half_hello_dropped "8 half-hello connections dropped within 2 s ($r)" eval \
	'[[ $r == "connected 8 closed 8 "* ]] && awk "BEGIN{exit !(${r##* } <= 2.0)}"'

# 8: garbage (an HTTP request, binary, a command without hello): closed at once
r=$("$HOSTILE" "unix:$SOCK" garbage 8 3)
check garbage_closed "garbage connections closed at once ($r); agent serves" eval \
	'[[ $r == "connected 8 closed 8 "* ]] && awk "BEGIN{exit !(${r##* } <= 0.5)}" && served garbage'

# 9: a second authenticated client while one holds the session: busy, and
# the holder is not disturbed
mkfifo "$TMP/hold"
"${CTL[@]}" raw <"$TMP/hold" >"$TMP/holder.out" 2>&1 &
holder=$!
exec 9>"$TMP/hold"
sleep 0.3
out=$("${CTL[@]}" status 2>&1)
rc=$?
echo '{"cmd":"status"}' >&9
exec 9>&-
wait $holder
hrc=$?
check second_client_busy "a second client is told busy (${out:0:80}); the holder is served" eval \
	'[ $rc -ne 0 ] && [[ $out == *busy* ]] && [ $hrc -eq 0 ] && grep -q "\"ok\":true" "$TMP/holder.out"'
check agent_logged_drops "the agent logged why it dropped the hostile clients" grep -q "no hello in time" "$TMP/agent.err"
kill $agent
wait $agent 2>/dev/null

# 11..14: a sweep of 3 points while 40 idle, 8 garbage and 8 half-hello
# connections hit its agent: every point measured, nothing else written.
cfg=$SANDBOX/cfg && short_cfg "$cfg"
out=$SANDBOX/sweep
before=$(snap "$out" "$TMP")
for ((i = 0; i < 600; i++)); do
	rm -rf "$out"
	"$MP" --cfg "$cfg" -o "$out" --rates 10k,20k,30k >"$MPOUT" 2>&1 &
	pid=$!
	on_exit "kill -KILL $pid"
	id=
	while kill -0 $pid 2>/dev/null && [ -z "$id" ]; do
		id=$(sed -n 's/^mir-perf: run \([a-z0-9]*\) on the local platform.*/\1/p' "$MPOUT" | head -1)
		sleep 0.05
	done
	[ -n "$id" ] && break
	wait $pid
	grep -q 'another mir-perf run is in progress' "$MPOUT" || break
	sleep 1
done
if [ -n "$id" ]; then
	asock=/run/mir-perf/run-$id/agent.sock
	# as soon as the agent listens: before, while and after the harness
	# connects, the harness must be served
	for ((i = 0; i < 400; i++)); do [ -S "$asock" ] && break; sleep 0.05; done
	"$HOSTILE" "unix:$asock" idle 40 3 >"$TMP/s1" &
	"$HOSTILE" "unix:$asock" garbage 8 2 >"$TMP/s2" &
	"$HOSTILE" "unix:$asock" partial 8 3 >"$TMP/s3" &
	wait $pid
	rc=$?
	wait
	rows=$(grep -c '^[0-9]' "$out/stats.csv" 2>/dev/null)
	check sweep_completed "the sweep under attack completed (status $rc)" [ "$rc" -eq 0 ]
	check sweep_all_points "all 3 points measured ($rows rows)" [ "${rows:-0}" -eq 3 ]
	check sweep_hostile_connected "the hostile clients did connect ($(cat "$TMP/s1"))" grep -q "connected [1-9]" "$TMP/s1"
	check sweep_nothing_outside "nothing written outside the run directory" eval 'untouched "$before" "$out" "$TMP" && victim_ok'
else
	fail sweep_completed "the sweep started: $(head -3 "$MPOUT")"
	not_run "the sweep did not start" sweep_all_points sweep_hostile_connected sweep_nothing_outside
fi
