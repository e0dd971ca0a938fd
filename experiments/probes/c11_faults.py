"""C11 probe: a leak, a segfault or an uncaught exception in a thread or in a child process, in a throwaway
interpreter, so that the suite survives and its own memory stays clean. Prints one line of JSON when it lives.

    python c11_faults.py leak WHERE BYTES     WHERE: thread | fork | spawn | forkserver
    python c11_faults.py segfault WHERE
    python c11_faults.py exception thread

Memory is psutil's USS (pages private to the process), before and after the worker came and went.
"""

import ctypes
import json
import multiprocessing
import sys
import threading

TIMEOUT_S = 30
LEAKED = []  # where a leaking worker keeps what it never frees: alive as long as its process


def leak(size):
    LEAKED.append(b"\x01" * size)  # written, so every page is really in memory (bytes(size) may stay untouched)


def uss():
    import psutil  # here, not at the top: a spawned child re-imports this script and should stay small

    return psutil.Process().memory_full_info().uss


def leak_and_report(size, conn):
    before = uss()
    leak(size)
    conn.send(uss() - before)
    conn.close()


def nothing():
    return None


def segfault():
    ctypes.string_at(0)  # reads address 0: SIGSEGV


def start(where, target, args=()):
    if where == "thread":
        worker = threading.Thread(target=target, args=args)
    else:
        worker = multiprocessing.get_context(where).Process(target=target, args=args)
    worker.start()
    return worker


def stop(worker):
    worker.join(TIMEOUT_S)
    if worker.is_alive():
        raise TimeoutError("worker still running after {} s".format(TIMEOUT_S))


def leak_in(where, size):
    """How much of a worker's leak the parent holds after the worker ended, and how much the worker held."""
    stop(start(where, nothing))  # first run: imports, thread stacks, helper processes; not the leak's cost
    before = uss()
    if where == "thread":
        stop(start(where, leak, (size,)))
        worker_grew = uss() - before
    else:
        receiver, sender = multiprocessing.Pipe(duplex=False)
        worker = start(where, leak_and_report, (size, sender))
        sender.close()
        if not receiver.poll(TIMEOUT_S):
            raise TimeoutError("no report from the child")
        worker_grew = receiver.recv()
        stop(worker)
    return {"leaked_bytes": size, "worker_grew_bytes": worker_grew, "parent_kept_bytes": uss() - before}


def segfault_in(where):
    worker = start(where, segfault)
    stop(worker)
    return {"parent_survived": True, "worker_exitcode": getattr(worker, "exitcode", None)}


def exception_in_thread():
    """An uncaught exception in one thread, while a sibling thread works: who is still there afterwards."""
    seen = []
    default_hook = threading.excepthook

    def hook(args):
        seen.append(args.exc_type.__name__)
        default_hook(args)

    def fail():
        raise RuntimeError("uncaught in a thread")

    finished = threading.Event()
    threading.excepthook = hook
    sibling = start("thread", finished.wait, (TIMEOUT_S,))
    stop(start("thread", fail))
    sibling_alive = sibling.is_alive()
    finished.set()
    stop(sibling)
    return {"parent_survived": True, "sibling_alive": sibling_alive, "hook_saw": " ".join(seen)}


def main(fault, where, size=None):
    if fault == "leak":
        found = leak_in(where, int(size))
    elif fault == "segfault":
        found = segfault_in(where)
    else:
        found = exception_in_thread()
    print(json.dumps(found), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
