"""The probe that harness/steady.py times on each CPU: a process pinned to one CPU that spins when asked, so that
several CPUs can be timed at once (threads cannot: under the GIL they take turns).

    python pinned_spin.py CPU UNITS     then, per line on stdin: UNITS

Once pinned it runs `cpu_spin(UNITS)` and answers with its wall seconds (so it is ready), then answers each line
the same way. An empty line or end of input ends it. Where it cannot pin itself (a CPU offline, or not ours) it
exits with CANNOT_PIN, and so it does where it finds itself no longer pinned: an answer never comes from another
CPU. Ctrl-C is its parent's to handle.
"""

import os
import signal
import sys
import time

CANNOT_PIN = 3  # exit status: this CPU cannot be (or is no longer) the only one this process runs on


def main(cpu, units):
    from experiments.workloads.cpu import cpu_spin

    def answer(units):
        if os.sched_getaffinity(0) != {cpu}:
            sys.exit(CANNOT_PIN)
        start = time.perf_counter()
        cpu_spin(units)
        print(time.perf_counter() - start, flush=True)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError:
        sys.exit(CANNOT_PIN)
    answer(units)
    for line in sys.stdin:
        if not line.strip():
            break
        answer(int(line))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    main(int(sys.argv[1]), int(sys.argv[2]))
