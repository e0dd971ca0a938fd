"""X02, from the experiments that measure subinterpreters beside threads and processes (listed in
experiments/test_x02_subinterpreters.py): are subinterpreters a third way?

Hypothesis: subinterpreters are a third way when they are isolated like processes (the parent does not see their
writes), scale like processes on CPU-bound work (N = the usable CPUs) and cost less than processes to start and to
keep: an empty one's start and an idle one's private memory below spawn's (a spawned child is a fresh interpreter
too: the process nearest to a subinterpreter).

- Isolation: the facts of C02's write visibility, as recorded.
- Scaling: as C09 judges threads, at N = the usable CPUs P on warm pools, the weak-scaling speedup against
  min(1 + 0.5 (P - 1), 2); processes scaling in the same run are the control that the machine could run N at once.
- Start cost: C05's start-to-joined from the small parent, each start in thread starts (paired per round, so drift
  cancels), subinterpreter against spawn by the Hodges-Lehmann shift of those per-round costs (two benchmarks:
  independent rounds, not pairs of each other).
- Memory: C16's private memory (USS) per extra idle worker, the slope per round, over spawn's per round pair.
- Hand-over: round trips over interpreters.Queue against a thread's queue.Queue, per pair: reported, not judged.
"""

import collections
import re

from analysis import stats
from analysis.records import CPU, RAW
from analysis.rules import rule
from analysis.rules.primitives import (
    Bars,
    Part,
    best,
    combine,
    inconclusive,
    judged_workers,
    scaling_bars,
    speedup,
    uneven_rounds,
)
from analysis.rules.x04 import in_thread_starts, per_start_ms

from experiments.vocabulary import SUBINTERPRETERS, process_models

WRITE_VISIBILITY, CPU_SCALING, START, IDLE, HAND_OVER = (
    "write_visibility",
    "cpu_scaling",
    "start_to_joined",
    "idle_workers",
    "interpreter_round_trip",
)
WRITES = ["sees_global", "sees_list", "sees_instance"]
SPAWN = "spawn"
# Less than spawn's: at most 0.9 times it, outside the suite's 10% noise band; at or over 0.9 it is not less.
LESS = Bars(0.9, 0.9, "less than spawn's", "not less than spawn's")
NEEDS = (
    "no subinterpreter records: the model needs CPython 3.14 (concurrent.interpreters) or, before it, the "
    "backports-interpreters package (pip install 'claims-lab[subinterpreters]'; 3.12+ for a GIL of their own)"
)
SHARED_GIL = (3, 12)  # before this version subinterpreters share the main interpreter's GIL


def _row(rows, **where):
    for column, value in where.items():
        if column not in rows:
            return None
        rows = rows[rows[column] == value]
    return rows.iloc[0] if len(rows) else None


def _version(run):
    """(major, minor) of the run's interpreter, from its label (`cpython-3.12.1`), or None."""
    rows = run.rows
    found = re.search(r"(\d+)\.(\d+)", str(rows["interpreter"].iloc[0])) if "interpreter" in rows else None
    return (int(found.group(1)), int(found.group(2))) if found else None


def isolation(run, numbers):
    """(Part, words) of the parent seeing none of a subinterpreter's writes."""
    row = _row(run(WRITE_VISIBILITY), model=SUBINTERPRETERS)
    if row is None:
        return Part(None, "no write-visibility records"), "no write-visibility records"
    tries, seen = int(row["tries"]), {w: int(row[w]) for w in WRITES}
    numbers.update({"tries": tries, "sees": " ".join(w[5:] for w in WRITES if seen[w]) or "nothing"})
    words = "the parent saw a subinterpreter's writes to a global, a list and an instance in {} of {} tries".format(
        "/".join(str(seen[w]) for w in WRITES), tries
    )
    wrong = [w for w in WRITES if seen[w]]
    if not wrong:
        return Part(True), words
    return Part(False, ", ".join("its {} in {} of {} tries".format(w[5:], seen[w], tries) for w in wrong)), words


def scaling(run, numbers):
    """(Part, words) of N = P warm subinterpreters scaling, processes in the same run the control."""
    if run.usable_cpus < 2:
        return Part(None, "fewer than 2 usable CPUs: no parallel speedup can show"), "fewer than 2 usable CPUs"
    rows = run(CPU_SCALING, lifecycle="warm")
    workers = judged_workers(rows) if len(rows) else None
    row = _row(rows, model=SUBINTERPRETERS, workers=workers) if workers else None
    if row is None:
        return Part(None, "no warm CPU-scaling records at N = the usable CPUs"), "no CPU-scaling records"
    parallelism = min(workers, run.usable_cpus)
    bars = scaling_bars(parallelism)
    gain, busy = speedup(row), stats.ratio(row[CPU], row[RAW])
    found = {m: _row(rows, model=m, workers=workers) for m in process_models()}
    found = {m: r for m, r in found.items() if r is not None}
    processes = {m: speedup(r) for m, r in found.items()}
    numbers.update(
        workers=workers,
        usable_cpus=run.usable_cpus,
        speedup=round(gain.value, 3),
        cores_busy=round(busy.value, 3),
        scaling_bar=bars.high,
    )
    numbers.update({m + "_speedup": round(g.value, 3) for m, g in processes.items()})
    words = (
        "{} subinterpreters ran the CPU-bound work {} as fast as serial, keeping {:.2f} cores busy (processes: {}; {} "
    )
    words = (words + "usable CPUs)").format(
        workers,
        stats.describe(gain),
        busy.value,
        ", ".join("{} ({})".format(stats.describe(g), m) for m, g in processes.items()) or "none",
        run.usable_cpus,
    ) + uneven_rounds(dict({SUBINTERPRETERS: row}, **found))
    part = bars.judge(gain, holds="high")
    if part.holds is False and (_version(run) or SHARED_GIL) < SHARED_GIL:
        part = part._replace(reason=part.reason + " (before 3.12 subinterpreters share the main interpreter's GIL)")
    if part.holds is True:
        return part, words
    if not processes:
        return Part(
            None, "no process records at N = {} to show the machine could run them at once".format(workers)
        ), words
    strongest = best(processes.values())
    control = bars.judge(strongest, holds="high")
    if control.holds is not True:
        return Part(
            None,
            "processes did not scale either ({}): the machine's own capacity is not shown".format(control.reason),
            strongest,
        ), words
    return part, words


def start_cost(run, numbers):
    """(Part, words) of an empty subinterpreter's start against spawn's, both in thread starts."""
    rows = run(START)
    mine, spawn = _row(rows, model=SUBINTERPRETERS), _row(rows, model=SPAWN)
    if mine is None or spawn is None:
        return Part(None, "no start-to-joined records of subinterpreters and spawn"), "no start records"
    against = stats.shift(in_thread_starts(mine), in_thread_starts(spawn))
    numbers.update(
        start_ms=round(float(per_start_ms(mine)), 2),
        spawn_start_ms=round(float(per_start_ms(spawn)), 2),
        start_vs_spawn=round(against.value, 3),
    )
    words = "an empty one started and joined in {:.1f} ms (spawn: {:.1f} ms), {} spawn's cost in thread starts".format(
        per_start_ms(mine), per_start_ms(spawn), stats.describe(against)
    )
    return LESS.judge(against, holds="low"), words


def memory(run, numbers):
    """(Part, words) of an idle subinterpreter's private memory against an idle spawned process's."""
    rows = run(IDLE)
    mine, spawn = _row(rows, model=SUBINTERPRETERS), _row(rows, model=SPAWN)
    if mine is None or spawn is None:
        return Part(None, "no idle-worker memory records of subinterpreters and spawn"), "no memory records"
    if len(mine["uss_slopes_mib"]) != len(spawn["uss_slopes_mib"]):
        return Part(None, "subinterpreters and spawn recorded other rounds: no round pairs"), "no memory pairs"
    against = stats.ratio(mine["uss_slopes_mib"], spawn["uss_slopes_mib"])
    numbers.update(
        uss_mib_per_worker=round(float(mine["uss_mib_per_worker"]), 3),
        spawn_uss_mib_per_worker=round(float(spawn["uss_mib_per_worker"]), 3),
        memory_vs_spawn=round(against.value, 3),
    )
    words = "an idle one added {:.2f} MiB of private memory, {} spawn's {:.2f} MiB".format(
        mine["uss_mib_per_worker"], stats.describe(against), spawn["uss_mib_per_worker"]
    )
    return LESS.judge(against, holds="low"), words


def hand_over(run, numbers):
    """Words (or None) for the round trips over interpreters.Queue against a thread's queue.Queue."""
    rows = run(HAND_OVER, model=SUBINTERPRETERS)  # not the null control (a thread's round trips against themselves)
    if rows.empty or "size_bytes" not in rows:
        return None
    ratios = {int(row["size_bytes"]): stats.ratio(row[RAW], row["baseline_s"]) for row in rows.to_dict("records")}
    numbers.update({"queue_vs_thread_{}".format(size): round(r.value, 1) for size, r in sorted(ratios.items())})
    smallest, largest = min(ratios), max(ratios)
    return "a round trip over interpreters.Queue cost {} a thread's queue.Queue at {} B and {} at {} MiB".format(
        stats.describe(ratios[smallest]), smallest, stats.describe(ratios[largest]), largest // 2**20
    )


@rule(
    "X02",
    WRITE_VISIBILITY,
    CPU_SCALING,
    START,
    IDLE,
    HAND_OVER,
    cannot={
        "refuted": "A subinterpreter imports its own copy of every module and is handed copies (pickles or "
        "cross-interpreter data) of what it is given, so the parent can never see its writes to a global, a list or "
        "an instance: the isolation part holds on any interpreter and the hypothesis can never fail as a whole.",
    },
)
def subinterpreters_are_a_third_way(run):
    """X02 (subinterpreters beside processes, in the same run):
    confirmed: the parent saw none of a subinterpreter's writes, N = P warm subinterpreters ran CPU-bound work at
    least min(1 + 0.5 (P - 1), 2) times as fast as serial (P usable CPUs), and an empty one's start-to-joined and an
    idle one's private memory each came to at most 0.9x spawn's;
    refuted: cannot occur (see `cannot`): isolation always holds;
    partly: isolated, but they do not scale (<= 1.1x: so before 3.12, where subinterpreters share one GIL: partly,
    not refuted, since isolation holds), or start or keep at 0.9x spawn's or more;
    inconclusive: no subinterpreter records (the model needs CPython 3.14, or the backports-interpreters package
    before it: 3.12+ for a GIL of their own), fewer than 2 usable CPUs or processes that did not scale either, or an
    interval between or across the bars, with no part failing."""
    if not any(_row(run(measurement), model=SUBINTERPRETERS) is not None for measurement in run.reads):
        return inconclusive(NEEDS)
    numbers = {"less_bar": LESS.low}
    parts, words = collections.OrderedDict(), []
    for name, judge in [
        ("isolated", isolation),
        ("scales", scaling),
        ("starts for less", start_cost),
        ("keeps for less", memory),
    ]:
        parts[name], said = judge(run, numbers)
        words.append(said)
    handed = hand_over(run, numbers)
    if handed:
        words.append(handed)
    # The verdict's interval: the speedup when confirmed, else that of the first part that failed or is undecided.
    parts.move_to_end("isolated")
    return combine("; ".join(words), parts, numbers)
