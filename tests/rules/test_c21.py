"""C21 on synthetic release-scaling records: serial takes 1 s at every N; threads at the speedup given per
workload for N >= 2."""

import pandas as pd
import pytest
from analysis.rules import c21

from tests.rules.synthetic import frame, timed


def release_records(speeds, cpus=2, spread=0.02):
    """C21 rows at N = 1, 2 and 4 for each workload of `speeds` ({workload: threads' speedup})."""
    rows = []
    for workload, speed in speeds.items():
        for n in (1, 2, 4):
            threads = timed(1 / (speed if n > 1 else 1), spread)
            rows.append(dict(measurement="release_scaling", model="serial", workers=n, workload=workload, **timed(1.0)))
            rows.append(dict(measurement="release_scaling", model="threads", workers=n, workload=workload, **threads))
    return frame(rows, cpus)


C_SCALES = {"sha256": 1.9, "zlib": 1.8, "file_read": 1.7, "sleep": 3.9, "pure_python": 1.0}


@pytest.mark.parametrize(
    "speeds, verdict",
    [
        (C_SCALES, "partly"),
        (dict(C_SCALES, sha256=1.0, zlib=1.0, file_read=1.0), "confirmed"),
        (dict(C_SCALES, pure_python=1.9), "refuted"),
    ],
)
def test_c21_sets_c_code_that_releases_the_gil_beside_pure_python(speeds, verdict):
    decided = c21.gil_blocks_all_parallelism(release_records(speeds))
    assert decided.verdict == verdict
    assert decided.numbers["sleep_speedup"] == pytest.approx(3.9, rel=0.01)


def test_c21_partly_names_what_scaled():
    decided = c21.gil_blocks_all_parallelism(release_records(C_SCALES))
    assert decided.evidence.endswith("; but sha256: scales: >= 1.5x; zlib: scales: >= 1.5x; file_read: scales: >= 1.5x")


def test_c21_a_scaling_c_workload_beside_flat_pure_python_decides_despite_a_noisy_one():
    records = release_records(C_SCALES)
    noisy = release_records({"zlib": 1.1}, spread=0.5)
    decided = c21.gil_blocks_all_parallelism(pd.concat([records[records.workload != "zlib"], noisy]))
    assert decided.verdict == "partly"


def test_c21_inconclusive_names_the_undecided_workload():
    records = release_records(dict(C_SCALES, sha256=1.0, zlib=1.0, file_read=1.0))
    noisy = release_records({"zlib": 1.1}, spread=0.5)
    decided = c21.gil_blocks_all_parallelism(pd.concat([records[records.workload != "zlib"], noisy]))
    assert decided.verdict == "inconclusive" and "usable CPUs; zlib: too noisy: CI [" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (release_records(C_SCALES, cpus=1), "1 usable CPU"),
        (release_records({"sleep": 3.9}), "no serial and threads records"),
        # every workload is noisy at this spread; combine names the first undecided one (was: each, zlib included)
        (release_records(dict(C_SCALES, sha256=1.0, zlib=1.1, file_read=1.0), spread=0.5), "sha256: too noisy"),
        (release_records({"sha256": 1.0, "zlib": 1.0, "pure_python": 1.0}), "file_read: no records"),
    ],
)
def test_c21_is_inconclusive_on_one_cpu_on_noise_or_without_a_workload(records, reason):
    decided = c21.gil_blocks_all_parallelism(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
