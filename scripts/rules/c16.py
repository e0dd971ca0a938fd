"""C16, from experiments/test_c16_memory_footprint.py: does each extra idle process cost more memory than an
extra idle thread?

Decided on private memory (USS) per extra worker, the slope fitted per round, as a ratio of the process slope to
the thread slope with its bootstrap interval over rounds. PSS is reported beside it.
"""

import stats
from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, select, too_noisy

# An extra thread's own memory is its touched stack pages and its thread state: KiB. An extra process needs at
# least its own page tables and stack and privatises the interpreter pages it writes (a forked child too, as
# refcounts change): a real difference is a multiple. "Larger" is at least twice a thread's...
LARGER = 2.0
# ...and "not larger" within 10% of it: a few 4 KiB pages either way on a KiB-scale thread slope.
NOT_LARGER = 1.1


def _slopes(rows, model):
    found = select(rows, test="test_idle_workers", model=model)
    return None if found.empty else found.iloc[0]


def processes_cost_memory(rows):
    """C16 holds when each extra idle process, under every start method, costs at least twice the private memory
    of an extra idle thread."""
    threads = _slopes(rows, "threads")
    processes = {m: _slopes(rows, m) for m in PROCESS_MODELS}
    processes = {m: row for m, row in processes.items() if row is not None}
    if threads is None or not processes:
        return inconclusive("no idle-worker memory records for threads and processes")
    if threads["uss_mib_per_worker"] <= 0:
        return inconclusive(
            "an extra thread added no private memory ({:.4f} MiB): no ratio to take".format(
                threads["uss_mib_per_worker"]
            )
        )
    ratios = {m: stats.ratio(row["uss_slopes_mib"], threads["uss_slopes_mib"]) for m, row in processes.items()}
    numbers = {
        "threads_uss_mib_per_worker": round(float(threads["uss_mib_per_worker"]), 4),
        "threads_pss_mib_per_worker": round(float(threads["pss_mib_per_worker"]), 4),
    }
    for m, row in processes.items():
        numbers.update(
            {
                m + "_uss_mib_per_worker": round(float(row["uss_mib_per_worker"]), 3),
                m + "_pss_mib_per_worker": round(float(row["pss_mib_per_worker"]), 3),
                m + "_vs_thread": round(ratios[m].value, 1),
            }
        )
    evidence = (
        "each extra idle worker added {:.3f} MiB of private memory ({:.3f} MiB PSS) as a thread, {} as a "
        "process ({}): {} a thread's".format(
            threads["uss_mib_per_worker"],
            threads["pss_mib_per_worker"],
            "/".join("{:.2f}".format(processes[m]["uss_mib_per_worker"]) for m in processes),
            "/".join(processes),
            ", ".join("{} ({})".format(stats.describe(ratios[m]), m) for m in processes),
        )
    )
    weakest = min(ratios, key=lambda m: ratios[m].value)
    larger = [m for m in ratios if stats.at_least(ratios[m], LARGER)]
    not_larger = [m for m in ratios if stats.at_most(ratios[m], NOT_LARGER)]
    if len(larger) == len(ratios):
        return Verdict("confirmed", evidence + " (larger: >= {}x)".format(LARGER), numbers, ratios[weakest])
    if len(larger) + len(not_larger) < len(ratios):
        unclear = ratios[next(m for m in ratios if m not in larger and m not in not_larger)]
        between = unclear.low > NOT_LARGER and unclear.high < LARGER
        reason = "between {}x and {}x".format(NOT_LARGER, LARGER) if between else too_noisy(unclear, LARGER, NOT_LARGER)
        return inconclusive("{}; {}".format(evidence, reason), unclear, **numbers)
    if not larger:
        return Verdict("refuted", evidence + " (not larger: <= {}x)".format(NOT_LARGER), numbers, ratios[weakest])
    return Verdict(
        "partly",
        evidence + "; larger (>= {}x) only with {}".format(LARGER, ", ".join(larger)),
        numbers,
        ratios[weakest],
    )
