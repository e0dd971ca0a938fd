"""C04 on synthetic records: CPU-bound processes per physical core, and one process's threads running at once (GIL-
releasing C code keeping cores busy; the least share of threads that progressed in a window)."""

import pytest
from analysis.rules import c04

from tests.rules.synthetic import frame, noisy

ROUNDS = 9
RUN_S = 0.1


def running(wall, busy, spread=0.01, seed=0):
    """Timing columns of a round of `wall` seconds in which `busy` CPU seconds per wall second were spent."""
    rounds = noisy(wall, spread, ROUNDS, seed)
    cpu = noisy(busy, spread, ROUNDS, seed + 1)
    return dict(median_s=wall, rounds_s=rounds, cpu_rounds_s=[c * w for c, w in zip(cpu, rounds)], cpu_per_wall=busy)


def cpu_records(
    cores=2,
    logical=2,
    usable=2,
    quota=None,
    topology=True,
    per_core=None,
    busy=None,
    hashing_shares=1.0,
    many_shares=1.0,
    spread=0.01,
):
    """C04 rows on a machine with `cores` physical cores and `logical` CPUs, `usable` of them usable: 2 x cores
    processes run `per_core` things at once per core (default: logical / cores, capped by a quota), 2 x usable
    threads keep `busy` cores busy (default: the usable CPUs), and the least shares progressing per round."""
    at_once = per_core if per_core is not None else min(logical, quota or logical) / cores
    busy = busy if busy is not None else min(2 * int(usable), usable)

    def shares(value):
        return list(value) if isinstance(value, (list, tuple)) else [value] * ROUNDS

    rows = [
        dict(
            measurement="hardware_threads",
            model="fork",
            workers=2 * cores,
            run_s=RUN_S,
            logical_cpus=logical,
            physical_cpus=cores,
            affinity_cpus=logical,
            affinity_cores=cores if topology else None,
            cpu_quota=quota,
            usable_cpus=usable,
            **running(RUN_S * 1.01, at_once * cores, spread),
        ),
        dict(
            measurement="threads_running_c_code",
            threads=2 * max(1, int(usable)),
            run_s=RUN_S,
            window_s=0.05,
            least_share_per_round=shares(hashing_shares),
            **running(RUN_S * 1.02, busy, spread, seed=2),
        ),
        dict(
            measurement="hundreds_of_threads",
            threads=200,
            nap_s=0.005,
            run_s=RUN_S,
            window_s=0.05,
            least_share_per_round=shares(many_shares),
            **running(RUN_S * 1.05, 0.3, spread, seed=4),
        ),
    ]
    return frame(rows, usable)


OUTCOMES = {
    "C04": {
        "confirmed": lambda: cpu_records(cores=2, logical=4, usable=4),  # a dual-core laptop with Hyper-Threading
        "partly": lambda: cpu_records(),  # this 2-vCPU VM: no SMT, OS threads run
        # `docker --cpus=1.5` on a 4-CPU host: the quota hides what the hardware runs at once, and 1.5 CPUs cannot
        # show one process's threads busy on two cores.
        "inconclusive": lambda: cpu_records(cores=2, logical=4, usable=1.5, quota=1.5),
    }
}


def test_c04_confirmed_on_a_dual_core_with_smt():
    decided = c04.os_threads_vs_cores(cpu_records(cores=2, logical=4, usable=4))
    assert decided.verdict == "confirmed"
    assert decided.numbers["at_once_per_core"] == pytest.approx(2.0, rel=0.03)
    assert decided.interval.low <= 2.0 <= decided.interval.high  # the per-core measure decides and is carried


def test_c04_partly_without_smt_names_the_hardware_reading():
    decided = c04.os_threads_vs_cores(cpu_records())
    assert decided.verdict == "partly"
    assert decided.evidence.endswith(
        "; but hardware: two threads per core (a dual core runs 4): one thread per core: <= 1.1x"
    )
    assert "4 threads hashing (C code that releases the GIL) kept 2.00" in decided.evidence


def test_c04_partly_when_the_c_code_keeps_the_gil_on_smt_hardware():
    """An interpreter whose sha256 holds the GIL (a build without OpenSSL before 3.12): one core at a time."""
    decided = c04.os_threads_vs_cores(cpu_records(cores=2, logical=4, usable=4, busy=1.0))
    assert decided.verdict == "partly"
    assert "OS: one process's threads busy on several cores at once: one core at a time: <= 1.1x" in decided.evidence


def test_c04_one_cpu_without_smt_still_shows_the_hardware_reading_fail():
    decided = c04.os_threads_vs_cores(cpu_records(cores=1, logical=1, usable=1, busy=1.0))
    assert decided.verdict == "partly" and "fewer than 2 usable CPUs" not in decided.evidence.split("; but ")[1]


def test_c04_would_be_refuted_if_threads_took_turns_on_a_machine_without_smt():
    """What no OS CPython runs on does (see the rule's `cannot`), still read as a reader expects."""
    decided = c04.os_threads_vs_cores(cpu_records(busy=1.0, hashing_shares=0.25, many_shares=0.05))
    assert decided.verdict == "refuted"


@pytest.mark.parametrize(
    "records, reason",
    [
        (cpu_records(cores=2, logical=4, usable=1.5, quota=1.5), "a CPU quota of 1.5 CPUs caps what runs at once"),
        (cpu_records(cores=1, logical=2, usable=1, quota=1, busy=1.0), "fewer than 2 usable CPUs"),
        (cpu_records(topology=False), "the OS does not say which CPUs share a core"),
        (cpu_records(cores=2, logical=4, usable=4, per_core=1.3), "between one thread per core (1.1x)"),
        (cpu_records(cores=2, logical=4, usable=4, per_core=1.5, spread=0.3), "too noisy"),
        (cpu_records(cores=2, logical=4, usable=4, many_shares=0.7), "hundreds of threads, all progressing: between"),
        (cpu_records(cores=2, logical=4, usable=4, many_shares=[None] * ROUNDS), "no round held a whole window"),
        (cpu_records()[lambda rows: rows.measurement != "hundreds_of_threads"], "no records"),
    ],
)
def test_c04_inconclusive_paths(records, reason):
    decided = c04.os_threads_vs_cores(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
