"""Recorded runs -> results/measurements.csv (tidy), results/verdicts.csv (a verdict per claim x interpreter) and
results/scaling.csv.

    python scripts/summarize.py [RUN.json | FOLDER ...] [--out DIR]

Reads pytest-benchmark JSON written by this suite (default: results/runs/). A verdict is decided on the latest
run of each machine x interpreter x GIL state that measured the claim. Bad input exits 2 with one line naming
the file and the problem, and leaves the CSVs as they were.
"""

import os
import sys

from analysis import cli, records
from analysis.scaling import scaling
from analysis.verdicts import verdicts


def main(argv=None):
    args = cli.arguments(__doc__.split("\n")[0], "folder for the CSVs (default: results/)", argv)
    table = cli.load(args.inputs, "summarize.py")
    if table is None:
        return 2
    decided = verdicts(table)
    os.makedirs(args.out, exist_ok=True)
    cli.write_csv(table.drop(columns=records.RAW), os.path.join(args.out, "measurements.csv"))
    cli.write_csv(decided, os.path.join(args.out, "verdicts.csv"))
    cli.write_csv(scaling(table), os.path.join(args.out, "scaling.csv"))
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
