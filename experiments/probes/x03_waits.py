"""X03 probe: N concurrent waiters of one model, threads or asyncio tasks, in a throwaway interpreter, so that the
suite's own size and history do not leak into the memory they take. Prints one line of JSON with what it found,
then answers rounds.

    python x03_waits.py MODEL WORKLOAD N WAIT_MS BRING_UP_LIMIT_S ROUND_LIMIT_S MEMORY_SHARE [PORT]

    MODEL: threads | asyncio; WORKLOAD: sleep | loopback (PORT: the kept-open delay server of experiments/servers.py)

1. For loopback, open N connections, one after another (stops at the first that cannot open). Then bring up a
   waiter per connection (N for sleep), each parked until a round starts (a thread on its own lock; a task on the
   round's future). Stops at the first failure (a thread that cannot start) or once BRING_UP_LIMIT_S have passed
   since the connections were open.
2. Memory of this process (psutil's USS and PSS) before the connections and waiters, and with the waiters parked.
3. A trial round: every waiter makes one wait; stops waiting for them after ROUND_LIMIT_S.
The waiters are practical when all N came up, took at most MEMORY_SHARE of the machine's memory, and the trial
round ended in time; otherwise the first line says why not, and the probe exits. Practical waiters answer, per
line on stdin: "round K" (every waiter makes K waits, one after another; answered with the seconds, the waiters
done, the answers right and this process's CPU seconds) or "memory". End of input ends it, waiters and all.
"""

import asyncio
import contextlib
import json
import os
import socket
import struct
import sys
import threading
import time

import psutil

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from experiments.servers import most_files  # noqa: E402
from experiments.workloads.waits import request_on, request_on_async, sleep_wait, sleep_wait_async  # noqa: E402

ROUND_TIMEOUT_S = 60  # a timed round still unfinished after this is hung: answered with the waiters done so far
CONNECT_TIMEOUT_S = 30  # for each connection to open (an answer is bounded by the round's timeout, and the exit)


def failure(stage, up, n, error):
    return "{} failed after {} of {} waiters: {}: {}".format(stage, up, n, type(error).__name__, error)


def too_late(up, n):
    return "bring-up past its limit: {} of {} waiters up".format(up, n)


def connect(workload, port, n):
    """(the connections of `n` waiters, why fewer): for loopback, blocking sockets open to the server at `port`,
    opened one after another (N connects at once would overflow the server's backlog and time the kernel's
    retries); for sleep, no connection. Opened before the waiters come up, so that their bring-up is each model's
    own cost and not the kernel's, which both pay alike."""
    if workload != "loopback":
        return [None] * n, None
    conns = []
    for i in range(n):
        try:
            conn = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT_S)
        except OSError as error:
            return conns, failure("connect", i, n, error)
        conn.settimeout(None)  # a thread's recv() then costs one GIL hand-over, not two (poll, then recv)
        # Closed with a reset when the probe exits, not left in TIME_WAIT for a minute: tens of thousands of ports
        # held so would slow every later connect of the run, which has to search past them.
        with contextlib.suppress(OSError):  # Windows packs its linger struct otherwise: there it lingers
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conns.append(conn)
    return conns, None


def memory():
    """(USS, PSS) of this process in bytes; PSS None where the OS does not give it (it is Linux's)."""
    info = psutil.Process().memory_full_info()
    return info.uss, getattr(info, "pss", None)


class Threads:
    """N threads, each parked on its own lock between rounds (one shared Condition would wake them all at once,
    in one thread, under the GIL: the cost of the release, not of the waits)."""

    def __init__(self, workload, wait_ms):
        self.workload, self.wait_ms = workload, wait_ms
        self.gates, self.threads = [], []
        self.ready = threading.Semaphore(0)
        self.lock = threading.Lock()
        self.stopping = False
        self.waits = self.done = self.right = 0
        self.finished = threading.Event()

    def bring_up(self, conns, deadline):
        """(waiters up, why not all) after starting one per connection in `conns` (None: no connection), until
        `deadline` (perf_counter)."""
        reason = None
        for i, conn in enumerate(conns):
            if time.perf_counter() > deadline:
                reason = too_late(i, len(conns))
                break
            try:
                gate = threading.Lock()
                gate.acquire()
                thread = threading.Thread(target=self.waiter, args=(gate, conn), daemon=True)
                thread.start()
            except (RuntimeError, MemoryError) as error:
                reason = failure("start", i, len(conns), error)
                break
            self.gates.append(gate)
            self.threads.append(thread)
        parked = time.perf_counter() + ROUND_TIMEOUT_S
        for _ in self.gates:
            self.ready.acquire(timeout=max(0, parked - time.perf_counter()))
        return len(self.gates), reason

    def waiter(self, gate, conn):
        self.ready.release()
        while True:
            gate.acquire()
            if self.stopping:
                return
            right = 0
            for _ in range(self.waits):
                if self.workload == "sleep":
                    right += sleep_wait(self.wait_ms / 1000) == self.wait_ms / 1000
                else:
                    right += request_on(conn, self.wait_ms) == self.wait_ms
            with self.lock:
                self.done += 1
                self.right += right
                if self.done == len(self.gates):
                    self.finished.set()

    def round(self, waits, timeout):
        """(waiters done, waits answered right) once every waiter made `waits` waits, or after `timeout`."""
        self.waits, self.done, self.right = waits, 0, 0
        self.finished = threading.Event()
        for gate in self.gates:
            gate.release()
        self.finished.wait(timeout)
        with self.lock:
            return self.done, self.right


class Tasks:
    """N asyncio tasks on one event loop, parked on the round's future between rounds; the loop runs only during
    bring-up and rounds."""

    def __init__(self, workload, wait_ms):
        self.workload, self.wait_ms = workload, wait_ms
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.gate = self.loop.create_future()
        self.tasks = []
        self.waits = self.done = self.right = 0
        self.finished = self.loop.create_future()

    def bring_up(self, conns, deadline):
        return self.loop.run_until_complete(self._bring_up(conns, deadline))

    async def _bring_up(self, conns, deadline):
        reason = None
        for i, conn in enumerate(conns):
            if time.perf_counter() > deadline:
                reason = too_late(i, len(conns))
                break
            try:
                streams = None
                if conn is not None:
                    conn.setblocking(False)
                    streams = await asyncio.open_connection(sock=conn)
                task = self.loop.create_task(self.waiter(streams))
            except (RuntimeError, MemoryError, OSError) as error:
                reason = failure("start", i, len(conns), error)
                break
            self.tasks.append(task)
        await asyncio.sleep(0)  # one pass of the loop: every new task runs up to its gate
        return len(self.tasks), reason

    async def waiter(self, streams):
        while True:
            if await self.gate:
                return
            right = 0
            for _ in range(self.waits):
                if self.workload == "sleep":
                    right += await sleep_wait_async(self.wait_ms / 1000) == self.wait_ms / 1000
                else:
                    right += await request_on_async(streams[0], streams[1], self.wait_ms) == self.wait_ms
            self.done += 1
            self.right += right
            if self.done == len(self.tasks):
                self.finished.set_result(None)

    def round(self, waits, timeout):
        self.waits, self.done, self.right = waits, 0, 0
        self.finished = self.loop.create_future()
        gate, self.gate = self.gate, self.loop.create_future()  # a waiter back from its waits parks on the next one
        gate.set_result(False)
        try:
            self.loop.run_until_complete(asyncio.wait_for(asyncio.shield(self.finished), timeout))
        except asyncio.TimeoutError:
            pass
        return self.done, self.right


def timed_round(waiters, waits, timeout):
    start, cpu = time.perf_counter(), time.process_time()
    done, right = waiters.round(waits, timeout)
    return dict(s=time.perf_counter() - start, done=done, right=right, cpu_s=time.process_time() - cpu)


def probe(model, workload, n, wait_ms, bring_up_limit_s, round_limit_s, memory_share, port):
    """Bring up the waiters and judge them practical or not; returns (facts, the waiters)."""
    facts = dict(model=model, workload=workload, concurrency=n, fd_limit=most_files())
    waiters = (Threads if model == "threads" else Tasks)(workload, wait_ms)
    facts["uss_rest_bytes"], facts["pss_rest_bytes"] = memory()
    start = time.perf_counter()
    conns, reason = connect(workload, port, n)
    facts.update(connected=len(conns), connect_s=time.perf_counter() - start)
    start = time.perf_counter()
    up, stopped = waiters.bring_up(conns, start + bring_up_limit_s)
    reason = reason or stopped
    facts.update(up=up, bring_up_s=time.perf_counter() - start)
    facts["uss_bytes"], facts["pss_bytes"] = memory()
    facts["memory_total_bytes"] = psutil.virtual_memory().total
    taken = facts["uss_bytes"] - facts["uss_rest_bytes"]
    if reason is None and taken > memory_share * facts["memory_total_bytes"]:
        reason = "memory: {} waiters took {:.0f} MiB, over {:.0%} of the machine's {:.1f} GiB".format(
            n, taken / 2**20, memory_share, facts["memory_total_bytes"] / 2**30
        )
    if reason is None:
        trial = timed_round(waiters, 1, round_limit_s)
        facts["trial_s"] = trial["s"]
        if trial["done"] < n or trial["s"] > round_limit_s:  # a loop busy past the limit notices it late
            reason = "throughput: one round of {} waits took more than {:g} s ({} done)".format(
                n, round_limit_s, trial["done"]
            )
    facts.update(practical=reason is None, stopped=reason)
    return facts, waiters


def main(argv):
    model, workload, n, wait_ms, bring_up_limit_s, round_limit_s, memory_share = argv[:7]
    port = int(argv[7]) if len(argv) > 7 else None
    facts, waiters = probe(
        model, workload, int(n), int(wait_ms), float(bring_up_limit_s), float(round_limit_s), float(memory_share), port
    )
    print(json.dumps(facts), flush=True)
    if facts["practical"]:
        for line in sys.stdin:
            command = line.split()
            if not command:
                break
            if command[0] == "round":
                print(json.dumps(timed_round(waiters, int(command[1]), ROUND_TIMEOUT_S)), flush=True)
            else:
                uss, pss = memory()
                print(json.dumps(dict(uss_bytes=uss, pss_bytes=pss)), flush=True)
    # Threads cannot be stopped from outside and may still be waiting: leave with them, closing every connection.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
