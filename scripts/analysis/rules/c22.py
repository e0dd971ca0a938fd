"""C22, from experiments/test_c22_web_servers.py: do threads raise a web server's throughput when its handler
waits on I/O, and when it computes?

Judged at the largest K measured (the most concurrent clients): ThreadingHTTPServer's burst time against
HTTPServer's for the same burst, per pair inside one benchmark (both servers alive, taking the bursts in turn). The
post says threads are useful "mostly for concurrent thread implementation in web-servers": servers whose requests
wait, as against computing, which threads do not speed up under a GIL. So the claim holds where threads help the
waiting server and not the computing one; threads that help the computing server too are useful beyond servers
(a free-threaded build). A process per request (ForkingMixIn) is reported beside them.
"""

from analysis import stats
from analysis.records import BASELINE, RAW
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Bars, Part, Verdict, inconclusive, scaling_bar, select

MEASUREMENT = "throughput"
IO_HELP_BAR = 2.0  # threads "help" an I/O-bound server at twice its throughput: a second request served per wait.
# Not 1 + 0.5 (K - 1) as for bare waits (C07): every request also parses and answers HTTP under the GIL.
IO_GAIN = Bars(NO_SCALING, IO_HELP_BAR, "no gain", "help")
# (threads help the waiting server, threads help the computing server) -> verdict
VERDICT_OF = {
    (True, False): "confirmed",  # useful for concurrent waiting, not for computing: what the post means
    (False, False): "refuted",  # useful for neither
    (True, True): "partly",  # useful beyond servers too
    (False, True): "partly",  # useful for computing, not for waiting
}


def computing_bars(parallelism):
    """No gain (<= 1.1x) against a gain that needs several cores at once (1 + 0.5 (P - 1), at most 2x)."""
    return Bars(NO_SCALING, scaling_bar(parallelism), "no gain", "a gain")


def _gains(run, clients, handler):
    """{server: its throughput over HTTPServer's for the same bursts, per pair} at `clients` clients."""
    rows = run(MEASUREMENT, clients=clients, handler=handler)
    return {
        row["server"]: stats.ratio(row[BASELINE], row[RAW])
        for _, row in rows.iterrows()
        if row["server"] in ("threading", "forking")
    }


def _verdict(io, cpu):
    """The verdict of two Parts that say whether threads help (holds: True, False or None). An undecided one decides
    nothing unless both of its values give the same verdict."""
    found = {VERDICT_OF[(i, c)] for i in _values(io.holds) for c in _values(cpu.holds)}
    return found.pop() if len(found) == 1 else "inconclusive"


def _values(holds):
    return [True, False] if holds is None else [holds]


@rule(
    "C22",
    MEASUREMENT,
    cannot={
        "refuted": "A thread per request overlaps the handlers' waits on any machine, one CPU or many (C07), so "
        "threads always help the I/O-bound server and can never help neither server.",
    },
)
def threads_mostly_for_servers(run):
    """C22 (ThreadingHTTPServer over HTTPServer, the same bursts, at the most concurrent clients measured):
    confirmed: threads help the I/O-bound server (>= 2x its throughput) and not the CPU-bound one (<= 1.1x): useful
    for servers that wait concurrently, not for computing (a GIL build);
    refuted: cannot occur (see `cannot`): threads help neither server;
    partly: threads help both servers (useful beyond servers: a free-threaded build), or only the CPU-bound one;
    inconclusive: no records, fewer than 2 usable CPUs (a computing server cannot show whether threads help), or a
    gain between the bars or too noisy where it could change the verdict."""
    throughput = run(MEASUREMENT)
    if throughput.empty or "clients" not in throughput:
        return inconclusive("no web-server throughput records")
    clients = int(throughput["clients"].max())
    io, cpu = (_gains(run, clients, handler) for handler in ["io", "cpu"])
    if "threading" not in io or "threading" not in cpu:
        return inconclusive("no threading server records for both handlers at K={}".format(clients))
    computing = computing_bars(min(clients, run.usable_cpus))
    numbers = {"clients": clients, "io_help_bar": IO_HELP_BAR, "cpu_help_bar": computing.high}
    for handler, gains in [("io", io), ("cpu", cpu)]:
        numbers.update({"{}_{}_gain".format(server, handler): round(g.value, 2) for server, g in gains.items()})
        latency = select(throughput, server="threading", clients=clients, handler=handler)["latency_p99_s"]
        numbers["threading_{}_latency_p99_ms".format(handler)] = round(float(latency.iloc[0]) * 1000, 2)
    forking = ""
    if "forking" in io and "forking" in cpu:
        forking = "; a process per request served {} waiting and {} computing".format(
            stats.describe(io["forking"]), stats.describe(cpu["forking"])
        )
    evidence = (
        "with {} concurrent clients ThreadingHTTPServer served {} as many requests per second as HTTPServer when the "
        "handler waits on I/O and {} when it computes{}".format(
            clients, stats.describe(io["threading"]), stats.describe(cpu["threading"]), forking
        )
    )
    parts = {"I/O-bound server": IO_GAIN.judge(io["threading"], holds="high")}
    if run.usable_cpus < 2:
        parts["CPU-bound server"] = Part(None, "fewer than 2 usable CPUs: computing cannot show whether threads help")
    else:
        parts["CPU-bound server"] = computing.judge(cpu["threading"], holds="high")
    verdict = _verdict(parts["I/O-bound server"], parts["CPU-bound server"])
    if verdict == "inconclusive":
        undecided = [(name, part) for name, part in parts.items() if part.holds is None]
        evidence += "; " + "; ".join("{}: {}".format(name, part.reason) for name, part in undecided)
        return Verdict(verdict, evidence, numbers, undecided[0][1].interval)
    evidence += " ({})".format(", ".join("{}: {}".format(n, p.reason) for n, p in parts.items() if p.holds is not None))
    return Verdict(verdict, evidence, numbers, cpu["threading"] if verdict == "partly" else io["threading"])
