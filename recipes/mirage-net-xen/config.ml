(* mir-perf's forwarding unikernel for the mirage-net-xen recipe (MirageOS 4,
   Xen target: PVH). Two network interfaces: netif "0" (devid 0) receives the
   generator's frames, netif "1" (devid 1) sends them on to the sink. The
   generated .xl.in lists them as @NETWORK:0@ and @NETWORK:1@ in devid order;
   mir-perf reads that list to put each on its bridge. *)
open Mirage

let main =
  main "Unikernel.Main"
    ~packages:[ package ~min:"8.0.0" "mirage-xen" ]
    (network @-> network @-> job)

let () = register "forward" [ main $ netif "0" $ netif "1" ]
