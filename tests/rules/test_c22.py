"""C22 on synthetic web-server records: threads help the waiting server, the computing one, or neither."""

import pytest
from analysis.rules import c22

from tests.rules.synthetic import frame, timed


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
                        measurement="throughput",
                        handler=handler,
                        server=server,
                        clients=clients,
                        latency_p99_s=0.01,
                        **timed(0.1 / (speed if clients > 1 else 1), spread, rounds),
                    )
                )
    return frame(rows, cpus)


@pytest.mark.parametrize(
    "io_gain, cpu_gain, verdict, words",
    [
        (4.0, 0.9, "partly", "but 0.90x"),
        (4.0, 1.9, "partly", "and 1.90x"),
        (1.0, 0.9, "refuted", "(no gain: <= 1.1x, not measurable here)"),
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


def test_c22_names_the_part_that_failed_or_is_undecided():
    partly = c22.threads_mostly_for_servers(server_records())
    assert partly.evidence.endswith("; but 'mostly' for web servers: not measurable here")
    between = c22.threads_mostly_for_servers(server_records(io_gain=1.5))
    assert between.evidence.endswith("; I/O-bound server: between no gain (1.1x) and help (2x)")


@pytest.mark.parametrize(
    "records, reason",
    [
        (server_records(io_gain=1.5), "between no gain"),
        (server_records(io_gain=2.0, spread=0.5), "too noisy"),
        (server_records(cpus=1), "1 usable CPU"),
        (server_records(servers=("forking",)), "no serial and threading server records"),
        (server_records()[lambda rows: rows.handler == "io"], "no serial and threading server records"),
        (server_records().assign(measurement="other"), "no web-server throughput records"),
    ],
)
def test_c22_is_inconclusive_and_says_why(records, reason):
    decided = c22.threads_mostly_for_servers(records)
    assert decided.verdict == "inconclusive" and reason in decided.evidence
