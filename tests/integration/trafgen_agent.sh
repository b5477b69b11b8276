#!/usr/bin/env bash
# The mir-trafgen agent and its client library (driven through
# `mir-trafgen ctl`, which links libtgclient like the harness): token file
# rules, socket mode, a wrong token refused, 1000 malformed requests survived,
# one client at a time, a full rx/tx round trip, SIGTERM.
ALL_TESTS="token_world_readable token_missing socket_mode wrong_token malformed_requests
	unauth_garbage one_client status_running round_trip tx_missing_dev sigterm tcp"
. "$(dirname "$0")/../lib.sh"
TG=$MP_BIN/mir-trafgen
require_root "mir-trafgen agent in a network namespace"
require_built "$TG"

G=mp-t$MP_SUFFIX-a
TMP=$(mktemp -d) && on_exit "rm -rf $TMP"
mk_netns $G
ip netns exec $G sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $G link add a0 type veth peer name b0 && ip -n $G link set a0 up && ip -n $G link set b0 up

printf 'tok-%s-%s\n' "$MP_SUFFIX" "$RANDOM$RANDOM" >$TMP/token
chmod 600 $TMP/token
printf 'not-the-token\n' >$TMP/wrong
chmod 600 $TMP/wrong
SOCK=$TMP/agent.sock
CTL=("$TG" ctl --connect unix:$SOCK --token-file $TMP/token --timeout 5s)
json_val() { sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1" | head -n 1; }

# 1: a token file others can read is refused before anything listens.
cp $TMP/token $TMP/open && chmod 644 $TMP/open
out=$(ip netns exec $G "$TG" agent --listen unix:$SOCK --token-file $TMP/open 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *"--token-file"*"0644"* ]] && [ ! -e $SOCK ]; then
	pass token_world_readable "world-readable token file: status 2, '$out'"
else
	fail token_world_readable "world-readable token file: status $rc, '$out'"
fi
# 2: a missing token file too.
out=$(ip netns exec $G "$TG" agent --listen unix:$SOCK --token-file $TMP/none 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *"--token-file"*"No such file"* ]]; then
	pass token_missing "missing token file: status 2, '$out'"
else
	fail token_missing "missing token file: status $rc, '$out'"
fi

ip netns exec $G "$TG" agent --listen unix:$SOCK --token-file $TMP/token -v >$TMP/agent.out 2>$TMP/agent.err &
agent=$!
on_exit "kill $agent"
for ((i = 0; i < 100; i++)); do grep -q ready $TMP/agent.err && break; sleep 0.05; done

# 3: the socket is the agent's alone.
mode=$(stat -c %a $SOCK 2>/dev/null)
check socket_mode "control socket has mode 600 (got $mode)" [ "$mode" = 600 ]

# 4: a wrong token is refused and the agent goes on.
out=$("$TG" ctl --connect unix:$SOCK --token-file $TMP/wrong status 2>&1)
rc=$?
if [ $rc -ne 0 ] && [[ $out == *"refused the token"* ]] && "${CTL[@]}" status >/dev/null; then
	pass wrong_token "wrong token refused ('$out'); the right one still served"
else
	fail wrong_token "wrong token: status $rc, '$out'"
fi

# 5: 1000 malformed requests, each answered with an error, then a good one.
{
	for ((i = 0; i < 125; i++)); do
		echo 'garbage'
		echo '{'
		echo '{"cmd":}'
		echo '{"cmd":"nope"}'
		echo '{"cmd":"tx_start","dev":"a0","size":"big"}'
		echo '{"cmd":"rx_start","dev":"a0","bogus":1}'
		printf '{"cmd":"status","pad":"%06000d"}\n' 0 # over the line limit
		echo '[1,2,3]'
	done
	echo '{"cmd":"status"}'
} >$TMP/requests
"${CTL[@]}" raw <$TMP/requests >$TMP/replies 2>$TMP/raw.err
rc=$?
nerr=$(grep -c '^{"ok":false,"error":' $TMP/replies)
last=$(tail -n 1 $TMP/replies)
if [ $rc -eq 0 ] && [ "$nerr" -eq 1000 ] && [ "$(wc -l <$TMP/replies)" -eq 1001 ] &&
	[[ $last == '{"ok":true,'* ]] && kill -0 $agent; then
	pass malformed_requests "1000 malformed requests: 1000 error replies, then the good one served"
else
	fail malformed_requests "1000 malformed requests: rc $rc, $nerr errors, last '$last'"
	head -n 3 $TMP/replies $TMP/raw.err | sed 's/^/# /'
fi
diag "examples: $(sed -n '1p;4p;7p' $TMP/replies | tr '\n' ' ')"

# 6: garbage before the hello closes that connection only.
printf 'GET / HTTP/1.0\n' | "$TG" ctl --connect unix:$SOCK --token-file $TMP/wrong raw >/dev/null 2>&1
if "${CTL[@]}" status >/dev/null && kill -0 $agent; then
	pass unauth_garbage "unauthenticated garbage: connection closed, agent serves the next client"
else
	fail unauth_garbage "unauthenticated garbage: agent no longer serves"
fi

# 7: one client at a time: a second one is told the agent is busy.
mkfifo $TMP/hold
"${CTL[@]}" raw <$TMP/hold >/dev/null 2>&1 &
holder=$!
exec 9>$TMP/hold
sleep 0.3
out=$("${CTL[@]}" status 2>&1)
rc=$?
exec 9>&-
wait $holder
if [ $rc -ne 0 ] && [[ $out == *busy* ]] && "${CTL[@]}" status >/dev/null; then
	pass one_client "second client while one is connected: '$out'; served once the first left"
else
	fail one_client "second client while one is connected: status $rc, '$out'"
fi

# 8..9: the client library round trip: rx, tx, status while running, stops.
"${CTL[@]}" rx-start --dev b0 --stream 42 &&
	"${CTL[@]}" tx-start --dev a0 --size 256 --rate 50k --count 100000 --stream 42 --flows 16
rc=$?
sleep 0.5
"${CTL[@]}" status >$TMP/status
running=$(json_val $TMP/status tx_running)
mid=$(json_val $TMP/status rx_received)
sleep 2
"${CTL[@]}" tx-stop >$TMP/txstop
"${CTL[@]}" rx-stop >$TMP/rxstop
diag "status while running: tx_running=$running rx_received=$mid; tx sent $(json_val $TMP/txstop tx_sent) at $(json_val $TMP/txstop tx_pps) pps; rx $(json_val $TMP/rxstop rx_received) received $(json_val $TMP/rxstop rx_lost) lost"
if [ $rc -eq 0 ] && [ "$running" = true ] && [ "${mid:-0}" -gt 0 ] && [ "${mid:-0}" -lt 100000 ]; then
	pass status_running "status while the engines run: running, $mid received so far"
else
	fail status_running "status while the engines run: rc $rc running '$running' received '$mid'"
	sed 's/^/# /' $TMP/status $TMP/agent.err
fi
if [ "$(json_val $TMP/txstop tx_sent)" = 100000 ] && [ "$(json_val $TMP/rxstop rx_received)" = 100000 ] &&
	[ "$(json_val $TMP/rxstop rx_lost)" = 0 ] && [ "$(json_val $TMP/txstop tx_running)" = false ]; then
	pass round_trip "round trip through libtgclient: 100000 sent, 100000 received, 0 lost"
else
	fail round_trip "round trip through libtgclient"
	sed 's/^/# /' $TMP/txstop $TMP/rxstop
fi

# 10: an engine error comes back as the agent's error text.
out=$("${CTL[@]}" tx-start --dev nosuch0 --size 64 2>&1)
rc=$?
if [ $rc -eq 1 ] && [[ $out == *"no interface 'nosuch0'"* ]]; then
	pass tx_missing_dev "tx_start on a missing interface: '$out'"
else
	fail tx_missing_dev "tx_start on a missing interface: status $rc, '$out'"
fi

# 11: SIGTERM: the agent exits 0 and removes its socket.
kill -TERM $agent
wait $agent
rc=$?
if [ $rc -eq 0 ] && [ ! -e $SOCK ]; then
	pass sigterm "SIGTERM: agent exits 0 and removes its socket"
else
	fail sigterm "SIGTERM: status $rc, socket $(ls $SOCK 2>&1)"
fi

# 12: tcp:ADDR:PORT (how the harness reaches an agent in a Xen guest), on the
# namespace's own loopback.
port=$((20000 + RANDOM % 20000))
ip netns exec $G "$TG" agent --listen tcp:127.0.0.1:$port --token-file $TMP/token -v \
	>/dev/null 2>$TMP/tcp.err &
tcpagent=$!
on_exit "kill $tcpagent"
for ((i = 0; i < 100; i++)); do grep -q ready $TMP/tcp.err && break; sleep 0.05; done
ip netns exec $G "$TG" ctl --connect tcp:127.0.0.1:$port --token-file $TMP/token status >$TMP/tcp.status
rc=$?
ip netns exec $G "$TG" ctl --connect tcp:127.0.0.1:$port --token-file $TMP/wrong status >/dev/null 2>&1
rc2=$?
kill -TERM $tcpagent
wait $tcpagent
rc3=$?
if [ $rc -eq 0 ] && grep -q '"tx_running"' $TMP/tcp.status && [ $rc2 -ne 0 ] && [ $rc3 -eq 0 ]; then
	pass tcp "agent over tcp:127.0.0.1:$port: status served, wrong token refused, clean exit"
else
	fail tcp "agent over tcp: status rc $rc, wrong token rc $rc2, exit $rc3"
	sed 's/^/# /' $TMP/tcp.status $TMP/tcp.err
fi
