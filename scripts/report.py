"""Recorded runs -> results/REPORT.md with its PNG plots in results/plots/: a verdict table, then a section per
claim with the rule in one sentence, the evidence and interval per interpreter, and its plots.

    python scripts/report.py [RUN.json | FOLDER ...] [--out DIR]
"""

import os
import sys

from analysis import cli, report
from analysis.scaling import scaling
from analysis.verdicts import verdicts


def main(argv=None):
    args = cli.arguments(__doc__.split("\n")[0], "folder for REPORT.md and plots/ (default: results/)", argv)
    table = cli.load(args.inputs, "report.py")
    if table is None:
        return 2
    decided = verdicts(table)
    drawn = report.draw(table, scaling(table), os.path.join(args.out, "plots"))
    path = os.path.join(args.out, "REPORT.md")
    with open(path + ".partial", "w") as handle:
        handle.write(report.markdown(table, decided, drawn))
    os.replace(path + ".partial", path)
    print("{} verdicts, {} plots -> {}".format(len(decided), sum(len(p) for p in drawn.values()), path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
