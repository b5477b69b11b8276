#!/usr/bin/env bash
# mir-trafgen rr on its own, in a namespace of this test (two addresses on
# its loopback): the client's JSON accounts for every transaction, the server
# answered exactly the ones the client completed (warm-up included), both
# ends' CPU is read; a server that is not there is one line and status 1; bad
# input of rr and of fwd --delay is one line and status 2.
ALL_TESTS="json_accounted server_count cpu_known no_server bad_size bad_conns bad_addr bad_sub
	bad_delay_no_tap bad_delay_zero"
. "$(dirname "$0")/../lib.sh"
TG=$MP_BIN/mir-trafgen
require_root "mir-trafgen rr in a test namespace"
require_built "$TG"

N=mp-t$MP_SUFFIX-rr
TMP=$(mktemp -d) && on_exit "rm -rf $TMP"
mk_netns $N
ip -n $N addr add 198.18.0.1/32 dev lo
ip -n $N addr add 198.19.0.1/32 dev lo
ip netns exec $N "$TG" rr server --listen 198.19.0.1:12999 -v 2>"$TMP/server.err" &
srv=$!
on_exit "kill $srv 2>/dev/null"
for ((i = 0; i < 100; i++)); do
	grep -q listening "$TMP/server.err" && break
	sleep 0.05
done

ip netns exec $N "$TG" rr client --connect 198.19.0.1:12999 --size 100/2000 --conns 3 \
	--warmup 200ms --duration 1 --json >"$TMP/c.json" 2>"$TMP/c.err"
diag "$(cat "$TMP/c.json" "$TMP/c.err")"
get() { python3 -c 'import json,sys; print(eval("json.load(open(sys.argv[1]))" + sys.argv[2]))' "$TMP/c.json" "$1" 2>/dev/null; }
s=$(get '["started"]') c=$(get '["completed"]') t=$(get '["timed_out"]') f=$(get '["failed"]')
u=$(get '["unfinished"]') w=$(get '["warmup_transactions"]') st=$(get '["server_transactions"]')
check json_accounted "client: ${s:-?} started = ${c:-?} completed + ${t:-?} timed out + ${f:-?} failed + ${u:-?} unfinished, histogram of ${c:-?}" \
	eval '[ -n "$s" ] && [ "$c" -gt 0 ] && [ "$s" -eq $((c + t + f + u)) ] && [ "$(get "[\"latency_ns\"][\"n\"]")" = "$c" ]'
check server_count "the server answered ${st:-?} = ${c:-?} completed + ${w:-?} warm-up" \
	eval '[ -n "$st" ] && [ "$st" -eq $((c + w)) ]'
check cpu_known "both ends' CPU read: client $(get '["cpu_client_pct"]') %, server $(get '["cpu_server_pct"]') %" \
	awk -v a="$(get '["cpu_client_pct"]')" -v b="$(get '["cpu_server_pct"]')" 'BEGIN { exit !(a > 0 && b > 0) }'

out=$(ip netns exec $N "$TG" rr client --connect 198.18.0.1:12999 --duration 1 --json 2>&1)
rc=$?
if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ $out == *"cannot reach the rr server: Connection refused"* ]]; then
	pass no_server "no server: status 1, '$out'"
else
	fail no_server "no server: status $rc, '$out'"
fi

bad_input() {
	local name=$1 desc=$2 want=$3 out rc
	shift 3
	out=$(ip netns exec $N "$TG" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ $out == *"$want"* ]]; then
		pass "$name" "bad input: $desc -> status 2, '$out'"
	else
		fail "$name" "bad input: $desc -> status $rc, '$out' (wanted '$want')"
	fi
}
bad_input bad_size "size out of range" "rr client: --size: expected a request size Q or Q/R (response R), 1..1048576 bytes each, got '64/0'" \
	rr client --connect 198.19.0.1 --size 64/0
bad_input bad_conns "129 connections" "--conns: expected a number of connections, 1..128, got '129'" \
	rr client --connect 198.19.0.1 --conns 129
bad_input bad_addr "address outside 198.18.0.0/15" "--listen: expected an IPv4 address inside 198.18.0.0/15, with :PORT (1..65535) or not, got '10.0.0.1'" \
	rr server --listen 10.0.0.1
bad_input bad_sub "rr of no kind" "rr: expected server or client, got 'proxy'" rr proxy
bad_input bad_delay_no_tap "fwd --delay without --tap" "--delay: expected --tap too" \
	fwd --in lo --out lo2 --delay 5ms
bad_input bad_delay_zero "fwd --delay 0" "--delay: expected a delay like 5ms or 200us (> 0, <= 10 s), got '0'" \
	fwd --in a --out b --tap --delay 0
