"""C05's start costs as pyperf measures them, to check the suite's own numbers against a standard harness.

    python scripts/pyperf_start_cost.py -o results/pyperf_start_cost.json [--fast] [--operation NAME]
    python scripts/pyperf_start_cost.py --compare results/pyperf_start_cost.json [RUN.json | FOLDER ...]
    python scripts/pyperf_start_cost.py --interleaved PASSES FOLDER

The first runs pyperf's `bench_func` on four operations (or the one named), each the start and join of an empty
worker (a thread, a fork, a spawn and a forkserver process) from this script, whose main module imports the standard
library only, as the suite's small parent does (experiments/probes/c05_start_cost.py). The second prints each
operation's pyperf median beside the suite's median per start from the latest run's C05 records, and exits 1 when one
is more than 20% away.

The third pairs the two in time, as the suite pairs the sides of a ratio: in each of PASSES passes, for every
operation in an order drawn afresh, the suite's C05 for that operation alone (the full profile's
`test_start_to_joined`, from the small parent) and pyperf's, in an order drawn by a coin toss, some seconds apart,
all written under FOLDER. An operation's answer is the median over passes of suite / pyperf, each pass's ratio made
from two measurements seconds apart. After a full run pyperf starts some nine minutes after the suite measured C05,
and on a shared machine both move by more than 20% in that time (pyperf against itself: 0.141 then 0.097 ms a
thread, twelve minutes apart); a pass of all four operations a side left a minute between a pair, in which spawn
moved from 86 to 53 ms once. Exits 1 when an operation's median ratio is more than 20% away.
"""

import multiprocessing  # no more than the small parent's imports here: a spawn child imports this module again
import os
import sys
import threading

OPERATIONS = {  # name (the suite's model): (kind, start method)
    "threads": ("thread", None),
    "fork": ("process", "fork"),
    "spawn": ("process", "spawn"),
    "forkserver": ("process", "forkserver"),
}
TOLERANCE = 0.20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--benchmark-only"]
SUITE_C05 = "experiments/test_c05_start_cost.py::test_start_to_joined[{}]"  # from the small parent


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


def medians(pyperf_files, runs):
    """{operation: (pyperf's median, the suite's median per start), in ms} of what both measured."""
    import pyperf
    from analysis import records
    from analysis.rules.c05 import per_start_ms

    suite = per_start_ms(records.chosen(records.measurements(runs).table))
    found = {}
    for pyperf_file in pyperf_files:
        for bench in pyperf.BenchmarkSuite.load(pyperf_file).get_benchmarks():
            name = bench.get_name().replace("start_join_", "")
            if name in suite:
                found[name] = (bench.median() * 1000, suite[name])
    return found


def line(name, theirs, ours):
    return "{:<11} pyperf {:9.3f} ms   suite {:9.3f} ms   {:+.0%}".format(name, theirs, ours, ours / theirs - 1)


def within(ratio):
    return abs(ratio - 1) <= TOLERANCE


def compare(pyperf_file, runs):
    """Lines of pyperf's median beside the suite's per operation; and whether every one is within TOLERANCE."""
    found = medians([pyperf_file], runs)
    return [line(name, *pair) for name, pair in found.items()], all(within(b / a) for a, b in found.values())


def interleaved(passes, folder, rng=None):
    """`passes` passes of every operation, the suite's C05 and pyperf in coin-toss order, into `folder`; prints each
    pair and then each operation's median ratio over passes. Returns whether every one is within TOLERANCE."""
    import random
    import statistics
    import subprocess

    rng = rng or random.Random()
    if os.path.isdir(folder) and os.listdir(folder):
        raise SystemExit("{} is not empty: give the passes a new folder".format(folder))
    ratios = {name: [] for name in available()}
    for index in range(1, passes + 1):
        print("## pass {}".format(index))
        os.makedirs(os.path.join(folder, "pass{}".format(index)))
        for name in rng.sample(sorted(ratios), len(ratios)):
            run_dir, pyperf_file = (
                os.path.join(folder, "pass{}".format(index), "suite-" + name),
                os.path.join(folder, "pass{}".format(index), "pyperf-{}.json".format(name)),
            )
            steps = [
                SUITE + ["--profile=full", "--results-dir=" + run_dir, SUITE_C05.format(name)],
                [sys.executable, os.path.abspath(__file__), "-o", pyperf_file, "--operation", name],
            ]
            suite_first = rng.random() < 0.5
            for step in steps if suite_first else steps[::-1]:
                subprocess.run(step, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            theirs, ours = medians([pyperf_file], [os.path.join(run_dir, "runs")])[name]
            ratios[name].append(ours / theirs)
            print(line(name, theirs, ours), "  ({} first)".format("suite" if suite_first else "pyperf"))
    print("## median over {} passes of suite / pyperf".format(passes))
    for name, found in ratios.items():
        print(
            "{:<11} {:+.0%}   (passes: {})".format(
                name, statistics.median(found) - 1, ", ".join("{:+.0%}".format(r - 1) for r in found)
            )
        )
    return all(within(statistics.median(found)) for found in ratios.values())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        from analysis.records import RESULTS  # noqa: E402

        lines, ok = compare(sys.argv[2], sys.argv[3:] or [RESULTS + "/runs"])
        print("\n".join(lines))
        print("every operation within {:.0%} of pyperf: {}".format(TOLERANCE, "yes" if ok else "no"))
        sys.exit(0 if ok and lines else 1)
    if sys.argv[1:2] == ["--interleaved"]:
        ok = interleaved(int(sys.argv[2]), os.path.abspath(sys.argv[3]))
        print("every operation's median within {:.0%} of pyperf: {}".format(TOLERANCE, "yes" if ok else "no"))
        sys.exit(0 if ok else 1)
    measure()
