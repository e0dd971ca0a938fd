"""Profiles trade work per round and breadth for time; grids of workers and sizes are the same in every profile, but
for what `quick` leaves out.

Every knob here is written into the recorded JSON, so a number never travels without its conditions. Rounds are pairs (a
contender and its baseline back to back, see harness/fixtures.py): 9 of them (full) give a distribution-free 95%
interval for a median ratio (its 2nd and 8th order statistics) and a [min, max] that holds a null control to a
family-wise 95% over a dozen controls; 6 (quick) are the fewest that give a 95% interval at all. Where the rules judge
CPU-bound scaling (`judged`, and C13's threads at its most work), the full profile takes 50 pairs: a shared host slows
one side of some pairs by a third or more after they began even (GIL-bound threads at N=2 against serial gave pair
ratios of 0.59-1.61 here), and the interval of 25 such pairs spans about 0.10, so it reached a 10% bar about one run in
seven (resampled from 75 recorded pairs as if independent: runs and slow spells differ, so that is a floor); that of 50
spans about 0.07 and reaches it about one run in a hundred. Their interval sets aside the 17 most extreme pairs on each
side, and where 10 are left out for uneven CPUs (harness/steady.py; C13 does not look) the 40 left still set aside 13.
`quick` also leaves out what only the thorough answer needs (`left_out`): processes of start methods other than the
platform's default, where start methods are not what is compared, and 10,000 concurrent waits. CPU-bound scaling rounds
wait for even CPUs (harness/steady.py) up to 5 s a benchmark (full); smoke looks without waiting; quick does not look:
its 6 pairs cannot spare a round, nor its 2 minutes the wait. `smoke` proves every benchmark runs and records; it
decides nothing.
"""

import collections
import multiprocessing
import time

from experiments.machine import usable_workers
from experiments.vocabulary import MODELS, is_process

Profile = collections.namedtuple(
    "Profile",
    [
        "name",
        "rounds",  # recorded rounds (pairs) per benchmark
        "judged_rounds",  # recorded rounds of CPU-bound scaling where the rules judge it (`judged`; C13's most work)
        "warmup_rounds",  # unrecorded rounds first: imports, caches, pool workers up
        "task_s",  # about how long one CPU-bound task runs here: the work per worker (weak scaling)
        "io_wait_ms",  # how long each I/O task waits
        "scale",  # other experiments' sizes, as a fraction of their full size (a module's FULL_... constants)
        "every_start_method",  # False: processes of the default start method only, but in tests that compare them
        "most_waits",  # the largest number of concurrent waits (X03) measured
        "steady_wait_s",  # how long a CPU-bound scaling benchmark may wait, in all, for even CPUs (harness/steady.py);
        # 0: look without waiting; None: do not look
        "start_round_s",  # how long one side of a C05 start-cost round starts workers (0: its fewest starts), so
        # that a benchmark's rounds span some seconds of the machine's weather, as pyperf's values do
    ],
)

PROFILES = {
    "full": Profile(
        "full",
        9,
        judged_rounds=50,
        warmup_rounds=1,
        task_s=0.05,
        io_wait_ms=10,
        scale=1.0,
        every_start_method=True,
        most_waits=10000,
        steady_wait_s=5.0,
        start_round_s=0.5,
    ),
    # 6 pairs: the fewest that give a 95% interval ([min, max], 96.9%); its null controls are held to that level each
    "quick": Profile(
        "quick",
        6,
        judged_rounds=6,
        warmup_rounds=1,
        task_s=0.01,
        io_wait_ms=10,
        scale=0.2,
        every_start_method=False,
        most_waits=1000,
        steady_wait_s=None,
        start_round_s=0.0,
    ),
    "smoke": Profile(
        "smoke",
        1,
        judged_rounds=1,
        warmup_rounds=0,
        task_s=0.001,
        io_wait_ms=1,
        scale=0.02,
        every_start_method=True,
        most_waits=10000,
        steady_wait_s=0.0,
        start_round_s=0.0,
    ),
}
DEFAULT_PROFILE = "full"

KIB = 1024
MIB = 1024 * KIB
PAYLOAD_SIZES = [KIB, 64 * KIB, MIB, 16 * MIB, 64 * MIB]


def scaled(full_size, profile):
    """An experiment's size under `profile`: its full size times the profile's scale, at least 1."""
    return max(1, int(full_size * profile.scale))


def judged(workers, lifecycle):
    """Whether the rules judge CPU-bound scaling on this benchmark: warm pools at N = the usable CPUs (the N of
    scripts/analysis/rules/primitives.py's `judged_workers`)."""
    return lifecycle == "warm" and workers == usable_workers() >= 2


def with_cpu_points(points):
    """A fixed grid plus the points this machine gives (its usable CPUs, and twice that), sorted, no repeats."""
    return sorted(set(points) | {usable_workers(), 2 * usable_workers()})


def cpu_workers():
    """N = 1, 2, 4, ... up to 2 x the usable CPUs: past the cores, more workers can only take turns."""
    limit = 2 * usable_workers()
    return with_cpu_points(2**k for k in range(limit.bit_length()) if 2**k <= limit)


def io_workers():
    """N = 1 ... 32: waits overlap however many cores there are."""
    return with_cpu_points([1, 2, 4, 8, 16, 32])


def left_out(profile, params, start_methods=()):
    """Why `profile` leaves out a test with these parameters (a parameter that names a process model is its model),
    or None. `start_methods`: the process models the test compares (its `start_methods` marker), which every profile
    keeps."""
    if not profile.every_start_method:
        default = multiprocessing.get_start_method()
        processes = [MODELS[v] for v in params.values() if isinstance(v, str) and v in MODELS and is_process(v)]
        if any(p.start_method != default and p.name not in start_methods for p in processes):
            return "the {} profile runs processes of the default start method ({}) only".format(profile.name, default)
    if isinstance(params.get("concurrency"), int) and params["concurrency"] > profile.most_waits:
        return "the {} profile measures at most {:,} concurrent waits".format(profile.name, profile.most_waits)
    return None


def sized_by_cpu(fn, seconds, size=10000, tries=5):
    """How many units of `fn(units)` take about `seconds` of this thread's CPU time: the least CPU time of `tries`
    runs of `size` units, scaled up, then checked by one run of that many and scaled again (work whose cost per unit
    grows with its size, a dict that resizes, is not linear). CPU time, not wall time, so that other programs busy on
    the machine while it calibrates cannot shrink the work (they only stretch its wall time, which is measured)."""
    least = min(_cpu_time(fn, size) for _ in range(tries))
    units = max(1, int(size * seconds / max(least, 1e-9)))
    return max(1, int(units * seconds / max(_cpu_time(fn, units), 1e-9)))


def _cpu_time(fn, units):
    start = time.thread_time()
    fn(units)
    return time.thread_time() - start
