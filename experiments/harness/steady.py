"""Even CPUs before each round of CPU-bound scaling: wait for them, and record how even they were.

A shared host may run one of our CPUs at a fraction of another's speed for a while (seen here: one vCPU 1.4-1.9x
the other for seconds at a time). N workers on N CPUs then wait for the slowest, while the serial baseline ran on
whichever CPU it got: the round measures the neighbour, not the model. Pairs cannot cancel that. So before each
round of a CPU-bound scaling benchmark the same small task is timed pinned to each CPU in turn (`spread`: slowest
over fastest; the CPU the thread ran on last, so that the serial baseline runs where the scheduler had put it, not
where the probe left it); while it is over EVEN_CPUS the round waits and looks again, within the profile's
`steady_wait_s` for the whole benchmark. Each recorded round's spread goes into the record (`cpu_spread`);
the analysis decides only on rounds that began even (scripts/analysis/records.py), and says how many it left out.
"""

import os
import time

import psutil

from experiments.machine import affinity_cpus
from experiments.vocabulary import EVEN_CPUS
from experiments.workloads.cpu import cpu_spin

PROBE_S = 0.003  # CPU time of one probe: far above the timer's resolution, small beside a task
SAMPLED_CPUS = 8  # CPUs probed per look, spread over the affinity set: a look stays short on a big machine
LOOK_EVERY_S = 0.1  # pause between looks while the CPUs are uneven


def sampled_cpus(cpus, most=SAMPLED_CPUS):
    """Up to `most` of `cpus`, evenly spread over them."""
    if len(cpus) <= most:
        return list(cpus)
    return [cpus[i * (len(cpus) - 1) // (most - 1)] for i in range(most)]


def pinned_seconds(cpu, units):
    """Wall seconds of `cpu_spin(units)` with this thread pinned to `cpu`; its affinity given back afterwards."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        start = time.perf_counter()
        cpu_spin(units)
        return time.perf_counter() - start
    finally:
        os.sched_setaffinity(0, before)


def spread(cpus, units):
    """Slowest over fastest CPU of `cpus` on the same task (the faster of two tries on each); the CPU this process's
    main thread is on, timed last, so that the thread ends where it began."""
    here = psutil.Process().cpu_num() if hasattr(psutil.Process, "cpu_num") else None
    order = [cpu for cpu in cpus if cpu != here] + [cpu for cpu in cpus if cpu == here]
    times = [min(pinned_seconds(cpu, units) for _ in range(2)) for cpu in order]
    return max(times) / min(times)


class Gate:
    """Called before each round: waits while the CPUs are uneven, within `budget_s` for all rounds together;
    returns the spread the round begins with, or None where CPUs cannot be pinned (or not now) or there is one."""

    def __init__(self, units, budget_s):
        cpus = affinity_cpus()
        self.cpus = sampled_cpus(cpus) if hasattr(os, "sched_setaffinity") and len(cpus) >= 2 else []
        self.units = units
        self.left_s = budget_s

    def __call__(self):
        if not self.cpus:
            return None
        try:
            found = spread(self.cpus, self.units)
            while found > EVEN_CPUS and self.left_s > 0:
                start = time.perf_counter()
                time.sleep(LOOK_EVERY_S)
                found = spread(self.cpus, self.units)
                self.left_s -= time.perf_counter() - start
        except OSError:  # a CPU gone offline, an affinity this process may no longer set
            return None
        return found
