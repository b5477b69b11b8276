# Shared by the mir-trafgen suites (trafgen.sh, trafgen_rx_xdp.sh): reading
# --json reports, background runs and waiting for a link to go quiet.
# Sourced after tests/lib.sh (link_counter, on_exit).

# json_val FILE KEY: a top-level number or string of a --json report.
json_val() { sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1" | head -n 1; }
# wait_ready FILE: until a -v run logged "ready" (at most 5 s).
wait_ready() { local i; for ((i = 0; i < 100; i++)); do grep -q ready "$1" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
# start_bg NS OUT ERR CMD...: a background run; its pid in $bg
start_bg() { local ns=$1 out=$2 err=$3; shift 3; ip netns exec "$ns" "$@" >"$out" 2>"$err" & bg=$!; on_exit "kill $bg"; }
stop_bg() { kill -INT "$1" 2>/dev/null; wait "$1"; }
# settle NS IF: until the link's rx counter stays still for 0.3 s (at most 10 s).
settle() {
	local a b i
	b=$(link_counter $1 $2 rx_packets)
	for ((i = 0; i < 33; i++)); do
		sleep 0.3
		a=$b
		b=$(link_counter $1 $2 rx_packets)
		[ "$a" = "$b" ] && return 0
	done
	return 1
}
