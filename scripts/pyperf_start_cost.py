"""C05's start costs as pyperf measures them, to check the suite's own numbers against a standard harness.

    python scripts/pyperf_start_cost.py -o results/pyperf_start_cost.json [--fast] [--operation NAME]
    python scripts/pyperf_start_cost.py --compare results/pyperf_start_cost.json [RUN.json | FOLDER ...]
    python scripts/pyperf_start_cost.py --interleaved TURNS FOLDER

The first runs pyperf's `bench_func` on four operations (or the one named), each the start and join of an empty
worker (a thread, a fork, a spawn and a forkserver process) from this script, whose main module imports no more than
the suite's small parent does (experiments/probes/c05_start_cost.py). The second prints each operation's pyperf
median beside the suite's median per start from the latest run's C05 records, and exits 1 when one is more than 20%
away.

The second compares what two harnesses measured minutes apart, and this shared VM moves by about 30% in that time:
pyperf against itself read 0.141 then 0.097 ms a thread, twelve minutes apart, and 0.109 then 0.144 ms either side of
one full run and its turns. The third takes that out: the suite's small parent and pyperf take turns, so that both
sample the same spells of the machine. In each of TURNS turns, for every operation in an order drawn afresh, the small
parent starts one round's worth (as many as the full profile's `test_start_to_joined` sizes a round to, timed around
the request as `paired` times it) and pyperf runs one worker process (its loops calibrated in the first turn, its
values appended to FOLDER/pyperf-OPERATION.json, the environment copied), in coin-toss order. The suite's rounds go to
FOLDER/suite.json. It prints the medians side by side and exits 1 when one is more than 20% away. It checks the
mechanism as the suite's small parent runs it, not the path from pytest-benchmark to the records, which --compare
reads.
"""

import multiprocessing  # no more than the small parent's imports here: a spawn child imports this module again
import os
import sys
import threading
import time

OPERATIONS = {  # name (the suite's model): (kind, start method)
    "threads": ("thread", None),
    "fork": ("process", "fork"),
    "spawn": ("process", "spawn"),
    "forkserver": ("process", "forkserver"),
}
TOLERANCE = 0.20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def nothing():
    """An empty worker: starting and joining it is all it costs."""


def start_and_join(kind, method):
    worker = (
        threading.Thread(target=nothing)
        if kind == "thread"
        else multiprocessing.get_context(method).Process(target=nothing)
    )
    worker.start()
    worker.join()


def available():
    return [
        name
        for name, (kind, method) in OPERATIONS.items()
        if kind == "thread" or method in multiprocessing.get_all_start_methods()
    ]


def measure():
    import pyperf

    runner = pyperf.Runner(add_cmdline_args=lambda command, args: command.extend(["--operation", args.operation]))
    runner.argparser.add_argument("--operation", choices=available() + ["all"], default="all")
    only = runner.parse_args().operation
    for name in available():
        if only in ("all", name):
            runner.bench_func("start_join_" + name, start_and_join, *OPERATIONS[name])


def line(name, theirs, ours):
    return "{:<11} pyperf {:9.3f} ms   suite {:9.3f} ms   {:+.0%}".format(name, theirs, ours, ours / theirs - 1)


def within(theirs, ours):
    return abs(ours / theirs - 1) <= TOLERANCE


def compare(pyperf_file, runs):
    """Lines of pyperf's median beside the suite's recorded one per operation; and whether every one is within
    TOLERANCE."""
    import pyperf
    from analysis import records
    from analysis.rules.c05 import per_start_ms

    suite = per_start_ms(records.chosen(records.measurements(runs).table))
    found = {}
    for bench in pyperf.BenchmarkSuite.load(pyperf_file).get_benchmarks():
        name = bench.get_name().replace("start_join_", "")
        if name in suite:
            found[name] = (bench.median() * 1000, suite[name])
    return [line(name, *pair) for name, pair in found.items()], all(within(*pair) for pair in found.values())


def pyperf_ms(pyperf_file):
    """pyperf's median of one operation's file, in ms."""
    import pyperf

    return pyperf.Benchmark.load(pyperf_file).median() * 1000


def pyperf_loops(pyperf_file):
    """The loops per value pyperf calibrated for the file's operation."""
    import pyperf

    return pyperf.Benchmark.load(pyperf_file).get_runs()[-1].get_loops()


def interleaved(turns, folder, rng=None):
    """The suite's small parent and pyperf taking `turns` turns (see the module's docstring); whether every operation
    is within TOLERANCE."""
    import json
    import random
    import statistics
    import subprocess

    if turns < 1:
        raise SystemExit("give at least one turn")
    if os.path.isdir(folder) and os.listdir(folder):
        raise SystemExit("{} is not empty: give the turns a new folder".format(folder))
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from experiments.profiles import PROFILES
    from experiments.test_c05_start_cost import sized, small_parent

    rng = rng or random.Random()
    os.makedirs(folder, exist_ok=True)
    names = available()
    rounds, loops = {name: [] for name in names}, {}

    def pyperf_file(name):
        return os.path.join(folder, "pyperf-{}.json".format(name))

    def suite_round(ask, name, count):
        start = time.perf_counter()
        clean = ask(name, count)[1]
        rounds[name].append((time.perf_counter() - start) / count)
        if clean != count:
            raise SystemExit("{} of {} {} starts finished cleanly".format(clean, count, name))

    def pyperf_worker(name):
        command = [sys.executable, os.path.abspath(__file__), "--operation", name, "-p", "1", "--copy-env", "--quiet"]
        command += ["--loops", str(loops[name])] if name in loops else []
        subprocess.run(command + ["--append", pyperf_file(name)], check=True, stdout=subprocess.DEVNULL)
        if name not in loops:  # the first turn's calibration
            loops[name] = pyperf_loops(pyperf_file(name))

    with small_parent() as ask:
        counts = {name: sized(ask, name, PROFILES["full"]) for name in names}
        for _ in range(turns):
            for name in rng.sample(names, len(names)):
                steps = [lambda: suite_round(ask, name, counts[name]), lambda: pyperf_worker(name)]
                for step in steps if rng.random() < 0.5 else steps[::-1]:
                    step()
            with open(os.path.join(folder, "suite.json"), "w") as out:
                json.dump({"starts_per_round": counts, "seconds_per_start": rounds}, out, indent=1)
    found = {name: (pyperf_ms(pyperf_file(name)), 1000 * statistics.median(rounds[name])) for name in names}
    print("\n".join(line(name, *pair) for name, pair in found.items()))
    return all(within(*pair) for pair in found.values())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        from analysis.records import RESULTS  # noqa: E402

        lines, ok = compare(sys.argv[2], sys.argv[3:] or [RESULTS + "/runs"])
        print("\n".join(lines))
        print("every operation within {:.0%} of pyperf: {}".format(TOLERANCE, "yes" if ok else "no"))
        sys.exit(0 if ok and lines else 1)
    if sys.argv[1:2] == ["--interleaved"]:
        ok = interleaved(int(sys.argv[2]), os.path.abspath(sys.argv[3]))
        print("every operation within {:.0%} of pyperf: {}".format(TOLERANCE, "yes" if ok else "no"))
        sys.exit(0 if ok else 1)
    measure()
