"""C02, from experiments/test_c02_memory.py: does the parent see a worker's writes, and does handing a worker
S bytes cost in proportion to S (a copy into another heap) or not at all (a reference into the same heap)?
"""

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, rounds_of, select, too_noisy

WRITES = ["sees_global", "sees_list", "sees_instance"]
COPY_GROWTH = 10  # hand-over cost at the largest payload over the smallest: at least this means a copy...
REFERENCE_GROWTH = 3  # ...at most this means a reference (64 MiB is 65,536 x 1 KiB; noise is not)


def _growth(rows, model):
    handoff = select(rows, test="test_handoff", model=model)
    if handoff.empty:
        return None
    sizes = handoff["size_bytes"]
    return stats.ratio(rounds_of(handoff, size_bytes=sizes.max()), rounds_of(handoff, size_bytes=sizes.min()))


def separate_heaps(rows):
    """C02 holds when the parent sees every write from a thread and none from a child process (any start
    method), and a process's hand-over cost grows with the payload (>= 10x) while a thread's does not (<= 3x)."""
    visibility = select(rows, test="test_write_visibility")
    seen = {row["model"]: [w[5:] for w in WRITES if row[w]] for _, row in visibility.iterrows()}
    processes = [m for m in PROCESS_MODELS if m in seen]
    if "threads" not in seen or not processes:
        return inconclusive("no write-visibility records for threads and processes")
    numbers = {m + "_sees": " ".join(seen[m]) or "nothing" for m in ["threads"] + processes}
    evidence = "the parent saw {}/3 of a thread's writes and {} of a child process's ({})".format(
        len(seen["threads"]), "/".join(str(len(seen[m])) for m in processes), "/".join(processes)
    )
    if len(seen["threads"]) < len(WRITES) or any(seen[m] for m in processes):
        return Verdict("refuted", evidence, numbers, None)
    growth = {m: _growth(rows, m) for m in ["threads"] + processes}
    if any(g is None for g in growth.values()):
        return Verdict("confirmed", evidence + "; no hand-over records", numbers, None)
    numbers.update({m + "_handoff_growth": round(g.value, 2) for m, g in growth.items()})
    evidence += (
        "; handing over the largest payload instead of the smallest multiplied the cost by {} for a "
        "thread, {} for a process".format(
            stats.describe(growth["threads"]),
            ", ".join("{} ({})".format(stats.describe(growth[m]), m) for m in processes),
        )
    )
    weakest = min(processes, key=lambda m: growth[m].value)
    reference = stats.at_most(growth["threads"], REFERENCE_GROWTH)
    copies = all(stats.at_least(growth[m], COPY_GROWTH) for m in processes)
    if reference and copies:
        return Verdict("confirmed", evidence, numbers, growth[weakest])
    contrary = stats.at_least(growth["threads"], REFERENCE_GROWTH) or any(
        stats.at_most(growth[m], COPY_GROWTH) for m in processes
    )
    if contrary:
        return Verdict(
            "partly",
            evidence + " (copy: >= {}x, reference: <= {}x)".format(COPY_GROWTH, REFERENCE_GROWTH),
            numbers,
            growth[weakest],
        )
    unclear = growth["threads"] if not reference else growth[weakest]
    return inconclusive(
        evidence + "; " + too_noisy(unclear, REFERENCE_GROWTH if not reference else COPY_GROWTH), unclear, **numbers
    )
