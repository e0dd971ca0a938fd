"""C13 on synthetic pairs of the post's example: the two calls one after the other take 5 us as written and
k / 5,000,000 s at k cpu_spin iterations per call; each model's run is timed beside them at the speedups given."""

import pytest
from analysis.rules import c13

from tests.rules.synthetic import PROCESSES, frame, paired

WORKS = [30000, 90000, 300000]  # a grid of three works (a quick run measures the first and the last)
GIL = (1.0, 1.0, 1.0)  # threads at every work: no faster
FREE_THREADED = (1.3, 1.7, 1.9)
FORK = (1.1, 1.5, 1.8)  # processes started each round: dearer at little work
SPAWN = (0.1, 0.3, 0.7)


def example_records(written=0.05, threads=GIL, fork=FORK, cpus=2, spread=0.02, rounds=9, grid=True):
    """C13 rows: the example as written (threads at speedup `written`, processes far slower), and its shape at each
    work of WORKS (`threads` and `fork`: speedups; spawn and forkserver at SPAWN), plus the serial null control."""
    row = dict(measurement="two_calls", calls="as written", work=0)
    rows = [dict(row, model="serial", null_control=True, **paired(5e-6, 5e-6, spread, rounds))]
    rows.append(dict(row, model="threads", **paired(5e-6 / written, 5e-6, spread, rounds, seed=1)))
    rows += [
        dict(row, model=m, **paired(5e-3 * (k + 1), 5e-6, spread, rounds, seed=2 + k)) for k, m in enumerate(PROCESSES)
    ]
    for k, work in enumerate(WORKS if grid else []):
        serial = work / 5e6
        speeds = {"threads": threads[k], "fork": fork[k], "spawn": SPAWN[k], "forkserver": SPAWN[k]}
        for n, (model, speed) in enumerate(speeds.items()):
            times = paired(serial / speed, serial, spread, rounds, seed=10 * k + n)
            rows.append(dict(measurement="two_calls", calls="cpu_spin", work=work, model=model, **times))
    return frame(rows, cpus)


OUTCOMES = {
    "C13": {
        "refuted": lambda: example_records(),  # a GIL build
        "partly": lambda: example_records(threads=FREE_THREADED),  # a free-threaded build
        "inconclusive": lambda: example_records(cpus=1),
    }
}


@pytest.mark.parametrize(
    "threads, verdict",
    [(GIL, "refuted"), (FREE_THREADED, "partly"), ((0.5, 1.0, 1.5), "partly")],
)
def test_c13_judges_the_threads_as_written_and_with_the_most_work(threads, verdict):
    decided = c13.parallel_reduces_time(example_records(threads=threads))
    assert decided.verdict == verdict, decided.evidence
    assert decided.numbers["threads_as_written"] == pytest.approx(0.05, rel=0.05)
    assert decided.numbers["threads_at_largest_work"] == pytest.approx(threads[-1], rel=0.05)
    assert decided.interval.value == pytest.approx(threads[-1], rel=0.05)


def test_c13_reports_the_crossover_per_model():
    decided = c13.parallel_reduces_time(example_records(threads=(0.9, 1.5, 1.9), fork=(1.5, 0.9, 1.8)))
    assert decided.numbers["threads_crossover_work"] == 90000
    assert decided.numbers["fork_crossover_work"] == 300000 and decided.numbers["spawn_crossover_work"] is None
    assert c13.parallel_reduces_time(example_records()).numbers["fork_crossover_work"] == 90000
    assert "20x [20, 20] slower in threads" in c13.parallel_reduces_time(example_records()).evidence


def test_c13_partly_names_the_part_that_failed():
    decided = c13.parallel_reduces_time(example_records(threads=FREE_THREADED))
    assert decided.evidence.endswith("; but as written: no faster: <= 1.1x")


def test_c13_processes_that_beat_serial_at_all_show_the_machine_ran_two_calls_at_once():
    """Starting processes costs: a fork that is only 1.15x faster than serial still needed two CPUs at once."""
    assert c13.parallel_reduces_time(example_records(fork=(0.5, 0.9, 1.15))).verdict == "refuted"


def test_c13_faster_as_written_would_confirm():
    """Cannot occur (the rule's `cannot`); the rule still reads such records as they are."""
    assert c13.parallel_reduces_time(example_records(written=1.5, threads=FREE_THREADED)).verdict == "confirmed"


@pytest.mark.parametrize(
    "records, reason",
    [
        (example_records(cpus=1), "most work: fewer than 2 usable CPUs"),
        # One CPU kept busy by another program: nothing beats serial, and flat threads say nothing.
        (example_records(fork=(0.8, 0.9, 0.95)), "most work: the machine's own capacity is not shown"),
        (example_records()[lambda rows: rows.model != "threads"], "no records of the post's example"),
        (example_records(grid=False), "no records of the example's shape with growing work"),
        (example_records(threads=(1.0, 1.0, 1.1), spread=0.5), "most work: too noisy"),
        (example_records(rounds=5), "5 rounds give no interval"),
    ],
)
def test_c13_is_inconclusive_and_says_why(records, reason):
    decided = c13.parallel_reduces_time(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
