"""C10, from experiments/test_c10_stack_and_heap.py: does each thread keep its own thread-local state, reach the
same objects as every other thread, and recurse only as deep as its own stack allows? Behaviour decides, in every
round: depths are counts, and where rounds differ the growth is judged over all of them.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, inconclusive

# The large stack is 256 times the small one. Where each level of recursion takes stack, the depth grows with
# the stack, about 256 times; at least 4 times leaves room for another limit stopping the large stack first
# (CPython 3.12 and 3.13 cap C recursion at a fixed count)...
DEEPER = 4
# ...and where it does not, the depth is the same: the probe's depths are 2x apart, so <= 1.5x means equal.
SAME_DEPTH = 1.5
DEPTH = Bars(SAME_DEPTH, DEEPER, "the same depth", "deeper")
STOPS = {"crash": "then crashed", "RecursionError": "then RecursionError", "cap": "the probe's cap"}


def _depths(run, recursion):
    """{stack bytes: (depths per round, what stopped the last round)} of one kind of recursion."""
    found = run("recursion_depth", recursion=recursion)
    return {
        int(row["stack_bytes"]): ([int(d) for d in row["deepest_per_round"]], row["stopped_by"])
        for _, row in found.iterrows()
    }


def _describe(depths):
    return " and ".join(
        "{} levels with {} ({})".format(_levels(rounds), _size(size), STOPS.get(stopped, stopped))
        for size, (rounds, stopped) in sorted(depths.items())
    )


def _levels(rounds):
    low, high = min(rounds), max(rounds)
    return str(low) if low == high else "{}-{}".format(low, high)


def _size(stack_bytes):
    mib, kib = divmod(stack_bytes, 2**20)
    return "{} MiB".format(mib) if mib and not kib else "{} KiB".format(stack_bytes // 1024)


def _growth(small, large):
    """How many times deeper the large stack went, as an interval over every round's depths (a point when every
    round reached the same ones); a small stack that reached no level at all makes it infinite."""

    def ratio(big, little):
        return big / little if little else float("inf")

    return stats.Interval(
        ratio(stats.median(large), stats.median(small)),
        ratio(min(large), max(small)),
        ratio(max(large), min(small)),
        "exact",
    )


def _every_round(rounds, holds):
    """A Part that holds when `holds(facts)` in every round, fails when in none, is undecided otherwise."""
    seen = [bool(holds(facts)) for facts in rounds]
    if all(seen) or not any(seen):
        return Part(all(seen), "" if all(seen) else "not in any of {} rounds".format(len(seen)))
    return Part(None, "rounds disagree: held in {} of {}".format(sum(seen), len(seen)))


@rule(
    "C10",
    "locals_and_shared_heap",
    "recursion_depth",
    cannot={
        "refuted": "threading.local is per thread by its definition and every thread of a process reaches the same "
        "objects, so two of the three parts hold on every CPython and the claim can never fail whole.",
        "partly": "Each part is a guarantee wherever a thread's stack size can be set at all (elsewhere the "
        "recursion experiment is skipped): a thread-local is per thread, threads share the heap, and each level "
        "of recursion through C takes the same C stack, so a 256 times larger stack goes deeper.",
    },
)
def own_stack_shared_heap(run):
    """C10 (each part in every round):
    confirmed: every thread reads back its own threading.local value (the main thread none), every thread reaches
    the same list (same id()), and a thread recursing through C goes >= 4x deeper with a 256x larger stack;
    refuted: cannot occur (see `cannot`);
    partly: cannot occur (see `cannot`);
    inconclusive: no records of the locals or of recursion with two stack sizes (e.g. a platform that cannot set a
    thread's stack size), no depth reached, rounds that disagree, or a growth between 1.5x and 4x."""
    heap = run("locals_and_shared_heap")
    through_c = _depths(run, "through_c")
    if heap.empty or len(through_c) < 2:
        return inconclusive("no records of thread-local state, a shared list and recursion with two stack sizes")
    facts = heap.iloc[0]
    threads = int(facts["threads"])
    rounds = facts["facts_per_round"]
    sizes = sorted(through_c)
    small, large = through_c[sizes[0]][0], through_c[sizes[-1]][0]
    if max(large) == 0:
        return inconclusive("the recursion probe reached no depth even with the large stack")
    growth = _growth(small, large)
    numbers = {
        "threads": threads,
        "rounds": len(rounds),
        "kept_own_local": int(facts["kept_own_local"]),
        "reached_same_list": int(facts["reached_same_list"]),
        "small_stack_depth": int(stats.median(small)),
        "large_stack_depth": int(stats.median(large)),
        "depth_growth": round(growth.value, 2) if growth.value != float("inf") else None,
    }
    python = _depths(run, "python")
    evidence = (
        "{}/{} threads read back their own threading.local value and {}/{} reached the same list (the last of {} "
        "rounds); recursing through C, a thread went {}{}".format(
            numbers["kept_own_local"],
            threads,
            numbers["reached_same_list"],
            threads,
            len(rounds),
            _describe(through_c),
            "; pure-Python recursion went {}".format(_describe(python)) if python else "",
        )
    )
    # Depths are counts: the growth is exact where every round agrees, a range over the rounds where not. Behaviour
    # decides, so the verdict carries no interval.
    parts = {
        "own thread-local state": _every_round(
            rounds, lambda f: f["kept_own_local"] == threads and not f["main_sees_a_local"]
        ),
        "one shared heap": _every_round(
            rounds, lambda f: f["reached_same_list"] == threads and f["shared_items"] == threads
        ),
        "own stack bounding recursion": DEPTH.judge(growth, holds="high")._replace(interval=None),
    }
    return combine(evidence, parts, numbers)
