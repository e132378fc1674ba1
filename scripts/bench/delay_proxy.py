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
Standard library only (asyncio).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time


def split_addr(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


class Conn:
    def __init__(self) -> None:
        self.turns = 0
        self.last_from = "server"  # the server speaks first (greeting)
        self.bytes = {"client": 0, "server": 0}


async def pump(reader, writer, delay: float, side: str, conn: Conn) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    async def writer_task() -> None:
        while True:
            item = await queue.get()
            if item is None:
                break
            due, data = item
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.create_task(writer_task())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if side == "client" and conn.last_from != "client":
                conn.turns += 1
            conn.last_from = side
            conn.bytes[side] += len(data)
            queue.put_nowait((loop.time() + delay, data))
    except (ConnectionError, OSError):
        pass
    finally:
        queue.put_nowait(None)
        try:
            await task
        except (ConnectionError, OSError):
            pass


async def main_async(args) -> None:
    delay = args.one_way_ms / 1000.0
    thost, tport = split_addr(args.target)
    stats = open(args.stats, "a", buffering=1) if args.stats else None

    async def handle(creader, cwriter) -> None:
        conn = Conn()
        try:
            sreader, swriter = await asyncio.open_connection(thost, tport)
        except OSError:
            cwriter.close()
            return
        for w in (cwriter, swriter):
            sock = w.get_extra_info("socket")
            if sock is not None:
                import socket

                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        started = time.time()
        await asyncio.gather(
            pump(creader, swriter, delay, "client", conn),
            pump(sreader, cwriter, delay, "server", conn),
        )
        for w in (cwriter, swriter):
            try:
                w.close()
            except OSError:
                pass
        if stats:
            stats.write(
                json.dumps(
                    {
                        "turns": conn.turns,
                        "c2s_bytes": conn.bytes["client"],
                        "s2c_bytes": conn.bytes["server"],
                        "seconds": round(time.time() - started, 4),
                    }
                )
                + "\n"
            )

    lhost, lport = split_addr(args.listen)
    server = await asyncio.start_server(handle, lhost, lport, reuse_address=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"delay_proxy: {args.listen} -> {args.target}, +{args.one_way_ms} ms each way", file=sys.stderr, flush=True)
    async with server:
        await stop.wait()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--listen", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--one-way-ms", type=float, required=True)
    p.add_argument("--stats")
    args = p.parse_args()
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
