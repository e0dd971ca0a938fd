"""Synthetic records for the rule tests: rows shaped as scripts/analysis/records.py makes them from a real run."""

import numpy as np
import pandas as pd

from experiments.vocabulary import process_models

PROCESSES = process_models()


def spread_around(median, spread=0.02, rounds=7):
    """`rounds` values spread evenly +-`spread` around `median`."""
    return list(median * np.linspace(1 - spread, 1 + spread, rounds))


def timed(median, spread=0.02, rounds=7):
    """A record's timing columns: `rounds` times spread evenly +-`spread` around `median`."""
    return dict(median_s=median, rounds_s=spread_around(median, spread, rounds))


def frame(rows, cpus=2):
    """The rows of one run on a machine with `cpus` usable CPUs."""
    return pd.DataFrame(rows).assign(cpu_usable=cpus)
