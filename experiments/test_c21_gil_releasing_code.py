"""C21: does the GIL keep every thread from running in parallel, or only pure-Python code?

The post: "The Global Interpretor Lock (GIL) in CPython prevents parallel threads of execution on multiple cores".

Measured: a fixed amount of work of each kind cut into N tasks, N = 1, 2, 4, ... 2 x cpu_count, run serially and
in N threads (a warm pool): C code that releases the GIL while it works (hashlib.sha256 over a 1 MiB buffer,
zlib.compress of 256 KiB, unbuffered reads of a temporary file, time.sleep), beside the pure-Python `cpu_spin`
of C09, which holds it. Buffers are made once, outside the timing, and handed to the threads by reference. The
speedup of threads over serial per workload is the evidence. Rule: `c21.gil_blocks_all_parallelism` in
scripts/rules/c21.py.
"""

import hashlib
import os
import random
import tempfile
import zlib

import pytest

from experiments.profiles import cpu_workers, scaled
from experiments.vocabulary import SERIAL, THREADS
from experiments.workloads.cpu import compress_repeated, cpu_spin, cpu_spin_expected, sha256_repeated, split
from experiments.workloads.io import read_file, sleep_for

pytestmark = pytest.mark.claim("C21")
BUFFER_BYTES = 2**20  # hashed per sha256 call: OpenSSL's hashing releases the GIL above 2 KiB
COMPRESSED_BYTES = 2**18  # compressed per zlib call
ZLIB_LEVEL = 6  # zlib's default
FILE_BYTES = 8 * 2**20  # the temporary file: read whole per call, from the page cache after the first
CHUNK_BYTES = 2**20  # per read() call
SEED = 20210701
# Total work per workload, split over the N tasks (~60 ms of serial work each here at full scale)
FULL_UNITS = {"sha256": 96, "zlib": 8, "file_read": 128, "sleep": 64, "pure_python": 800000}
WORKLOADS = ["sha256", "zlib", "file_read", "sleep", "pure_python"]
BOUND = {"sleep": "io"}  # what limits each workload's speedup: the usable CPUs, except for waits


def buffer(size):
    """`size` bytes of letters drawn from 16, at random with a fixed seed: compressible, but not trivially."""
    raw = random.Random(SEED).getrandbits(8 * size).to_bytes(size, "little")
    return raw.translate(bytes(97 + b % 16 for b in range(256)))


@pytest.fixture
def temporary_file():
    descriptor, path = tempfile.mkstemp(prefix="c21-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(buffer(FILE_BYTES))
        yield path
    finally:
        os.remove(path)


@pytest.fixture
def work(workload, request):
    """(function, the arguments of a task of n units, what such a task returns) of one workload."""
    if workload == "sha256":
        data = buffer(BUFFER_BYTES)
        digest = hashlib.sha256(data).hexdigest()
        return sha256_repeated, lambda n: (data, n), lambda n: {digest} if n else set()
    if workload == "zlib":
        data = buffer(COMPRESSED_BYTES)
        size = len(zlib.compress(data, ZLIB_LEVEL))
        return compress_repeated, lambda n: (data, n, ZLIB_LEVEL), lambda n: {size} if n else set()
    if workload == "file_read":
        path = request.getfixturevalue("temporary_file")
        return read_file, lambda n: (path, n, CHUNK_BYTES), lambda n: n * FILE_BYTES
    if workload == "sleep":
        return sleep_for, lambda n: (n / 1000,), lambda n: n / 1000  # units of 1 ms
    return cpu_spin, lambda n: (n,), cpu_spin_expected


def tasks_of(workload, work, profile, workers):
    """The workload's total units (scaled) cut into `workers` tasks: the function, its tasks, their results."""
    fn, arguments, expected = work
    units = split(scaled(FULL_UNITS[workload], profile), workers)
    return fn, [arguments(n) for n in units], [expected(n) for n in units]


def facts(workload, profile):
    return dict(units=scaled(FULL_UNITS[workload], profile), bound=BOUND.get(workload, "cpu"))


# Serial and threads back to back for each workload and N: a load that comes and goes hits both alike.
@pytest.mark.measurement("release_scaling")
@pytest.mark.parametrize("model", [SERIAL, THREADS])
@pytest.mark.parametrize("workers", cpu_workers())
@pytest.mark.parametrize("workload", WORKLOADS)
def test_workload(measure, profile, work, workload, workers, model):
    fn, tasks, expected = tasks_of(workload, work, profile, workers)
    assert measure(model, workers, fn, tasks, **facts(workload, profile)) == expected
