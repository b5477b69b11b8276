(* An iperf3-compatible TCP server: Debian's iperf3 client (`iperf3 -c ADDR
   -J`) runs its test against this unikernel as against `iperf3 -s`, so the
   figures are the same tool's on both sides of a comparison. What it speaks
   is iperf3's control protocol (iperf_api.c, iperf_server_api.c):

   - every connection starts with the client's 37-byte cookie; a connection
     whose cookie is not the running test's is a new test's control
     connection, or refused (ACCESS_DENIED) while a test runs, as iperf3 -s
     refuses a second client;
   - on the control connection, one signed byte per state: the server says
     PARAM_EXCHANGE, reads the test's parameters (a 4-byte big-endian length,
     then JSON), says CREATE_STREAMS, takes `parallel` data connections with
     the same cookie (their ids 1, 3, 4, ... as iperf3 numbers them), says
     TEST_START and TEST_RUNNING, reads until the client's TEST_END, says
     EXCHANGE_RESULTS, reads the client's results and sends its own, says
     DISPLAY_RESULTS and waits for IPERF_DONE.

   The server is the receiver: it counts each stream's bytes from the end of
   the omitted warm-up (-O) to TEST_END, and with --get-server-output sends
   its own per-second intervals, which mir-perf prefers to the sender's.

   UDP (-u) as iperf_udp.c does it: each data "connection" is the client's
   4-byte datagram to the same port, answered with 987654321 (the reply
   every iperf3 client accepts); each datagram then carries the client's
   send time (seconds, microseconds) and a sequence number (32 or, with
   udp_counters_64bit, 64 bits, big-endian); the receiver counts a gap in
   the sequence as lost, a datagram from the past as out of order (and one
   lost fewer), and RFC 1889's jitter (a 1/16 running mean of the change in
   transit time), all of it from the end of -O, as iperf3 -s reports them.

   -R and --bidir are refused with ACCESS_DENIED and a console line (mir-perf
   refuses them before a run starts). Its CPU share is reported as 0:
   a unikernel cannot measure it; mir-perf takes the domain's CPU time from
   Xen instead.

   The console gets one line per test (its counts, which the xen-check
   compares with the hops and the client's) and a summary when the domain is
   asked to shut down. *)
open Lwt.Infix

let port =
  let doc = Cmdliner.Arg.info ~doc:"The TCP port iperf3 clients connect to." [ "port" ] in
  Mirage_runtime.register_arg Cmdliner.Arg.(value & opt int 5201 doc)

(* iperf3's control states: one signed byte each *)
let test_start = 1
let test_running = 2
let test_end = 4
let param_exchange = 9
let create_streams = 10
let exchange_results = 13
let display_results = 14
let iperf_done = 16
let access_denied = -1
let udp_connect_reply = 987654321l
let cookie_size = 37 (* 36 characters and a NUL *)
let max_json = 1 lsl 20

(* Per-second receive buckets kept per test; a longer test's later seconds
   are counted in its totals but not in its intervals. *)
let max_seconds = 3600

exception Failed of string

let fail fmt = Fmt.kstr (fun s -> Lwt.fail (Failed s)) fmt

(* The parameters are iperf3's unformatted cJSON: "key":value, no nesting
   in the keys read here. The raw token after "key":, if any. *)
let json_token s key =
  let pat = "\"" ^ key ^ "\"" in
  let n = String.length s and m = String.length pat in
  let rec find i =
    if i + m > n then None else if String.sub s i m = pat then Some (i + m) else find (i + 1)
  in
  let rec skip i = if i < n && String.contains " \t\r\n:" s.[i] then skip (i + 1) else i in
  let rec stop j = if j < n && not (String.contains ",} \t\r\n" s.[j]) then stop (j + 1) else j in
  match find 0 with
  | None -> None
  | Some i ->
      let i = skip i in
      Some (String.sub s i (stop i - i))

let json_int s key ~default =
  match json_token s key with
  | Some "true" -> 1
  | Some "false" -> 0
  | Some v -> Option.value (int_of_string_opt v) ~default
  | None -> default

let secs ns = Int64.to_float ns /. 1e9

module Main (S : Tcpip.Stack.V4V6) = struct
  module T = S.TCP

  (* A connection read exactly so many bytes at a time. *)
  type reader = { flow : T.flow; mutable pending : Cstruct.t }

  let rec read_exactly r n =
    if Cstruct.length r.pending >= n then (
      let x = Cstruct.sub r.pending 0 n in
      r.pending <- Cstruct.shift r.pending n;
      Lwt.return x)
    else
      T.read r.flow >>= function
      | Ok (`Data d) ->
          r.pending <- Cstruct.append r.pending d;
          read_exactly r n
      | Ok `Eof -> fail "the client closed the connection"
      | Error e -> fail "reading: %a" T.pp_error e

  let write flow cs =
    T.write_nodelay flow cs >>= function
    | Ok () -> Lwt.return_unit
    | Error e -> fail "writing: %a" T.pp_write_error e

  let send_state flow st =
    let b = Cstruct.create 1 in
    Cstruct.set_uint8 b 0 (st land 0xff);
    write flow b

  let read_state r =
    read_exactly r 1 >|= fun b ->
    let v = Cstruct.get_uint8 b 0 in
    if v > 127 then v - 256 else v

  let read_json r =
    read_exactly r 4 >>= fun h ->
    let n = Int32.to_int (Cstruct.BE.get_uint32 h 0) in
    if n < 0 || n > max_json then fail "a JSON message of %d bytes (at most %d)" n max_json
    else read_exactly r n >|= Cstruct.to_string

  let send_json flow s =
    let n = String.length s in
    let b = Cstruct.create (4 + n) in
    Cstruct.BE.set_uint32 b 0 (Int32.of_int n);
    Cstruct.blit_from_string s 0 b 4 n;
    write flow b

  let within ns what p =
    Lwt.pick [ p; (Mirage_sleep.ns ns >>= fun () -> fail "no %s within %.0f s" what (secs ns)) ]

  type stream = { id : int; sflow : T.flow; mutable bytes : int }

  (* A UDP stream as the receiver keeps it (iperf_udp_recv). *)
  type udp_stream = {
    uid : int;
    src : Ipaddr.t;
    sport : int;
    mutable ubytes : int;
    mutable packets : int; (* the highest sequence number seen *)
    mutable errors : int; (* lost *)
    mutable outoforder : int;
    mutable jitter : float; (* seconds *)
    mutable prev_transit : float option;
    mutable counting : bool; (* past the omitted warm-up *)
    mutable om_packets : int; (* what the warm-up took *)
    mutable om_errors : int;
  }

  type test = {
    number : int;
    cookie : string;
    peer : string;
    mutable parallel : int;
    mutable streams : stream list; (* newest first *)
    joined : unit Lwt_condition.t;
    mutable count_from : int64 option; (* TEST_START + the omitted warm-up *)
    mutable ended : int64 option; (* TEST_END *)
    mutable omitted : int;
    buckets : int array; (* bytes per second from count_from *)
    mutable udp : bool;
    mutable counters_64 : bool;
    mutable ustreams : udp_stream list; (* newest first *)
  }

  let current : test option ref = ref None
  let tests = ref 0
  let completed = ref 0
  let total_bytes = ref 0

  (* n bytes of the test's data arrived now: into the interval buckets, and
     true once past the omitted warm-up. *)
  let count_bytes t now n =
    match (t.count_from, t.ended) with
    | Some from, None ->
        if now < from then (
          t.omitted <- t.omitted + n;
          false)
        else
          let sec = Int64.to_int (Int64.div (Int64.sub now from) 1_000_000_000L) in
          if sec < max_seconds then t.buckets.(sec) <- t.buckets.(sec) + n;
          true
    | _ -> false (* before TEST_START or after TEST_END: not the test's *)

  let count t s n = if count_bytes t (Mirage_mtime.elapsed_ns ()) n then s.bytes <- s.bytes + n

  let running t = t.count_from <> None && t.ended = None

  (* One datagram of a UDP stream, as iperf_udp_recv counts it. *)
  let udp_datagram t u buf =
    let now = Mirage_mtime.elapsed_ns () in
    let hdr = if t.counters_64 then 16 else 12 in
    if running t && Cstruct.length buf >= hdr then (
      let n = Cstruct.length buf in
      if count_bytes t now n && not u.counting then (
        (* the warm-up ends: what it took is kept apart, as iperf3 does *)
        u.counting <- true;
        u.om_packets <- u.packets;
        u.om_errors <- u.errors;
        u.ubytes <- 0;
        u.jitter <- 0.);
      if u.counting then u.ubytes <- u.ubytes + n;
      let sec = Int32.to_float (Cstruct.BE.get_uint32 buf 0)
      and usec = Int32.to_float (Cstruct.BE.get_uint32 buf 4) in
      let pcount =
        if t.counters_64 then Int64.to_int (Cstruct.BE.get_uint64 buf 8)
        else Int32.to_int (Cstruct.BE.get_uint32 buf 8) land 0xffff_ffff
      in
      if pcount >= u.packets + 1 then (
        if pcount > u.packets + 1 then u.errors <- u.errors + (pcount - 1 - u.packets);
        u.packets <- pcount)
      else (
        u.outoforder <- u.outoforder + 1;
        if u.errors > 0 then u.errors <- u.errors - 1);
      (* transit time on two clocks: only its changes count *)
      let transit = secs now -. (sec +. (usec /. 1e6)) in
      (match u.prev_transit with
      | Some p -> u.jitter <- u.jitter +. ((Float.abs (transit -. p) -. u.jitter) /. 16.)
      | None -> ());
      u.prev_transit <- Some transit)

  (* A data connection of the running test: ids as iperf3 gives them. *)
  let join_stream t r =
    let id = match t.streams with [] -> 1 | l -> List.length l + 2 in
    let s = { id; sflow = r.flow; bytes = 0 } in
    t.streams <- s :: t.streams;
    Lwt_condition.broadcast t.joined ();
    count t s (Cstruct.length r.pending);
    let rec drain () =
      T.read r.flow >>= function
      | Ok (`Data d) ->
          count t s (Cstruct.length d);
          drain ()
      | Ok `Eof | Error _ -> Lwt.return_unit
    in
    drain ()

  (* The receiver's per-second intervals, as iperf3 -s -J writes them; a
     last partial second shorter than half a second is left out, as too
     short to say a rate. *)
  let intervals t seconds =
    let one i start len =
      let bytes = if i < max_seconds then t.buckets.(i) else 0 in
      Printf.sprintf
        "{\"streams\":[],\"sum\":{\"start\":%.6f,\"end\":%.6f,\"seconds\":%.6f,\"bytes\":%d,\"bits_per_second\":%.3f,\"omitted\":false,\"sender\":false}}"
        start (start +. len) len bytes
        (float_of_int bytes *. 8. /. len)
    in
    let full = int_of_float seconds in
    let l = List.init (min full max_seconds) (fun i -> one i (float_of_int i) 1.) in
    let rest = seconds -. float_of_int full in
    let l = if rest >= 0.5 && full < max_seconds then l @ [ one full (float_of_int full) rest ] else l in
    String.concat "," l

  let results t seconds ~server_output =
    let stream s =
      Printf.sprintf
        "{\"id\":%d,\"bytes\":%d,\"retransmits\":-1,\"jitter\":0,\"errors\":0,\"omitted_errors\":0,\"packets\":0,\"omitted_packets\":0,\"start_time\":0,\"end_time\":%.6f}"
        s.id s.bytes seconds
    and udp u =
      Printf.sprintf
        "{\"id\":%d,\"bytes\":%d,\"retransmits\":-1,\"jitter\":%.9f,\"errors\":%d,\"omitted_errors\":%d,\"packets\":%d,\"omitted_packets\":%d,\"start_time\":0,\"end_time\":%.6f}"
        u.uid u.ubytes u.jitter u.errors u.om_errors u.packets u.om_packets seconds
    in
    Printf.sprintf
      "{\"cpu_util_total\":0,\"cpu_util_user\":0,\"cpu_util_system\":0,\"sender_has_retransmits\":-1,\"streams\":[%s]%s}"
      (String.concat ","
         (if t.udp then List.rev_map udp t.ustreams else List.rev_map stream t.streams))
      (if server_output then
         Printf.sprintf ",\"server_output_json\":{\"intervals\":[%s]}" (intervals t seconds)
       else "")

  let refuse ctrl t what =
    Logs.warn (fun m ->
        m "mir-perf iperf3: test %d from %s refused: %s (this server takes TCP and UDP from client to server only)"
          t.number t.peer what);
    send_state ctrl access_denied

  let run_test t r =
    let ctrl = r.flow in
    send_state ctrl param_exchange >>= fun () ->
    read_json r >>= fun params ->
    let flag k = json_int params k ~default:0 <> 0 in
    if flag "reverse" then refuse ctrl t "a reverse test (-R)"
    else if flag "bidirectional" then refuse ctrl t "a bidirectional test (--bidir)"
    else
      let omit = json_int params "omit" ~default:0 and time = json_int params "time" ~default:10 in
      t.parallel <- max 1 (json_int params "parallel" ~default:1);
      t.udp <- flag "udp";
      t.counters_64 <- flag "udp_counters_64bit";
      send_state ctrl create_streams >>= fun () ->
      let joined () = if t.udp then List.length t.ustreams else List.length t.streams in
      let rec all_joined () =
        if joined () >= t.parallel then Lwt.return_unit
        else Lwt_condition.wait t.joined >>= all_joined
      in
      within (Duration.of_sec 30) (Printf.sprintf "%d data connections" t.parallel) (all_joined ())
      >>= fun () ->
      send_state ctrl test_start >>= fun () ->
      let start = Mirage_mtime.elapsed_ns () in
      t.count_from <- Some (Int64.add start (Duration.of_sec (max 0 omit)));
      send_state ctrl test_running >>= fun () ->
      (* the test runs until the client says TEST_END; a client gone silent
         frees the server a minute after the test's planned end *)
      within (Duration.of_sec (max 0 omit + max 1 time + 60)) "TEST_END" (read_state r)
      >>= fun st ->
      if st <> test_end then fail "expected TEST_END (%d), the client said %d" test_end st
      else
        let stop = Mirage_mtime.elapsed_ns () in
        t.ended <- Some stop;
        let from = Option.value t.count_from ~default:stop in
        let seconds = if stop > from then secs (Int64.sub stop from) else 0. in
        send_state ctrl exchange_results >>= fun () ->
        read_json r >>= fun _client_results ->
        send_json ctrl (results t seconds ~server_output:(flag "get_server_output")) >>= fun () ->
        send_state ctrl display_results >>= fun () ->
        within (Duration.of_sec 30) "IPERF_DONE" (read_state r) >>= fun st ->
        let bytes =
          if t.udp then List.fold_left (fun a u -> a + u.ubytes) 0 t.ustreams
          else List.fold_left (fun a s -> a + s.bytes) 0 t.streams
        in
        let udp_words =
          if not t.udp then ""
          else
            let sum f = List.fold_left (fun a u -> a + f u) 0 t.ustreams in
            Printf.sprintf ", %d datagrams, %d lost, %d out of order"
              (sum (fun u -> u.packets - u.om_packets))
              (sum (fun u -> u.errors - u.om_errors))
              (sum (fun u -> u.outoforder))
        in
        incr completed;
        total_bytes := !total_bytes + bytes;
        Logs.app (fun m ->
            m
              "mir-perf iperf3: test %d from %s: %s, %d streams, received %d bytes in %.3f s (%.3f Mbit/s)%s, %d in the omitted %d s%s"
              t.number t.peer
              (if t.udp then "UDP" else "TCP")
              (joined ()) bytes seconds
              (if seconds > 0. then float_of_int bytes *. 8. /. seconds /. 1e6 else 0.)
              udp_words t.omitted omit
              (if st = iperf_done then "" else Printf.sprintf " (then state %d, not IPERF_DONE)" st));
        Lwt.return_unit

  let control r cookie peer =
    incr tests;
    let t =
      {
        number = !tests;
        cookie;
        peer;
        parallel = 1;
        streams = [];
        joined = Lwt_condition.create ();
        count_from = None;
        ended = None;
        omitted = 0;
        buckets = Array.make max_seconds 0;
        udp = false;
        counters_64 = false;
        ustreams = [];
      }
    in
    current := Some t;
    Lwt.finalize
      (fun () ->
        Lwt.catch
          (fun () -> run_test t r)
          (function
            | Failed why ->
                Logs.warn (fun m -> m "mir-perf iperf3: test %d from %s failed: %s" t.number peer why);
                Lwt.return_unit
            | e -> Lwt.fail e))
      (fun () ->
        current := None;
        Lwt_list.iter_p (fun s -> T.close s.sflow) t.streams >>= fun () -> T.close r.flow)

  let on_connect flow =
    let r = { flow; pending = Cstruct.empty } in
    let peer =
      let ip, p = T.dst flow in
      Fmt.str "%a:%d" Ipaddr.pp ip p
    in
    Lwt.catch
      (fun () ->
        within (Duration.of_sec 30) "cookie" (read_exactly r cookie_size) >>= fun c ->
        let cookie = Cstruct.to_string c in
        match !current with
        | Some t when t.count_from = None && String.equal t.cookie cookie ->
            join_stream t r
        | Some t ->
            Logs.warn (fun m ->
                m "mir-perf iperf3: refused %s: test %d from %s is running" peer t.number t.peer);
            send_state flow access_denied >>= fun () -> T.close flow
        | None -> control r cookie peer)
      (fun e ->
        Logs.warn (fun m ->
            m "mir-perf iperf3: connection from %s: %s" peer
              (match e with Failed s -> s | e -> Printexc.to_string e));
        T.close flow)

  (* UDP on the same port: a new sender while the test takes its streams is
     a stream "connecting" (answered, as iperf_udp_accept does); a known
     one's datagrams are the test's. *)
  let on_datagram udp ~port ~src ~dst:_ ~src_port buf =
    match !current with
    | Some t when t.udp -> (
        match
          List.find_opt (fun u -> u.sport = src_port && Ipaddr.compare u.src src = 0) t.ustreams
        with
        | Some u ->
            udp_datagram t u buf;
            Lwt.return_unit
        | None when t.count_from = None && List.length t.ustreams < t.parallel ->
            let uid = match t.ustreams with [] -> 1 | l -> List.length l + 2 in
            t.ustreams <-
              {
                uid;
                src;
                sport = src_port;
                ubytes = 0;
                packets = 0;
                errors = 0;
                outoforder = 0;
                jitter = 0.;
                prev_transit = None;
                counting = false;
                om_packets = 0;
                om_errors = 0;
              }
              :: t.ustreams;
            Lwt_condition.broadcast t.joined ();
            (* the reply as iperf3 writes it: a host-order int, x86's here *)
            let reply = Cstruct.create 4 in
            Cstruct.LE.set_uint32 reply 0 udp_connect_reply;
            S.UDP.write ~src_port:port ~dst:src ~dst_port:src_port udp reply >|= fun _ -> ()
        | None -> Lwt.return_unit)
    | _ -> Lwt.return_unit

  let start s =
    let port = port () in
    T.listen (S.tcp s) ~port on_connect;
    S.UDP.listen (S.udp s) ~port (on_datagram (S.udp s) ~port);
    Logs.app (fun m -> m "mir-perf iperf3: listening on TCP port %d" port);
    Lwt.pick [ S.listen s; (Xen_os.Lifecycle.await_shutdown_request () >|= fun _ -> ()) ]
    >|= fun () ->
    Logs.app (fun m ->
        m "mir-perf iperf3: %d tests, %d completed, received %d bytes" !tests !completed
          !total_bytes)
end
