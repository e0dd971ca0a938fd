"""C07, from experiments/test_c07_io_bound.py: do N threads make N I/O waits sooner than one thread makes them one
after another?

Weak-scaled: N workers each make one wait, every round paired with one wait made serially, so the speedup
N x serial / round is immune to drift between rounds. Judged at the largest N measured (warm pools), on every I/O
workload recorded: waits overlap whatever the number of CPUs, so N is not capped by them. Processes of every start
method are reported beside threads at the same N, not judged: the claim is about threads.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import combine, inconclusive, scaling_bars, speedup, weakest

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "io_scaling"


def _at(run, model, workers, workload):
    found = run(MEASUREMENT, model=model, workers=workers, workload=workload, lifecycle="warm")
    return speedup(found.iloc[0]) if len(found) else None


@rule("C07", MEASUREMENT)
def threads_help_io(run):
    """C07 (judged at the largest N measured, on every I/O workload recorded):
    confirmed: N threads make N waits at least min(1 + 0.5 (N - 1), 2) times as fast as serial on every workload;
    partly: they do on some workloads and run no faster than serial (<= 1.1x) on others (e.g. a server that
    answers one request at a time);
    refuted: they run no faster than serial on any workload recorded (a run of such a server's workload alone: a
    sleep overlaps in threads on every CPython);
    inconclusive: no thread records, or an interval straddles a bar."""
    threads = run(MEASUREMENT, model=THREADS, lifecycle="warm")
    if threads.empty:
        return inconclusive("no I/O-bound records of threads")
    workers = int(threads["workers"].max())
    workloads = list(dict.fromkeys(threads["workload"].dropna()))
    gains = {w: _at(run, THREADS, workers, w) for w in workloads}
    gains = {w: g for w, g in gains.items() if g is not None}
    if not gains:
        return inconclusive("no threads records at the largest N, {}".format(workers))
    beside = {(m, w): _at(run, m, workers, w) for w in gains for m in process_models()}
    beside = {key: g for key, g in beside.items() if g is not None}
    bars = scaling_bars(workers)
    numbers = {"workers": workers, "scaling_bar": bars.high}
    numbers.update({"threads_speedup_" + w: round(g.value, 3) for w, g in gains.items()})
    numbers.update({"{}_speedup_{}".format(m, w): round(g.value, 3) for (m, w), g in beside.items()})
    evidence = "{} threads made {} waits {} as fast as serial".format(
        workers, workers, ", ".join("{} ({})".format(stats.describe(g), w) for w, g in gains.items())
    )
    if beside:
        evidence += "; {} processes: {}".format(
            workers, ", ".join("{:.1f}x ({} {})".format(g.value, m, w) for (m, w), g in beside.items())
        )
    parts = {w: bars.judge(g, holds="high") for w, g in gains.items()}
    return combine(evidence, parts, numbers, weakest(gains.values(), "high"))
