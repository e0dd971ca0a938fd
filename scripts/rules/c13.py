"""C13, from experiments/test_c13_post_threading_example.py: does the post's threading example, as written, run
faster in two threads than its two calls one after the other, and from how much work per call does running them
in threads, or in processes started each time, beat serial (the crossover)?
"""

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import NO_SCALING, Verdict, inconclusive, rounds_of, select, too_noisy, usable_cpus

PARALLEL_MODELS = ["threads"] + PROCESS_MODELS


def _speedups(rows, test, **where):
    """{model: serial time over the model's, as an interval} for the records of `test` matching `where`."""
    found = select(rows, test=test, **where)
    serial = rounds_of(found, model="serial")
    contenders = {m: rounds_of(found, model=m) for m in PARALLEL_MODELS}
    return {m: stats.ratio(serial, r) for m, r in contenders.items() if len(serial) and len(r)}


def crossover(by_work):
    """The least work from which the speedup clears NO_SCALING at that and every larger work measured; or None."""
    least = None
    for work in sorted(by_work, reverse=True):
        if not stats.at_least(by_work[work], NO_SCALING):
            break
        least = work
    return least


def _pace(interval):
    """`46x [33, 70] slower` for a speedup far below 1, read the other way up; `1.52x [1.40, 1.61] faster` above 1."""
    if interval.value >= 1:
        return stats.describe(interval) + " faster"
    if interval.low != interval.low:  # NaN: no interval
        return "{:,.0f}x slower".format(1 / interval.value)
    return "{:,.0f}x [{:,.0f}, {:,.0f}] slower".format(1 / interval.value, 1 / interval.high, 1 / interval.low)


def _crossover_text(least, largest):
    return "at no k up to {:,}".format(largest) if least is None else "from k = {:,}".format(least)


def parallel_reduces_time(rows):
    """C13 holds when the post's example, as written, runs faster in threads than serially (>= 1.1x). Written as it
    is, it is refuted when it does not (<= 1.1x) and neither does the same shape with the most work per call
    measured; partly when the same shape does beat serial in threads with enough work."""
    if usable_cpus(rows) < 2:
        return inconclusive("only 1 usable CPU: running the two calls in parallel cannot show here")
    written = _speedups(rows, "test_post_example")
    grid = select(rows, test="test_growing_work")
    works = sorted(int(w) for w in grid["work"].dropna().unique()) if "work" in grid else []
    growing = {w: _speedups(grid, "test_growing_work", work=w) for w in works}
    if "threads" not in written:
        return inconclusive("no records of the post's example run serially and in threads")
    if not works or "threads" not in growing[works[-1]]:
        return inconclusive("no records of the example's shape with growing work, serially and in threads")
    largest = works[-1]
    crossovers = {m: crossover({w: growing[w][m] for w in works if m in growing[w]}) for m in written}
    numbers = {"largest_work": largest, "no_scaling_bar": NO_SCALING}
    numbers.update({m + "_as_written": round(s.value, 4) for m, s in written.items()})
    numbers.update({m + "_at_largest_work": round(growing[largest][m].value, 3) for m in growing[largest]})
    numbers.update({m + "_crossover_work": c for m, c in crossovers.items()})
    evidence = (
        "as written (number = 7), the two calls ran {} in threads than one after the other, and {} in "
        "processes; with k cpu_spin iterations per call, threads beat serial {} ({} at k = {:,}), processes {}".format(
            _pace(written["threads"]),
            ", ".join("{} ({})".format(_pace(written[m]), m) for m in PROCESS_MODELS if m in written),
            _crossover_text(crossovers["threads"], largest),
            stats.describe(growing[largest]["threads"]),
            largest,
            ", ".join(
                "{} ({})".format(_crossover_text(crossovers[m], largest), m) for m in PROCESS_MODELS if m in crossovers
            ),
        )
    )
    as_written, most_work = written["threads"], growing[largest]["threads"]
    if stats.at_least(as_written, NO_SCALING):
        return Verdict("confirmed", evidence + " (faster: >= {}x)".format(NO_SCALING), numbers, as_written)
    if not stats.at_most(as_written, NO_SCALING):
        return inconclusive(evidence + "; as written: " + too_noisy(as_written, NO_SCALING), as_written, **numbers)
    if stats.at_least(most_work, NO_SCALING):
        return Verdict(
            "partly", evidence + "; as written it is no faster, with more work threads do help", numbers, most_work
        )
    if stats.at_most(most_work, NO_SCALING):
        return Verdict("refuted", evidence + " (no faster: <= {}x)".format(NO_SCALING), numbers, most_work)
    return inconclusive(evidence + "; most work: " + too_noisy(most_work, NO_SCALING), most_work, **numbers)
