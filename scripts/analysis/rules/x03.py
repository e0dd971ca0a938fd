"""X03, from experiments/test_x03_threads_or_asyncio.py: for I/O, does asyncio carry more concurrent waits than
threads, at less memory per wait? And where do threads stop being practical?

Per workload (a sleep; a request on a kept-open loopback connection), at N = 10 ... 10,000 concurrent waits, each
model in a throwaway interpreter. A model carried N when its probe brought up N waiters, held them within the
memory share and carried one round of their waits, each within the experiment's limit; otherwise the probe
recorded why not. Where both carried N, asyncio's rounds were paired with threads' rounds of the same waits, so the
ratio threads' time / asyncio's (asyncio's throughput as a multiple of threads') is immune to drift.

- More waits: asyncio carried an N that threads did not (a fact); or, where both carried the same Ns, asyncio's
  rounds at the largest of them were faster by the FASTER bars. Threads carrying an N that asyncio did not is the
  opposite fact.
- Less memory: private memory (USS) per wait, threads' over asyncio's, at the largest N both brought up whole (at
  least MEMORY_WAITS of them), from the probes' fresh interpreters: one reading each, over N waiters, so taken as it
  stands (its noise is a few pages over N); PSS reported beside it.
- The point where threads stopped being practical, with the reason the probe gave, and each model's waits per
  second at each N (throughput falling shows there), are reported, not judged.
"""

import math

from analysis import stats
from analysis.records import BASELINE, RAW
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, exact, inconclusive

MEASUREMENT = "concurrent_waits"
WORKLOADS = ["sleep", "loopback"]
ASYNCIO, THREADS = "asyncio", "threads"
# Asyncio's throughput over threads' at the same N: within 10% is no faster; a quarter more is a difference a
# server feels (and more than a round's noise between two interpreters taking turns on the same CPUs).
FASTER = Bars(1.1, 1.25, "no faster", "faster")
# Private memory per wait, a thread's over a task's: at least twice is less memory; within 10% is not less.
LESS = Bars(1.1, 2.0, "not less", "less")
FALLEN = 0.9  # threads' waits per second at their largest N under this share of their best: reported as fallen
MEMORY_WAITS = 100  # below this, memory per wait is a few pages either way over a handful of waiters: not judged


def _measured(run, workload):
    """{N: row} of one workload, the null control left out (it has no facts of threads)."""
    rows = run(MEASUREMENT, workload=workload)
    if "null_control" in rows:
        rows = rows[rows["null_control"].isna() | (rows["null_control"] == False)]  # noqa: E712 (NaN: not a control)
    return {int(row["concurrency"]): row for row in rows.to_dict("records")}


def _yes(value):
    """A recorded flag: True or False as recorded, False where the column is empty for this row."""
    return not (value is None or isinstance(value, float) and math.isnan(value)) and bool(value)


def _carried(rows, model):
    return [n for n, row in sorted(rows.items()) if _yes(row.get(model + "_practical"))]


def _whole(row, model):
    return row.get(model + "_up") == row["concurrency"]


def _throughput(row, model):
    """Waits per second of `model`'s recorded rounds at this N (median), or None where it was not timed."""
    column = RAW if row.get("contender") == model else BASELINE if row.get("baseline") == model else None
    times = row.get(column) if column else None
    if not isinstance(times, list) or not times:
        return None
    return round(row["concurrency"] * row["waits_per_round"] / stats.median(times))


def _stop(rows, model):
    """(the first N `model` did not carry, the probe's reason) or (None, None)."""
    for n, row in sorted(rows.items()):
        if not _yes(row.get(model + "_practical")):
            return n, row.get(model + "_stopped") or "not recorded"
    return None, None


def _faster(rows):
    """(threads' round over asyncio's, per pair, at the largest N both carried; that N), or (None, N or None)."""
    both = sorted(set(_carried(rows, ASYNCIO)) & set(_carried(rows, THREADS)))
    if not both or not isinstance(rows[both[-1]].get(BASELINE), list):
        return None, both[-1] if both else None
    row = rows[both[-1]]
    return stats.ratio(row[BASELINE], row[RAW]), both[-1]


def _more(rows):
    """Part for "asyncio carries more waits": a fact where one model carried an N the other did not, else the
    rounds at the largest N both carried; and whether those rounds decided it."""
    asyncio_n, threads_n = set(_carried(rows, ASYNCIO)), set(_carried(rows, THREADS))
    only_asyncio, only_threads = sorted(asyncio_n - threads_n), sorted(threads_n - asyncio_n)
    if only_asyncio and only_threads:
        return Part(None, "each carried an N the other did not"), False
    if only_asyncio:
        return Part(True, "asyncio carried {:,} waits, threads did not".format(only_asyncio[-1])), False
    if only_threads:
        return Part(False, "threads carried {:,} waits, asyncio did not".format(only_threads[-1])), False
    if not asyncio_n:
        return Part(None, "neither carried any N"), False
    faster, n = _faster(rows)
    if faster is None:
        return Part(None, "no paired rounds at {:,}".format(n)), False
    return FASTER.judge(faster, holds="high"), True


def _less(rows):
    """(Part, ratio or None, the N judged at or None) for "less memory per wait"."""
    whole = [n for n, row in sorted(rows.items()) if _whole(row, ASYNCIO) and _whole(row, THREADS)]
    if not whole or whole[-1] < MEMORY_WAITS:
        return Part(None, "no N of at least {} both brought up whole".format(MEMORY_WAITS)), None, None
    n = whole[-1]
    threads, tasks = rows[n][THREADS + "_uss_kib_per_wait"], rows[n][ASYNCIO + "_uss_kib_per_wait"]
    if not tasks or tasks <= 0:
        return Part(None, "asyncio's {:,} waiters added no private memory: no ratio to take".format(n)), None, n
    ratio = threads / tasks
    return LESS.judge(exact(ratio), holds="high"), ratio, n


def _sentence(workload, rows, less):
    """One workload's evidence: how far each model carried, where and why threads stopped, the judged numbers."""
    (_, ratio, memory_at), (faster, at) = less, _faster(rows)
    words = [
        "{}: asyncio carried up to {}, threads up to {}".format(
            workload, _up_to(_carried(rows, ASYNCIO)), _up_to(_carried(rows, THREADS))
        )
    ]
    stop, why = _stop(rows, THREADS)
    if stop is not None:
        words.append("threads stopped being practical at {:,} ({})".format(stop, why))
    if faster is not None:
        words.append("at {:,} asyncio's rounds were {} as fast as threads'".format(at, stats.describe(faster)))
    rates = {n: _throughput(row, THREADS) for n, row in rows.items() if _throughput(row, THREADS) is not None}
    if rates:
        peak, last = max(rates, key=rates.get), max(rates)
        if rates[last] < FALLEN * rates[peak]:
            words.append(
                "threads' throughput fell past {:,} ({:,} waits/s there, {:,} at {:,})".format(
                    peak, rates[peak], rates[last], last
                )
            )
    if ratio is not None:
        row = rows[memory_at]
        pss = [row.get(model + "_pss_kib_per_wait") for model in (THREADS, ASYNCIO)]
        words.append(
            "at {:,} a thread took {:.1f} KiB of private memory per wait, a task {:.1f} ({:.1f}x{})".format(
                memory_at,
                row[THREADS + "_uss_kib_per_wait"],
                row[ASYNCIO + "_uss_kib_per_wait"],
                ratio,
                "; PSS {:.1f} vs {:.1f}".format(*pss) if all(_finite(p) for p in pss) else "",
            )
        )
    return ", ".join(words)


def _up_to(ns):
    return "{:,}".format(ns[-1]) if ns else "none"


@rule(
    "X03",
    MEASUREMENT,
    cannot={
        "refuted": "A parked thread costs its touched stack pages and a thread state, several KiB, and a parked task "
        "a task object and one coroutine frame, about one KiB, so threads' memory per sleeping wait cannot come "
        "within 1.1x of asyncio's, and that part always holds.",
    },
)
def asyncio_carries_more_waits(run):
    """X03 (per workload, sleep and loopback; asyncio's rounds paired with threads' at the same N):
    confirmed: on both workloads asyncio carried more waits (an N threads did not carry, or rounds at least 1.25x as
    fast at the largest N both carried) at no more than half threads' private memory per wait;
    partly: some of these hold and others fail (e.g. threads as fast as asyncio where a busy server or a GIL-free
    build bounds both, or carrying an N asyncio did not);
    refuted: cannot occur (see `cannot`);
    inconclusive: a workload without records, an N each carried that the other did not, no N both brought up whole
    (100 or more), or a throughput interval between or across 1.1x and 1.25x."""
    rows = {w: _measured(run, w) for w in WORKLOADS}
    missing = [w for w in WORKLOADS if not rows[w]]
    if len(missing) == len(WORKLOADS):
        return inconclusive("no records of concurrent waits")
    parts, numbers, sentences, intervals = {}, {}, [], []
    for workload in WORKLOADS:
        if not rows[workload]:
            parts[workload + ": recorded"] = Part(None, "no records")
            continue
        mine = rows[workload]
        (more, decisive), less, (faster, at) = _more(mine), _less(mine), _faster(mine)
        parts[workload + ": more waits"] = more
        parts[workload + ": less memory"] = less[0]
        if decisive:
            intervals.append(faster)
        stop, _ = _stop(mine, THREADS)
        numbers.update(
            {
                "threads_carried_up_to_" + workload: _carried(mine, THREADS)[-1] if _carried(mine, THREADS) else 0,
                "asyncio_carried_up_to_" + workload: _carried(mine, ASYNCIO)[-1] if _carried(mine, ASYNCIO) else 0,
                "threads_stopped_at_" + workload: stop,
                "faster_" + workload: round(faster.value, 3) if faster is not None else None,
                "faster_at_" + workload: at,
                "memory_ratio_" + workload: round(less[1], 2) if less[1] is not None else None,
                "memory_at_" + workload: less[2],
            }
        )
        for model in (ASYNCIO, THREADS):
            numbers["{}_uss_kib_per_wait_{}".format(model, workload)] = {
                n: round(row[model + "_uss_kib_per_wait"], 2)
                for n, row in mine.items()
                if _finite(row.get(model + "_uss_kib_per_wait"))
            }
            numbers["{}_waits_per_s_{}".format(model, workload)] = {
                n: _throughput(row, model) for n, row in mine.items() if _throughput(row, model) is not None
            }
        sentences.append(_sentence(workload, mine, less))
    interval = min(intervals, key=lambda i: i.value) if intervals else None
    return combine("; ".join(sentences), parts, numbers, interval)


def _finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
