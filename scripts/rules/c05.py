"""C05, from experiments/test_c05_start_cost.py: how many times a thread's start-up does a process's cost, for
one empty worker started and joined, and for a pool's start-up to its first result, per start method?
"""

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, classify, inconclusive, rounds_of, select, too_noisy

# "Lightweight" beside processes: a process costs at least 10 times a thread to start, an order of magnitude. A
# smaller factor is the kind a constant overhead (a pipe, a pickle, a little bookkeeping) makes, not a different
# kind of thing: a new address space and, for spawn, a new interpreter.
LIGHTWEIGHT = 10
SAME_WEIGHT = 2  # a process within 2 times a thread's cost weighs the same
# (test, short name, what it times)
MEASURES = [
    ("test_start_to_joined", "start", "an empty worker from start to joined"),
    ("test_pool_first_result", "pool", "a pool of one from start-up to first result and shutdown"),
]


def _weight(interval):
    found = classify(interval, SAME_WEIGHT, LIGHTWEIGHT)
    return {"high": "lighter", "low": "same"}.get(found, found)


def _ratios(rows, test):
    """{start method: process time / thread time} for one measure; empty without thread records."""
    found = select(rows, test=test)
    threads = rounds_of(found, model="threads")
    if not len(threads):
        return {}
    processes = {m: rounds_of(found, model=m) for m in PROCESS_MODELS}
    return {m: stats.ratio(r, threads) for m, r in processes.items() if len(r)}


def threads_are_lightweight(rows):
    """C05 holds when starting a process (every start method, one worker and a pool) costs >= 10 times starting
    a thread; it fails when a process costs <= 2 times a thread everywhere."""
    ratios = {(kind, m): r for test, kind, _ in MEASURES for m, r in _ratios(rows, test).items()}
    if not any(kind == "start" for kind, _ in ratios):
        return inconclusive("no start-to-joined records of threads and processes")
    numbers = {"lightweight_bar": LIGHTWEIGHT, "same_weight_bar": SAME_WEIGHT}
    parts = []
    for test, kind, label in MEASURES:
        mine = {m: r for (k, m), r in ratios.items() if k == kind}
        if not mine:
            continue
        thread_ms = select(rows, test=test, model="threads")["median_s"].iloc[0] * 1000
        numbers["thread_{}_ms".format(kind)] = round(thread_ms, 3)
        numbers.update({"{}_{}".format(m, kind): round(r.value, 1) for m, r in mine.items()})
        parts.append(
            "{}: threads {:.3f} ms, processes {} as long".format(
                label, thread_ms, ", ".join("{} ({})".format(stats.describe(r), m) for m, r in mine.items())
            )
        )
    evidence = "; ".join(parts)
    weights = {key: _weight(r) for key, r in ratios.items()}
    weakest = min(ratios, key=lambda key: ratios[key].value)
    noisy = [key for key, w in weights.items() if w == "noisy"]
    if noisy:
        return inconclusive(
            evidence + "; " + too_noisy(ratios[noisy[0]], SAME_WEIGHT, LIGHTWEIGHT), ratios[noisy[0]], **numbers
        )
    lighter = [key for key, w in weights.items() if w == "lighter"]
    if len(lighter) == len(weights):
        return Verdict("confirmed", evidence + " (lightweight: >= {}x)".format(LIGHTWEIGHT), numbers, ratios[weakest])
    if all(w == "same" for w in weights.values()):
        return Verdict("refuted", evidence + " (the same weight: <= {}x)".format(SAME_WEIGHT), numbers, ratios[weakest])
    short = ", ".join("{} ({})".format(m, kind) for kind, m in weights if (kind, m) not in lighter)
    if lighter:
        return Verdict("partly", evidence + "; under {}x for {}".format(LIGHTWEIGHT, short), numbers, ratios[weakest])
    return inconclusive(
        evidence + "; between {}x and {}x for {}".format(SAME_WEIGHT, LIGHTWEIGHT, short), ratios[weakest], **numbers
    )
