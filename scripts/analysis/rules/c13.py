"""C13, from experiments/test_c13_post_threading_example.py: does the post's threading example, as written, run
faster in two threads than its two calls one after the other, and from how much work per call does running them
in threads, or in processes started each time, beat serial (the crossover)?

Every speedup is the serial calls' time over the model's, per pair inside one benchmark (the two run back to back in
each round), so drift between rounds cannot pass for a speedup. The claim is about the threading program: its two
parts are the threads as written and the threads at the most work measured; processes are reported, and at the most
work they are the positive control (the machine can run the two calls at once).
"""

from analysis import stats
from analysis.records import BASELINE, RAW
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Bars, Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "two_calls"
AS_WRITTEN, CPU_SPIN = "as written", "cpu_spin"
# One bar: at or under 1.1x the two calls in a model's way are no faster than one after the other; over it, faster.
FASTER = Bars(NO_SCALING, NO_SCALING, "no faster", "faster")
CAPACITY_SHOWN = 1.0  # processes started for the calls beat serial at all: two CPUs ran them at once


def _speedup(row):
    """The serial calls' time over the model's, per pair."""
    return stats.ratio(row[BASELINE], row[RAW])


def _speedups(rows):
    """{model: speedup} for the parallel models recorded in `rows` (the null control left out)."""
    return {row["model"]: _speedup(row) for _, row in rows.iterrows() if row["model"] in [THREADS] + process_models()}


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


def _most_work_part(threads, processes, usable_cpus):
    """The threads' part at the most work; undecided where the machine did not show it can run two calls at once:
    fewer than 2 usable CPUs, or no process model beat serial there at all. Two processes that must be started first
    can only finish two calls sooner than one caller where two CPUs run them at once, so any speedup above 1 (the
    interval's low end) shows that capacity, whatever the start cost took of it."""
    if usable_cpus < 2:
        return Part(None, "fewer than 2 usable CPUs: two calls cannot run at once on this machine")
    judged = FASTER.judge(threads, holds="high")
    if judged.holds is not False or not processes:
        return judged
    best = max(processes.items(), key=lambda item: item[1].value)
    if not best[1].low > CAPACITY_SHOWN:
        return Part(
            None,
            "the machine's own capacity is not shown: processes ran it at best {} ({}), no faster than serial, so "
            "flat threads say nothing of running in parallel".format(stats.describe(best[1]), best[0]),
            threads,
        )
    return judged


@rule(
    "C13",
    MEASUREMENT,
    cannot={
        "confirmed": "As written, each of the post's two calls takes microseconds, less than starting one thread, so "
        "two threads can never finish them sooner than calling them one after the other.",
    },
)
def parallel_reduces_time(run):
    """C13 (the threading example's two calls, in threads, over the same calls one after the other, per pair):
    confirmed: cannot occur (see `cannot`): the example as written is never faster in threads;
    refuted: threads are no faster (<= 1.1x) as written, nor with the most work per call measured (a GIL build);
    partly: no faster as written, but faster (> 1.1x) with the most work per call (threads that run Python in
    parallel: a free-threaded build);
    inconclusive: no records, an interval straddles 1.1x, fewer than 2 usable CPUs, or at the most work neither
    threads nor any process model beat serial at all (> 1x: a machine that did not run two things at once)."""
    written = _speedups(run(MEASUREMENT, calls=AS_WRITTEN))
    shaped = run(MEASUREMENT, calls=CPU_SPIN)
    works = sorted(int(w) for w in shaped["work"].dropna().unique()) if "work" in shaped else []
    growing = {w: _speedups(run(MEASUREMENT, calls=CPU_SPIN, work=w)) for w in works}
    if THREADS not in written:
        return inconclusive("no records of the post's example run in threads and serially")
    if not works or THREADS not in growing[works[-1]]:
        return inconclusive("no records of the example's shape with growing work, in threads and serially")
    largest = works[-1]
    models = [m for m in [THREADS] + process_models() if m in written]
    crossovers = {m: crossover({w: growing[w][m] for w in works if m in growing[w]}) for m in models}
    numbers = {"largest_work": largest, "no_scaling_bar": NO_SCALING}
    numbers.update({m + "_as_written": round(s.value, 4) for m, s in written.items()})
    numbers.update({m + "_at_largest_work": round(s.value, 3) for m, s in growing[largest].items()})
    numbers.update({m + "_crossover_work": c for m, c in crossovers.items()})
    processes = [m for m in models if m != THREADS]
    evidence = (
        "as written (number = 7), the two calls ran {} in threads than one after the other, and {} in "
        "processes; with k cpu_spin iterations per call, threads beat serial {} ({} at k = {:,}), processes {}".format(
            _pace(written[THREADS]),
            ", ".join("{} ({})".format(_pace(written[m]), m) for m in processes) or "not measured",
            _crossover_text(crossovers[THREADS], largest),
            stats.describe(growing[largest][THREADS]),
            largest,
            ", ".join("{} ({})".format(_crossover_text(crossovers[m], largest), m) for m in processes)
            or "not measured",
        )
    )
    most_work = growing[largest][THREADS]
    at_most = {m: s for m, s in growing[largest].items() if m != THREADS}
    parts = {
        "as written": FASTER.judge(written[THREADS], holds="high"),
        "most work": _most_work_part(most_work, at_most, run.usable_cpus),
    }
    return combine(evidence, parts, numbers, most_work)
