"""C15 probe: hand everyday things to one worker and report what happens to each, as one line of JSON.

    python c15_handoff.py API MODEL      API: pool | worker;  MODEL: threads | fork | spawn | forkserver

"pool" hands each thing to an executor (ThreadPoolExecutor / ProcessPoolExecutor), "worker" to a
threading.Thread / multiprocessing.Process as its target and arguments. Run as a script on purpose: everything
here lives in `__main__`, as in a user's script. An outcome is "works" (the worker used the parent's thing),
"copy" (it ran, but on a copy: the parent's thing did not change), or the type name of the exception raised.
"""

import concurrent.futures
import json
import multiprocessing
import os
import queue
import socket
import sys
import tempfile
import threading
import time

TIMEOUT_S = 30  # generous: a worker that has not answered by then never will
POLL_S = 0.05  # how often to look whether a worker that has not answered yet is still there


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self):
        self.count += 1
        return "ran"


class Note:
    """A class defined in `__main__`: a child can rebuild its instances only if it can import `__main__`."""

    def __init__(self):
        self.text = ""


def make_closure(word):
    def closure():
        return word

    return closure


def take(lock):
    return "ran" if lock.acquire(timeout=TIMEOUT_S) else "lock busy"


def write_line(handle):
    handle.write("ran\n")
    handle.flush()
    return "ran"


def next_of(generator):
    return next(generator)


def count_up():
    number = 0
    while True:
        yield number
        number += 1


def send(sock):
    sock.sendall(b"ran")
    return "ran"


def write_note(note):
    note.text = "ran"
    return "ran"


def report(results, fn, args):
    results.put(fn(*args))


def things(folder):
    """{name: (fn, args, expected result, check that the parent's own thing changed, or None)}."""

    def nested():
        return "ran"

    counter, lock, generator, note = Counter(), threading.Lock(), count_up(), Note()
    handle = open(os.path.join(folder, "shared.txt"), "w")
    near, far = socket.socketpair()
    far.settimeout(1)

    def file_written():
        handle.close()
        with open(handle.name) as written:
            return written.read() == "ran\n"

    def received():
        try:
            return far.recv(3) == b"ran"
        except socket.timeout:
            return False
        finally:
            near.close()
            far.close()

    return {
        "lambda": (lambda: "ran", (), "ran", None),
        "closure": (make_closure("ran"), (), "ran", None),
        "nested_function": (nested, (), "ran", None),
        "bound_method": (counter.bump, (), "ran", lambda: counter.count == 1),
        "lock": (take, (lock,), "ran", lock.locked),
        "open_file": (write_line, (handle,), "ran", file_written),
        "generator": (next_of, (generator,), 0, lambda: next(generator) == 1),
        "socket": (send, (near,), "ran", received),
        "main_class_instance": (write_note, (note,), "ran", lambda: note.text == "ran"),
    }


class Pool:
    """One executor for every thing; a broken process pool is replaced so the next thing gets a fair try."""

    def __init__(self, model):
        self.model = model
        self.executor = self._start()

    def _start(self):
        if self.model == "threads":
            return concurrent.futures.ThreadPoolExecutor(max_workers=1)
        context = multiprocessing.get_context(self.model)
        return concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context)

    def run(self, fn, args):
        try:
            return self.executor.submit(fn, *args).result(timeout=TIMEOUT_S)
        except concurrent.futures.process.BrokenProcessPool:
            self.executor.shutdown(wait=False)
            self.executor = self._start()
            raise

    def close(self):
        self.executor.shutdown(wait=True)


class WorkerDied(Exception):
    """The worker ended without handing a result back (its traceback, if any, is on stderr)."""


class Worker:
    """A new Thread or Process per thing, its result handed back on a queue."""

    def __init__(self, model):
        if model == "threads":
            self.make, self.results = threading.Thread, queue.Queue()
        else:
            context = multiprocessing.get_context(model)
            self.make, self.results = context.Process, context.Queue()

    def run(self, fn, args):
        worker = self.make(target=report, args=(self.results, fn, args))
        worker.start()
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while time.monotonic() < deadline:
                alive = worker.is_alive()  # before the get: a result put just before the end is still found
                try:
                    return self.results.get(timeout=POLL_S)
                except queue.Empty:
                    if not alive:
                        raise WorkerDied()
            raise TimeoutError()
        finally:
            worker.join(TIMEOUT_S)

    def close(self):
        pass


def outcome(runner, fn, args, expected, changed):
    try:
        result = runner.run(fn, args)
    except Exception as error:  # what the user would see is the point: record any exception by its type
        return type(error).__name__
    if result != expected:
        return "wrong result"
    return "works" if changed is None or changed() else "copy"


def main(api, model):
    runner = Pool(model) if api == "pool" else Worker(model)
    with tempfile.TemporaryDirectory() as folder:
        try:
            cells = {name: outcome(runner, *thing) for name, thing in things(folder).items()}
        finally:
            runner.close()
    print(json.dumps(cells))


if __name__ == "__main__":
    main(*sys.argv[1:])
