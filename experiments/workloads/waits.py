"""Waits that a waiter repeats (X03): a sleep, or a request on a connection that stays open, each as a blocking
function (what a thread runs) and as a coroutine (what an asyncio task awaits).

Plain top-level functions, sized by their arguments, returning something checkable (see workloads/cpu.py). The
server the requests go to is `kept_open_server` of experiments/servers.py: it answers each line (a delay in
milliseconds) with the same line, after that delay.
"""

import asyncio
import time

REPLY_BYTES = 64  # more than any answer: a delay in milliseconds and a newline


def sleep_wait(seconds):
    """An I/O wait that is nothing but a wait, in a thread."""
    time.sleep(seconds)
    return seconds


async def sleep_wait_async(seconds):
    """The same wait, in an asyncio task."""
    await asyncio.sleep(seconds)
    return seconds


def request_on(conn, delay_ms):
    """One request/response on `conn`, an open (blocking, timed-out) connection to the kept-open delay server:
    returns the answer, which is the request's delay."""
    conn.sendall(b"%d\n" % delay_ms)
    reply = b""
    while not reply.endswith(b"\n"):
        got = conn.recv(REPLY_BYTES)
        if not got:
            break  # the server closed the connection: the answer comes back incomplete, and checks say so
        reply += got
    return int(reply) if reply.strip().isdigit() else None


async def request_on_async(reader, writer, delay_ms):
    """The same request/response, on the asyncio streams of an open connection."""
    writer.write(b"%d\n" % delay_ms)
    reply = await reader.readline()
    return int(reply) if reply.strip().isdigit() else None
