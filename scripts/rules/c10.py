"""C10, from experiments/test_c10_stack_and_heap.py: does each thread keep its own thread-local state, reach the
same objects as every other thread, and recurse only as deep as its own stack allows? Behaviour decides: depths
are counts, repeated rounds give the same ones.
"""

from rules.common import Verdict, inconclusive, select

# The large stack is 256 times the small one. Where each level of recursion takes stack, the depth grows with
# the stack, about 256 times; at least 4 times leaves room for another limit stopping the large stack first
# (CPython 3.12 and 3.13 cap C recursion at a fixed count)...
DEEPER = 4
# ...and where it does not, the depth is the same: the probe's depths are 2x apart, so <= 1.5x means equal.
SAME_DEPTH = 1.5


def _depths(rows, recursion):
    """{stack bytes: (deepest depth, what stopped it)} of one kind of recursion."""
    found = select(rows, test="test_recursion_depth", recursion=recursion)
    return {int(row["stack_bytes"]): (int(row["deepest"]), row["stopped_by"]) for _, row in found.iterrows()}


STOPS = {"crash": "then crashed", "RecursionError": "then RecursionError", "cap": "the probe's cap"}


def _describe(depths):
    return " and ".join(
        "{} levels with {} ({})".format(depth, _size(size), STOPS.get(stopped, stopped))
        for size, (depth, stopped) in sorted(depths.items())
    )


def _size(stack_bytes):
    mib, kib = divmod(stack_bytes, 2**20)
    return "{} MiB".format(mib) if mib and not kib else "{} KiB".format(stack_bytes // 1024)


def own_stack_shared_heap(rows):
    """C10 holds when every thread reads back its own threading.local value (and the main thread none), every
    thread reaches the same list (same id()), and a thread recursing through C goes >= 4x deeper with a 256x
    larger stack; refuted when none of the three holds, partly when some do."""
    heap = select(rows, test="test_locals_and_shared_heap")
    through_c = _depths(rows, "through_c")
    if heap.empty or len(through_c) < 2:
        return inconclusive("no records of thread-local state, a shared list and recursion with two stack sizes")
    facts = heap.iloc[0]
    threads = int(facts["threads"])
    sizes = sorted(through_c)
    small, large = through_c[sizes[0]][0], through_c[sizes[-1]][0]
    if large == 0:
        return inconclusive("the recursion probe reached no depth even with the large stack")
    growth = large / small if small else float("inf")
    numbers = {
        "threads": threads,
        "kept_own_local": int(facts["kept_own_local"]),
        "reached_same_list": int(facts["reached_same_list"]),
        "small_stack_depth": small,
        "large_stack_depth": large,
        "depth_growth": round(growth, 2) if small else None,
    }
    python = _depths(rows, "python")
    evidence = (
        "{}/{} threads read back their own threading.local value and {}/{} reached the same list; "
        "recursing through C, a thread went {}{}".format(
            numbers["kept_own_local"],
            threads,
            numbers["reached_same_list"],
            threads,
            _describe(through_c),
            "; pure-Python recursion went {}".format(_describe(python)) if python else "",
        )
    )
    parts = {
        "own thread-local state": numbers["kept_own_local"] == threads and not facts["main_sees_a_local"],
        "one shared heap": numbers["reached_same_list"] == threads and int(facts["shared_items"]) == threads,
    }
    if growth >= DEEPER:
        parts["own stack bounding recursion"] = True
    elif growth <= SAME_DEPTH:
        parts["own stack bounding recursion"] = False
    else:
        return inconclusive(
            evidence
            + "; the larger stack gave {:.1f}x the depth, between {}x and {}x".format(growth, SAME_DEPTH, DEEPER),
            **numbers,
        )
    if all(parts.values()):
        return Verdict("confirmed", evidence, numbers, None)
    if not any(parts.values()):
        return Verdict("refuted", evidence, numbers, None)
    return Verdict(
        "partly", evidence + "; not shown: " + ", ".join(p for p, held in parts.items() if not held), numbers, None
    )
