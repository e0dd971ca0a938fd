"""C05, from experiments/test_c05_start_cost.py: how many times a thread's start-up does a process's cost, for
one empty worker started and joined, and for a pool's start-up to its first result, per start method?
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive, rounds_of, weakest

from experiments.vocabulary import THREADS, process_models

# "Lightweight" beside processes: a process costs at least 10 times a thread to start, an order of magnitude. A
# smaller factor is the kind a constant overhead (a pipe, a pickle, a little bookkeeping) makes, not a different
# kind of thing: a new address space and, for spawn, a new interpreter.
LIGHTWEIGHT = 10
SAME_WEIGHT = 2  # a process within 2 times a thread's cost weighs the same
WEIGHT = Bars(SAME_WEIGHT, LIGHTWEIGHT, "the same weight", "lightweight")
# (measurement, short name, what it times)
MEASURES = [
    ("start_to_joined", "start", "an empty worker from start to joined"),
    ("pool_first_result", "pool", "a pool of one from start-up to first result and shutdown"),
]


def _ratios(run, measurement):
    """{start method: process time / thread time} for one measure; empty without thread records."""
    rows = run(measurement)
    threads = rounds_of(rows, model=THREADS)
    if not len(threads):
        return {}
    processes = {m: rounds_of(rows, model=m) for m in process_models()}
    return {m: stats.ratio(r, threads) for m, r in processes.items() if len(r)}


@rule("C05", "start_to_joined", "pool_first_result")
def threads_are_lightweight(run):
    """C05 holds when starting a process (every start method, one worker and a pool) costs >= 10 times starting
    a thread; it fails when a process costs <= 2 times a thread everywhere."""
    ratios = {(kind, m): r for measurement, kind, _ in MEASURES for m, r in _ratios(run, measurement).items()}
    if not any(kind == "start" for kind, _ in ratios):
        return inconclusive("no start-to-joined records of threads and processes")
    numbers = {"lightweight_bar": LIGHTWEIGHT, "same_weight_bar": SAME_WEIGHT}
    sentences = []
    for measurement, kind, label in MEASURES:
        mine = {m: r for (k, m), r in ratios.items() if k == kind}
        if not mine:
            continue
        thread_ms = run(measurement, model=THREADS)["median_s"].iloc[0] * 1000
        numbers["thread_{}_ms".format(kind)] = round(thread_ms, 3)
        numbers.update({"{}_{}".format(m, kind): round(r.value, 1) for m, r in mine.items()})
        sentences.append(
            "{}: threads {:.3f} ms, processes {} as long".format(
                label, thread_ms, ", ".join("{} ({})".format(stats.describe(r), m) for m, r in mine.items())
            )
        )
    parts = {"{} ({})".format(m, kind): WEIGHT.judge(r, holds="high") for (kind, m), r in ratios.items()}
    return combine("; ".join(sentences), parts, numbers, weakest(ratios.values(), "high"))
