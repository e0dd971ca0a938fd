"""Verdict rules of C06, C17 and C22 on synthetic records with known answers, every inconclusive path included."""

import numpy as np
import pandas as pd
import pytest

from rules import c06, c17, c22


def spread_around(median, spread, rounds):
    return list(median * np.linspace(1 - spread, 1 + spread, rounds))


def timed(median, spread=0.02, rounds=7):
    """A record's timing columns: `rounds` times spread evenly +-`spread` around `median`."""
    return dict(median_s=median, rounds_s=spread_around(median, spread, rounds))


def responsiveness_records(thread_p99=0.006, idle_p99=0.0002, convoy=20.0, spread=0.02, rounds=7, with_convoy=True):
    """C06 rows: each tick case's p99 lateness per round (10 ms ticks), and round trips idle and under load."""
    rows = []
    for load, interval_ms, p99 in [
        ("none", 5, idle_p99),
        ("thread", 5, thread_p99),
        ("thread", 0.1, 0.0004),
        ("thread", 50, 0.05),
        ("process", 5, idle_p99),
    ]:
        rows.append(
            dict(
                test="test_tick_lateness",
                load=load,
                switch_interval_ms=interval_ms,
                tick_period_s=0.01,
                lateness_p99_by_round_s=spread_around(p99, spread, rounds),
                lateness_p99_s=p99,
                lateness_median_s=p99 / 2,
                frames_missed=int(p99 > 0.01),
                **timed(0.25),
            )
        )
    if with_convoy:
        for load, slowdown in [("none", 1.0), ("thread", convoy), ("process", 1.0)]:
            rows.append(
                dict(test="test_convoy", load=load, switch_interval_ms=5.0, **timed(0.005 * slowdown, spread, rounds))
            )
    return pd.DataFrame(rows).assign(cpu_usable=2)


@pytest.mark.parametrize(
    "records, verdict",
    [
        (responsiveness_records(), "partly"),
        (responsiveness_records(convoy=1.0), "confirmed"),
        (responsiveness_records(thread_p99=0.05), "refuted"),
        (responsiveness_records(thread_p99=0.05, convoy=1.0), "refuted"),
    ],
)
def test_c06_ticks_decide_first_then_the_convoy(records, verdict):
    decided = c06.threads_keep_ui_responsive(records)
    assert decided.verdict == verdict
    assert decided.numbers["thread_p99_ms"] == pytest.approx(records.lateness_p99_s[1] * 1000)
    assert "p99 50.0 ms at a 50 ms switch interval" in decided.evidence


def test_c06_partly_rests_on_the_convoy_interval():
    decided = c06.threads_keep_ui_responsive(responsiveness_records(convoy=20.0))
    assert decided.interval.low <= 20.0 <= decided.interval.high and "convoy" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (responsiveness_records(thread_p99=0.0099, spread=0.3), "ticks too noisy"),
        (responsiveness_records(convoy=2.0, spread=0.5), "round trips too noisy"),
        (responsiveness_records(idle_p99=0.008), "too busy"),
        (responsiveness_records(with_convoy=False), "no convoy records"),
        (responsiveness_records(rounds=1), "no interval"),
        (responsiveness_records()[lambda rows: rows.load != "thread"], "no tick records"),
    ],
)
def test_c06_is_inconclusive_and_says_why(records, reason):
    decided = c06.threads_keep_ui_responsive(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


SIZES = [8, 1024, 2**26]


def ipc_records(ratios, spread=0.02, rounds=7):
    """C17 rows: a thread round trip takes 0.1 ms at every size; the Pipe `ratios[size]` times that, the other
    process channels more."""
    rows = []
    for size, ratio in ratios.items():
        rows.append(dict(test="test_round_trip", channel="queue.Queue", size_bytes=size, **timed(1e-4)))
        for channel, worse in [
            ("multiprocessing.Queue", 3.0),
            ("multiprocessing.Pipe", 1.0),
            ("multiprocessing.shared_memory", 1.5),
        ]:
            rows.append(
                dict(
                    test="test_round_trip",
                    channel=channel,
                    size_bytes=size,
                    **timed(1e-4 * ratio * worse, spread, rounds),
                )
            )
    return pd.DataFrame(rows).assign(cpu_usable=2)


@pytest.mark.parametrize(
    "ratios, verdict",
    [
        ({8: 3.0, 1024: 3.0, 2**26: 1000.0}, "confirmed"),
        ({8: 1.0, 1024: 0.5, 2**26: 1.0}, "refuted"),
        ({8: 0.6, 1024: 0.8, 2**26: 1000.0}, "partly"),
    ],
)
def test_c17_compares_the_best_process_channel_with_a_thread_at_every_size(ratios, verdict):
    decided = c17.ipc_costs_more(ipc_records(ratios))
    assert decided.verdict == verdict
    assert decided.numbers["ratio_67108864"] == pytest.approx(ratios[2**26], rel=0.01)
    assert decided.numbers["channel_8"] == "multiprocessing.Pipe"


def test_c17_partly_says_from_which_size_processes_cost_more_and_where_it_is_unclear():
    records = pd.concat([ipc_records({8: 0.6, 2**26: 1000.0}), ipc_records({1024: 1.1}, spread=0.3)])
    decided = c17.ipc_costs_more(records)
    assert decided.verdict == "partly" and decided.numbers["costs_more_from_bytes"] == 2**26
    assert "no more at 8 B" in decided.evidence and "undecided at 1 KiB" in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (
            pd.concat([ipc_records({8: 3.0, 2**26: 1000.0}), ipc_records({1024: 1.1}, spread=0.3)]),
            "at 1 KiB: too noisy",
        ),
        (ipc_records({8: 3.0}, rounds=1), "no interval"),
        (ipc_records({8: 3.0})[lambda rows: rows.channel == "queue.Queue"], "no round-trip records of a thread and"),
        (ipc_records({8: 3.0})[lambda rows: rows.channel != "queue.Queue"], "no round-trip records of a thread and"),
        (ipc_records({8: 3.0}).assign(test="test_other"), "no round-trip records"),
    ],
)
def test_c17_is_inconclusive_and_says_why(records, reason):
    decided = c17.ipc_costs_more(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence


def server_records(io_gain=4.0, cpu_gain=0.9, cpus=2, spread=0.02, rounds=7, servers=("threading", "forking")):
    """C22 rows at K = 1 and 64: a burst takes 0.1 s on the serial server; threading is `gain` times as fast at
    K = 64, a process per request 1.5x."""
    rows = []
    for handler, gain in [("io", io_gain), ("cpu", cpu_gain)]:
        for clients in (1, 64):
            for server, speed in [("serial", 1.0), ("threading", gain), ("forking", 1.5)]:
                if server != "serial" and server not in servers:
                    continue
                rows.append(
                    dict(
                        test="test_throughput",
                        handler=handler,
                        server=server,
                        clients=clients,
                        latency_p99_s=0.01,
                        **timed(0.1 / (speed if clients > 1 else 1), spread, rounds),
                    )
                )
    return pd.DataFrame(rows).assign(cpu_usable=cpus)


@pytest.mark.parametrize(
    "io_gain, cpu_gain, verdict, words",
    [
        (4.0, 0.9, "partly", "but 0.90x"),
        (4.0, 1.9, "partly", "and 1.90x"),
        (1.0, 0.9, "refuted", "did not help even"),
    ],
)
def test_c22_threads_help_the_waiting_server_and_mostly_stays_unmeasured(io_gain, cpu_gain, verdict, words):
    decided = c22.threads_mostly_for_servers(server_records(io_gain, cpu_gain))
    assert decided.verdict == verdict and words in decided.evidence
    assert decided.numbers["threading_io_gain"] == pytest.approx(io_gain, rel=0.01)
    assert decided.numbers["forking_cpu_gain"] == pytest.approx(1.5, rel=0.01) and decided.numbers["clients"] == 64
    assert decided.interval.low <= io_gain <= decided.interval.high


def test_c22_reads_without_a_forking_server():
    decided = c22.threads_mostly_for_servers(server_records(servers=("threading",)))
    assert decided.verdict == "partly" and "process per request" not in decided.evidence


@pytest.mark.parametrize(
    "records, reason",
    [
        (server_records(io_gain=1.5), "between no gain"),
        (server_records(io_gain=2.0, spread=0.5), "too noisy"),
        (server_records(cpus=1), "1 usable CPU"),
        (server_records(servers=("forking",)), "no serial and threading server records"),
        (server_records()[lambda rows: rows.handler == "io"], "no serial and threading server records"),
        (server_records().assign(test="test_other"), "no web-server throughput records"),
    ],
)
def test_c22_is_inconclusive_and_says_why(records, reason):
    decided = c22.threads_mostly_for_servers(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
