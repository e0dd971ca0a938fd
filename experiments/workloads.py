"""Workloads: plain top-level functions, sized by their arguments, returning something checkable.

No timing and no pytest here: spawn and forkserver children import these by name.
"""

import array
import concurrent.futures
import contextlib
import hashlib
import http.client
import http.server
import itertools
import os
import socket
import socketserver
import sys
import threading
import time
import zlib
from multiprocessing import shared_memory
from multiprocessing.managers import BaseManager

MODULUS = 1000003


def cpu_spin(n):
    """Pure-Python CPU work that holds the GIL throughout: the sum of i*i below n, modulo a prime."""
    total = 0
    for i in range(n):
        total = (total + i * i) % MODULUS
    return total


def cpu_spin_expected(n):
    """What `cpu_spin(n)` must return, from the closed form of the sum of squares."""
    return (n - 1) * n * (2 * n - 1) // 6 % MODULUS


def split(total, parts):
    """`total` units of work cut into `parts` sizes that differ by at most one."""
    size, rest = divmod(total, parts)
    return [size + (1 if i < rest else 0) for i in range(parts)]


def sleep_for(seconds):
    """An I/O wait that is nothing but a wait."""
    time.sleep(seconds)
    return seconds


def loopback_request(port, delay_ms):
    """One request/response to the delay server of `experiments.servers`; returns the echoed line."""
    request = "{}\n".format(delay_ms).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        reply = conn.makefile("rb").readline()
    return reply.decode().strip()


def payload_size(payload):
    """The reply to a payload handed over: its length, O(1) so only the hand-over itself costs."""
    return len(payload)


MARKS = []  # a module global that workers write to (C02)


class Box:
    """An object instance that workers write to (C02)."""

    def __init__(self):
        self.value = None


def write_everywhere(token, items, box):
    """Write `token` into a module global, a list and an object instance."""
    MARKS.append(token)
    items.append(token)
    box.value = token
    return token


# C03, C04, C05, C10, C18: who a worker is, waits in company, empty workers, thread stacks, values handed back

TOGETHER_TIMEOUT_S = 60  # a barrier still waiting after this is broken: some worker never came


def identity():
    """(pid, native thread id) of the caller: the process it lives in and the OS thread that runs it."""
    return os.getpid(), threading.get_native_id()


def identity_when_together(together):
    """The caller's identity, once every worker waits at `together` (a Barrier), so all are alive at once."""
    together.wait(TOGETHER_TIMEOUT_S)
    return identity()


def report_identity(reports):
    """Put the caller's identity on the queue `reports`: how a child process answers."""
    reports.put(identity())


def wait_together(together, seconds):
    """Wait at `together` until every worker has started, then wait `seconds`: one wait among many."""
    together.wait(TOGETHER_TIMEOUT_S)
    time.sleep(seconds)
    return seconds


def nothing():
    """An empty worker: starting and joining it is all it costs."""


def keep_local(slot, token, shared, together):
    """Put `token` in the threading.local `slot` and in the `shared` list; once every worker has (`together`),
    read the slot back. Returns (what the slot holds now, id of the list this worker reached)."""
    slot.value = token
    shared.append(token)
    together.wait(TOGETHER_TIMEOUT_S)
    return slot.value, id(shared)


def recurse(depth):
    """Pure-Python recursion; since 3.11 CPython keeps these frames on the heap, not on the C stack."""
    return 0 if depth == 0 else 1 + recurse(depth - 1)


def recurse_through_c(depth):
    """Recursion that re-enters the interpreter from C (map's next) at every level: each level takes C stack."""
    return 0 if depth == 0 else 1 + next(map(recurse_through_c, [depth - 1]))


RECURSIONS = {"python": recurse, "through_c": recurse_through_c}
FIRST_DEPTH = 16
RECURSION_MARGIN = 100  # the frames below the recursion: thread bootstrap, the climb loop
# Before 3.12 one level through C counts more than once against the recursion limit (the Python call and the C
# calls around it); the limit is set this many times the cap, so only the stack stops the climb.
CALLS_PER_LEVEL = 4


def climb_in_thread(kind, stack_bytes, cap):
    """In a new thread with `stack_bytes` of stack, recurse (RECURSIONS[kind]) 16, 32, 64 ... up to `cap` deep,
    printing each depth reached; returns what stopped it: "cap", "RecursionError", or "unsupported" when this
    platform cannot set a thread's stack size.

    A stack too small for a depth crashes the interpreter: run this only in a throwaway child interpreter.
    """
    try:
        threading.stack_size(stack_bytes)
    except (ValueError, RuntimeError):
        return "unsupported"
    sys.setrecursionlimit(CALLS_PER_LEVEL * cap + RECURSION_MARGIN)
    stopped = []

    def climb():
        depth = FIRST_DEPTH
        while depth <= cap:
            try:
                print(RECURSIONS[kind](depth), flush=True)
            except RecursionError:
                stopped.append("RecursionError")
                return
            depth *= 2
        stopped.append("cap")

    thread = threading.Thread(target=climb)
    thread.start()
    thread.join()
    return stopped[0]


def square_into_queue(number, results):
    """The post's calc_square, handing its result back on a multiprocessing Queue."""
    results.put(number * number)


def square_into_pipe(number, conn):
    """The post's calc_square, handing its result back through its end of a Pipe."""
    conn.send(number * number)
    conn.close()


def square_into_value(number, shared):
    """The post's calc_square, writing its result into a shared multiprocessing.Value."""
    shared.value = number * number


# C01, C12, C13, C20, C21: pinned spinning, time-stamped spinning, a quiet call, shared updates, GIL-free C code


def cpu_spin_on(cpus, n):
    """`cpu_spin(n)` after pinning this process to `cpus` (C01); returns the CPUs it then ran on, and the sum."""
    os.sched_setaffinity(0, cpus)
    return sorted(os.sched_getaffinity(0)), cpu_spin(n)


def stamped_spin(stamps, spin):
    """Pure-Python CPU work that notes the time after every `spin` empty loop turns, `stamps` times (C12);
    returns the times and this thread's CPU seconds over the loop."""
    times = array.array("d")
    cpu0 = time.thread_time()
    for _ in range(stamps):
        for _ in range(spin):
            pass
        times.append(time.perf_counter())
    return times, time.thread_time() - cpu0


def quietly(fn, *args):
    """`fn(*args)` with what it prints sent to /dev/null (C13: the post's functions print their results)."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        return fn(*args)


TALLY = 0  # a module global that threads increment without a lock (C20)


class SharedCounts:
    """What C20's threads update at once: a counter attribute and its lock, a list, a dict and a count()."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()
        self.items = []
        self.table = {}
        self.numbers = itertools.count()


def handed_back(value):
    """A call and nothing else: on 3.10+ a call is one of the few places a thread switch can happen."""
    return value


def add_to_global(tally, updates):
    global TALLY
    for _ in range(updates):
        TALLY += 1
    return updates


def add_to_attribute(tally, updates):
    for _ in range(updates):
        tally.count += 1
    return updates


def add_with_a_call_between(tally, updates):
    for _ in range(updates):
        value = tally.count
        value = handed_back(value)
        tally.count = value + 1
    return updates


def add_holding_a_lock(tally, updates):
    for _ in range(updates):
        with tally.lock:
            tally.count += 1
    return updates


def append_items(tally, updates):
    for i in range(updates):
        tally.items.append(i)
    return updates


def store_keys(tally, updates):
    """`updates` keys of this thread's own: none is written twice, so every one missing was lost."""
    me = threading.get_ident()
    for i in range(updates):
        tally.table[me, i] = i
    return updates


def draw_numbers(tally, updates):
    for _ in range(updates):
        next(tally.numbers)
    return updates


def sha256_repeated(data, times):
    """The set of SHA-256 digests of `data`, hashed `times` times: C code that releases the GIL (C21)."""
    return {hashlib.sha256(data).hexdigest() for _ in range(times)}


def compress_repeated(data, times, level):
    """The set of zlib-compressed sizes of `data`, compressed `times` times: C code that releases the GIL (C21)."""
    return {len(zlib.compress(data, level)) for _ in range(times)}


def read_file(path, times, chunk_bytes):
    """Bytes read from the file at `path`, read `times` times unbuffered into one buffer: each read() releases
    the GIL (C21)."""
    buffer = bytearray(chunk_bytes)
    total = 0
    for _ in range(times):
        with open(path, "rb", buffering=0) as file:
            got = file.readinto(buffer)
            while got:
                total += got
                got = file.readinto(buffer)
    return total


# C06, C17, C22: a CPU-bound load that runs until told to stop; echo partners for payloads; an HTTP server whose
# handler waits or computes, and the clients that load it.


def spin_until_stopped(stop, chunk, spun):
    """`cpu_spin(chunk)` again and again until `stop` (an Event) is set; counts the chunks in `spun` (a
    multiprocessing.Value, so a thread's and a child process's progress read the same way) and returns it."""
    while not stop.is_set():
        cpu_spin(chunk)
        with spun.get_lock():
            spun.value += 1
    return spun.value


def echo_queue(inbox, outbox):
    """Put every item from `inbox` on `outbox` until None arrives; returns how many were echoed."""
    echoed = 0
    for item in iter(inbox.get, None):
        outbox.put(item)
        echoed += 1
    return echoed


def echo_pipe(conn):
    """Send every object received on `conn` back until None arrives; returns how many were echoed."""
    echoed = 0
    for item in iter(conn.recv, None):
        conn.send(item)
        echoed += 1
    return echoed


def echo_shared_memory(conn, name):
    """For every size S received on `conn`: copy S bytes out of the shared memory segment `name` and write them
    back (what receiving and replying cost there), then send S back as the notification; None stops it."""
    segment = shared_memory.SharedMemory(name)
    echoed = 0
    try:
        for size in iter(conn.recv, None):
            received = bytes(segment.buf[:size])
            segment.buf[:size] = received
            conn.send(size)
            echoed += 1
    finally:
        segment.close()
    return echoed


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


# C08, C19: spinners to stop from outside; shared state updated under each kind of lock


def spin_until(stop, started, limit_s):
    """Spin, checking `stop` between spins (a cooperative stop); give up after `limit_s`. Puts the thread's id
    into `started` (a queue) first; returns the spins done."""
    started.put(threading.get_ident())
    deadline = time.monotonic() + limit_s
    spins = 0
    while not stop.is_set() and time.monotonic() < deadline:
        spins += 1
    return spins


def spin_through_exits(stop, started, limit_s):
    """Like `spin_until`, but catch any SystemExit raised into the thread and spin on (putting the thread's id
    into `started` again); returns how many it caught."""
    deadline = time.monotonic() + limit_s
    caught = 0
    while True:
        try:
            started.put(threading.get_ident())
            while not stop.is_set() and time.monotonic() < deadline:
                pass
            return caught
        except SystemExit:
            caught += 1


def wait_for_lock(lock, started, limit_s):
    """Block in one C call, acquiring a lock someone else holds; True once it got it."""
    started.put(threading.get_ident())
    got = lock.acquire(True, limit_s)
    if got:
        lock.release()
    return got


def spin_for(started, limit_s):
    """A child process's busy loop: set `started`, then spin until `limit_s` has passed."""
    started.set()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        pass
    return limit_s


class Tally:
    """A count that workers add to; methods only, so that a manager's proxy can reach all of it."""

    def __init__(self):
        self.count = 0

    def add(self, amount):
        self.count += amount
        return self.count

    def total(self):
        return self.count


class TallyManager(BaseManager):
    """A manager whose server process holds Tally instances; module-level so spawn can pickle it."""


TallyManager.register("Tally", Tally)


def add_under_lock(tally, lock, times):
    """Threads: add 1 to a plain instance `times` times, each under a threading.Lock."""
    for _ in range(times):
        with lock:
            tally.count += 1
    return times


def add_to_value(value, times):
    """Processes: add 1 to a multiprocessing.Value `times` times, each under the Value's own lock."""
    for _ in range(times):
        with value.get_lock():
            value.value += 1
    return times


def add_to_proxy(value, lock, times):
    """Processes: add 1 to a Manager().Value proxy `times` times, each under a Manager().Lock proxy."""
    for _ in range(times):
        with lock:
            value.value += 1
    return times


def add_by_method(tally, times):
    """Add 1 `times` times by calling `tally.add`: on a proxy, each call runs in the manager's server."""
    for _ in range(times):
        tally.add(1)
    return times
