"""C13 on synthetic records of the post's example: serial takes 1 ms as written and w/1000 s at work w; the others
at the speedups given."""

import pytest
from analysis.rules import c13

from tests.rules.synthetic import PROCESSES, frame, timed

WORKS = [1000, 10000, 100000]


def example_records(written=0.02, threads=(1.0, 1.0, 1.0), fork=(0.5, 1.5, 1.8), cpus=2, spread=0.02, grid=True):
    """C13 rows: the example as written, and its shape at each work of WORKS (`threads` and `fork`: speedups)."""
    rows = [dict(measurement="post_example", model="serial", **timed(0.001))]
    rows.append(dict(measurement="post_example", model="threads", **timed(0.001 / written, spread)))
    rows += [dict(measurement="post_example", model=m, **timed(0.1)) for m in PROCESSES]
    for k, work in enumerate(WORKS if grid else []):
        serial = work / 1000
        rows.append(dict(measurement="growing_work", model="serial", work=work, **timed(serial)))
        rows.append(dict(measurement="growing_work", model="threads", work=work, **timed(serial / threads[k], spread)))
        rows.append(dict(measurement="growing_work", model="fork", work=work, **timed(serial / fork[k])))
        rows += [dict(measurement="growing_work", model=m, work=work, **timed(serial * 3)) for m in PROCESSES[1:]]
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "written, threads, verdict",
    [
        (0.02, (1.0, 1.0, 1.0), "refuted"),
        (0.02, (0.5, 1.5, 1.8), "partly"),
        # was confirmed: faster as written but no faster with the most work is a held and a failed part
        (1.5, (1.0, 1.0, 1.0), "partly"),
        (1.5, (1.0, 1.5, 1.8), "confirmed"),
    ],
)
def test_c13_judges_the_example_as_written_and_with_more_work(written, threads, verdict):
    decided = c13.parallel_reduces_time(example_records(written, threads))
    assert decided.verdict == verdict
    assert decided.numbers["threads_as_written"] == pytest.approx(written, rel=0.01)


def test_c13_crossover_is_the_least_work_from_which_a_model_stays_faster():
    decided = c13.parallel_reduces_time(example_records(fork=(1.5, 0.9, 1.8)))
    assert decided.numbers["fork_crossover_work"] == 100000 and decided.numbers["spawn_crossover_work"] is None
    assert c13.parallel_reduces_time(example_records()).numbers["fork_crossover_work"] == 10000
    assert "50x [49, 51] slower in threads" in c13.parallel_reduces_time(example_records()).evidence


def test_c13_partly_names_the_part_that_failed():
    decided = c13.parallel_reduces_time(example_records(threads=(0.5, 1.5, 1.8)))
    assert decided.evidence.endswith("; but as written: no faster: <= 1.1x")


@pytest.mark.parametrize(
    "records, reason",
    [
        (example_records(cpus=1), "1 usable CPU"),
        (example_records()[lambda rows: rows.model != "threads"], "no records of the post's example"),
        (example_records(grid=False), "no records of the example's shape with growing work"),
        (example_records(written=1.1, spread=0.5), "as written: too noisy"),
        (example_records(threads=(1.0, 1.0, 1.1), spread=0.5), "most work: too noisy"),
    ],
)
def test_c13_is_inconclusive_on_one_cpu_without_records_or_on_noise(records, reason):
    decided = c13.parallel_reduces_time(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
