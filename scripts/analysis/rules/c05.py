"""C05, from experiments/test_c05_start_cost.py: how many times a thread's start-up does a process's cost, for one
empty worker started and joined from a small parent, and for a pool's start-up to its first result?

Each round pairs the process starts with thread starts under the same load; the ratio per start is
(round / its starts) / (baseline / its starts). The starts made from inside pytest are reported beside, as the
harness's own cost: a spawn or forkserver child of pytest imports pytest. Only process models are judged: the same
measurements' subinterpreter rows are X02's (scripts/analysis/rules/x02.py).
"""

from analysis import stats
from analysis.records import BASELINE, RAW
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive, weakest

from experiments.vocabulary import process_models

# "Lightweight" beside processes: a process costs at least 10 times a thread to start, an order of magnitude. A
# smaller factor is the kind a constant overhead (a pipe, a pickle, a little bookkeeping) makes, not a different
# kind of thing: a new address space and, for spawn, a new interpreter. Within 2 times, they weigh the same.
WEIGHT = Bars(2, 10, "the same weight", "lightweight")
MEASURES = {
    "start_to_joined": "an empty worker from start to joined",
    "pool_first_result": "a pool of one to its first result",
}
IMPOSSIBLE = (
    "a process start makes a thread of execution and an address space as well (for spawn, a whole interpreter), so "
    "no start method costs at most twice a thread's start on any OS CPython runs on"
)


def _starts(row, side):
    """Starts per round on one side of a row: its count, or 1 where a round is one start (a pool's)."""
    found = row.get("starts_per_round" if side == RAW else "baseline_starts_per_round")
    return 1 if found is None or found != found else found  # NaN where the table has the column for other rows


def per_start(row):
    """Process time per start over thread time per start, per pair."""
    return stats.ratio(row[RAW], row[BASELINE], scale=_starts(row, BASELINE) / _starts(row, RAW))


def _ms(row, side):
    """Median milliseconds per start of one side of a row."""
    return 1000 * stats.median(row[side]) / _starts(row, side)


def per_start_ms(rows):
    """{model: median milliseconds per start from the small parent} of a run's rows (threads: their own control)."""
    found = rows[rows["measurement"] == "start_to_joined"]
    return {row["model"]: _ms(row, RAW) for row in found.to_dict("records")}


@rule(
    "C05",
    "start_to_joined",
    "pool_first_result",
    "start_to_joined_under_pytest",
    cannot={
        "refuted": IMPOSSIBLE + ".",
        "partly": IMPOSSIBLE + ": none can weigh the same while another is ten times.",
    },
)
def threads_are_lightweight(run):
    """C05:
    confirmed: starting a process (every start method, one worker and a pool of one) costs >= 10 times starting a
    thread, measured in pairs from a small parent;
    refuted, partly: cannot occur (see `cannot`);
    inconclusive: a ratio between 2x and 10x or straddling a bar, or no records of threads and processes."""
    parts, numbers, evidence = {}, {"lightweight_bar": WEIGHT.high, "same_weight_bar": WEIGHT.low}, []
    for measurement, label in MEASURES.items():
        rows = run(measurement)
        rows = rows[rows["model"].isin(process_models())]
        if rows.empty:
            continue
        ratios = {row["model"]: per_start(row) for row in rows.to_dict("records")}
        thread_ms = _ms(rows.iloc[0], BASELINE)
        numbers["thread_{}_ms".format(measurement)] = round(thread_ms, 3)
        numbers.update({"{}_{}".format(m, measurement): round(r.value, 1) for m, r in ratios.items()})
        evidence.append(
            "{}: threads {:.3f} ms, processes {} as long".format(
                label, thread_ms, ", ".join("{} ({})".format(stats.describe(r), m) for m, r in ratios.items())
            )
        )
        parts.update({"{} ({})".format(m, measurement): WEIGHT.judge(r, holds="high") for m, r in ratios.items()})
    if not any(key.endswith("(start_to_joined)") for key in parts):
        return inconclusive("no start-to-joined records of threads and processes")
    harness = run("start_to_joined_under_pytest")
    small = per_start_ms(run("start_to_joined"))
    extra = {
        row["model"]: _ms(row, RAW) - small[row["model"]]
        for row in harness.to_dict("records")
        if row["model"] in small and row["model"] in process_models()
    }
    if extra:
        evidence.append(
            "started from pytest's process instead, each start took {} more (the harness's own cost)".format(
                ", ".join("{:+.1f} ms ({})".format(ms, m) for m, ms in extra.items())
            )
        )
        numbers.update({"{}_under_pytest_extra_ms".format(m): round(ms, 2) for m, ms in extra.items()})
    intervals = [part.interval for part in parts.values()]
    return combine("; ".join(evidence), parts, numbers, weakest(intervals, "high"))
