"""C02, from experiments/test_c02_memory.py: does the parent see a worker's writes, and does handing a worker
S bytes cost in proportion to S (a copy into another heap) or not at all (a reference into the same heap)?
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, inconclusive, rounds_of, weakest

from experiments.vocabulary import THREADS, process_models

WRITES = ["sees_global", "sees_list", "sees_instance"]
# Hand-over cost at the largest payload over the smallest: at most 3x is a reference, at least 10x a copy (64 MiB
# is 65,536 x 1 KiB; noise is not).
GROWTH = Bars(3, 10, "a reference", "a copy")


def _growth(run, model):
    handoff = run("handoff", model=model)
    if handoff.empty:
        return None
    sizes = handoff["size_bytes"]
    return stats.ratio(rounds_of(handoff, size_bytes=sizes.max()), rounds_of(handoff, size_bytes=sizes.min()))


@rule("C02", "write_visibility", "handoff")
def separate_heaps(run):
    """C02 holds when the parent sees every write from a thread and none from a child process (any start
    method), and a process's hand-over cost grows with the payload (>= 10x) while a thread's does not (<= 3x)."""
    seen = {row["model"]: [w[5:] for w in WRITES if row[w]] for _, row in run("write_visibility").iterrows()}
    processes = [m for m in process_models() if m in seen]
    if THREADS not in seen or not processes:
        return inconclusive("no write-visibility records for threads and processes")
    numbers = {m + "_sees": " ".join(seen[m]) or "nothing" for m in [THREADS] + processes}
    evidence = "the parent saw {}/3 of a thread's writes and {} of a child process's ({})".format(
        len(seen[THREADS]), "/".join(str(len(seen[m])) for m in processes), "/".join(processes)
    )
    parts = {"the parent sees a thread's writes": Part(len(seen[THREADS]) == len(WRITES))}
    parts.update({"the parent sees none of a {} child's".format(m): Part(not seen[m]) for m in processes})
    growth = {m: _growth(run, m) for m in [THREADS] + processes}
    growth = {m: g for m, g in growth.items() if g is not None}
    if growth:
        numbers.update({m + "_handoff_growth": round(g.value, 2) for m, g in growth.items()})
        evidence += "; handing over the largest payload instead of the smallest multiplied the cost by {}".format(
            ", ".join("{} ({})".format(stats.describe(g), m) for m, g in growth.items())
        )
    parts.update(
        {"{} hand-over".format(m): GROWTH.judge(g, holds="low" if m == THREADS else "high") for m, g in growth.items()}
    )
    decided = [g for m, g in growth.items() if m != THREADS]
    return combine(evidence, parts, numbers, weakest(decided, "high") if decided else None)
