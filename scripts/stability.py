"""How stable the verdicts are: decide every claim on each run separately, and count how often they agree.

    python scripts/stability.py RUN.json RUN.json ...      runs already recorded (one interpreter)
    python scripts/stability.py --repeat 3                 record 3 quick runs first

Runs it records go to results/stability/runs/ (and the summary each run makes, to results/stability/), never to
results/runs/: they cannot replace the main results. A claim is stable when every run that gave it a verdict other
than `inconclusive` gave the same one. Writes results/stability/stability.csv: a row per claim, its verdict per
run, and the agreement.
"""

import argparse
import glob
import os
import subprocess
import sys

from analysis import cli, output
from analysis.records import RESULTS, ROOT
from analysis.stability import agreement
from analysis.verdicts import SETTING

RECORD_TIMEOUT_S = 900  # one quick run of the whole suite, with room to spare


def record(repeat, profile, results):
    """Run `pytest --benchmark-only` `repeat` times, back to back; returns the run files they wrote."""
    runs = os.path.join(results, "runs")
    before = set(glob.glob(os.path.join(runs, "*.json")))
    for _ in range(repeat):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--benchmark-only",
                "--profile=" + profile,
                "-q",
                # one word: pytest would take a separate existing folder for a test path
                "--results-dir=" + results,
                "-p",
                "no:xdist",
            ],
            cwd=ROOT,
            check=True,
            timeout=RECORD_TIMEOUT_S,
        )
    return sorted(set(glob.glob(os.path.join(runs, "*.json"))) - before)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="*", help="run JSON files to compare with each other")
    parser.add_argument("--repeat", type=int, default=0, help="record this many runs first")
    parser.add_argument("--profile", default="quick", help="profile of the recorded runs (default: quick)")
    parser.add_argument(
        "--out",
        default=os.path.join(RESULTS, "stability"),
        help="folder for its runs and stability.csv (default: results/stability/)",
    )
    args = parser.parse_args(argv)
    files = list(args.runs) + (record(args.repeat, args.profile, args.out) if args.repeat else [])
    if not files:
        parser.error("give at least two runs, or --repeat 2 or more")
    loaded = cli.load(files, "stability.py")
    if loaded is None:
        return 2
    settings = loaded.table.drop_duplicates(SETTING)
    if len(settings) > 1:
        print(
            "stability.py: these runs are of {} interpreters or machines ({}): give the runs of one".format(
                len(settings), ", ".join(sorted(set(settings["interpreter"])))
            ),
            file=sys.stderr,
        )
        return 2
    if loaded.table["run"].nunique() < 2:
        print("stability.py: fewer than two different runs to compare", file=sys.stderr)
        return 2
    table = agreement(loaded.table)
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        print("stability.py: {}: cannot write there ({})".format(args.out, error.strerror or error), file=sys.stderr)
        return 2
    output.replace_csv(table, os.path.join(args.out, "stability.csv"))
    for row in table.itertuples():
        print(
            "{} {:<12} {}/{} decisive runs agree{}".format(
                row.claim, row.majority, row.agree, row.decisive, "" if row.stable else "  <- UNSTABLE"
            )
        )
    stable = table["stable"].sum()
    print(
        "{} of {} claims stable over {} runs -> {}".format(
            stable, len(table), loaded.table["run"].nunique(), os.path.join(args.out, "stability.csv")
        )
    )
    return 1 if stable < len(table) or loaded.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
