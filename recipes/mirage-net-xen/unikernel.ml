(* Forward every frame received on the first netif to the second (and, with
   --bidir, the other way too) unchanged, through a bounded queue per
   direction: a frame that finds its queue full is dropped and counted, so a
   slow transmit side never grows memory without bound. Nothing is printed per
   frame (printing costs throughput); the counters are printed once, when the
   domain is asked to shut down.

   Every netif is listened on, the output one too (what arrives there is
   dropped and counted, unless --bidir forwards it back): mirage-net-xen 2.1.x
   frees a netif's transmit slots only inside its own listen loop, so a netif
   that only transmits stops for good after one TX ring (256 frames). *)
open Lwt.Infix

let bidir =
  let doc =
    Cmdliner.Arg.info ~doc:"Also forward frames from the second netif to the first."
      [ "bidir" ]
  in
  Mirage_runtime.register_arg Cmdliner.Arg.(value & flag doc)

let queue_len =
  let doc =
    Cmdliner.Arg.info ~doc:"Frames each direction may hold before it drops." [ "queue" ]
  in
  Mirage_runtime.register_arg Cmdliner.Arg.(value & opt int 1024 doc)

type counters = {
  mutable received : int;
  mutable sent : int;
  mutable dropped : int; (* queue full *)
  mutable tx_errors : int;
  mutable ignored : int; (* arrived on the output netif without --bidir *)
}

let counters () = { received = 0; sent = 0; dropped = 0; tx_errors = 0; ignored = 0 }

module Main (In : Mirage_net.S) (Out : Mirage_net.S) = struct
  (* One direction: rx callback -> bounded queue -> transmit loop. *)
  module Dir (Rx : Mirage_net.S) (Tx : Mirage_net.S) = struct
    let run ~name rx tx limit c =
      let q = Queue.create () in
      let ready = Lwt_condition.create () in
      let enqueue frame =
        c.received <- c.received + 1;
        if Queue.length q >= limit then c.dropped <- c.dropped + 1
        else (
          (* The receive buffer goes back to the driver when this returns. *)
          let copy = Cstruct.create_unsafe (Cstruct.length frame) in
          Cstruct.blit frame 0 copy 0 (Cstruct.length frame);
          Queue.push copy q;
          Lwt_condition.signal ready ());
        Lwt.return_unit
      in
      let rec transmit () =
        (if Queue.is_empty q then Lwt_condition.wait ready else Lwt.return_unit)
        >>= fun () ->
        match Queue.take_opt q with
        | None -> transmit ()
        | Some frame ->
            let len = Cstruct.length frame in
            Tx.write tx ~size:len (fun buf ->
                Cstruct.blit frame 0 buf 0 len;
                len)
            >>= fun r ->
            (match r with
            | Ok () -> c.sent <- c.sent + 1
            | Error _ -> c.tx_errors <- c.tx_errors + 1);
            transmit ()
      in
      let listen =
        Rx.listen rx ~header_size:14 enqueue >|= function
        | Ok () -> ()
        | Error e -> Logs.err (fun m -> m "%s: listen: %a" name Rx.pp_error e)
      in
      Lwt.pick [ listen; transmit () ]
  end

  module Fwd = Dir (In) (Out)
  module Back = Dir (Out) (In)

  (* Without --bidir: the output netif's listen loop, for its TX completions;
     what arrives there is not ours to forward. *)
  let drain n1 c =
    Out.listen n1 ~header_size:14 (fun _ ->
        c.ignored <- c.ignored + 1;
        Lwt.return_unit)
    >|= function
    | Ok () -> ()
    | Error e -> Logs.err (fun m -> m "netif 1: listen: %a" Out.pp_error e)

  let report name c =
    Logs.app (fun m ->
        m "mir-perf forward %s: received %d sent %d dropped %d tx_errors %d ignored %d" name
          c.received c.sent c.dropped c.tx_errors c.ignored)

  let start n0 n1 =
    let limit = max 1 (queue_len ()) in
    let fwd = counters () and back = counters () in
    let directions =
      Fwd.run ~name:"0->1" n0 n1 limit fwd
      :: (if bidir () then [ Back.run ~name:"1->0" n1 n0 limit back ]
          else [ drain n1 fwd ])
    in
    Logs.app (fun m ->
        m "mir-perf forward: netif 0 -> netif 1%s, queue %d"
          (if bidir () then " and back" else "")
          limit);
    Lwt.pick
      [
        Lwt.join directions;
        (Xen_os.Lifecycle.await_shutdown_request () >|= fun _ -> ());
      ]
    >|= fun () ->
    report "0->1" fwd;
    if bidir () then report "1->0" back
end
