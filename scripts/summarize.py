"""Recorded runs -> results/measurements.csv (tidy) and results/verdicts.csv (a verdict per claim x interpreter).

    python scripts/summarize.py [RUN.json | FOLDER ...] [--out DIR]

Reads pytest-benchmark JSON written by this suite (default: results/runs/). A verdict is decided on the latest
run of each machine x interpreter x GIL state that measured the claim. Bad input exits 2 with one line naming
the file and the problem, and leaves the CSVs as they were.
"""

import json
import os
import sys

import pandas as pd

from experiments.claims import CLAIMS
import records
from rules import rule_for
from scaling import scaling
from stats import Interval

SETTING = ["machine", "interpreter", "gil_enabled"]  # what one verdict is about


def carries(table, claim_id):
    return table["claims"].str.split().apply(lambda ids: claim_id in ids)


def verdicts(table):
    """A verdict row per claim with a rule x machine x interpreter x GIL state that has records of it."""
    rows = []
    for setting, runs in table.groupby(SETTING, sort=True):
        for claim in CLAIMS.values():
            if claim.rule is None:
                continue
            mine = runs[carries(runs, claim.id)]
            if mine.empty:
                continue
            latest = records.latest(mine)
            verdict = rule_for(claim)(latest)
            interval = verdict.interval or Interval(None, None, None, None)
            rows.append(
                dict(
                    zip(SETTING, setting),
                    claim=claim.id,
                    build=latest["build"].iloc[0],
                    verdict=verdict.verdict,
                    evidence=verdict.evidence,
                    ratio=interval.value,
                    ci_low=interval.low,
                    ci_high=interval.high,
                    rounds=interval.rounds,
                    numbers=json.dumps(verdict.numbers, sort_keys=True),
                    words=claim.words,
                    rule=claim.rule,
                    run=latest["run"].iloc[0],
                    profile=latest["profile"].iloc[0],
                )
            )
    columns = [
        "claim",
        "interpreter",
        "build",
        "gil_enabled",
        "machine",
        "verdict",
        "evidence",
        "ratio",
        "ci_low",
        "ci_high",
        "rounds",
        "numbers",
        "words",
        "rule",
        "run",
        "profile",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(["claim", "interpreter", "gil_enabled"])


def write_csv(frame, path):
    """Write via a temporary file, so a reader never sees half a CSV."""
    partial = path + ".partial"
    frame.to_csv(partial, index=False)
    os.replace(partial, path)


def main(argv=None):
    args = records.arguments(__doc__.split("\n")[0], "folder for the CSVs (default: results/)", argv)
    table = records.load(args.inputs, "summarize.py")
    if table is None:
        return 2
    decided = verdicts(table)
    os.makedirs(args.out, exist_ok=True)
    write_csv(table.drop(columns=records.RAW), os.path.join(args.out, "measurements.csv"))
    write_csv(decided, os.path.join(args.out, "verdicts.csv"))
    write_csv(scaling(table), os.path.join(args.out, "scaling.csv"))
    print(
        "{} runs, {} measurements, {} verdicts -> {}".format(
            table["run"].nunique(),
            len(table),
            len(decided),
            os.path.join(args.out, "{measurements,verdicts,scaling}.csv"),
        )
    )
    for _, row in decided.iterrows():
        print("{claim} {interpreter:<16} {verdict:<12} {evidence}".format(**row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
