"""C20 on synthetic lost-update records: updates lost per form and switch interval, 4 threads x 9 rounds, with the
switch intervals each case spanned; interpreters as CPython 3.8/3.9, 3.10+ and a free-threaded build record them."""

import pytest
from analysis.rules import c20

from tests.rules.synthetic import frame, timed

KINDS = {
    "global_iadd": "one statement",
    "attribute_iadd": "one statement",
    "call_in_statement": "one statement",
    "list_append": "one statement",
    "dict_setitem": "one statement",
    "count_next": "one statement",
    "read_call_write": "several statements",
    "locked_iadd": "locked",
}
INTERVALS = (0.005, 1e-6)
UPDATES = 4 * 200000  # per round: 4 threads x 200,000
# What a run records where a thread switch can fall inside the statement (lost updates of 9 x 800,000 made)
CALLS_SWITCH = {
    ("call_in_statement", 0.005): 2675073,
    ("call_in_statement", 1e-6): 1496885,
    ("read_call_write", 0.005): 2422550,
    ("read_call_write", 1e-6): 1473045,
}
CPYTHON_310_ON = CALLS_SWITCH  # a switch only at calls and backward jumps: the plain `+= 1` keeps its updates
CPYTHON_38 = {  # a switch between nearly any two bytecodes: the plain `+= 1` loses updates too
    **CALLS_SWITCH,
    ("global_iadd", 0.005): 1287934,
    ("global_iadd", 1e-6): 953915,
    ("attribute_iadd", 0.005): 489318,
    ("attribute_iadd", 1e-6): 805629,
}
FREE_THREADED = {**CPYTHON_38, ("attribute_iadd", 0.005): 3900125, ("global_iadd", 0.005): 4102311}
STATEMENTS_WHOLE = {("read_call_write", 0.005): 2422550, ("read_call_write", 1e-6): 1473045}  # the post's model


def lost_records(lost=None, spanned=None, rounds=9):
    """`lost`: {(form, interval in s): updates lost}; every other case lost none. `spanned`: {(form, interval):
    switch intervals spanned}; every other case spanned 100 (at 5 ms) or 50,000 (at 1 us)."""
    lost, spanned = lost or {}, spanned or {}
    rows = [
        dict(
            measurement="lost_updates",
            form=form,
            kind=kind,
            switch="default" if interval == 0.005 else "tiny",
            switch_interval_s=interval,
            threads=4,
            expected_per_round=UPDATES,
            lost_total=lost.get((form, interval), 0),
            switch_intervals_spanned=spanned.get((form, interval), 100 if interval == 0.005 else 50000),
            **timed(0.5 if interval == 0.005 else 0.01, rounds=rounds),
        )
        for form, kind in KINDS.items()
        for interval in INTERVALS
    ]
    return frame(rows).assign(rounds=rounds)


OUTCOMES = {
    "C20": {
        "confirmed": lambda: lost_records(),  # an interpreter that switches only at backward jumps (loop ends)
        "refuted": lambda: lost_records(CPYTHON_310_ON),  # CPython 3.10-3.13 with the GIL
        "partly": lambda: lost_records(STATEMENTS_WHOLE),  # one that switches only between statements
        "inconclusive": lambda: lost_records({("locked_iadd", 0.005): 3}),
    }
}


@pytest.mark.parametrize(
    "lost, verdict",
    [(CPYTHON_38, "refuted"), (CPYTHON_310_ON, "refuted"), (FREE_THREADED, "refuted"), (STATEMENTS_WHOLE, "partly")],
)
def test_c20_is_decided_on_counts_alone(lost, verdict):
    decided = c20.gil_prevents_conflicts(lost_records(lost))
    assert decided.verdict == verdict and decided.interval is None


def test_c20_on_38_names_the_plain_iadd_and_from_310_only_the_statement_with_a_call():
    """What changed in 3.10 shows in the evidence and the numbers, though both are refuted."""
    old, new = (c20.gil_prevents_conflicts(lost_records(lost)) for lost in (CPYTHON_38, CPYTHON_310_ON))
    assert "within one statement: `TALLY += 1` (a global) (1,287,934 of 7,200,000 at 5 ms;" in old.evidence
    assert "`c.count += 1` (489,318 of 7,200,000 at 5 ms; 805,629 of 7,200,000 at 0.001 ms)" in old.evidence
    assert "the plain `+= 1` lost updates" in old.evidence
    assert old.numbers["forms_lost_in_one_statement"] == "global_iadd,attribute_iadd,call_in_statement"
    assert old.numbers["plain_iadd_lost"] is True and old.numbers["lost_global_iadd_5ms"] == 1287934
    assert "within one statement: `c.count = c.count + f()` (2,675,073 of 7,200,000 at 5 ms;" in new.evidence
    assert "kept every update: `TALLY += 1` (a global), `c.count += 1`, list.append" in new.evidence
    assert "the plain `+= 1` lost none" in new.evidence
    assert new.numbers["forms_lost_in_one_statement"] == "call_in_statement"
    assert new.numbers["plain_iadd_lost"] is False and new.numbers["lost_global_iadd_0.001ms"] == 0
    assert new.evidence.endswith("(a single statement lost updates)")


def test_c20_refuted_needs_no_span_a_loss_is_a_loss():
    few = {(form, 0.005): 3 for form in KINDS}
    assert c20.gil_prevents_conflicts(lost_records(CPYTHON_310_ON, few)).verdict == "refuted"


def test_c20_partly_says_statements_stay_whole_but_the_logic_across_them_does_not():
    decided = c20.gil_prevents_conflicts(lost_records(STATEMENTS_WHOLE))
    assert decided.evidence.endswith("; but no conflicts across statements: updates across statements were lost")
    assert "across statements: `v = c.count; v = f(v); c.count = v + 1` (2,422,550 of 7,200,000" in decided.evidence


def test_c20_confirmed_says_how_many_switches_nothing_was_lost_over():
    decided = c20.gil_prevents_conflicts(lost_records())
    assert decided.verdict == "confirmed"
    assert "over >= 100 switch intervals per form and interval" in decided.evidence
    assert decided.numbers["unlocked_updates"] == 7 * 2 * 9 * UPDATES


@pytest.mark.parametrize(
    "records, reason",
    [
        (lost_records({("locked_iadd", 0.005): 3}), "under a Lock were lost (3)"),
        (lost_records(spanned={("attribute_iadd", 0.005): 12}), "spanned only 12 switch intervals at 5 ms"),
        (lost_records(STATEMENTS_WHOLE, {("list_append", 0.005): 30}), "list.append spanned only 30"),
        (lost_records(spanned={("read_call_write", 0.005): 8}), "c.count = v + 1` spanned only 8"),
        (lost_records()[lambda rows: rows.kind != "locked"], "no records of both"),
        (lost_records()[lambda rows: rows.kind != "several statements"], "not measured"),
        (lost_records().assign(measurement="other"), "no lost-update records"),
    ],
)
def test_c20_is_inconclusive_without_a_sound_lock_enough_switches_or_records(records, reason):
    decided = c20.gil_prevents_conflicts(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
