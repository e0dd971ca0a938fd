"""C13, from experiments/test_c13_post_threading_example.py: does the post's threading example, as written, run
faster in two threads than its two calls one after the other, and from how much work per call does running them
in threads, or in processes started each time, beat serial (the crossover)?
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Bars, combine, inconclusive, ratios, rounds_of

from experiments.vocabulary import THREADS, process_models

AS_WRITTEN, GROWING = "post_example", "growing_work"
# One bar: at or under 1.1x the two calls in threads are no faster than one after the other; over it, faster.
FASTER = Bars(NO_SCALING, NO_SCALING, "no faster", "faster")


def _speedups(rows):
    """{model: serial time over the model's, as an interval} for every parallel model recorded in `rows`."""
    return ratios(rounds_of(rows, model="serial"), {m: rounds_of(rows, model=m) for m in [THREADS] + process_models()})


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


@rule("C13", AS_WRITTEN, GROWING)
def parallel_reduces_time(run):
    """C13 holds when the post's example, as written, runs faster in threads than serially (>= 1.1x) and so does
    the same shape with the most work per call measured; it is refuted when neither does (<= 1.1x); partly when
    only one does (as written no faster, with enough work faster, say)."""
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: running the two calls in parallel cannot show here")
    written = _speedups(run(AS_WRITTEN))
    grid = run(GROWING)
    works = sorted(int(w) for w in grid["work"].dropna().unique()) if "work" in grid else []
    growing = {w: _speedups(run(GROWING, work=w)) for w in works}
    if THREADS not in written:
        return inconclusive("no records of the post's example run serially and in threads")
    if not works or THREADS not in growing[works[-1]]:
        return inconclusive("no records of the example's shape with growing work, serially and in threads")
    largest = works[-1]
    crossovers = {m: crossover({w: growing[w][m] for w in works if m in growing[w]}) for m in written}
    numbers = {"largest_work": largest, "no_scaling_bar": NO_SCALING}
    numbers.update({m + "_as_written": round(s.value, 4) for m, s in written.items()})
    numbers.update({m + "_at_largest_work": round(growing[largest][m].value, 3) for m in growing[largest]})
    numbers.update({m + "_crossover_work": c for m, c in crossovers.items()})
    processes = [m for m in process_models() if m in written]
    evidence = (
        "as written (number = 7), the two calls ran {} in threads than one after the other, and {} in "
        "processes; with k cpu_spin iterations per call, threads beat serial {} ({} at k = {:,}), processes {}".format(
            _pace(written[THREADS]),
            ", ".join("{} ({})".format(_pace(written[m]), m) for m in processes),
            _crossover_text(crossovers[THREADS], largest),
            stats.describe(growing[largest][THREADS]),
            largest,
            ", ".join("{} ({})".format(_crossover_text(crossovers[m], largest), m) for m in processes),
        )
    )
    most_work = growing[largest][THREADS]
    parts = {
        "as written": FASTER.judge(written[THREADS], holds="high"),
        "most work": FASTER.judge(most_work, holds="high"),
    }
    return combine(evidence, parts, numbers, most_work)
