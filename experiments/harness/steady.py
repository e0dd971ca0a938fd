"""Even CPUs before each round of CPU-bound scaling: wait for them, and record how even they were.

A shared host may run one of our CPUs at a fraction of another's speed for a while (seen here: one vCPU 1.4-1.9x
the other for seconds at a time), or run each at full speed alone but not all at once (seen here: CPUs even one at a
time, yet each 1.3-2x slower while both ran). N workers on N CPUs then wait for the slowest, while the serial
baseline ran alone: the round measures the neighbour, not the model. Pairs cannot cancel that. So before each round
of a CPU-bound scaling benchmark the same small task is timed on each sampled CPU, by one probe process pinned to
each (probes/pinned_spin.py): one CPU at a time (`spread`: slowest over fastest), then all at once (`crowding`: the
most any CPU slowed). While the spread is over EVEN_CPUS, or the crowding over EVEN_CPUS times the median crowding
of the session's rounds so far (the first look before each; hyperthreads, or a turbo that only one busy core gets,
slow every look alike: a machine is judged against itself), the round waits and looks again, within the profile's
`steady_wait_s` for the whole benchmark. Each recorded round's spread goes into the record (`cpu_spread`), and its
crowding over that median (`cpu_crowding`); the analysis decides only on rounds that began even
(scripts/analysis/records.py), and says how many it left out. Crowding is only waited for: a machine that can
never run its CPUs at once at full speed still gives every round.
"""

import os
import select
import statistics
import subprocess
import sys
import time

from experiments.machine import affinity_cpus, usable_workers
from experiments.probes.pinned_spin import CANNOT_PIN
from experiments.vocabulary import EVEN_CPUS

PROBE_S = 0.003  # CPU time of one probe: far above the timer's resolution, small beside a task
SAMPLED_CPUS = 8  # CPUs probed per look, spread over the affinity set: a look stays short on a big machine
LOOK_EVERY_S = 0.1  # pause between looks while the CPUs are uneven
TRIES = 2  # each time a look takes is the faster of this many tries: one interruption does not make CPUs uneven
END_TIMEOUT_S = 30  # how long the probes, told to end, get in all before the rest are killed
ANSWER_TIMEOUT_S = 60  # how long the probes get to answer one ask in all: 3 ms of work each; more is a hung probe
PINNED_SPIN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "probes", "pinned_spin.py")


def sampled_cpus(cpus, most=SAMPLED_CPUS):
    """Up to `most` of `cpus`, evenly spread over them."""
    if len(cpus) <= most:
        return list(cpus)
    return [cpus[i * (len(cpus) - 1) // (most - 1)] for i in range(most)]


class Unpinnable(OSError):
    """A probe could not pin itself to its CPU (offline, or not ours), or found itself no longer pinned."""


class Probes:
    """One probe process pinned to each of `cpus`, idle until asked; a context manager that ends them. Raises
    Unpinnable where a probe cannot pin itself, OSError where a probe ended otherwise or did not answer within
    ANSWER_TIMEOUT_S."""

    def __init__(self, cpus, units):
        self.children = []
        try:
            for cpu in cpus:
                self.children.append(
                    subprocess.Popen(
                        [sys.executable, PINNED_SPIN, str(cpu), str(units)],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        universal_newlines=True,
                    )
                )
            self._answers(self.children)  # each is pinned and has run the task once
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _answers(self, children):
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        answers = []
        for child in children:  # one line per ask: nothing waits in a pipe's buffer unseen by select
            if not select.select([child.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise OSError("a CPU probe did not answer within {} s".format(ANSWER_TIMEOUT_S))
            answers.append(child.stdout.readline())
        for child, answer in zip(children, answers):
            if not answer:
                if child.wait() == CANNOT_PIN:
                    raise Unpinnable("a CPU probe could not pin itself to its CPU (offline, or not ours)")
                raise OSError("a CPU probe ended with status {}".format(child.returncode))
        return [float(answer) for answer in answers]

    def times(self, children, units):
        """Wall seconds of `units` on each of `children`: all are told before any answer is read."""
        for child in children:
            child.stdin.write("{}\n".format(units))
            child.stdin.flush()
        return self._answers(children)

    def alone(self, units):
        """Each CPU's time, one CPU at a time (the faster of TRIES)."""
        return [min(self.times([child], units)[0] for _ in range(TRIES)) for child in self.children]

    def together(self, units):
        """Each CPU's time with all of them busy at once (the try whose slowest was fastest, of TRIES)."""
        return min((self.times(self.children, units) for _ in range(TRIES)), key=max)

    def close(self):
        """End of input ends each probe; one that has not ended within END_TIMEOUT_S in all is killed."""
        for child in self.children:
            try:
                child.stdin.close()
            except OSError:  # it ended already
                pass
        deadline = time.monotonic() + END_TIMEOUT_S
        for child in self.children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            finally:
                child.stdout.close()


def look(probes, units):
    """(spread, crowding) of one look: the slowest over the fastest CPU, one at a time; the most any CPU's time
    grew when all ran at once."""
    alone = probes.alone(units)
    together = probes.together(units)
    return max(alone) / min(alone), max(t / a for t, a in zip(together, alone))


class Gate:
    """Called before each round: waits while the CPUs are uneven or crowded, within `budget_s` for all rounds
    together; returns (spread, crowding over the session's median) as the round begins, or (None, None) where fewer
    than 2 CPUs are usable or they cannot be pinned. `crowding` is the crowding of the session's rounds (a list shared
    by every gate). A context manager: its probe processes, started at the first look, end with it. `waited_s`: how
    long it waited in all."""

    def __init__(self, units, budget_s, crowding):
        cpus, usable = affinity_cpus(), usable_workers()
        pinnable = hasattr(os, "sched_setaffinity") and len(cpus) >= 2 and usable >= 2
        self.cpus = sampled_cpus(cpus, min(SAMPLED_CPUS, usable)) if pinnable else []
        self.units, self.budget_s, self.waited_s, self.crowding = units, budget_s, 0.0, crowding
        self.probes = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.probes is not None:
            self.probes.close()

    def __call__(self):
        if not self.cpus:
            return None, None
        if self.probes is None:
            try:
                self.probes = Probes(self.cpus, self.units)
            except Unpinnable:  # a CPU offline, or an affinity this process may not set: nothing to compare
                self.cpus = []
                return None, None
        spread, crowding = look(self.probes, self.units)
        typical = statistics.median(self.crowding) if self.crowding else crowding
        self.crowding.append(crowding)  # each round's first look only: waiting cannot make crowding typical
        while (spread > EVEN_CPUS or crowding > EVEN_CPUS * typical) and self.waited_s < self.budget_s:
            start = time.perf_counter()
            time.sleep(LOOK_EVERY_S)
            spread, crowding = look(self.probes, self.units)
            self.waited_s += time.perf_counter() - start
        return spread, crowding / typical
