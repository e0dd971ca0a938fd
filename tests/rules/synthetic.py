"""Synthetic records for the rule tests: rows shaped as scripts/analysis/records.py makes them from a real run."""

import numpy as np
import pandas as pd

from experiments.vocabulary import process_models

PROCESSES = process_models()
ROUNDS = 9  # a full profile's pairs


def spread_around(median, spread=0.02, rounds=ROUNDS):
    """`rounds` values spread evenly +-`spread` around `median`."""
    return list(median * np.linspace(1 - spread, 1 + spread, rounds))


def noisy(median, spread=0.02, rounds=ROUNDS, seed=0):
    """`rounds` values with lognormal noise of `spread` (fixed seed), whose median is exactly `median`."""
    z = np.random.default_rng(seed).normal(0, 1, rounds)
    return list(median * np.exp(spread * (z - np.median(z))))


def timed(median, spread=0.02, rounds=ROUNDS):
    """A record's timing columns: `rounds` times spread evenly +-`spread` around `median`."""
    return dict(median_s=median, rounds_s=spread_around(median, spread, rounds))


def paired(contender, baseline, spread=0.02, rounds=ROUNDS, seed=0):
    """A benchmark timed in pairs: the contender's rounds and its baseline's beside them, each with its own noise."""
    return dict(
        median_s=contender,
        rounds_s=noisy(contender, spread, rounds, seed),
        baseline_s=noisy(baseline, spread, rounds, seed + 1),
    )


def scaled(workers, speedup, cores, task_s=0.05, spread=0.02, rounds=ROUNDS, seed=0):
    """A weak-scaling record: N workers, each one task of `task_s`, at `speedup`, keeping `cores` cores busy."""
    times = paired(workers * task_s / speedup, task_s, spread, rounds, seed)
    times["cpu_rounds_s"] = [cores * wall for wall in times["rounds_s"]]
    times["cpu_per_wall"] = cores
    return times


def grid(cpus):
    """N = 1, 2, 4, ... 2 x cpus, with cpus itself: the CPU-bound grid experiments/profiles.py builds."""
    return sorted({2**k for k in range((2 * cpus).bit_length()) if 2**k <= 2 * cpus} | {cpus, 2 * cpus})


def linear(limit):
    """The ideal speedup curve on `limit` CPUs: min(N, limit) times serial speed."""
    return lambda n: min(n, limit)


def saturating(limit, ceiling):
    """Scales like `linear` up to `ceiling` times serial speed, and no further."""
    return lambda n: min(n, limit, ceiling)


def flat(n):
    """No speedup at any N."""
    return 1.0


def frame(rows, cpus=2):
    """The rows of one run on a machine with `cpus` usable CPUs."""
    return pd.DataFrame(rows).assign(cpu_usable=cpus)
