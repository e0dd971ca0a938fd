"""C16, from experiments/test_c16_memory_footprint.py: does each extra idle process cost more memory than an
extra idle thread?

Decided on private memory (USS) per extra worker, the slope fitted per round, as the median ratio of the process
slope to the thread slope over round pairs (round i of each), with its order-statistic interval. Memory does not
drift with the machine's load as time does; pairing rounds only keeps the interval distribution-free. PSS is
reported beside it.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, combine, inconclusive, weakest

from experiments.vocabulary import THREADS, process_models

MEASUREMENT = "idle_workers"
# An extra thread's own memory is its touched stack pages and its thread state: KiB. An extra process needs at
# least its own page tables and stack and privatises the interpreter pages it writes (a forked child too, as
# refcounts change): a real difference is a multiple. "Larger" is at least twice a thread's, "not larger" within
# 10% of it: a few 4 KiB pages either way on a KiB-scale thread slope.
LARGER = Bars(1.1, 2.0, "not larger", "larger")


def _slopes(run, model):
    found = run(MEASUREMENT, model=model)
    return None if found.empty else found.iloc[0]


@rule(
    "C16",
    MEASUREMENT,
    cannot={
        "refuted": "A child process, however started, is a whole interpreter with its own stack, page tables and the "
        "interpreter pages it writes (refcounts make even a forked child copy the pages it touches), hundreds of "
        "KiB at least, while an extra thread costs its touched stack pages and a thread state, tens of KiB: no "
        "start method can come within 1.1x of a thread.",
        "partly": "The reason no start method can come within 1.1x of a thread holds for every start method alike, "
        "so none can fail while another holds.",
    },
)
def processes_cost_memory(run):
    """C16 (USS per extra idle worker, process over thread, per round pair):
    confirmed: under every start method an extra idle process costs at least twice the private memory of an extra
    idle thread;
    refuted: cannot occur (see `cannot`);
    partly: cannot occur (see `cannot`);
    inconclusive: no records of threads or processes, an extra thread that added no private memory in some round
    (no ratio to take), fewer than 6 rounds, or an interval between or across 1.1x and 2x."""
    threads = _slopes(run, THREADS)
    processes = {m: _slopes(run, m) for m in process_models()}
    processes = {m: row for m, row in processes.items() if row is not None}
    if threads is None or not processes:
        return inconclusive("no idle-worker memory records for threads and processes")
    flat = [slope for slope in threads["uss_slopes_mib"] if slope <= 0]
    if flat:
        return inconclusive(
            "an extra thread added no private memory in {} of {} rounds ({:.4f} MiB at least): no ratio to take".format(
                len(flat), len(threads["uss_slopes_mib"]), min(flat)
            )
        )
    unpaired = [m for m, row in processes.items() if len(row["uss_slopes_mib"]) != len(threads["uss_slopes_mib"])]
    if unpaired:
        return inconclusive("{} recorded other rounds than threads: no round pairs".format("/".join(unpaired)))
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
    parts = {m: LARGER.judge(ratio, holds="high") for m, ratio in ratios.items()}
    return combine(evidence, parts, numbers, weakest(ratios.values(), "high"))
