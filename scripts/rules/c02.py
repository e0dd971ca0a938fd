"""C02, from experiments/test_c02_memory.py: does the parent see a worker's writes, and does handing a worker
S bytes cost in proportion to S (a copy into another heap) or not at all (a reference into the same heap)?
"""
from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, median_s, select

WRITES = ["sees_global", "sees_list", "sees_instance"]
COPY_GROWTH = 10  # hand-over cost at the largest payload over the smallest: at least this means a copy...
REFERENCE_GROWTH = 3  # ...at most this means a reference (64 MiB is 65,536 x 1 KiB; noise is not)


def _growth(rows, model):
    handoff = select(rows, test="test_handoff", model=model)
    if handoff.empty:
        return None
    sizes = handoff["size_bytes"]
    return median_s(handoff, size_bytes=sizes.max()) / median_s(handoff, size_bytes=sizes.min())


def separate_heaps(rows):
    """C02 holds when the parent sees every write from a thread and none from a child process (any start
    method), and a process's hand-over cost grows with the payload while a thread's does not."""
    seen = {row["model"]: [w[5:] for w in WRITES if row[w]] for _, row in select(rows, test="test_write_visibility").iterrows()}
    processes = [m for m in PROCESS_MODELS if m in seen]
    if "threads" not in seen or not processes:
        return inconclusive("no write-visibility records for threads and processes")
    growth = {m: _growth(rows, m) for m in ["threads"] + processes}
    numbers = {m + "_sees": " ".join(seen[m]) or "nothing" for m in ["threads"] + processes}
    numbers.update({m + "_handoff_growth": round(g, 2) for m, g in growth.items() if g})
    evidence = "the parent saw {}/3 of a thread's writes and {} of a child process's ({})".format(
        len(seen["threads"]), "/".join(str(len(seen[m])) for m in processes), "/".join(processes))
    if len(seen["threads"]) < len(WRITES) or any(seen[m] for m in processes):
        return Verdict("refuted", evidence, numbers)
    if any(g is None for g in growth.values()):
        return Verdict("confirmed", evidence + "; no hand-over records", numbers)
    evidence += "; handing over the largest payload instead of the smallest cost {:.1f}x more to a thread, {} " \
                "to a process".format(growth["threads"], ", ".join("{:.0f}x ({})".format(growth[m], m) for m in processes))
    if growth["threads"] <= REFERENCE_GROWTH and all(growth[m] >= COPY_GROWTH for m in processes):
        return Verdict("confirmed", evidence, numbers)
    return Verdict("partly", evidence + " (copy: >= {}x, reference: <= {}x)".format(COPY_GROWTH, REFERENCE_GROWTH),
                   numbers)
