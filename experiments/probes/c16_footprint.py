"""C16 probe: memory of the whole process tree with 1 ... N idle workers, in a throwaway interpreter, so the
suite's own size and history do not leak into the numbers. Prints one line of JSON.

    python c16_footprint.py MODEL N1 N2 ...      MODEL: threads | fork | spawn | forkserver | subinterpreters;
                                                 N ascending

Workers are added until there are N1, then N2, ... (those that one step adds are started at once, then awaited);
each reports ready and then waits, idle, to be stopped. An idle subinterpreter is a thread that has made an
interpreter (initialised: its own modules, builtins and site imports) and runs nothing in it: it waits in the main
interpreter and closes its interpreter when stopped.
At each N the probe sums psutil's USS (private pages) and PSS (shared pages split among their users) over
itself and every descendant: helper processes (forkserver, resource tracker) included, as a user pays them.
"""

import json
import multiprocessing
import sys
import threading

TIMEOUT_S = 60  # for a worker to come up; idle workers also give up waiting after it


def idle(ready, stop):
    ready.release()
    stop.wait(TIMEOUT_S)


def idle_interpreter(ready, stop):
    """Make an interpreter (PEP 734), report ready, wait to be stopped, close it: all in this thread."""
    try:
        from concurrent import interpreters
    except ImportError:
        from backports import interpreters
    interpreter = interpreters.create()
    try:
        idle(ready, stop)
    finally:
        interpreter.close()


def tree_memory(me):
    uss = pss = 0
    for process in [me] + me.children(recursive=True):
        info = process.memory_full_info()
        uss, pss = uss + info.uss, pss + info.pss
    return uss, pss


def footprint(model, grid):
    import psutil  # here, not at the top: spawned workers import this script again and should stay minimal

    me = psutil.Process()
    tree_memory(me)  # before any worker: a forked worker then shares, not copies, what measuring touches
    target = idle_interpreter if model == "subinterpreters" else idle
    if model in ("threads", "subinterpreters"):
        ready, stop, make = threading.Semaphore(0), threading.Event(), threading.Thread
    else:
        context = multiprocessing.get_context(model)
        ready, stop, make = context.Semaphore(0), context.Event(), context.Process
    workers, uss, pss = [], [], []
    try:
        for count in grid:
            added = max(0, count - len(workers))
            while len(workers) < count:
                workers.append(make(target=target, args=(ready, stop)))
                workers[-1].start()
            for _ in range(added):
                if not ready.acquire(timeout=TIMEOUT_S):
                    raise TimeoutError("a worker did not come up in {} s".format(TIMEOUT_S))
            memory = tree_memory(me)
            uss.append(memory[0])
            pss.append(memory[1])
    finally:
        stop.set()
        for worker in workers:
            worker.join(TIMEOUT_S)
    return {"workers": grid, "uss_bytes": uss, "pss_bytes": pss}


if __name__ == "__main__":
    print(json.dumps(footprint(sys.argv[1], [int(n) for n in sys.argv[2:]])), flush=True)
