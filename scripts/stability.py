"""How stable the verdicts are: decide every claim on each run separately, and count how often they agree.

    python scripts/stability.py RUN.json RUN.json ...      runs already recorded (one interpreter)
    python scripts/stability.py --repeat 3                 record 3 quick runs first (into results/runs/)

A claim is stable when every run that gave it a verdict other than `inconclusive` gave the same one. Writes
results/stability.csv: a row per claim, its verdict per run, and the agreement.
"""

import argparse
import collections
import glob
import os
import subprocess
import sys

import pandas as pd

import records
from records import RESULTS, ROOT
from summarize import verdicts, write_csv

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


def agreement(files):
    """A row per claim: its verdict in each run, how many runs decided it, and whether they agree."""
    per_run = []
    for path in files:
        decided = verdicts(records.measurements([path]))
        per_run.append(decided.set_index("claim")["verdict"].rename(os.path.basename(path)))
    table = pd.concat(per_run, axis=1)
    rows = []
    for claim, row in table.iterrows():
        decisive = collections.Counter(v for v in row.dropna() if v != "inconclusive")
        majority, count = decisive.most_common(1)[0] if decisive else ("inconclusive", 0)
        rows.append(
            dict(
                row.to_dict(),
                claim=claim,
                runs=int(row.notna().sum()),
                decisive=sum(decisive.values()),
                majority=majority,
                agree=count,
                stable=len(decisive) <= 1,
            )
        )
    columns = ["claim", "runs", "decisive", "majority", "agree", "stable"] + list(table.columns)
    return pd.DataFrame(rows)[columns]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="*", help="run JSON files to compare with each other")
    parser.add_argument("--repeat", type=int, default=0, help="record this many runs first")
    parser.add_argument("--profile", default="quick", help="profile of the recorded runs (default: quick)")
    parser.add_argument("--out", default=RESULTS, help="results folder (default: results/)")
    args = parser.parse_args(argv)
    files = list(args.runs) + (record(args.repeat, args.profile, args.out) if args.repeat else [])
    if len(files) < 2:
        parser.error("give at least two runs, or --repeat 2 or more")
    try:
        table = agreement(files)
    except records.BadInput as problem:
        print("stability.py: {}".format(problem), file=sys.stderr)
        return 2
    write_csv(table, os.path.join(args.out, "stability.csv"))
    for row in table.itertuples():
        print(
            "{} {:<12} {}/{} decisive runs agree{}".format(
                row.claim, row.majority, row.agree, row.decisive, "" if row.stable else "  <- UNSTABLE"
            )
        )
    stable = table["stable"].sum()
    print(
        "{} of {} claims stable over {} runs -> {}".format(
            stable, len(table), len(files), os.path.join(args.out, "stability.csv")
        )
    )
    return 0 if stable == len(table) else 1


if __name__ == "__main__":
    sys.exit(main())
