"""C02 on synthetic records: what the parent saw of each worker's writes, and how hand-over cost grows with size."""

import pytest
from analysis.rules import c02

from tests.rules.synthetic import PROCESSES, frame, timed


def memory_records(process_sees=False, process_growth=100.0, with_handoff=True, spread=0.02):
    """C02 rows: what the parent saw from each model, and hand-over times at 1 KiB and 64 MiB."""
    rows = []
    for model in ["serial", "threads"] + PROCESSES:
        sees = model in ("serial", "threads") or process_sees
        visibility = dict(sees_global=sees, sees_list=sees, sees_instance=sees)
        rows.append(dict(measurement="write_visibility", model=model, workers=1, **visibility, **timed(0.01)))
        if with_handoff and model != "serial":
            growth = 1.0 if model == "threads" else process_growth
            for size, time in [(1024, 1e-4), (64 * 2**20, 1e-4 * growth)]:
                rows.append(dict(measurement="handoff", model=model, workers=1, size_bytes=size, **timed(time, spread)))
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (memory_records(), "confirmed"),
        (memory_records(process_sees=True), "partly"),
        (memory_records(process_growth=1.2), "partly"),
        (memory_records(with_handoff=False), "confirmed"),
        (memory_records(process_growth=10.0, spread=0.5), "inconclusive"),
    ],
)
def test_c02_reads_visibility_and_copy_costs(records, verdict):
    assert c02.separate_heaps(records).verdict == verdict


def test_c02_is_inconclusive_without_visibility_records():
    records = memory_records()[lambda rows: rows.measurement != "write_visibility"]
    assert c02.separate_heaps(records).verdict == "inconclusive"
