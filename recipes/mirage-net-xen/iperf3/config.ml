(* mirage >= 4.9.0 & < 4.10.0 *)
(* mir-perf's endpoint unikernel for the mirage-net-xen recipe (MirageOS 4,
   Xen target: PVH): an iperf3-compatible TCP server on mirage-tcpip over
   mirage-net-xen's netfront, so that `mir-perf --mode goodput --server dut`
   measures the library as the stack on top of it sees it, with Debian's
   iperf3 as the client. One netif, "0" (devid 0), on the generator's bridge;
   its address comes from the runtime arguments on the guest's cmdline
   (--ipv4=A.B.C.D/N --ipv4-only=true). The first line is the version
   constraint mirage 4.9 insists on. *)
open Mirage

let main =
  main "Unikernel.Main"
    ~packages:
      [
        package ~min:"8.0.0" "mirage-xen";
        package "duration";
        package "mirage-sleep";
        package "mirage-mtime";
      ]
    (stackv4v6 @-> job)

let () = register "iperf3" [ main $ generic_stackv4v6 (netif "0") ]
