"""C02, from experiments/test_c02_memory.py: does the parent see a worker's writes, and does handing a worker S
bytes cost in proportion to S (a copy into another heap) or no more than a few bytes (a reference into the same
heap)?

The writes are facts, taken as they were recorded (how many tries the parent saw each kind of write in). The
hand-over growth is timed in pairs inside one benchmark per model: the largest payload against the smallest, handed
to the same warm worker, so drift between rounds cancels in each pair's ratio.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, cost, inconclusive, weakest

from experiments.vocabulary import THREADS, process_models

WRITE_VISIBILITY, HANDOFF = "write_visibility", "handoff"
WRITES = ["sees_global", "sees_list", "sees_instance"]
# Hand-over cost of the largest payload over the smallest: a reference costs the same whatever the size (at most
# 3x: noise, a cache miss), a copy of 65,536 times the bytes (about 20,000 times in a quick run) at least 10x: an
# order of magnitude, which copying that much more always is. Bars set from that reasoning, not from runs.
GROWTH = Bars(3, 10, "a reference", "a copy")


def _measured(rows):
    """`rows` without the null control (the smallest payload against itself)."""
    if "null_control" not in rows:
        return rows
    return rows[~rows["null_control"].fillna(False).astype(bool)]


def _seen(run):
    """{model: (tries, {write: how many tries the parent saw it in})}."""
    found = {}
    for _, row in run(WRITE_VISIBILITY).iterrows():
        found[row["model"]] = (int(row["tries"]), {w: int(row[w]) for w in WRITES})
    return found


def _visibility(tries, seen, expected):
    """The Part a model's writes make when the parent should see all of them (`expected` True) or none."""
    wrong = [w[5:] for w in WRITES if seen[w] != (tries if expected else 0)]
    if not wrong:
        return Part(True)
    return Part(False, ", ".join("its {} in {} of {} tries".format(w, seen["sees_" + w], tries) for w in wrong))


def _growths(run):
    """{model: the hand-over cost of the largest payload over the smallest, per pair}."""
    return {row["model"]: (cost(row), int(row["size_bytes"])) for _, row in _measured(run(HANDOFF)).iterrows()}


def _counts(seen):
    return "/".join(str(seen[w]) for w in WRITES)


def _size(size_bytes):
    return "{:g} MiB".format(size_bytes / 2**20) if size_bytes >= 2**20 else "{:g} KiB".format(size_bytes / 2**10)


@rule(
    "C02",
    WRITE_VISIBILITY,
    HANDOFF,
    cannot={
        "refuted": "Threads always share their process's heap, so the parent sees every write of a thread and a "
        "handed-over payload reaches a thread by reference: those parts hold on any machine and the claim can never "
        "fail as a whole.",
        "partly": "A child process has its own address space from the operating system, so the parent never sees its "
        "writes, and its payload crosses a pipe as a copy that costs far over 10x a 1 KiB hand-over at any memory "
        "bandwidth, so no part can fail while the thread's parts hold.",
    },
)
def separate_heaps(run):
    """C02:
    confirmed: the parent saw every write of a thread in every try and none of a child process of any start method,
    and handing over the largest payload instead of the smallest cost a thread no more (<= 3x, a reference) and every
    process model at least 10x as much (a copy);
    refuted: cannot occur (see `cannot`): every part failing (a thread's writes unseen, a child's seen, the growths
    reversed);
    partly: cannot occur (see `cannot`): some parts holding and others failing;
    inconclusive: no write-visibility or hand-over records for threads and a process, or a hand-over growth between
    the bars or too noisy to tell."""
    seen = _seen(run)
    processes = [m for m in process_models() if m in seen]
    if THREADS not in seen or not processes:
        return inconclusive("no write-visibility records for threads and processes")
    growth = _growths(run)
    grown = [m for m in process_models() if m in growth]
    if THREADS not in growth or not grown:
        return inconclusive("no hand-over records for threads and processes")
    models = [THREADS] + processes
    numbers = {m + "_sees": " ".join(w[5:] for w in WRITES if seen[m][1][w]) or "nothing" for m in models}
    numbers["tries"] = seen[THREADS][0]
    numbers.update({m + "_handoff_growth": round(g.value, 2) for m, (g, _) in growth.items()})
    numbers["largest_bytes"] = growth[THREADS][1]
    evidence = (
        "the parent saw a worker's writes to a global, a list and an instance in {} of {} tries from a thread and in "
        "{} from a child process; handing over {} instead of 1 KiB multiplied the cost by {}".format(
            _counts(seen[THREADS][1]),
            seen[THREADS][0],
            ", ".join("{} ({})".format(_counts(seen[m][1]), m) for m in processes),
            _size(growth[THREADS][1]),
            ", ".join("{} ({})".format(stats.describe(g), m) for m, (g, _) in growth.items()),
        )
    )
    parts = {"the parent sees a thread's writes": _visibility(*seen[THREADS], expected=True)}
    parts.update(
        {"the parent sees none of a {} child's".format(m): _visibility(*seen[m], expected=False) for m in processes}
    )
    parts["threads hand-over"] = GROWTH.judge(growth[THREADS][0], holds="low")
    parts.update({"{} hand-over".format(m): GROWTH.judge(growth[m][0], holds="high") for m in grown})
    return combine(evidence, parts, numbers, weakest([growth[m][0] for m in grown], "high"))
