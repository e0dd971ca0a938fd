"""X01 on synthetic verdict tables: a free-threaded build beside the GIL build of the same minor version, with and
without the same binary run with PYTHON_GIL=1."""

import pandas as pd
import pytest
from analysis.rules import x01

GIL = {"C06": "partly", "C09": "confirmed", "C12": "refuted", "C13": "refuted", "C20": "refuted", "C21": "partly"}
FREE = dict(GIL, C06="confirmed", C09="refuted", C12="confirmed", C21="refuted")


def setting(interpreter, build, gil_enabled, verdicts, machine="lab"):
    return [
        dict(
            machine=machine,
            interpreter=interpreter,
            build=build,
            gil_enabled=gil_enabled,
            claim=claim,
            verdict=verdict,
            ratio=1.0,
        )
        for claim, verdict in verdicts.items()
    ]


def verdict_table(free=FREE, gil_on=GIL, twin="cpython-3.13.0", twin_machine="lab"):
    """The per-setting verdicts of one machine: the GIL build, the free-threaded build, and (unless None) the same
    free-threaded binary with the GIL back on."""
    rows = setting(twin, "gil", True, GIL, twin_machine) + setting("cpython-3.13.15t", "free-threaded", False, free)
    if gil_on is not None:
        rows += setting("cpython-3.13.15t", "free-threaded", True, gil_on)
    return pd.DataFrame(rows)


def decide(table):
    (verdict,) = x01.answer_changes_without_a_gil.function(table).values()
    return verdict


OUTCOMES = {
    "X01": {
        "confirmed": lambda: verdict_table(),
        "refuted": lambda: verdict_table(free=GIL),  # a free-threaded build where nothing the GIL is about changed
        "partly": lambda: verdict_table(gil_on=dict(GIL, C09="refuted")),  # the build, not the GIL, made C09 scale
        "inconclusive": lambda: verdict_table(twin="cpython-3.12.1"),  # no GIL build of 3.13 to compare with
    }
}


def test_x01_names_what_changed_with_both_builds_and_the_control():
    decided = decide(verdict_table())
    assert decided.verdict == "confirmed"
    assert "C09 confirmed (1.00) -> refuted (1.00), confirmed with PYTHON_GIL=1" in decided.evidence
    assert "unchanged: C13 refuted, C20 refuted" in decided.evidence
    assert decided.numbers["C09"] == {"gil": "confirmed", "free_threaded": "refuted", "gil_on": "confirmed"}


def test_x01_without_a_decided_control_cannot_tell_the_gil_from_the_build():
    for gil_on in (None, {c: "inconclusive" for c in GIL}):  # not run, or a run that decided nothing
        decided = decide(verdict_table(gil_on=gil_on))
        assert decided.verdict == "inconclusive" and "tells whether the GIL is why" in decided.evidence
    assert "no control for C06 (not run with PYTHON_GIL=1), C09 (not run" in decide(verdict_table(gil_on=None)).evidence


def test_a_claim_the_control_run_left_undecided_has_no_control_and_neither_splits_nor_decides_x01():
    free, gil_on = dict(FREE, C13="partly"), dict(GIL, C13="inconclusive")  # too noisy with the GIL back on
    decided = decide(verdict_table(free=free, gil_on=gil_on))
    assert decided.verdict == "confirmed"
    assert "C13 refuted (1.00) -> partly (1.00), inconclusive with PYTHON_GIL=1" in decided.evidence
    assert "; no control for C13 (undecided with PYTHON_GIL=1); unchanged: C20 refuted" in decided.evidence
    assert decide(verdict_table(free=free, gil_on=dict(gil_on, C13="partly"))).verdict == "partly"


@pytest.mark.parametrize(
    "table, reason",
    [
        (verdict_table(twin="cpython-3.12.1"), "no GIL build of cpython-3.13"),
        (verdict_table(twin_machine="other"), "no GIL build of cpython-3.13 on lab"),
        (verdict_table(free={c: "inconclusive" for c in FREE}), "no claim the GIL is about was decided by both"),
    ],
)
def test_x01_inconclusive_says_why(table, reason):
    decided = decide(table)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_x01_speaks_only_of_free_threaded_settings_with_the_gil_off():
    table = verdict_table()
    assert list(x01.answer_changes_without_a_gil.function(table)) == [("lab", "cpython-3.13.15t", False)]
