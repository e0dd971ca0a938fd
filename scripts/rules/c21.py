"""C21, from experiments/test_c21_gil_releasing_code.py: do N threads beat serial on C code that releases the
GIL (hashing, compressing, reading a file), where they cannot on pure-Python code? Each workload is judged at
its best N >= 2 (warm pools), as C09 is.
"""

import stats
from rules.common import (
    NO_SCALING,
    Verdict,
    inconclusive,
    parallel_workers,
    scaling_bar,
    scaling_class,
    speedup,
    undecided,
    usable_cpus,
)

# Work that runs on a core: what "parallel threads of execution on multiple cores" is about. Sleeps overlap
# without a core, so they are reported beside the verdict, not part of it (C07 judges waits).
ON_CORES = ["sha256", "zlib", "file_read", "pure_python"]
WAITS = ["sleep"]


def best_speedup(rows, workload):
    """(N, interval) of threads' highest speedup over serial among N >= 2 on `workload`; (None, None) if missing."""
    found = {n: speedup(rows, n, "threads", workload=workload) for n in parallel_workers(rows)}
    found = {n: s for n, s in found.items() if s is not None}
    if not found:
        return None, None
    workers = max(found, key=lambda n: found[n].value)
    return workers, found[workers]


def gil_blocks_all_parallelism(rows):
    """C21 holds when threads run no faster than serial (<= 1.1x) on every workload that runs on a core, C code
    that releases the GIL included; it holds partly (for pure Python only, say) when some reach 1 + 0.5 (P - 1)
    times serial speed, P = min(N, usable CPUs), and others stay flat; it is refuted when all of them do."""
    usable = usable_cpus(rows)
    if usable < 2:
        return inconclusive("only 1 usable CPU: no parallel speedup of CPU-bound work can show on this machine")
    best = {w: best_speedup(rows, w) for w in ON_CORES + WAITS}
    best = {w: b for w, b in best.items() if b[1] is not None}
    if not any(w in best for w in ON_CORES):
        return inconclusive("no serial and threads records with N >= 2")
    bars = {w: scaling_bar(min(n, usable)) for w, (n, _) in best.items() if w in ON_CORES}
    classes = {w: scaling_class(best[w][1], bar) for w, bar in bars.items()}
    numbers = {"usable_cpus": usable, "no_scaling_bar": NO_SCALING}
    for workload, (workers, interval) in best.items():
        numbers.update({workload + "_workers": workers, workload + "_speedup": round(interval.value, 3)})
    evidence = "at best, threads ran {} as fast as serial on {} usable CPUs".format(
        ", ".join("{} ({}, N={})".format(stats.describe(i), w, n) for w, (n, i) in best.items()), usable
    )
    decided = [w for w in ON_CORES if classes.get(w) in ("flat", "scales")]
    scaled = [w for w in decided if classes[w] == "scales"]
    flat = [w for w in decided if classes[w] == "flat"]
    if scaled and flat:
        return Verdict(
            "partly",
            evidence
            + "; the GIL kept threads from scaling on {} only, not on {}".format(", ".join(flat), ", ".join(scaled)),
            numbers,
            min((best[w][1] for w in scaled), key=lambda i: i.value),
        )
    unclear = [w for w in ON_CORES if w in classes and w not in decided]
    if unclear or len(decided) < len(ON_CORES):
        missing = [w for w in ON_CORES if w not in classes]
        reasons = ["{}: {}".format(w, undecided(best[w][1], bars[w])) for w in unclear]
        reasons += ["no records of {}".format(", ".join(missing))] if missing else []
        interval = best[unclear[0]][1] if unclear else None
        return inconclusive(evidence + "; " + "; ".join(reasons), interval, **numbers)
    if flat:
        closest = max((best[w][1] for w in flat), key=lambda i: i.value)
        return Verdict("confirmed", evidence + " (no speedup on any: <= {}x)".format(NO_SCALING), numbers, closest)
    closest = min((best[w][1] for w in scaled), key=lambda i: i.value)
    return Verdict("refuted", evidence + " (all scale, pure Python too)", numbers, closest)
