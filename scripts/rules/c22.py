"""C22, from experiments/test_c22_web_servers.py: do threads raise a web server's throughput, when its handler
waits on I/O and when it computes?

Judged at the largest K measured (the most concurrent clients): throughput of ThreadingHTTPServer over
HTTPServer, the same burst of requests on both. What the data can decide is the part of the claim that
depends on the handler: threads help a server whose requests wait, and not (under a GIL) one whose requests
compute. "mostly" weighs web servers against every other use of threads, which no measurement here covers (C07
shows the same gain for any I/O wait), so the best verdict the data can give is `partly`.
"""

import stats
from rules.common import (
    NO_SCALING,
    Verdict,
    inconclusive,
    rounds_of,
    scaling_bar,
    scaling_class,
    select,
    too_noisy,
    undecided,
    usable_cpus,
)

IO_HELP_BAR = 2.0  # threads "help" an I/O-bound server at twice its throughput: a second request served per wait.
# Not 1 + 0.5 (K - 1) as for bare waits (C07): every request also parses and answers HTTP under the GIL.


def _gains(rows, clients, handler):
    """{server: throughput over the serial server's, as an interval} at `clients` clients with `handler`."""
    serial = rounds_of(rows, server="serial", clients=clients, handler=handler)
    gains = {}
    for server in ["threading", "forking"]:
        contender = rounds_of(rows, server=server, clients=clients, handler=handler)
        if len(serial) and len(contender):
            gains[server] = stats.ratio(serial, contender)
    return gains


def _io_class(interval):
    if stats.at_least(interval, IO_HELP_BAR):
        return "helps"
    if stats.at_most(interval, NO_SCALING):
        return "flat"
    return "unclear"


def _cpu_words(interval, bar):
    found = scaling_class(interval, bar)
    if found == "flat":
        return "but {} when it computes (no gain: <= {}x)".format(stats.describe(interval), NO_SCALING)
    if found == "scales":
        return "and {} when it computes (a gain: >= {:.2f}x)".format(stats.describe(interval), bar)
    return "and {} when it computes ({})".format(stats.describe(interval), undecided(interval, bar))


def threads_mostly_for_servers(rows):
    """`partly` when ThreadingHTTPServer serves the I/O-bound handler at least 2x as fast as HTTPServer (what the
    CPU-bound handler gets is reported: <= 1.1x under a GIL); refuted when threads give the I/O-bound server
    no gain (<= 1.1x); the "mostly" is not measurable, so the data never confirms it."""
    throughput = select(rows, test="test_throughput")
    if throughput.empty:
        return inconclusive("no web-server throughput records")
    if usable_cpus(throughput) < 2:
        return inconclusive("only 1 usable CPU: a CPU-bound server cannot show whether threads or processes help")
    clients = int(throughput["clients"].max())
    io, cpu = (_gains(throughput, clients, handler) for handler in ["io", "cpu"])
    if "threading" not in io or "threading" not in cpu:
        return inconclusive("no serial and threading server records for both handlers at K={}".format(clients))
    bar = scaling_bar(min(clients, usable_cpus(throughput)))
    numbers = {"clients": clients, "io_help_bar": IO_HELP_BAR, "cpu_scaling_bar": bar}
    for handler, gains in [("io", io), ("cpu", cpu)]:
        numbers.update({"{}_{}_gain".format(server, handler): round(g.value, 2) for server, g in gains.items()})
        latency = select(throughput, server="threading", clients=clients, handler=handler)["latency_p99_s"]
        numbers["threading_{}_latency_p99_ms".format(handler)] = round(float(latency.iloc[0]) * 1000, 2)
    forking = ""
    if "forking" in io and "forking" in cpu:
        forking = " (a process per request: {} waiting, {} computing)".format(
            stats.describe(io["forking"]), stats.describe(cpu["forking"])
        )
    evidence = (
        "with {} concurrent clients ThreadingHTTPServer served {} as many requests per second as "
        "HTTPServer when the handler waits on I/O, {}{}".format(
            clients, stats.describe(io["threading"]), _cpu_words(cpu["threading"], bar), forking
        )
    )
    decided = _io_class(io["threading"])
    if decided == "flat":
        return Verdict(
            "refuted", evidence + ": threads did not help even the I/O-bound server", numbers, io["threading"]
        )
    if decided == "unclear":
        interval = io["threading"]
        between = interval.low > NO_SCALING and interval.high < IO_HELP_BAR
        reason = (
            "between no gain ({}x) and help ({}x)".format(NO_SCALING, IO_HELP_BAR)
            if between
            else too_noisy(interval, NO_SCALING, IO_HELP_BAR)
        )
        return inconclusive(evidence + "; I/O-bound: " + reason, interval, **numbers)
    return Verdict(
        "partly",
        evidence + "; threads help a web server whose requests wait, but whether that is "
        "'mostly' what they are for is not measurable here",
        numbers,
        io["threading"],
    )
