"""C20, from experiments/test_c20_lost_updates.py: does the GIL keep threads from conflicting over shared data "by
executing only one statement at a time"? Decided per interpreter and per form of update, on counts alone.

The sentence makes two promises, and each has its own observation. "Only one statement at a time": an update
written as ONE statement (`+= 1`, `c.n = c.n + f()`, list.append, ...) never loses another thread's update; a
single such loss, at any switch interval, refutes it. "Prevents conflicts": updates spread over several statements
(a read, a call, a write) keep every update too. A loss shows itself; its absence means something only after many
chances for a switch inside the statement, so a form that kept its updates counts only once its rounds spanned
MANY_SWITCHES switch intervals at every interval measured.

What changed in CPython 3.10 (a switch falls only at calls and backward jumps, no longer between any two bytecodes)
shows in which statements lose: on 3.8 and 3.9 the plain `+= 1` does, from 3.10 only a statement with a call
inside. The evidence names the forms, and the numbers carry each form's count at each interval.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive, select

MEASUREMENT = "lost_updates"
ONE, SEVERAL, LOCKED = "one statement", "several statements", "locked"
# With p the share of switch chances that fall inside a statement, 50 forced switches miss every one of them with
# probability (1 - p)^50: under 0.5% for p = 1/10 (3.8's `+= 1` has a chance at nearly every bytecode).
MANY_SWITCHES = 50
LABELS = {
    "global_iadd": "`TALLY += 1` (a global)",
    "attribute_iadd": "`c.count += 1`",
    "call_in_statement": "`c.count = c.count + f()`",
    "list_append": "list.append",
    "dict_setitem": "dict[key] = v",
    "count_next": "next(itertools.count)",
    "read_call_write": "`v = c.count; v = f(v); c.count = v + 1`",
    "locked_iadd": "`c.count += 1` under a Lock",
}
PLAIN = ["global_iadd", "attribute_iadd"]  # the plain `+= 1`: lost updates on 3.8 and 3.9, none from 3.10


def _label(form):
    return LABELS.get(form, form)


def _ms(row):
    return "{:g} ms".format(row["switch_interval_s"] * 1000)


def _forms(rows):
    """{form: [its rows, longest switch interval first]}, forms in the order of LABELS, then any others."""
    order = {form: k for k, form in enumerate(LABELS)}
    grouped = {}
    for row in sorted(
        rows.to_dict("records"), key=lambda r: (order.get(r["form"], len(order)), -r["switch_interval_s"])
    ):
        grouped.setdefault(row["form"], []).append(row)
    return grouped


def _losses(rows):
    """`form (lost of made at interval; ...)` for each form among `rows` that lost updates."""
    return ", ".join(
        "{} ({})".format(
            _label(form),
            "; ".join(
                "{:,} of {:,} at {}".format(int(r["lost_total"]), int(r["expected_per_round"] * r["rounds"]), _ms(r))
                for r in found
                if r["lost_total"] > 0
            ),
        )
        for form, found in _forms(rows[rows["lost_total"] > 0]).items()
    )


def _kept(rows, lost):
    """Part for forms that must keep their updates: False if one lost any, None if one spanned too few switch
    intervals to tell, True otherwise."""
    if rows.empty:
        return Part(None, "not measured")
    if (rows["lost_total"] > 0).any():
        return Part(False, lost)
    few = rows[rows["switch_intervals_spanned"] < MANY_SWITCHES]
    if len(few):
        return Part(
            None,
            "{} spanned only {:.0f} switch intervals at {}: too few chances for a switch inside to show".format(
                _label(few.iloc[0]["form"]), few.iloc[0]["switch_intervals_spanned"], _ms(few.iloc[0])
            ),
        )
    return Part(True, "kept every update over >= {} switch intervals".format(MANY_SWITCHES))


@rule("C20", MEASUREMENT)
def gil_prevents_conflicts(run):
    """C20 (per interpreter, per form of update, at every switch interval measured):
    confirmed: no unlocked update was lost, in one statement or across several, over >= 50 switch intervals per
    form and interval;
    refuted: an update written as ONE statement lost updates (which forms: on 3.8/3.9 the plain `+= 1` too, from
    3.10 the statement with a call inside), so the GIL does not run one statement at a time;
    partly: every single statement kept its updates but a read, a call and a write as separate statements lost some
    (statements stay whole, the logic across them does not);
    inconclusive: updates under a Lock were lost (the count itself is wrong), no records of statements and a Lock,
    or a form that kept its updates spanned under 50 switch intervals."""
    measured = run(MEASUREMENT)
    if measured.empty or "lost_total" not in measured:
        return inconclusive("no lost-update records")
    locked, one, several = (select(measured, kind=kind) for kind in (LOCKED, ONE, SEVERAL))
    if locked.empty or one.empty:
        return inconclusive("no records of both single statements and updates under a Lock")
    if locked["lost_total"].sum() > 0:
        return inconclusive(
            "updates under a Lock were lost ({:,}): the count itself is wrong".format(int(locked["lost_total"].sum()))
        )
    unlocked = measured[measured["kind"] != LOCKED]
    threads = int(measured["threads"].iloc[0])
    lost_in_one = [form for form in _forms(one[one["lost_total"] > 0])]
    lost_across = [form for form in _forms(several[several["lost_total"] > 0])]
    numbers = {
        "threads": threads,
        "unlocked_updates": int((unlocked["expected_per_round"] * unlocked["rounds"]).sum()),
        "fewest_switch_intervals_spanned": int(measured["switch_intervals_spanned"].min()),
        "forms_lost_in_one_statement": ",".join(lost_in_one),
        "forms_lost_across_statements": ",".join(lost_across),
        "plain_iadd_lost": bool(set(PLAIN) & set(lost_in_one)),
    }
    numbers.update(
        {
            "lost_{}_{:g}ms".format(row["form"], row["switch_interval_s"] * 1000): int(row["lost_total"])
            for row in measured.to_dict("records")
        }
    )
    kept = [form for form in _forms(unlocked) if form not in lost_in_one + lost_across]
    plain = [form for form in PLAIN if form in _forms(one)]
    clauses = []
    if lost_in_one:
        clauses.append("lost updates within one statement: " + _losses(one))
    if lost_across:
        clauses.append("across statements: " + _losses(several))
    clauses.append("kept every update: {}, and under a Lock".format(", ".join(_label(f) for f in kept) or "nothing"))
    if plain:
        clauses.append("the plain `+= 1` {}".format("lost updates" if numbers["plain_iadd_lost"] else "lost none"))
    evidence = "{} threads at once, over >= {:,} switch intervals per form and interval, {}".format(
        threads, numbers["fewest_switch_intervals_spanned"], "; ".join(clauses)
    )
    if lost_in_one:
        return combine(evidence, {"one statement at a time": Part(False, "a single statement lost updates")}, numbers)
    parts = {
        "one statement at a time": _kept(one, "a single statement lost updates"),
        "no conflicts across statements": _kept(several, "updates across statements were lost"),
    }
    return combine(evidence, parts, numbers)
