"""C19 on synthetic records: time per shared update against a thread's locked one, and whose changes to a plain
instance reached the parent."""

import pytest
from analysis.rules import c19

from tests.rules.synthetic import PROCESSES, frame, timed


def sharing_records(costs=(6.0, 500.0, 250.0), plain_seen_by=("threads",), spread=0.02, rounds=7):
    """C19 rows: per-update time as a multiple of a thread's 0.2 us, and which workers' changes to a plain
    instance reached the parent (a manager's always did)."""
    rows = []
    for mechanism, ratio in zip(["thread_lock", "mp_value", "manager_value", "manager_instance"], (1.0,) + costs):
        rows.append(
            dict(
                measurement="update_cost",
                mechanism=mechanism,
                updates=1000,
                **timed(1000 * 2e-7 * ratio, spread, rounds),
            )
        )
    for model in ["threads"] + PROCESSES:
        for way in ["plain", "manager"]:
            managed = way == "manager"
            rows.append(
                dict(
                    measurement="share_an_instance",
                    model=model,
                    way=way,
                    processes_started=int(managed),
                    parent_sees=managed or model in plain_seen_by,
                    attribute_access="AttributeError" if managed else "works",
                    **timed(0.01),
                )
            )
    return frame(rows)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (sharing_records(), "confirmed"),
        (sharing_records(costs=(1.0, 1.0, 1.0), plain_seen_by=["threads"] + PROCESSES), "refuted"),
        (sharing_records(costs=(1.0, 500.0, 250.0)), "partly"),
        # Only the plain instance failed: behaviour made it partly; the verdict still carries its one ratio.
        (sharing_records(plain_seen_by=("threads", "fork")), "partly"),
        (sharing_records(plain_seen_by=()), "partly"),
    ],
)
def test_c19_needs_costlier_updates_and_copied_instances(records, verdict):
    decided = c19.sharing_harder_with_processes(records)
    assert decided.verdict == verdict
    assert decided.numbers["thread_lock_us"] == pytest.approx(0.2)
    weakest = min(ratio for name, ratio in decided.numbers.items() if name.endswith("_vs_thread"))
    assert decided.interval.value == pytest.approx(weakest, rel=0.05)


@pytest.mark.parametrize(
    "records, reason",
    [
        (sharing_records(costs=(1.5, 500.0, 250.0)), "mp_value: between not costlier (1.1x) and costlier (2x)"),
        (sharing_records(costs=(2.0, 500.0, 250.0), spread=0.6), "too noisy: CI ["),
        (sharing_records(rounds=1), "no interval"),
        (sharing_records()[lambda rows: rows.mechanism != "thread_lock"], "no update-cost"),
        (sharing_records()[lambda rows: rows.measurement != "share_an_instance"], "no update-cost"),
    ],
)
def test_c19_is_inconclusive_on_noise_or_missing_records(records, reason):
    decided = c19.sharing_harder_with_processes(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def test_c19_partly_names_the_mechanism_and_the_start_method_that_failed():
    decided = c19.sharing_harder_with_processes(
        sharing_records(costs=(1.0, 500.0, 250.0), plain_seen_by=("threads", "fork"))
    )
    assert decided.evidence.endswith(
        "; but mp_value: not costlier: <= 1.1x; a plain instance under fork: shared with the child"
    )
    unshared = c19.sharing_harder_with_processes(sharing_records(plain_seen_by=()))
    assert "a plain instance under spawn: not shared even with a thread" in unshared.evidence
