"""Servers on loopback and the clients that load them; each stops with the block or test that started it.

The delay server answers each request after a delay the client asks for (an I/O wait with a peer, C06 and C07).
It runs in its own interpreter, so it never competes for the measured process's GIL. Protocol: the client sends
one line with a delay in milliseconds; after that delay the server sends the same line back.

The HTTP server (C22) answers every GET with the result of its work: a wait or a computation; its clients are the
threads of one other process.
"""

import asyncio
import concurrent.futures
import contextlib
import http.client
import http.server
import os
import socket
import socketserver
import subprocess
import sys
import time

from experiments.models import stop
from experiments.workloads.cpu import cpu_spin
from experiments.workloads.io import sleep_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STOP_TIMEOUT_S = 10


async def _answer(reader, writer):
    line = await reader.readline()
    await asyncio.sleep(int(line) / 1000)
    writer.write(line)
    await writer.drain()
    writer.close()


async def _serve():
    server = await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    # Serve until the parent closes our stdin (or dies): no orphan outlives its test.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()
    await server.wait_closed()


@contextlib.contextmanager
def server_process(serve):
    """Run `serve` (a function of this module that prints its port and serves until its stdin closes) in a child
    interpreter, so it never competes for the measured process's GIL; yield the port, and stop the child however the
    block ends."""
    child = subprocess.Popen(
        [sys.executable, "-c", "from experiments.servers import {0}; {0}()".format(serve)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        universal_newlines=True,
    )
    try:
        yield int(child.stdout.readline())
    finally:
        child.stdin.close()  # the server's cue to stop
        stop(child, STOP_TIMEOUT_S)
        child.stdout.close()


def delay_server():
    """The delay server in a child interpreter: yields its port."""
    return server_process("serve_delays")


def serve_delays():
    asyncio.run(_serve())


def loopback_request(port, delay_ms):
    """One request/response to the delay server of `experiments.servers`; returns the echoed line."""
    request = "{}\n".format(delay_ms).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        reply = conn.makefile("rb").readline()
    return reply.decode().strip()


class WorkHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the result of the server's `work`: ("io", seconds) waits, ("cpu", n) computes."""

    def do_GET(self):
        kind, amount = self.server.work
        body = str(sleep_for(amount) if kind == "io" else cpu_spin(amount)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Silent: a line on stderr per request would time the terminal too."""


HTTP_SERVERS = {"serial": http.server.HTTPServer, "threading": http.server.ThreadingHTTPServer}


if hasattr(socketserver, "ForkingMixIn"):  # POSIX only

    class ForkingHTTPServer(socketserver.ForkingMixIn, http.server.HTTPServer):
        """A process per request, the standard library's way."""

    HTTP_SERVERS["forking"] = ForkingHTTPServer


def serve_http(server, work, backlog, poll_s, conn):
    """Serve WorkHandler with `HTTP_SERVERS[server]` on 127.0.0.1, sending the port on `conn`, until anything
    arrives on `conn`; returns the port it served on."""
    httpd = HTTP_SERVERS[server](("127.0.0.1", 0), WorkHandler, bind_and_activate=False)
    httpd.work = work
    httpd.timeout = poll_s  # handle_request() returns after this long without a request: time to look at `conn`
    httpd.request_queue_size = backlog  # the listen() backlog: 5 by default, under K concurrent connects
    with httpd:
        httpd.server_bind()
        httpd.server_activate()
        conn.send(httpd.server_address[1])
        while not conn.poll():
            httpd.handle_request()
            httpd.service_actions()  # what serve_forever() would do: the forking server reaps its children
    return httpd.server_address[1]


def http_get(port, timeout):
    """One GET to 127.0.0.1:`port` on a new connection: (status, body, seconds), or (error, None, seconds)."""
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request("GET", "/")
            response = conn.getresponse()
            status, body = response.status, response.read().decode()
        finally:
            conn.close()
    except (OSError, http.client.HTTPException) as error:
        status, body = repr(error), None
    return status, body, time.perf_counter() - start


def http_clients(port, clients, timeout, conn):
    """`clients` client threads: for every count n received on `conn`, n GETs to `port`, at most `clients` at
    once; sends back the list of (status, body, seconds). None stops it; returns the number of bursts."""
    bursts = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        for count in iter(conn.recv, None):
            conn.send(list(pool.map(http_get, [port] * count, [timeout] * count)))
            bursts += 1
    return bursts


# The kept-open delay server (X03): one connection per waiter, opened once and used for every request, so that N
# waiters are N connections held at once. Same protocol as the delay server (a line with a delay in milliseconds,
# answered with the same line after that delay), on as many requests per connection as the client sends, through
# asyncio's low-level protocol API: cheaper per request than streams, so the server is not what N waits queue on.
KEPT_OPEN_BACKLOG = 4096  # Linux's default net.core.somaxconn since 5.4: waiters connect one after another


class KeptOpen(asyncio.Protocol):
    """Answers every line received on a connection with the same line, after the delay (ms) it names."""

    def connection_made(self, transport):
        self.transport, self.pending = transport, b""
        self.loop = asyncio.get_running_loop()

    def data_received(self, data):
        self.pending += data
        while b"\n" in self.pending:
            line, _, self.pending = self.pending.partition(b"\n")
            self.loop.call_later(int(line) / 1000, self.answer, line + b"\n")

    def answer(self, line):
        if not self.transport.is_closing():
            self.transport.write(line)


UNLIMITED_FILES = 65536  # what to ask for where the hard limit is "unlimited" (macOS); the OS may grant less


def most_files():
    """Raise this process's open-file limit as far as the OS lets it (one descriptor per connection); returns the
    limit, or None where the platform has no such limit to read."""
    try:
        import resource
    except ImportError:  # not POSIX
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = UNLIMITED_FILES if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):  # above a system-wide cap: keep what we have
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def _serve_kept_open():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(KeptOpen, "127.0.0.1", 0, backlog=KEPT_OPEN_BACKLOG)
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin (or dies)
    server.close()
    await server.wait_closed()


def serve_kept_open():
    """Run the kept-open delay server here, printing its port, until stdin closes."""
    most_files()
    asyncio.run(_serve_kept_open())


def kept_open_server():
    """The kept-open delay server in a child interpreter: yields its port."""
    return server_process("serve_kept_open")
