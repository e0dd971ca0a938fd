"""Threads released at the same instant, a switch interval that is always put back, and work sized by CPU time
(C06, C12, C20).

What these experiments look at is what threads do while they run at once, so each starts its work only when all
are up, and what they leave behind is checked as the `nothing_left_behind` fixture expects: none still running.
"""

import contextlib
import sys
import threading

JOIN_TIMEOUT_S = 120  # a thread still running after this is hung: fail the run


def run_together(calls):
    """Run each `(fn, args)` of `calls` in a thread of its own, all released together; their results in order.

    Raises the first exception a thread raised, or TimeoutError when a thread is still running after
    JOIN_TIMEOUT_S (threads cannot be killed: the calls must be bounded).
    """
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, fn, args):
        try:
            start.wait(JOIN_TIMEOUT_S)
            results[index] = fn(*args)
        except BaseException as error:  # handed to the caller below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, fn, args)) for i, (fn, args) in enumerate(calls)]
    try:
        for thread in threads:
            thread.start()
    finally:
        if not all(thread.ident for thread in threads):
            start.abort()  # a thread failed to start: release those waiting for it
        for thread in threads:
            if thread.ident:
                thread.join(JOIN_TIMEOUT_S)
    if errors:
        raise errors[0]
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError("threads still running after {} s".format(JOIN_TIMEOUT_S))
    return results


@contextlib.contextmanager
def switch_interval(seconds):
    """sys.setswitchinterval(seconds) inside the block, the previous interval back after it, whatever happens."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield sys.getswitchinterval()
    finally:
        sys.setswitchinterval(before)
