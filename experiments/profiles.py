"""Profiles trade rounds and work per task for time; grids of workers and sizes are the same in every profile.

Every knob here is written into the recorded JSON, so a number never travels without its conditions.
"""

import collections
import os

Profile = collections.namedtuple(
    "Profile",
    [
        "name",
        "rounds",  # recorded rounds per benchmark
        "warmup_rounds",  # unrecorded rounds first: imports, caches, pool workers up
        "cpu_work",  # cpu_spin iterations in total, split over the workers (~90 ms per million here)
        "io_wait_ms",  # how long each I/O task waits
        "scale",  # other experiments' sizes, as a fraction of their full size (a module's FULL_... constants)
    ],
)

PROFILES = {
    "full": Profile("full", rounds=7, warmup_rounds=1, cpu_work=2000000, io_wait_ms=10, scale=1.0),
    "quick": Profile("quick", rounds=3, warmup_rounds=1, cpu_work=1000000, io_wait_ms=10, scale=0.5),
    # Proves every benchmark runs and records; its numbers decide nothing.
    "smoke": Profile("smoke", rounds=1, warmup_rounds=0, cpu_work=20000, io_wait_ms=1, scale=0.02),
}
DEFAULT_PROFILE = "full"

KIB = 1024
MIB = 1024 * KIB
PAYLOAD_SIZES = [KIB, 64 * KIB, MIB, 16 * MIB, 64 * MIB]


def scaled(full_size, profile):
    """An experiment's size under `profile`: its full size times the profile's scale, at least 1."""
    return max(1, int(full_size * profile.scale))


def cpu_count():
    return os.cpu_count() or 1


def with_cpu_points(points):
    """A fixed grid plus the points this machine gives (cpu_count, 2 x cpu_count), sorted, no repeats."""
    return sorted(set(points) | {cpu_count(), 2 * cpu_count()})


def cpu_workers():
    """N = 1, 2, 4, ... up to 2 x cpu_count: past the cores, more workers can only contend."""
    limit = 2 * cpu_count()
    return with_cpu_points(2**k for k in range(limit.bit_length()) if 2**k <= limit)


def io_workers():
    """N = 1 ... 32: waits overlap however many cores there are."""
    return with_cpu_points([1, 2, 4, 8, 16, 32])
