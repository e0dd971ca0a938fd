"""Do this machine's CPUs run the same pure-Python task at the same speed, and does a slow round slow threads and
processes alike? Two checks behind README's "What to keep in mind", for any interpreter the experiments run on
(standard library and experiments/ only; on a free-threaded build the threads run at once).

    python scripts/uneven_cpus.py [--rounds R] [--task-ms MS]

per CPU:      the same `cpu_spin` task pinned to each usable CPU in turn, R rounds: milliseconds per CPU and the
              slowest over the fastest in that round (1.00: even CPUs). Linux only (it pins with sched_setaffinity).
interleaved:  R rounds, each one task serially, then N threads and N processes of the default start method (order
              alternating), each worker one task, N = the usable CPUs: each one's speedup N x serial / its time, and
              how many rounds fell below SLOW for threads, for processes and for both. On a GIL build the threads
              stay near 1x; rounds slow for both are the machine's, not the interpreter's.
looked at:    R rounds, each the look of experiments/harness/steady.py (the probe on each CPU alone, then on all at
              once), then one task serially and N processes, in a coin-toss order: how many rounds fell below the
              rules' scaling bar among those the look found even one CPU at a time, and among those it also found
              not crowded all at once (against the median of all this run's looks; the gate judges each against
              the median of the session's rounds before it). Linux only.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import time

from experiments.harness import steady
from experiments.machine import affinity_cpus, usable_workers
from experiments.models import Pool
from experiments.profiles import sized_by_cpu
from experiments.vocabulary import EVEN_CPUS
from experiments.workloads.cpu import cpu_spin

SLOW = 1.3  # a speedup below this at N >= 2 is a slow round


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def per_cpu(work, rounds):
    """Lines: each round's milliseconds per CPU, and their spread."""
    before = os.sched_getaffinity(0)
    cpus = sorted(before)
    lines = []
    try:
        for number in range(rounds):
            ms = []
            for cpu in cpus:
                os.sched_setaffinity(0, {cpu})
                ms.append(1000 * timed(cpu_spin, work))
            lines.append(
                "round {:>3}: {}  slowest/fastest {:.2f}".format(
                    number + 1, " ".join("cpu{} {:6.1f} ms".format(c, m) for c, m in zip(cpus, ms)), max(ms) / min(ms)
                )
            )
    finally:
        os.sched_setaffinity(0, before)
    return lines


def interleaved(work, rounds, workers):
    """Lines: each round's speedups of threads and processes, then the slow rounds counted."""
    speedups, tasks = {"threads": [], "processes": []}, [(work,)] * workers
    with Pool("threads", workers) as threads, Pool(multiprocessing.get_start_method(), workers) as processes:
        pools = {"threads": threads, "processes": processes}
        for pool in pools.values():
            pool.wait_started()  # warm: every worker up,
            pool.map(cpu_spin, tasks)  # and the workload imported
        for number in range(rounds):
            serial = timed(cpu_spin, work)
            for name in sorted(pools, reverse=number % 2 == 1):
                speedups[name].append(workers * serial / timed(pools[name].map, cpu_spin, tasks))
    lines = [
        "round {:>3}: threads {:.2f}x  processes {:.2f}x".format(n + 1, t, p)
        for n, (t, p) in enumerate(zip(speedups["threads"], speedups["processes"]))
    ]
    slow = {name: [s < SLOW for s in values] for name, values in speedups.items()}
    lines.append(
        "median: threads {:.2f}x, processes {:.2f}x; below {}x: threads {}, processes {}, both {} of {} rounds".format(
            statistics.median(speedups["threads"]),
            statistics.median(speedups["processes"]),
            SLOW,
            sum(slow["threads"]),
            sum(slow["processes"]),
            sum(t and p for t, p in zip(slow["threads"], slow["processes"])),
            rounds,
        )
    )
    return lines


def looked_at(work, rounds, workers):
    """Lines: how many rounds of N processes fell below the scaling bar, by what the look before them found."""
    # the rules' scaling bar (analysis/rules/primitives.py), written out: this script runs without pandas
    bar, tasks, units = min(1 + 0.5 * (workers - 1), 2), [(work,)] * workers, sized_by_cpu(cpu_spin, steady.PROBE_S)
    found = []  # (spread, crowding, speedup)
    cpus = steady.sampled_cpus(affinity_cpus(), min(steady.SAMPLED_CPUS, workers))
    with Pool(multiprocessing.get_start_method(), workers) as pool, steady.Probes(cpus, units) as probes:
        pool.wait_started()
        pool.map(cpu_spin, tasks)
        for _ in range(rounds):
            spread, crowding = steady.look(probes, units)
            if random.random() < 0.5:
                serial, parallel = timed(cpu_spin, work), timed(pool.map, cpu_spin, tasks)
            else:
                parallel, serial = timed(pool.map, cpu_spin, tasks), timed(cpu_spin, work)
            found.append((spread, crowding, workers * serial / parallel))
    typical = statistics.median(f[1] for f in found)
    lines = []
    for name, even in [
        ("even one CPU at a time", lambda f: f[0] <= EVEN_CPUS),
        ("so and not crowded all at once", lambda f: f[0] <= EVEN_CPUS and f[1] <= EVEN_CPUS * typical),
    ]:
        kept = [f[2] for f in found if even(f)]
        slow = sum(s < bar for s in kept)
        lines.append(
            "began {}: {} of {} rounds; below {}x: {} ({:.0%})".format(
                name, len(kept), rounds, bar, slow, slow / max(1, len(kept))
            )
        )
    return lines + ["median crowding {:.2f} (each CPU's time all at once over alone, the most of them)".format(typical)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--task-ms", type=float, default=30.0, help="CPU time of one task (default: %(default)s)")
    args = parser.parse_args(argv)
    work = sized_by_cpu(cpu_spin, args.task_ms / 1000)
    print("one task: cpu_spin({}), about {} ms of CPU time".format(work, args.task_ms))
    if hasattr(os, "sched_setaffinity"):
        print("\n".join(["per CPU:"] + per_cpu(work, args.rounds)))
    workers = max(2, usable_workers())
    print("\n".join(["interleaved, N = {}:".format(workers)] + interleaved(work, args.rounds, workers)))
    if hasattr(os, "sched_setaffinity") and len(affinity_cpus()) >= 2:
        print("\n".join(["looked at, N = {} processes:".format(workers)] + looked_at(work, args.rounds, workers)))


if __name__ == "__main__":
    main()
