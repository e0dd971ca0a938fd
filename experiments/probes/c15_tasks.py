"""C15 probe: everyday tasks done with one worker of one API, each judged by whether the parent got the right
result, as one line of JSON {task: outcome}.

    python c15_tasks.py API MODEL
        API: Thread | ThreadPoolExecutor (MODEL threads) | Process | Pool | ProcessPoolExecutor (MODEL fork |
        spawn | forkserver)

Run as a script on purpose: everything here lives in `__main__`, as in a user's script (with the guard). A task is
done when the parent ends up with the right result; a worker that ran on a copy is fine wherever the task does
not need the parent's own object, and is "copy" where it does. Outcomes: "works", "copy", "wrong result",
"not handed back" (the API gives the parent no way to get it), "refused" (the API's stop did not stop a running
task), "still running", "timeout", or the type name of the exception the user would see.

Where the API hands no value back (Thread, Process), the probe hands each task's result back itself, on a queue,
as a user must; only the tasks about handing back ask the API alone.
"""

import concurrent.futures
import json
import multiprocessing
import os
import queue
import signal
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures.process import BrokenProcessPool

TIMEOUT_S = 30  # generous: a worker that has not answered by then never will
POLL_S = 0.01  # how often to look whether a worker has answered or started
SPIN_S = 10  # how long a worker to be stopped spins at most, if nothing stops it
STOP_WAIT_S = 5  # how long a stopped worker gets to be gone
# What other APIs call a way to stop a thread or a task: Process.kill/terminate, Java's Thread.stop/interrupt, ...
KILL_NAMES = ["kill", "terminate", "stop", "cancel", "interrupt", "abort", "raise_exception"]
NUMBER = 7
QUIT = threading.Event()  # tells spinning threads of this process to end; a child process has its own, never set


class Basket:
    """A class defined in `__main__`: a child can rebuild its instances only if it can import `__main__`."""

    def __init__(self, items):
        self.items = items

    def total(self):
        return sum(self.items)


def make_closure(word):
    def closure():
        return word

    return closure


def describe(basket):
    return "{} items".format(len(basket.items))


def append_ran(results):
    results.append("ran")
    return "ran"


def next_of(generator):
    return next(generator)


def count_up():
    number = 0
    while True:
        yield number
        number += 1


def write_line(handle):
    handle.write("ran\n")
    handle.flush()
    return "ran"


def send(sock):
    sock.sendall(b"ran")
    return "ran"


def take(lock):
    return "ran" if lock.acquire(timeout=TIMEOUT_S) else "lock busy"


def square(number):
    return number * number


def fail():
    raise ValueError("raised in the worker")


def spin_marked(path):
    """Note this process's pid in the file `path`, then spin until QUIT is set or SPIN_S has passed."""
    with open(path, "w") as marker:
        marker.write(str(os.getpid()))
    deadline = time.monotonic() + SPIN_S
    while not QUIT.is_set() and time.monotonic() < deadline:
        pass
    return "spun"


def report(results, fn, args):
    """What a user writes around a Thread or Process target to get its result: put it on a queue."""
    try:
        results.put(("ok", fn(*args)))
    except Exception as error:
        results.put(("error", type(error).__name__))


class Plain:
    """threading.Thread or multiprocessing.Process: a new worker per task, its result handed back on a queue."""

    def __init__(self, model):
        if model == "threads":
            self.make, self.results, self.lock_type = threading.Thread, queue.Queue(), threading.Lock
        else:
            context = multiprocessing.get_context(model)
            self.make, self.results, self.lock_type = context.Process, context.Queue(), context.Lock

    def run(self, fn, args):
        worker = self.make(target=report, args=(self.results, fn, args))
        worker.start()
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while time.monotonic() < deadline:
                alive = worker.is_alive()  # before the get: a result put just before the end is still found
                try:
                    status, value = self.results.get(timeout=POLL_S)
                except queue.Empty:
                    if not alive:
                        raise WorkerDied()
                    continue
                if status == "error":
                    raise HandedBackError(value)
                return value
            raise TimeoutError()
        finally:
            worker.join(TIMEOUT_S)

    def returned(self, fn, args):
        """What the API itself hands back once `fn(*args)` ran: join()'s value; a worker's exception stays there."""
        worker = self.make(target=fn, args=args)
        worker.start()
        value = worker.join(TIMEOUT_S)
        return value

    def stop_running(self, folder):
        ways = [name for name in KILL_NAMES if callable(getattr(self.make, name, None))]
        if not ways:
            return "no API"
        path = os.path.join(folder, "spinning")
        worker = self.make(target=spin_marked, args=(path,))
        worker.start()
        try:
            pid = wait_for_marker(path)
            getattr(worker, ways[0])()
            worker.join(STOP_WAIT_S)
            return "still running" if worker.is_alive() or pid_alive(pid) else "works"
        finally:
            QUIT.set()
            worker.join(TIMEOUT_S)

    def close(self):
        pass


class Executor:
    """concurrent.futures.ThreadPoolExecutor or ProcessPoolExecutor of one worker."""

    def __init__(self, model):
        self.model = model
        if model == "threads":
            self.executor, self.lock_type = concurrent.futures.ThreadPoolExecutor(max_workers=1), threading.Lock
        else:
            context = multiprocessing.get_context(model)
            self.executor = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context)
            self.lock_type = context.Lock

    def run(self, fn, args):
        try:
            return self.executor.submit(fn, *args).result(timeout=TIMEOUT_S)
        except BrokenProcessPool:
            self.executor.shutdown(wait=False)
            self.__init__(self.model)
            raise

    def returned(self, fn, args):
        return self.run(fn, args)

    def stop_running(self, folder):
        path = os.path.join(folder, "spinning")
        future = self.executor.submit(spin_marked, path)
        pid = wait_for_marker(path)
        try:
            if future.cancel():
                return "works"
            terminate = getattr(self.executor, "terminate_workers", None)  # ProcessPoolExecutor, 3.14+
            if terminate is None:
                return "refused"
            terminate()
            return "works" if wait_gone(pid) else "still running"
        finally:
            QUIT.set()
            if self.model != "threads" and pid_alive(pid):
                os.kill(pid, signal.SIGKILL)  # clean-up only: what the API would not do
            self.executor.shutdown(wait=True)

    def close(self):
        self.executor.shutdown(wait=True)


class Pool:
    """multiprocessing.Pool of one worker."""

    def __init__(self, model):
        self.context = multiprocessing.get_context(model)
        self.pool, self.lock_type = self.context.Pool(1), self.context.Lock

    def run(self, fn, args):
        return self.pool.apply_async(fn, args).get(timeout=TIMEOUT_S)

    def returned(self, fn, args):
        return self.run(fn, args)

    def stop_running(self, folder):
        path = os.path.join(folder, "spinning")
        self.pool.apply_async(spin_marked, (path,))
        pid = wait_for_marker(path)
        self.pool.terminate()
        self.pool.join()
        return "works" if wait_gone(pid) else "still running"

    def close(self):
        self.pool.terminate()
        self.pool.join()


APIS = {
    "Thread": Plain,
    "Process": Plain,
    "ThreadPoolExecutor": Executor,
    "ProcessPoolExecutor": Executor,
    "Pool": Pool,
}


class WorkerDied(Exception):
    """The worker ended without handing a result back (its traceback, if any, is on stderr)."""


class HandedBackError(Exception):
    """The worker raised; what the user sees is its type name."""


def wait_for_marker(path):
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with open(path) as marker:
                found = marker.read()
            if found:
                return int(found)
        except OSError:
            pass
        time.sleep(POLL_S)
    raise TimeoutError("the worker to be stopped never started")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a process ended but not yet reaped by its parent is gone for this purpose
        with open("/proc/{}/stat".format(pid)) as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def wait_gone(pid):
    deadline = time.monotonic() + STOP_WAIT_S
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    return not pid_alive(pid)


def handed_over(api, folder):
    """{task: (fn, args, expected result, check that the parent's own object shows it, or None)}: tasks that hand
    a worker something, each done when the parent gets the right result."""

    def nested():
        return "ran"

    results, generator, lock = [], count_up(), api.lock_type()
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
        "bound_method": (Basket([1, 2, 3]).total, (), 6, None),  # a copy computes the same total
        "main_class_instance": (describe, (Basket([1, 2]),), "2 items", None),
        "fill_parents_list": (append_ran, (results,), "ran", lambda: results == ["ran"]),
        "parents_generator": (next_of, (generator,), 0, lambda: next(generator) == 1),
        "parents_open_file": (write_line, (handle,), "ran", file_written),
        "parents_socket": (send, (near,), "ran", received),
        "shared_lock": (take, (lock,), "ran", lambda: not lock.acquire(False)),  # the worker holds it now
    }


def outcome(api, fn, args, expected, changed):
    try:
        result = api.run(fn, args)
    except HandedBackError as error:
        return str(error)
    except Exception as error:  # what the user would see is the point: record any exception by its type
        return type(error).__name__
    if result != expected:
        return "wrong result"
    return "works" if changed is None or changed() else "copy"


def return_value(api):
    try:
        got = api.returned(square, (NUMBER,))
    except Exception as error:
        return type(error).__name__
    return "works" if got == NUMBER * NUMBER else "not handed back" if got is None else "wrong result"


def exception(api):
    try:
        api.returned(fail, ())
    except ValueError as error:
        return "works" if str(error) == "raised in the worker" else "wrong result"
    except Exception as error:
        return type(error).__name__
    return "not handed back"


def main(name, model):
    threading.excepthook = lambda args: None  # a Thread's exception is the point of one task, not noise
    cells = {}
    with tempfile.TemporaryDirectory() as folder:
        api = APIS[name](model)
        try:
            for task, thing in handed_over(api, folder).items():
                cells[task] = outcome(api, *thing)
            cells["return_value"] = return_value(api)
            cells["exception"] = exception(api)
        finally:
            api.close()
        stopper = APIS[name](model)  # a fresh one: stopping may take the API's workers with it
        try:
            cells["stop_running_worker"] = stopper.stop_running(folder)
        except Exception as error:
            cells["stop_running_worker"] = type(error).__name__
        finally:
            QUIT.set()
            stopper.close()
    print(json.dumps(cells))


if __name__ == "__main__":
    main(*sys.argv[1:])
