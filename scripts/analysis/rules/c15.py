"""C15, from experiments/test_c15_ease_of_use.py: of the everyday things handed to a worker, and a script
without the `__main__` guard, how many simply work with processes, and how many with threads?

A cell counts only when it works: "copy" (the worker changed a copy, the parent's thing did not change) is a
surprise, not ease. Cells are behaviour, not timings, so there is no noise to clear: "easier" is strictly more
cells that work than threads have, through the same API.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

APIS = ["pool", "worker"]
API_NAMES = {"pool": "an executor", "worker": "Thread/Process"}


def _counts(run):
    """{(api, model): (cells that work, cells)}, the unguarded script counted as one more cell of each API."""
    guard = {row["model"]: row["no_main_guard"] for _, row in run("script_without_main_guard").iterrows()}
    counts = {}
    for _, row in run("handoff_matrix").iterrows():
        if row["model"] in guard:
            counts[(row["api"], row["model"])] = (
                int(row["works"]) + (guard[row["model"]] == "works"),
                int(row["cells"]) + 1,
            )
    return counts, guard


@rule("C15", "handoff_matrix", "script_without_main_guard")
def processes_easier(run):
    """C15 holds when processes, under every start method, take more of the everyday things (and the unguarded
    script) than threads do through the same API; it is refuted when they never take more."""
    counts, guard = _counts(run)
    processes = process_models()
    pairs = [(api, m) for api in APIS for m in processes if (api, m) in counts and (api, THREADS) in counts]
    if not pairs:
        return inconclusive("no hand-over records for threads and processes through the same API")
    apis = [api for api in APIS if any(p[0] == api for p in pairs)]
    numbers = {
        "{}_{}_works".format(api, m): counts[(api, m)][0]
        for api in apis
        for m in [THREADS] + processes
        if (api, m) in counts
    }
    numbers["cells"] = counts[pairs[0]][1]
    evidence = (
        "of {} everyday things (objects handed to a worker, and a script without the __main__ guard) "
        "threads took {}; a script without the guard: {}".format(
            numbers["cells"],
            "; ".join(
                "{} through {}, processes {} ({})".format(
                    counts[(api, THREADS)][0],
                    API_NAMES[api],
                    "/".join(str(counts[(a, m)][0]) for a, m in pairs if a == api),
                    "/".join(m for a, m in pairs if a == api),
                )
                for api in apis
            ),
            ", ".join("{} ({})".format(guard[m], m) for m in processes if m in guard),
        )
    )
    parts = {}
    for api, m in pairs:
        easier = counts[(api, m)][0] > counts[(api, THREADS)][0]
        parts["{} through {}".format(m, API_NAMES[api])] = Part(easier, "" if easier else "no more than threads")
    return combine(evidence, parts, numbers)
