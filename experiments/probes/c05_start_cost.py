"""C05 probe: a small parent that starts and joins empty workers when asked, so that what a start costs is the
mechanism's, not the harness's (a spawn or forkserver child imports its parent's main module: under pytest that is
pytest; here it is this file, which imports the standard library only, and PEP 734's module for subinterpreters).

    python c05_start_cost.py      then, per line on stdin: KIND START_METHOD COUNT
                                  ("thread - 200", "process spawn 5", "interpreter - 5")

It starts and joins COUNT empty workers of that kind one after another and answers each line with one line: the
seconds it took and how many finished cleanly. An empty subinterpreter worker is a thread that makes an interpreter,
runs nothing in it and closes it (a subinterpreter is made and closed by the thread that runs it, as in
experiments/models.py). An empty line or end of input ends it.
"""

import multiprocessing
import sys
import threading
import time

JOIN_TIMEOUT_S = 60


def nothing():
    """An empty worker: starting and joining it is all it costs."""


def interpreters():
    """PEP 734's module: concurrent.interpreters (3.14+), else the backports-interpreters package."""
    try:
        from concurrent import interpreters
    except ImportError:
        from backports import interpreters
    return interpreters


def empty_interpreter(failures):
    """Make an interpreter, run nothing in it, close it; what went wrong goes into `failures`."""
    try:
        interpreter = interpreters().create()
        try:
            interpreter.exec("pass")
        finally:
            interpreter.close()
    except Exception as error:
        failures.append(error)


def start_and_join(kind, method):
    """Start one empty worker and join it; True when it finished cleanly (a process that hangs is killed)."""
    failures = []
    if kind == "thread":
        worker = threading.Thread(target=nothing)
    elif kind == "interpreter":
        worker = threading.Thread(target=empty_interpreter, args=(failures,))
    else:
        worker = multiprocessing.get_context(method).Process(target=nothing)
    worker.start()
    worker.join(JOIN_TIMEOUT_S)
    if worker.is_alive():
        if kind != "process":
            return False
        worker.kill()
        worker.join()
        return False
    return worker.exitcode == 0 if kind == "process" else not failures


def serve():
    for line in sys.stdin:
        if not line.strip():
            return
        kind, method, count = line.split()
        start = time.perf_counter()
        clean = sum(start_and_join(kind, method) for _ in range(int(count)))
        print(time.perf_counter() - start, clean, flush=True)


if __name__ == "__main__":
    serve()
