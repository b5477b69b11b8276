#!/usr/bin/env bash
# The agent's ends (trafgen/agent_end.h), as the goodput mode on Xen drives
# them in the traff-gen guest: iperf3's server started in another namespace
# (the guest's srv), seen listening, a client run to its end, its -J document
# read back in chunks, both stopped with nothing left; the rr mode's ends the
# same way (prog "rr": the agent's own mir-trafgen rr server and client, its
# --json document read back); and what a token holder must not get (another
# program, shell words, a path in iperf3's words, rr without client or server,
# an unknown namespace or id). Here the two namespaces are the test's, joined
# by a veth pair.
ALL_TESTS="server_started server_listening client_done client_doc_whole read_chunked
	rr_server_listening rr_client_done rr_doc
	bad_word unknown_netns unknown_id bad_prog rr_not_client_server slash_not_iperf3
	stop_removes_output nothing_left"
. "$(dirname "$0")/../lib.sh"
require_root "makes namespaces and starts iperf3 in them"
require_built "$MP_BIN/mir-trafgen"
require_cmd iperf3 iperf3

a=mp-t$MP_SUFFIX-a s=mp-t$MP_SUFFIX-s
tmp=$(mktemp -d /tmp/mp-t-ends-XXXXXX)
on_exit "rm -rf $tmp"
mk_netns "$a" && mk_netns "$s" && veth_pair "$a" c0 "$s" s0 &&
	ip -n "$a" addr add 198.18.0.1/15 dev c0 && ip -n "$s" addr add 198.19.0.1/15 dev s0 ||
	fail_rest "namespaces $a and $s"
printf 'endstest%08x%08x\n' $RANDOM$RANDOM $RANDOM$RANDOM >"$tmp/token" && chmod 600 "$tmp/token"
ip netns exec "$a" "$MP_BIN/mir-trafgen" agent --listen "unix:$tmp/agent.sock" \
	--token-file "$tmp/token" >"$tmp/agent.log" 2>&1 &
agent=$!
on_exit "kill $agent; wait $agent"
for _ in $(seq 50); do [ -S "$tmp/agent.sock" ] && break; sleep 0.1; done

# req JSON...: one session, each request's reply on its own line (python's
# own client: lines in, lines out, the token first).
req() {
	python3 - "$tmp/agent.sock" "$(cat "$tmp/token")" "$@" <<-'PY'
		import json, socket, sys
		sk = socket.socket(socket.AF_UNIX); sk.connect(sys.argv[1]); f = sk.makefile("rw")
		def call(o):
		    f.write(json.dumps(o) + "\n"); f.flush(); return f.readline().strip()
		assert json.loads(call({"cmd": "hello", "token": sys.argv[2]}))["ok"]
		for r in sys.argv[3:]:
		    print(call(json.loads(r)))
	PY
}
field() { python3 -c 'import json,sys; v = json.loads(sys.argv[1]).get(sys.argv[2]); print(json.dumps(v) if isinstance(v, bool) else v)' "$1" "$2"; }
# poll_until ID FIELD VALUE TRIES [PORT]: end_poll ID (asking about PORT)
# every 0.1 s until its reply's FIELD is VALUE, at most TRIES times; the
# last reply in r. Status 0 when it got there.
poll_until() {
	local i q='{"cmd":"end_poll","id":'"$1"${5:+',"port":'"$5"}'}'
	for ((i = 0; i < $4; i++)); do
		r=$(req "$q")
		[ "$(field "$r" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

r=$(req '{"cmd":"end_start","args":"-s -B 198.19.0.1 -p 5207","netns":"'"$s"'"}')
sid=$(field "$r" id)
check server_started "end_start of a server in namespace $s: an id ($r)" test "$sid" -ge 1
poll_until "$sid" listening true 50 5207
check server_listening "end_poll sees it listening on 5207 in its namespace ($r)" \
	test "$(field "$r" listening)" = true

r=$(req '{"cmd":"end_start","args":"-c 198.19.0.1 -p 5207 -t 1 -J --get-server-output"}')
cid=$(field "$r" id)
poll_until "$cid" running false 100
check client_done "the client ran to its end, status 0 ($r)" \
	test "$(field "$r" running)/$(field "$r" status)" = false/0
size=$(field "$r" size)
# Read it back as the harness does: chunks of at most 2048 bytes until eof.
off=0 chunks=0
: >"$tmp/doc"
while [ $chunks -lt 100 ]; do
	r=$(req '{"cmd":"end_read","id":'"$cid"',"offset":'"$off"'}')
	python3 -c 'import json,sys; sys.stdout.write(json.loads(sys.argv[1])["data"])' "$r" >>"$tmp/doc"
	off=$(stat -c %s "$tmp/doc")
	chunks=$((chunks + 1))
	[ "$(field "$r" eof)" = true ] && break
done
check client_doc_whole "its document read back whole ($off of $size bytes) parses, with bytes received" \
	python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); assert d["end"]["sum_received"]["bytes"] > 0' "$tmp/doc"
check read_chunked "in $chunks replies of at most 2048 bytes" test "$chunks" -eq $(((size + 2047) / 2048))

# The rr mode's ends: this very mir-trafgen's rr server in namespace $s, its
# client from the agent's, a request/response size with '/', the client's
# --json document read back; both stopped.
r=$(req '{"cmd":"end_start","prog":"rr","args":"server --listen 198.19.0.1:12866","netns":"'"$s"'"}')
rsid=$(field "$r" id)
poll_until "$rsid" listening true 50 12866
check rr_server_listening "end_start of mir-trafgen rr server in namespace $s: listening on 12866 ($r)" \
	test "$(field "$r" listening)" = true
r=$(req '{"cmd":"end_start","prog":"rr","args":"client --connect 198.19.0.1:12866 --size 64/1024 --duration 1 --warmup 0 --json"}')
rcid=$(field "$r" id)
poll_until "$rcid" running false 100
check rr_client_done "the rr client ran to its end, status 0 ($r)" \
	test "$(field "$r" running)/$(field "$r" status)" = false/0
r=$(req '{"cmd":"end_read","id":'"$rcid"',"offset":0}')
python3 -c 'import json,sys; sys.stdout.write(json.loads(sys.argv[1])["data"])' "$r" >"$tmp/rrdoc"
check rr_doc "its --json document: 64/1024 B, transactions completed, the server counted them" \
	python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); assert (d["req_bytes"], d["resp_bytes"]) == (64, 1024) and d["completed"] > 0 and d["server_transactions"] >= d["completed"], d' "$tmp/rrdoc"
req '{"cmd":"end_stop","id":'"$rcid"'}' '{"cmd":"end_stop","id":'"$rsid"'}' >/dev/null

r=$(req '{"cmd":"end_start","args":"-c 198.19.0.1 ;reboot"}')
check bad_word "a shell word is refused: $r" grep -q "not a plain word" <<<"$r"
r=$(req '{"cmd":"end_start","args":"-s","netns":"mp-t'"$MP_SUFFIX"'-none"}')
check unknown_netns "an unknown namespace is refused: $r" grep -q "no namespace" <<<"$r"
r=$(req '{"cmd":"end_start","prog":"sh","args":"-c reboot"}')
check bad_prog "another program is refused: $r" grep -qF "\\\"prog\\\": expected \\\"iperf3\\\" or \\\"rr\\\", got 'sh'" <<<"$r"
r=$(req '{"cmd":"end_start","prog":"rr","args":"tx --dev eth0"}')
check rr_not_client_server "rr runs only its client or server: $r" grep -q "rr's first word must be client or server" <<<"$r"
r=$(req '{"cmd":"end_start","args":"-c 198.19.0.1 -F /etc/shadow"}')
check slash_not_iperf3 "a path in iperf3's words is refused: $r" grep -q "'/etc/shadow' is not a plain word" <<<"$r"
r=$(req '{"cmd":"end_poll","id":99}')
check unknown_id "an unknown id is refused: $r" grep -q '"ok":false.*no end with id 99' <<<"$r"

before=$(ls /run/ | grep -c "^mp-end-$agent-")
req '{"cmd":"end_stop","id":'"$cid"'}' '{"cmd":"end_stop","id":'"$sid"'}' >/dev/null
left=$(ls /run/ | grep -c "^mp-end-$agent-")
check stop_removes_output "end_stop removes both outputs (/run/mp-end-$agent-*: $before before, $left after)" \
	test "$before/$left" = 2/0
check nothing_left "end_stop stopped the server: no iperf3 left in the test's namespaces" \
	eval '[ -z "$(ip netns pids "$s"; ip netns pids "$a" | grep -vx "$agent")" ]'
