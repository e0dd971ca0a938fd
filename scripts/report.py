"""Recorded runs -> REPORT.md with its PNG plots in plots/, without the CSVs: a verdict table, the null controls,
then a section per claim with the rule, the evidence and interval per interpreter, and its plots.

    python scripts/report.py [RUN.json | FOLDER ...] [--out DIR]
"""

import os
import sys

from analysis import cli, summary


def main(argv=None):
    args = cli.arguments(__doc__.split("\n")[0], "folder for REPORT.md and plots/ (default: results/)", argv)
    loaded = cli.load(args.inputs, "report.py")
    if loaded is None:
        return 2
    table = loaded.table
    try:
        decided, drawn = summary.write(table, args.out, csvs=False)
    except OSError as error:
        print(
            "report.py: {}: cannot write the report there ({})".format(
                error.filename or args.out, error.strerror or error
            ),
            file=sys.stderr,
        )
        return 2
    path = os.path.join(args.out, "REPORT.md")
    print("{} verdicts, {} plots -> {}".format(len(decided), sum(len(p) for p in drawn.values()), path))
    return cli.exit_code(loaded)


if __name__ == "__main__":
    sys.exit(main())
