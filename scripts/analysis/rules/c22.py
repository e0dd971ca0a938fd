"""C22, from experiments/test_c22_web_servers.py: do threads raise a web server's throughput, when its handler
waits on I/O and when it computes?

Judged at the largest K measured (the most concurrent clients): throughput of ThreadingHTTPServer over
HTTPServer, the same burst of requests on both. What the data can decide is the part of the claim that
depends on the handler: threads help a server whose requests wait, and not (under a GIL) one whose requests
compute. "mostly" weighs web servers against every other use of threads, which no measurement here covers (C07
shows the same gain for any I/O wait), so the best verdict the data can give is `partly`.
"""

from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import NO_SCALING, Bars, Part, combine, inconclusive, rounds_of, scaling_bar, select

MEASUREMENT = "throughput"
IO_HELP_BAR = 2.0  # threads "help" an I/O-bound server at twice its throughput: a second request served per wait.
# Not 1 + 0.5 (K - 1) as for bare waits (C07): every request also parses and answers HTTP under the GIL.
IO_GAIN = Bars(NO_SCALING, IO_HELP_BAR, "no gain", "help")


def _gains(rows, clients, handler):
    """{server: throughput over the serial server's, as an interval} at `clients` clients with `handler`."""
    serial = rounds_of(rows, server="serial", clients=clients, handler=handler)
    gains = {}
    for server in ["threading", "forking"]:
        contender = rounds_of(rows, server=server, clients=clients, handler=handler)
        if len(serial) and len(contender):
            gains[server] = stats.ratio(serial, contender)
    return gains


@rule("C22", MEASUREMENT)
def threads_mostly_for_servers(run):
    """`partly` when ThreadingHTTPServer serves the I/O-bound handler at least 2x as fast as HTTPServer (what the
    CPU-bound handler gets is reported: <= 1.1x under a GIL); refuted when threads give the I/O-bound server
    no gain (<= 1.1x); the "mostly" is not measurable, so the data never confirms it."""
    throughput = run(MEASUREMENT)
    if throughput.empty:
        return inconclusive("no web-server throughput records")
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: a CPU-bound server cannot show whether threads or processes help")
    clients = int(throughput["clients"].max())
    io, cpu = (_gains(throughput, clients, handler) for handler in ["io", "cpu"])
    if "threading" not in io or "threading" not in cpu:
        return inconclusive("no serial and threading server records for both handlers at K={}".format(clients))
    # Reported beside the verdict: under a GIL, threads give a computing server no gain.
    computing = Bars(NO_SCALING, scaling_bar(min(clients, run.usable_cpus)), "no gain", "a gain")
    numbers = {"clients": clients, "io_help_bar": IO_HELP_BAR, "cpu_scaling_bar": computing.high}
    for handler, gains in [("io", io), ("cpu", cpu)]:
        numbers.update({"{}_{}_gain".format(server, handler): round(g.value, 2) for server, g in gains.items()})
        latency = select(throughput, server="threading", clients=clients, handler=handler)["latency_p99_s"]
        numbers["threading_{}_latency_p99_ms".format(handler)] = round(float(latency.iloc[0]) * 1000, 2)
    forking = ""
    if "forking" in io and "forking" in cpu:
        forking = " (a process per request: {} waiting, {} computing)".format(
            stats.describe(io["forking"]), stats.describe(cpu["forking"])
        )
    no_gain = computing.judge(cpu["threading"], holds="low")
    evidence = (
        "with {} concurrent clients ThreadingHTTPServer served {} as many requests per second as "
        "HTTPServer when the handler waits on I/O, {} {} when it computes ({}){}".format(
            clients,
            stats.describe(io["threading"]),
            "but" if no_gain.holds else "and",
            stats.describe(cpu["threading"]),
            no_gain.reason,
            forking,
        )
    )
    parts = {
        "I/O-bound server": IO_GAIN.judge(io["threading"], holds="high"),
        # Never measured, so it never holds and `partly` is the best verdict.
        "'mostly' for web servers": Part(False, "not measurable here"),
    }
    return combine(evidence, parts, numbers, io["threading"])
