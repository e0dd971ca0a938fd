"""C02 on synthetic records: what the parent saw of each worker's writes in 9 tries, and how the hand-over cost of the
largest payload grows over the smallest's, timed in pairs on the same worker."""

import pytest
from analysis.rules import c02

from tests.rules.synthetic import PROCESSES, frame, paired, timed

TRIES = 9
LARGEST = 19 * 2**20  # a quick run's largest payload (64 MiB x 0.3)


def memory_records(
    process_growth=80.0, thread_growth=1.0, spread=0.02, rounds=9, seen=None, handoff=True, process_spread=None
):
    """C02 rows: the parent saw every write of serial and threads, none of a process (unless `seen` maps a model to
    the tries it saw each write in); handing over LARGEST costs `growth` x handing over 1 KiB (0.1 ms), with a spread
    of `process_spread` (else `spread`) for the process models."""
    seen = seen or {}
    rows = []
    for model in ["serial", "threads"] + PROCESSES:
        count = seen.get(model, TRIES if model in ("serial", "threads") else 0)
        visibility = dict(sees_global=count, sees_list=count, sees_instance=count, tries=TRIES)
        rows.append(dict(measurement="write_visibility", model=model, **visibility, **timed(0.001)))
        if handoff and model != "serial":
            growth = thread_growth if model == "threads" else process_growth
            noise = spread if model == "threads" or process_spread is None else process_spread
            times = paired(1e-4 * growth, 1e-4, noise, rounds, seed=len(rows))
            rows.append(dict(measurement="handoff", model=model, size_bytes=LARGEST, baseline_bytes=1024, **times))
    control = dict(measurement="handoff", model="threads", size_bytes=1024, baseline_bytes=1024, null_control=True)
    rows.append(dict(control, **paired(1e-4, 1e-4, spread, rounds)))
    return frame(rows)


OUTCOMES = {
    "C02": {
        "confirmed": lambda: memory_records(),  # any CPython: a thread shares the heap, a process copies into its own
        # 5 other programs on 2 CPUs: a process's 1 KiB hand-over from 0.3 to 3 ms, its pairs from 7x to 150x
        "inconclusive": lambda: memory_records(process_spread=1.5),
    }
}


def test_c02_confirmed_names_every_model_and_reads_the_growth_from_the_pairs():
    decided = c02.separate_heaps(memory_records())
    assert decided.verdict == "confirmed", decided.evidence
    assert (
        "in 9/9/9 of 9 tries from a thread and in 0/0/0 (fork), 0/0/0 (spawn), 0/0/0 (forkserver)" in decided.evidence
    )
    assert decided.numbers["fork_handoff_growth"] == pytest.approx(80, rel=0.05)
    assert decided.numbers["threads_handoff_growth"] == pytest.approx(1, rel=0.05)  # the null control is not threads'
    assert decided.evidence.endswith("(a reference: <= 3x, a copy: >= 10x)")


@pytest.mark.parametrize(
    "records, verdict, words",
    [
        # Neither can occur on a real machine (see the rule's `cannot`); the rule still reads them as they are.
        (memory_records(seen={"spawn": 3}), "partly", "the parent sees none of a spawn child's: its global in 3 of 9"),
        (memory_records(process_growth=1.2), "partly", "fork hand-over: a reference: <= 3x"),
        (
            memory_records(
                seen=dict({"threads": 0}, **{m: TRIES for m in PROCESSES}), process_growth=1, thread_growth=99
            ),
            "refuted",
            "",
        ),
    ],
)
def test_c02_reads_the_facts_as_recorded(records, verdict, words):
    decided = c02.separate_heaps(records)
    assert decided.verdict == verdict and words in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (memory_records(process_spread=1.5), "fork hand-over: too noisy: CI ["),
        (memory_records(process_growth=6), "between a reference (3x) and a copy (10x)"),
        (memory_records(rounds=5), "5 rounds give no interval"),
        (memory_records(handoff=False), "no hand-over records"),
        (memory_records()[lambda rows: rows.measurement != "write_visibility"], "no write-visibility records"),
        (memory_records()[lambda rows: ~rows.model.isin(PROCESSES)], "no write-visibility records"),
    ],
)
def test_c02_is_inconclusive_and_says_why(records, reason):
    decided = c02.separate_heaps(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
