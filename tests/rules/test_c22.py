"""C22 on synthetic web-server bursts timed in pairs: each contender server against HTTPServer under the same burst
(90 ms on HTTPServer at K = 8, 12 ms at K = 1), for a handler that waits and one that computes."""

import pytest
from analysis.rules import c22

from tests.rules.synthetic import frame, paired

GIL = dict(io_gain=5.5, cpu_gain=0.9)  # CPython 3.11 here, 8 clients
FREE_THREADED = dict(io_gain=5.5, cpu_gain=1.8)


def server_records(io_gain=5.5, cpu_gain=0.9, cpus=2, spread=0.02, rounds=9, servers=("threading", "forking")):
    """C22 rows at K = 1 (no server gains) and K = 8: threading at `io_gain` / `cpu_gain`, a process per request 1.1x
    and 0.65x (a fork per request costs about what it saves), and the serial server's null control."""
    rows = []
    for handler, gain, fork in [("io", io_gain, 1.1), ("cpu", cpu_gain, 0.65)]:
        for clients, serial in [(1, 0.012), (8, 0.09)]:
            for server, speed in [("threading", gain), ("forking", fork)]:
                if server not in servers:
                    continue
                times = paired(serial / (speed if clients > 1 else 1.0), serial, spread, rounds, seed=len(rows))
                row = dict(measurement="throughput", handler=handler, server=server, clients=clients, **times)
                rows.append(dict(row, latency_p99_s=0.01, baseline_latency_p99_s=0.08))
    control = dict(measurement="throughput", handler="io", server="serial", clients=8, null_control=True)
    rows.append(dict(control, latency_p99_s=0.08, **paired(0.09, 0.09, spread, rounds, seed=99)))
    return frame(rows, cpus)


OUTCOMES = {
    "C22": {
        "confirmed": lambda: server_records(**GIL),
        "partly": lambda: server_records(**FREE_THREADED),
        "inconclusive": lambda: server_records(**dict(GIL, cpus=1)),
    }
}


@pytest.mark.parametrize(
    "gains, verdict, words",
    [
        (GIL, "confirmed", "(I/O-bound server: help: >= 2x, CPU-bound server: no gain: <= 1.1x)"),
        (FREE_THREADED, "partly", "(I/O-bound server: help: >= 2x, CPU-bound server: a gain: >= 1.5x)"),
        # Neither occurs on a real machine (threads always overlap waits); the rule still reads them as they are.
        (dict(io_gain=1.0, cpu_gain=1.8), "partly", "I/O-bound server: no gain: <= 1.1x"),
        (dict(io_gain=1.0, cpu_gain=0.9), "refuted", "(I/O-bound server: no gain: <= 1.1x, CPU-bound server: no gain"),
    ],
)
def test_c22_threads_help_the_waiting_server_and_not_the_computing_one(gains, verdict, words):
    decided = c22.threads_mostly_for_servers(server_records(**gains))
    assert decided.verdict == verdict and words in decided.evidence, decided.evidence
    assert decided.numbers["threading_io_gain"] == pytest.approx(gains["io_gain"], rel=0.05)
    assert decided.numbers["threading_cpu_gain"] == pytest.approx(gains["cpu_gain"], rel=0.05)
    assert decided.numbers["forking_cpu_gain"] == pytest.approx(0.65, rel=0.05) and decided.numbers["clients"] == 8


def test_c22_reads_without_a_forking_server():
    decided = c22.threads_mostly_for_servers(server_records(servers=("threading",)))
    assert decided.verdict == "confirmed" and "process per request" not in decided.evidence


def test_c22_an_undecided_part_that_cannot_change_the_verdict_does_not_hold_it_back():
    """Threads that help the computing server make it partly whatever the waiting server's gain."""
    decided = c22.threads_mostly_for_servers(server_records(io_gain=1.5, cpu_gain=1.8))
    assert decided.verdict == "partly"


@pytest.mark.parametrize(
    "records, reason",
    [
        (server_records(**dict(GIL, cpus=1)), "CPU-bound server: fewer than 2 usable CPUs"),
        (server_records(io_gain=1.5), "I/O-bound server: between no gain (1.1x) and help (2x)"),
        (server_records(io_gain=2.0, spread=0.5), "I/O-bound server: too noisy"),
        (server_records(cpu_gain=1.1, spread=0.3), "CPU-bound server: too noisy"),
        (server_records(rounds=5), "5 rounds give no interval"),
        (server_records(servers=("forking",)), "no threading server records"),
        (server_records()[lambda rows: rows.handler == "io"], "no threading server records"),
        (server_records().assign(measurement="other"), "no web-server throughput records"),
    ],
)
def test_c22_is_inconclusive_and_says_why(records, reason):
    decided = c22.threads_mostly_for_servers(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence, decided.evidence
