"""What the commands share: their command line, reading runs with one line per problem, and writing outputs."""

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
    """The tidy table of the runs under `paths`, or None once the problem is printed in one line."""
    try:
        return records.measurements(paths)
    except records.BadInput as problem:
        print("{}: {}".format(program, problem), file=sys.stderr)
        return None


def write_csv(frame, path):
    """Write via a temporary file, so a reader never sees half a CSV."""
    partial = path + ".partial"
    frame.to_csv(partial, index=False)
    os.replace(partial, path)
