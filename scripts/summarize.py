"""Recorded runs -> the results set: measurements.csv (tidy), verdicts.csv (a verdict per claim x interpreter),
scaling.csv, controls.csv, REPORT.md and plots/.

    python scripts/summarize.py [RUN.json | FOLDER ...] [--out DIR]

Reads pytest-benchmark JSON written by this suite (default: results/runs/). A verdict is decided on the latest
run of the most thorough profile each machine x interpreter x GIL state has that measured the claim. Bad input
exits 2 with one line naming the file and the problem, and leaves the results as they were.
"""

import os
import sys

from analysis import cli, summary


def main(argv=None):
    args = cli.arguments(__doc__.split("\n")[0], "folder for the results (default: results/)", argv)
    loaded = cli.load(args.inputs, "summarize.py")
    if loaded is None:
        return 2
    table = loaded.table
    try:
        decided, drawn = summary.write(table, args.out)
    except OSError as error:
        print(
            "summarize.py: {}: cannot write the results there ({})".format(
                error.filename or args.out, error.strerror or error
            ),
            file=sys.stderr,
        )
        return 2
    print(
        "{} runs, {} measurements, {} verdicts, {} plots -> {}".format(
            table["run"].nunique(),
            len(table),
            len(decided),
            sum(len(p) for p in drawn.values()),
            os.path.join(args.out, "{measurements,verdicts,scaling,controls}.csv, REPORT.md, plots/"),
        )
    )
    for _, row in decided.iterrows():
        print("{claim} {interpreter:<16} {verdict:<12} {evidence}".format(**row))
    return cli.exit_code(loaded)


if __name__ == "__main__":
    sys.exit(main())
