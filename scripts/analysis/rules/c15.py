"""C15, from experiments/test_c15_ease_of_use.py: of the everyday tasks a worker is given, how many does each API
get done, the parent ending up with the right result, with threads and with processes?

A task is done through an API when it was done in every round, not done when in none; rounds that disagree leave
it open, and a count is then a range. "Easier" is more tasks done, compared two ways for each start method:
- the libraries the post names: multiprocessing (a task counts when Process or Pool does it) against threading
  (threading.Thread, the one way it offers to run a function in a worker);
- one API for both (concurrent.futures): ProcessPoolExecutor against ThreadPoolExecutor.
Counts are behaviour, not timings: there is no noise to clear, only rounds that disagree.
"""

import collections

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

GUARD = "no_main_guard"  # the script without the `__main__` guard, one more task
COMPARISONS = [
    # (name, the threads' APIs, the processes' APIs): a task counts for a side when any of its APIs did it
    ("multiprocessing vs threading", ["Thread"], ["Process", "Pool"]),
    ("ProcessPoolExecutor vs ThreadPoolExecutor", ["ThreadPoolExecutor"], ["ProcessPoolExecutor"]),
]


def _settled(outcomes):
    """True (done in every round), False (in none), or None (rounds disagree)."""
    done = [outcome == "works" for outcome in outcomes]
    return all(done) if all(done) or not any(done) else None


def _cells(run):
    """{(api, model): {task: True/False/None}}, the unguarded script as task GUARD."""
    guard = {
        (row["api"], row["model"]): _settled(row["no_main_guard_per_round"])
        for _, row in run("script_without_main_guard").iterrows()
    }
    cells = {}
    for _, row in run("everyday_tasks").iterrows():
        way = (row["api"], row["model"])
        rounds = row["outcomes_per_round"]
        cells[way] = {task: _settled([r[task] for r in rounds]) for task in rounds[0]}
        if way in guard:
            cells[way][GUARD] = guard[way]
    return cells


def _side(cells, apis, model):
    """{task: True/False/None} of a side: done if any of its APIs did it, not done if none did, else open. None
    when an API of the side has no records."""
    ways = [(api, model) for api in apis]
    if any(way not in cells for way in ways):
        return None
    tasks = set.intersection(*(set(cells[way]) for way in ways))
    side = {}
    for task in tasks:
        seen = [cells[way][task] for way in ways]
        side[task] = True if True in seen else (False if all(s is False for s in seen) else None)
    return side


def _count(side):
    """(tasks surely done, tasks done at most)."""
    done = sum(v is True for v in side.values())
    return done, done + sum(v is None for v in side.values())


def _describe(count):
    low, high = count
    return str(low) if low == high else "{}-{}".format(low, high)


def _compare(threads, processes):
    """The Part "processes do more tasks than threads"."""
    (t_low, t_high), (p_low, p_high) = _count(threads), _count(processes)
    if p_low > t_high:
        return Part(True)
    if p_high <= t_low:
        return Part(False, "{} tasks against {}".format(_describe((p_low, p_high)), _describe((t_low, t_high))))
    return Part(
        None, "rounds disagree: {} tasks against {}".format(_describe((p_low, p_high)), _describe((t_low, t_high)))
    )


def _only(side, other):
    return sorted(task for task in side if side[task] is True and other.get(task) is False)


@rule(
    "C15",
    "everyday_tasks",
    "script_without_main_guard",
    cannot={
        "confirmed": "Through the one API both have (concurrent.futures) a process pool must pickle what it is given "
        "and works on copies, so it can never do the tasks that need a lambda, a closure or the parent's own "
        "objects, all of which a thread pool does: processes never come out ahead there.",
    },
)
def processes_easier(run):
    """C15 (tasks done, per start method: multiprocessing's Process or Pool against threading.Thread, and
    ProcessPoolExecutor against ThreadPoolExecutor):
    confirmed: cannot occur (see `cannot`);
    refuted: processes do no more tasks than threads in either comparison under any start method measured (as on
    Windows, whose one start method is spawn: lambdas, closures and an unguarded script fail there);
    partly: multiprocessing does more than threading.Thread under some start method (fork: lambdas pass, and Pool
    hands back results and exceptions and stops a running worker) while the other comparisons go to threads;
    inconclusive: no records of both sides of a comparison, or rounds that disagree enough to leave one open."""
    cells = _cells(run)
    parts, numbers, lines, total = {}, {}, [], None
    for name, thread_apis, process_apis in COMPARISONS:
        threads = _side(cells, thread_apis, THREADS)
        if threads is None:
            continue
        numbers["{}_done".format("_".join(thread_apis))] = _describe(_count(threads))
        per_model = collections.OrderedDict()  # what a start method showed -> the start methods that showed it
        for model in process_models():
            if not any((api, model) in cells for api in process_apis):
                continue
            processes = _side(cells, process_apis, model)
            if processes is None:
                missing = [api for api in process_apis if (api, model) not in cells]
                parts["{} ({})".format(name, model)] = Part(
                    None, "no records of {} ({})".format("/".join(missing), model)
                )
                continue
            common = set(threads) & set(processes)
            mine, theirs = {t: processes[t] for t in common}, {t: threads[t] for t in common}
            total = len(common)
            numbers["{}_{}_done".format("_".join(process_apis), model)] = _describe(_count(mine))
            parts["{} ({})".format(name, model)] = _compare(theirs, mine)
            shown = (_describe(_count(mine)), ", ".join(_only(mine, theirs)), ", ".join(_only(theirs, mine)))
            per_model.setdefault(shown, []).append(model)
        if per_model:
            lines.append(
                "{} did {}, {} {}".format(
                    "/".join(thread_apis),
                    _describe(_count(threads)),
                    " or ".join(process_apis),
                    ", ".join(
                        "{} ({}: only processes {}; only threads {})".format(
                            count, "/".join(models), only_processes or "none", only_threads or "none"
                        )
                        for (count, only_processes, only_threads), models in per_model.items()
                    ),
                )
            )
    if not parts:
        return inconclusive("no records of tasks done with threads and with processes through comparable APIs")
    numbers["tasks"] = total
    evidence = "of {} everyday tasks, {}".format(total, "; ".join(lines))
    return combine(evidence, parts, numbers)
