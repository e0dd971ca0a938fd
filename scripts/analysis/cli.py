"""What the commands share: their command line, and reading runs with one line per problem."""

import argparse
import os
import sys

from analysis import records
from analysis.records import RESULTS


def arguments(description, out_help, argv=None):
    """The `[RUN.json | FOLDER ...] [--out DIR]` command line of the scripts that read runs and write results."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "inputs",
        nargs="*",
        default=[os.path.join(RESULTS, "runs")],
        help="run JSON files or folders of them (default: results/runs/)",
    )
    parser.add_argument("--out", default=RESULTS, help=out_help)
    return parser.parse_args(argv)


def load(paths, program):
    """The run files under `paths` as a records.Loaded, with one line on stderr per file skipped or counted once;
    None (once the problem is printed in one line) when nothing is usable."""
    loaded = records.measurements(paths)
    for line in loaded.skipped + loaded.repeated:
        print("{}: {}".format(program, line), file=sys.stderr)
    if loaded.table.empty:
        if not loaded.skipped:
            print("{}: {}: no benchmarks recorded".format(program, ", ".join(paths)), file=sys.stderr)
        return None
    return loaded


def exit_code(loaded):
    """0 when every file was used, 1 when some were skipped (the rest was summarised)."""
    return 1 if loaded.skipped else 0
