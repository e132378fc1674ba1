#!/usr/bin/env python3
"""A TCP proxy that adds a fixed one-way delay in each direction and counts round trips.

    delay_proxy.py --listen 127.0.0.1:PORT --target 127.0.0.1:PORT --one-way-ms D --stats FILE

Used by the benchmark because this sandbox's kernel has no `netem` qdisc
(see docs/benchmarks/results.md). Every chunk read from one side is written
to the other side D ms after it was read (order kept, no bandwidth limit),
so a request/response exchange costs 2*D ms more: the round-trip time added
is 2*D. A connection's "round trips" are counted as the client->server
*turns*: the number of times the client sends data after the server last
sent data (the first client packet counts as one, and the server's greeting
before it is not a turn). A MySQL handshake is about 2 turns, every query
1 (pipelined statements without waiting count once).

On SIGTERM/SIGINT or when a connection closes, one JSON line per finished
connection is appended to FILE: {"turns": T, "c2s_bytes": .., "s2c_bytes": ..}.
Standard library only. Threads, not asyncio: epoll's millisecond timeout granularity
would turn a 0.5 ms wait into 1 ms or more; time.sleep() is precise to ~0.1 ms.
"""

from __future__ import annotations

import argparse
import json
import queue
import signal
import socket
import sys
import threading
import time

LOCK = threading.Lock()


def split_addr(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


class Conn:
    def __init__(self) -> None:
        self.turns = 0
        self.last_from = "server"  # the server speaks first (greeting)
        self.bytes = {"client": 0, "server": 0}
        self.started = time.time()


def pump(src: socket.socket, dst: socket.socket, delay: float, side: str, conn: Conn, done) -> None:
    q: queue.Queue = queue.Queue()

    def writer() -> None:
        while True:
            item = q.get()
            if item is None:
                break
            due, data = item
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                dst.sendall(data)
            except OSError:
                break
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    w = threading.Thread(target=writer, daemon=True)
    w.start()
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            now = time.monotonic()
            with LOCK:
                if side == "client" and conn.last_from != "client":
                    conn.turns += 1
                conn.last_from = side
                conn.bytes[side] += len(data)
            q.put((now + delay, data))
    except OSError:
        pass
    finally:
        q.put(None)
        w.join()
        done()


def serve(args) -> None:
    delay = args.one_way_ms / 1000.0
    target = split_addr(args.target)
    stats = open(args.stats, "a", buffering=1) if args.stats else None
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(split_addr(args.listen))
    lsock.listen(64)

    def handle(csock: socket.socket) -> None:
        conn = Conn()
        try:
            ssock = socket.create_connection(target)
        except OSError:
            csock.close()
            return
        for sk in (csock, ssock):
            sk.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        remaining = [2]

        def done() -> None:
            with LOCK:
                remaining[0] -= 1
                last = remaining[0] == 0
            if not last:
                return
            for sk in (csock, ssock):
                try:
                    sk.close()
                except OSError:
                    pass
            if stats:
                with LOCK:
                    stats.write(json.dumps({
                        "turns": conn.turns,
                        "c2s_bytes": conn.bytes["client"],
                        "s2c_bytes": conn.bytes["server"],
                        "seconds": round(time.time() - conn.started, 4),
                    }) + "\n")

        threading.Thread(target=pump, args=(csock, ssock, delay, "client", conn, done), daemon=True).start()
        threading.Thread(target=pump, args=(ssock, csock, delay, "server", conn, done), daemon=True).start()

    print(f"delay_proxy: {args.listen} -> {args.target}, +{args.one_way_ms} ms each way", file=sys.stderr, flush=True)
    while True:
        csock, _ = lsock.accept()
        handle(csock)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--listen", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--one-way-ms", type=float, required=True)
    p.add_argument("--stats")
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        serve(args)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
