"""C20, from experiments/test_c20_lost_updates.py: do threads that update shared state at once lose updates, under
which operations and switch intervals? Decided on counts alone: one lost update is a conflict the GIL did not
prevent, whatever the interpreter version.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive, select

MEASUREMENT = "lost_updates"
LABELS = {
    "global_iadd": "`+= 1` on a global",
    "attribute_iadd": "`+= 1` on an attribute",
    "read_call_write": "a read and a write with a call between",
    "locked_iadd": "`+= 1` under a Lock",
    "list_append": "list.append",
    "dict_setitem": "dict[key] = v",
    "count_next": "next(itertools.count)",
}
CHANGE = "read-modify-write"  # the kind of operation in which a switch between the read and the write can conflict


def _label(operation):
    return LABELS.get(operation, operation)


def _ms(row):
    return "{:g}".format(row["switch_interval_s"] * 1000)


def _by_operation(records):
    """{operation: [its records]}, operations in the order of LABELS, then any others."""
    order = {operation: k for k, operation in enumerate(LABELS)}
    grouped = {}
    for row in sorted(records, key=lambda r: order.get(r["operation"], len(order))):
        grouped.setdefault(row["operation"], []).append(row)
    return grouped


def _lost_counts(lost):
    """`operation (lost of made at interval; ...)` for each operation that lost updates."""
    return ", ".join(
        "{} ({})".format(
            _label(op),
            "; ".join(
                "{:,} of {:,} at {} ms".format(
                    int(row["lost_total"]), int(row["expected_per_round"] * row["rounds"]), _ms(row)
                )
                for row in found
            ),
        )
        for op, found in _by_operation(lost).items()
    )


def _conflicts(unlocked):
    """A part per read-modify-write and switch interval, which holds when no update was lost. A single operation
    is atomic with or without a GIL, so keeping its updates says nothing of one: it is a part only where it lost."""
    parts = {}
    for row in unlocked.to_dict("records"):
        if row["kind"] == CHANGE or row["lost_total"] > 0:
            name = "{} at {} ms".format(_label(row["operation"]), _ms(row))
            parts[name] = Part(False, "lost updates") if row["lost_total"] > 0 else Part(True)
    return parts


@rule("C20", MEASUREMENT)
def gil_prevents_conflicts(run):
    """C20 is refuted when every unlocked read-modify-write loses updates at every switch interval measured, holds
    only partly when some operations or intervals lose updates and others none, and is confirmed, as "no conflict
    observed in K updates", when no unlocked update is lost at all. A Lock that loses updates voids the count."""
    measured = run(MEASUREMENT)
    if measured.empty or "lost_total" not in measured:
        return inconclusive("no lost-update records")
    locked = select(measured, kind="locked")
    if locked.empty or select(measured, kind=CHANGE).empty:
        return inconclusive("no records of both locked and unlocked read-modify-writes")
    if locked["lost_total"].sum() > 0:
        return inconclusive(
            "updates under a Lock were lost ({:,}): the count itself is wrong".format(int(locked["lost_total"].sum()))
        )
    unlocked = measured[measured["kind"] != "locked"]
    updates = int((unlocked["expected_per_round"] * unlocked["rounds"]).sum())
    threads = int(unlocked["threads"].iloc[0])
    numbers = {"unlocked_updates": updates, "threads": threads}
    numbers.update(
        {
            "lost_{}_{}ms".format(row["operation"], _ms(row)): int(row["lost_total"])
            for row in measured.to_dict("records")
        }
    )
    lost = unlocked[unlocked["lost_total"] > 0].to_dict("records")
    kept = unlocked[unlocked["lost_total"] == 0].to_dict("records")
    kept_text = ", ".join(
        "{} ({} ms)".format(_label(op), ", ".join(_ms(row) for row in found))
        for op, found in _by_operation(kept).items()
    )
    if lost:
        evidence = "{} threads at once lost updates with {}; none with {}, nor under a Lock".format(
            threads, _lost_counts(lost), kept_text or "no other unlocked operation"
        )
    else:
        evidence = (
            "no conflict observed in {:,} unlocked updates by {} threads at once: none lost with {}, nor under a "
            "Lock".format(updates, threads, kept_text)
        )
    return combine(evidence, _conflicts(unlocked), numbers)
