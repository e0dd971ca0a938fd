"""C21: does the GIL keep every thread from running in parallel, or only threads running Python code?

The post: "The Global Interpretor Lock (GIL) in CPython prevents parallel threads of execution on multiple cores".

Measured, weak-scaled: N threads (a warm pool), N = 1, 2, 4, ... 2 x the usable CPUs (`cpu_workers`), each run one
task of a workload, every round paired with one such task run serially (`measure`), so the speedup
N x serial / round is immune to drift between rounds; the process's CPU seconds per wall second say how many cores
were busy at once. Workloads: C code that releases the GIL while it works (hashlib.sha256 over a 1 MiB buffer,
zlib.compress of 256 KiB, unbuffered reads of a temporary file), time.sleep (a wait: it needs no core), and the
pure-Python `cpu_spin` of C09, which holds the GIL. Each task is sized to take about `profile.task_s` here
(calibrated once per session), far above the per-task overhead on any core count. Buffers are made once, outside
the timing, and handed to the threads by reference.

Positive control: processes of the platform's default start method run the pure-Python task at N = the largest
N that the usable CPUs can all run at once; if they do not scale, the run did not get that many CPUs and flat
threads say nothing of the GIL. Serial against serial is the null control. Rule: `c21.gil_blocks_all_parallelism`
in scripts/analysis/rules/c21.py.
"""

import hashlib
import multiprocessing
import os
import random
import tempfile
import zlib

import pytest

from experiments.machine import usable_cpus
from experiments.profiles import cpu_workers, sized_by_cpu
from experiments.vocabulary import SERIAL, THREADS
from experiments.workloads.cpu import compress_repeated, cpu_spin, cpu_spin_expected, sha256_repeated
from experiments.workloads.io import read_file, sleep_for

pytestmark = pytest.mark.claim("C21")
BUFFER_BYTES = 2**20  # hashed per sha256 call: OpenSSL's hashing releases the GIL above 2 KiB
COMPRESSED_BYTES = 2**18  # compressed per zlib call
ZLIB_LEVEL = 6  # zlib's default
FILE_BYTES = 8 * 2**20  # the temporary file: read whole per call, from the page cache after the first
CHUNK_BYTES = 2**20  # per read() call
SEED = 20210701
WORKLOADS = ["sha256", "zlib", "file_read", "sleep", "pure_python"]
BOUND = {"sleep": "io"}  # what limits each workload's speedup: the usable CPUs, except for waits
DEFAULT_PROCESSES = multiprocessing.get_start_method()  # the positive control's model: what a user gets
# The positive control's N: the largest N of the grid that the usable CPUs can all run at once, the N the rule
# judges threads at (1 under a CPU quota below one CPU, where the rule decides nothing).
CONTROL_WORKERS = max([n for n in cpu_workers() if n <= usable_cpus()] or [1])


def buffer(size):
    """`size` bytes of letters drawn from 16, at random with a fixed seed: compressible, but not trivially."""
    raw = random.Random(SEED).getrandbits(8 * size).to_bytes(size, "little")
    return raw.translate(bytes(97 + b % 16 for b in range(256)))


@pytest.fixture(scope="module")
def temporary_file():
    descriptor, path = tempfile.mkstemp(prefix="c21-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(buffer(FILE_BYTES))
        yield path
    finally:
        os.remove(path)


@pytest.fixture(scope="module")
def tasks(profile, cpu_task, temporary_file):
    """{workload: (function, the arguments of one task, what that task returns, its units)}, each task about
    `profile.task_s` long here."""
    data, small = buffer(BUFFER_BYTES), buffer(COMPRESSED_BYTES)
    hashes = sized_by_cpu(lambda n: sha256_repeated(data, n), profile.task_s, size=4)
    compressions = sized_by_cpu(lambda n: compress_repeated(small, n, ZLIB_LEVEL), profile.task_s, size=4)
    reads = sized_by_cpu(lambda n: read_file(temporary_file, n, CHUNK_BYTES), profile.task_s, size=2)
    return {
        "sha256": (sha256_repeated, (data, hashes), {hashlib.sha256(data).hexdigest()}, hashes),
        "zlib": (
            compress_repeated,
            (small, compressions, ZLIB_LEVEL),
            {len(zlib.compress(small, ZLIB_LEVEL))},
            compressions,
        ),
        "file_read": (read_file, (temporary_file, reads, CHUNK_BYTES), reads * FILE_BYTES, reads),
        "sleep": (sleep_for, (profile.task_s,), profile.task_s, 1),
        "pure_python": (cpu_spin, (cpu_task,), cpu_spin_expected(cpu_task), cpu_task),
    }


def run_tasks(measure, tasks, model, workers, workload):
    fn, args, expected, units = tasks[workload]
    facts = dict(workload=workload, units=units, bound=BOUND.get(workload, "cpu"))
    assert measure(model, workers, fn, [args] * workers, **facts) == [expected] * workers


@pytest.mark.measurement("release_scaling")
def test_null_control(measure, tasks):
    run_tasks(measure, tasks, SERIAL, 1, "pure_python")


@pytest.mark.measurement("release_scaling")
@pytest.mark.parametrize("workers", cpu_workers())
@pytest.mark.parametrize("workload", WORKLOADS)
def test_threads(measure, tasks, workload, workers):
    run_tasks(measure, tasks, THREADS, workers, workload)


@pytest.mark.measurement("release_scaling")
def test_processes_positive_control(measure, tasks):
    run_tasks(measure, tasks, DEFAULT_PROCESSES, CONTROL_WORKERS, "pure_python")
