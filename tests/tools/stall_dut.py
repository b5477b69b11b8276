#!/usr/bin/env python3
"""A DUT that stops transmitting after N frames, for the tests: it forwards
frames from tap0 to tap1 until it has sent N, then keeps reading tap0 and
drops everything -- as a unikernel whose TX ring never frees stops after one
ring (256 frames). Its stderr is its console: "received R sent S dropped D"
whenever the counts change, at most every 200 ms.

After the N-th frame it either waits for frames as before and drops them
(`drop`, the default: asleep between frames), never sleeps again, polling
tap0 in a busy loop (`spin`: a DUT stuck in a loop that does not yield), or
stops reading tap0 altogether and sleeps (`hang`: a unikernel waiting for an
event that never comes; its receive queue fills and then takes nothing in).

Usage: stall_dut.py N [drop|spin|hang]  (run by mir-perf as
--dut 'exec:python3 stall_dut.py N' on the local platform, where tap0 and
tap1 exist)."""
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def attach(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main():
    if len(sys.argv) not in (2, 3) or not sys.argv[1].isdigit() or sys.argv[2:] not in ([], ["drop"], ["spin"], ["hang"]):
        print("usage: stall_dut.py N [drop|spin|hang] (frames sent before it stops)", file=sys.stderr)
        return 2
    limit = int(sys.argv[1])
    spin = sys.argv[2:] == ["spin"]
    hang = sys.argv[2:] == ["hang"]
    rx, tx = attach("tap0"), attach("tap1")
    received = sent = dropped = 0
    said, last_say = None, 0.0
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    signal.signal(signal.SIGINT, lambda *_: running.__setitem__(0, False))
    print("stall_dut: forwarding tap0 -> tap1, %d frames at most" % limit, file=sys.stderr, flush=True)
    while running[0]:
        if hang and sent >= limit:
            # tap0 is never read again, and nothing else wakes it: no CPU
            # at all until mir-perf's signal, as a unikernel that waits for
            # an event that never comes (a timed sleep here cost 10 ms of
            # CPU in 500 ms on a loaded machine: "using", not "idle")
            stop = {signal.SIGTERM, signal.SIGINT}
            signal.pthread_sigmask(signal.SIG_BLOCK, stop)
            if running[0]:  # (a signal before the block ran its handler)
                signal.sigwait(stop)
            break
        try:
            # spinning: never give the CPU up, even when nothing arrived
            ready, _, _ = select.select([rx], [], [], 0 if spin and sent >= limit else 0.2)
        except InterruptedError:
            continue
        if ready:
            frame = os.read(rx, 65536)
            received += 1
            if sent < limit:
                os.write(tx, frame)
                sent += 1
            else:
                dropped += 1
        now = time.monotonic()
        counts = (received, sent, dropped)
        if counts != said and now - last_say >= 0.2:
            print("received %d sent %d dropped %d" % counts, file=sys.stderr, flush=True)
            said, last_say = counts, now
    print("received %d sent %d dropped %d" % (received, sent, dropped), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
