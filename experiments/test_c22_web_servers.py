"""C22: threads in a web server, when its requests wait on I/O and when they compute.

The post: "thus the threading implementation on python is useful mostly for concurrent thread implementation
in web-servers".

Measured: the time for a burst of requests from K = 1 ... 64 concurrent clients to a loopback HTTP server whose
handler waits (time.sleep, HANDLER_WAIT_S) or computes (cpu_spin, HANDLER_SPIN, about as long): the standard
library's `HTTPServer` (one request at a time), `ThreadingHTTPServer` (a thread per request), and a
`ForkingMixIn` server (a process per request, POSIX only). The server runs in its own process; the clients are
K threads of one other process, so neither shares the other's GIL. Each client opens a new connection per
request (HTTP/1.0). Throughput is requests over the burst's time; latency median and p99 go into extra_info.
Rule: `c22.threads_mostly_for_servers` in scripts/rules/c22.py.
"""

import contextlib
import multiprocessing
import statistics

import pytest

from experiments.latency import percentile
from experiments.models import stop
from experiments.profiles import scaled
from experiments.servers import HTTP_SERVERS, http_clients, serve_http
from experiments.workloads.cpu import cpu_spin_expected

pytestmark = pytest.mark.claim("C22")
SERVERS = ["serial", "threading", "forking"]
HANDLERS = ["io", "cpu"]
CLIENTS = [1, 4, 16, 64]  # K concurrent clients, x4 apart
HANDLER_WAIT_S = 0.002  # what an I/O-bound handler waits for, a fast database query
HANDLER_SPIN = 20000  # cpu_spin iterations of a CPU-bound handler: about as long as the wait (~2 ms)
FULL_REQUESTS = 32  # requests per burst (at least K, so that all K clients are busy)
BACKLOG = 128  # listen() backlog: the default 5 would drop connects from 64 clients and time the SYN retries
POLL_S = 0.05  # how often an idle server looks whether it should stop
REQUEST_TIMEOUT_S = 30
START_TIMEOUT_S = 60
BURST_TIMEOUT_S = 120
STOP_TIMEOUT_S = 10


def work(handler):
    """The server's work per request and the body every answer must carry."""
    if handler == "io":
        return ("io", HANDLER_WAIT_S), str(HANDLER_WAIT_S)
    return ("cpu", HANDLER_SPIN), str(cpu_spin_expected(HANDLER_SPIN))


@contextlib.contextmanager
def child(target, *args):
    """`target(*args, conn)` in a process of the default start method; yields our end of `conn`, then sends
    None, waits for the process to end, and kills it if it does not."""
    context = multiprocessing.get_context()
    mine, theirs = context.Pipe()
    process = context.Process(target=target, args=args + (theirs,))
    process.start()
    theirs.close()
    try:
        yield mine
    finally:
        with contextlib.suppress(OSError):  # a child that died has closed its end already
            mine.send(None)
        stop(process, STOP_TIMEOUT_S)
        mine.close()


def receive(conn, timeout, what):
    if not conn.poll(timeout):
        raise TimeoutError("no {} within {} s".format(what, timeout))
    return conn.recv()


@contextlib.contextmanager
def loaded_server(server, handler, clients):
    """An HTTP server process and a process of `clients` client threads; yields burst(n) -> n answers."""
    if server not in HTTP_SERVERS:
        pytest.skip("socketserver.ForkingMixIn needs os.fork, which this platform lacks")
    with child(serve_http, server, work(handler)[0], BACKLOG, POLL_S) as server_conn:
        port = receive(server_conn, START_TIMEOUT_S, "port from the server")
        with child(http_clients, port, clients, REQUEST_TIMEOUT_S) as client_conn:

            def burst(requests):
                client_conn.send(requests)
                return receive(client_conn, BURST_TIMEOUT_S, "answers from the clients")

            yield burst


@pytest.mark.parametrize("server", SERVERS)
def test_every_server_answers_every_one_of_many_concurrent_clients(server):
    clients = max(CLIENTS)
    with loaded_server(server, "io", clients) as burst:
        answers = burst(clients)
    assert [(status, body) for status, body, _ in answers] == [(200, work("io")[1])] * clients


@pytest.mark.measurement("throughput")
@pytest.mark.parametrize("clients", CLIENTS)
@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("handler", HANDLERS)
def test_throughput(bench, each_round, profile, handler, server, clients):
    requests = max(clients, scaled(FULL_REQUESTS, profile))
    with loaded_server(server, handler, clients) as burst:
        bursts = each_round(burst, requests)
    answers = [answer for answers in bursts for answer in answers]
    assert [(status, body) for status, body, _ in answers] == [(200, work(handler)[1])] * len(answers)
    latencies = sorted(seconds for _, _, seconds in answers)
    bench.extra_info.update(
        requests=requests,
        handler_wait_s=HANDLER_WAIT_S,
        handler_spin=HANDLER_SPIN,
        backlog=BACKLOG,
        start_method=multiprocessing.get_start_method(),
        latency_median_s=statistics.median(latencies),
        latency_p99_s=percentile(latencies, 99),
    )
