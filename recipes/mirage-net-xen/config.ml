(* mirage >= 4.9.0 & < 4.10.0 *)
(* mir-perf's forwarding unikernel for the mirage-net-xen recipe (MirageOS 4,
   Xen target: PVH). Two network interfaces: netif "0" (devid 0) receives the
   generator's frames, netif "1" (devid 1) sends them on to the sink. The
   generated .xl.in names them @NETWORK:0@ and @NETWORK:1@ (mirage 4.9 lists
   them in reverse order); mir-perf takes each devid from that name, never from
   the list's order. The first line is the version constraint mirage 4.9 insists
   on. Each netif has a group of its own: two netifs of the same (default)
   group both register the runtime argument --interface, and the unikernel dies
   at start ("option name --interface defined twice"). *)
open Mirage

let main =
  main "Unikernel.Main"
    ~packages:[ package ~min:"8.0.0" "mirage-xen" ]
    (network @-> network @-> job)

let () = register "forward" [ main $ netif ~group:"in" "0" $ netif ~group:"out" "1" ]
