"""C04: threads of a processor (hardware threads) vs threads of the OS, as things that run.

The post: "Threads in the operating system level of abstraction aren't to be confused with threads of a
processor. [...] For example a dual core CPU can run 4 threads."

The sentence reads two ways, and each is measured by what runs, not by what the OS lists:
- Hardware threads: a dual core runs 4 at once only with 2 hardware threads per core (SMT). 2 x C CPU-bound
  processes (C = the physical cores among the CPUs this process may use, from the OS's topology) each spin for
  the same wall time; the CPU seconds they get per wall second is how many things the CPUs really ran at once,
  set against C. Each worker times its own CPU (ns clock), so the number holds whatever the machine did between
  rounds.
- OS threads: one process runs more threads than cores, all making progress. 2 x P threads (P = usable CPUs: the
  post's 4 on a dual core) hash a buffer with SHA-256, C code that releases the GIL: how many cores they keep busy
  (the process's CPU seconds per wall second), and the least share of them that got a hash done in any WINDOW_S
  window. And THREADS threads that each wake every NAP_S: the least share of them that woke in any window.
Facts are recorded per round, expected or not; a benchmark asserts only that its workers ran and computed right.
Rule: `c04.os_threads_vs_cores` in scripts/analysis/rules/c04.py.
"""

import functools
import hashlib
import threading
import time

import psutil
import pytest

from experiments import machine
from experiments.models import Pool, unavailable
from experiments.profiles import KIB, scaled
from experiments.vocabulary import process_models
from experiments.workloads.cpu import spin_for_cpu, stamped_hashing
from experiments.workloads.io import stamped_naps

pytestmark = pytest.mark.claim("C04")
THREADS = 200  # "hundreds": 50 times the post's 4, and 100 times the cores of a dual core
NAP_S = 0.005  # how often each of the THREADS threads wakes: 10 wake-ups in a window
WINDOW_S = 0.05  # "at once" for threads taking turns: a thread that did nothing for this long was not running
FULL_RUN_S = 0.35  # each round's run: 7 windows at full size, 2 in the quick profile
HASHED = b"C04" * (86 * KIB)  # ~256 KiB: a hash far longer than the GIL hand-over around it (tenths of a ms)


def run_seconds(profile):
    """How long each round runs: the profile's share of FULL_RUN_S, never under 2 windows."""
    return max(scaled(int(FULL_RUN_S * 1000), profile) / 1000, 2 * WINDOW_S)


def process_model():
    """The first start method this platform has: the hardware reading needs processes, any kind."""
    return next(m for m in process_models() if not unavailable(m))


def cores_among(cpus):
    """Physical cores among logical CPUs `cpus` (sets of SMT siblings, as the OS reports them), or None where the
    OS does not say which CPUs share a core."""
    if not all(_topology_readable(cpu) for cpu in cpus):
        return None
    return len({tuple(sorted(machine.core_siblings(cpu))) for cpu in cpus})


def _topology_readable(cpu):
    path = "/sys/devices/system/cpu/cpu{}/topology/thread_siblings_list".format(cpu)
    try:
        with open(path):
            return True
    except OSError:
        return False


def cpu_facts():
    affinity = machine.affinity_cpus()
    return {
        "logical_cpus": psutil.cpu_count(logical=True),
        "physical_cpus": psutil.cpu_count(logical=False),
        "affinity_cpus": len(affinity),
        "affinity_cores": cores_among(affinity),
        "cpu_quota": machine.cpu_quota(),
        "usable_cpus": machine.usable_cpus(),
    }


def least_share(stamps, start, seconds):
    """The least share of the threads (each a list of times) that noted a time in any whole WINDOW_S window of
    [start, start + seconds]; None when the run holds no whole window."""
    windows = int(seconds // WINDOW_S)
    shares = []
    for k in range(windows):
        low, high = start + k * WINDOW_S, start + (k + 1) * WINDOW_S
        shares.append(sum(any(low <= t < high for t in times) for times in stamps) / len(stamps))
    return min(shares) if shares else None


def threads_round(pool, threads, work, args, seconds):
    """One round of `threads` threads of `pool` running `work(*args, together, seconds)` from a common start:
    (what each returned, the start, the process's CPU seconds over the round)."""
    start = []
    together = threading.Barrier(threads, action=lambda: start.append(time.perf_counter()))
    cpu0 = time.process_time()
    results = pool.map(work, [args + (together, seconds)] * threads)
    return results, start[0], time.process_time() - cpu0


def test_the_os_counts_cores_and_hardware_threads():
    facts = cpu_facts()
    assert facts["logical_cpus"] >= 1
    assert facts["physical_cpus"] is None or 1 <= facts["physical_cpus"] <= facts["logical_cpus"]
    assert facts["affinity_cores"] is None or 1 <= facts["affinity_cores"] <= facts["affinity_cpus"]


def test_hundreds_of_os_threads_all_progress_in_every_window(profile):
    seconds = run_seconds(profile)
    with Pool("threads", THREADS) as pool:
        stamps, start, _ = threads_round(pool, THREADS, stamped_naps, (NAP_S,), seconds)
    assert least_share(stamps, start, seconds) > 0.5


@pytest.mark.measurement("hardware_threads")
def test_hardware_threads(bench, profile):
    """2 x C CPU-bound processes, C the physical cores this process may use: CPU seconds per wall second."""
    facts = cpu_facts()
    cores = facts["affinity_cores"] or facts["affinity_cpus"]
    workers, seconds, model = 2 * cores, run_seconds(profile), process_model()
    got = []
    with Pool(model, workers) as pool:
        spin = functools.partial(pool.map, spin_for_cpu, [(seconds,)] * workers)
        bench.pedantic(lambda: got.append(spin()), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
    got = got[-profile.rounds :]
    assert all(len(cpus) == workers and all(cpu > 0 for cpu in cpus) for cpus in got), "a worker did not spin"
    bench.extra_info.update(model=model, workers=workers, run_s=seconds, cpu_s=[sum(cpus) for cpus in got], **facts)


@pytest.mark.measurement("threads_running_c_code")
def test_threads_running_c_code(bench, profile):
    """2 x P threads of this process hashing (the GIL released): cores kept busy, and who progressed per window."""
    threads, seconds = 2 * machine.usable_workers(), run_seconds(profile)
    expected = hashlib.sha256(HASHED).hexdigest()
    rounds = []
    with Pool("threads", threads) as pool:
        run = functools.partial(threads_round, pool, threads, stamped_hashing, (HASHED,), seconds)
        bench.pedantic(lambda: rounds.append(run()), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
    rounds = rounds[-profile.rounds :]
    assert all(digests == {expected} for results, _, _ in rounds for _, digests in results), "a hash came out wrong"
    bench.extra_info.update(
        threads=threads,
        run_s=seconds,
        window_s=WINDOW_S,
        work="sha256 of {} KiB".format(len(HASHED) // KIB),
        cpu_s=[cpu for _, _, cpu in rounds],
        hashes_per_round=[sum(len(stamps) for stamps, _ in results) for results, _, _ in rounds],
        least_share_per_round=[least_share([s for s, _ in results], start, seconds) for results, start, _ in rounds],
    )


@pytest.mark.measurement("hundreds_of_threads")
def test_hundreds_of_threads(bench, profile):
    """THREADS threads of this process waking every NAP_S: the least share that woke in any window."""
    seconds = run_seconds(profile)
    rounds = []
    with Pool("threads", THREADS) as pool:
        run = functools.partial(threads_round, pool, THREADS, stamped_naps, (NAP_S,), seconds)
        bench.pedantic(lambda: rounds.append(run()), rounds=profile.rounds, warmup_rounds=profile.warmup_rounds)
    rounds = rounds[-profile.rounds :]
    assert all(len(results) == THREADS for results, _, _ in rounds), "a thread did not report"
    bench.extra_info.update(
        threads=THREADS,
        nap_s=NAP_S,
        run_s=seconds,
        window_s=WINDOW_S,
        wakeups_per_round=[sum(len(stamps) for stamps in results) for results, _, _ in rounds],
        least_share_per_round=[least_share(results, start, seconds) for results, start, _ in rounds],
    )
