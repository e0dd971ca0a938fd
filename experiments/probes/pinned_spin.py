"""The probe that harness/steady.py times on each CPU: a process pinned to one CPU that spins when asked, so that
several CPUs can be timed at once (threads cannot: under the GIL they take turns).

    python pinned_spin.py CPU UNITS     then, per line on stdin: UNITS

Once pinned it runs `cpu_spin(UNITS)` and answers with its wall seconds (so it is ready), then answers each line
the same way. An empty line or end of input ends it, as does finding itself no longer pinned (its CPU went
offline): an answer never comes from another CPU. Ctrl-C is its parent's to handle.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from experiments.workloads.cpu import cpu_spin  # noqa: E402  (the repository root is on the path only now)


def answer(cpu, units):
    if os.sched_getaffinity(0) != {cpu}:
        sys.exit("pinned_spin: no longer pinned to CPU {}".format(cpu))
    start = time.perf_counter()
    cpu_spin(units)
    print(time.perf_counter() - start, flush=True)


def main(cpu, units):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.sched_setaffinity(0, {cpu})
    answer(cpu, units)
    for line in sys.stdin:
        if not line.strip():
            break
        answer(cpu, int(line))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
