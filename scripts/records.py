"""Recorded runs in, one tidy table out: a row per benchmark x parameter set x run.

The only reader of the pytest-benchmark JSON that conftest.py writes; every script starts here.
"""

import argparse
import json
import os
import statistics
import sys

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "results")
STATS = ["median", "mean", "min", "max", "stddev", "iqr"]  # pytest-benchmark's, in seconds
ROUND_LISTS = ["cpu_s"]  # per-round lists the `measure` fixture keeps in extra_info
RAW = "rounds_s"  # every recorded round's time: what intervals are computed from; not written to the CSV


class BadInput(Exception):
    """A file the summary cannot use; the message names the file and the problem in one line."""


def run_files(paths):
    """The JSON files named, folders expanded to the *.json they hold, in a stable order."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(".json"))
            if not found:
                raise BadInput("{}: no *.json run files in this folder".format(path))
            files.extend(found)
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise BadInput("{}: no such file or folder".format(path))
    return files


def load_run(path):
    """One run file, checked to be pytest-benchmark JSON written by this suite."""
    try:
        with open(path, encoding="utf-8") as handle:
            run = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadInput("{}: not JSON ({})".format(path, error))
    if not isinstance(run, dict) or not isinstance(run.get("benchmarks"), list) or "machine_info" not in run:
        raise BadInput("{}: not pytest-benchmark JSON (no 'benchmarks' list and 'machine_info')".format(path))
    if "claims_lab" not in run["machine_info"] or "claims_lab" not in run:
        raise BadInput("{}: pytest-benchmark JSON, but not recorded by this suite (no 'claims_lab' info)".format(path))
    return run


def _benchmark_row(run_id, run, bench):
    lab = run["machine_info"]["claims_lab"]
    extra = dict(bench["extra_info"])
    rounds = {name: extra.pop(name) for name in ROUND_LISTS if name in extra}
    row = {
        "run": run_id,
        "datetime": run["datetime"],
        "machine": run["machine_info"]["node"],
        "interpreter": lab["interpreter"],
        "build": lab["build"],
        "gil_enabled": lab["gil_enabled"],
        "cpu_usable": lab["cpu_usable"],
        "cpu_logical": lab["cpu_logical"],
        "profile": run["claims_lab"]["profile"]["name"],
        "claims": " ".join(extra.pop("claims")),
        "experiment": os.path.splitext(os.path.basename(bench["fullname"].split("::")[0]))[0],
        "test": bench["name"].split("[")[0],
        "name": bench["name"],
    }
    row.update(extra)
    row.update({stat + "_s": bench["stats"][stat] for stat in STATS})
    row["rounds"] = bench["stats"]["rounds"]
    row[RAW] = bench["stats"]["data"]
    if rounds.get("cpu_s"):
        row["cpu_s"] = statistics.median(rounds["cpu_s"])
        row["cpu_per_wall"] = statistics.median(
            cpu / wall for cpu, wall in zip(rounds["cpu_s"], bench["stats"]["data"]) if wall > 0
        )
    return row


def measurements(paths):
    """The tidy table of every benchmark in the run files found under `paths`."""
    rows = []
    for path in run_files(paths):
        run = load_run(path)
        run_id = os.path.splitext(os.path.basename(path))[0]
        try:
            rows.extend(_benchmark_row(run_id, run, bench) for bench in run["benchmarks"])
        except (KeyError, TypeError) as error:
            raise BadInput("{}: a benchmark lacks what this suite records ({!r})".format(path, error))
    table = pd.DataFrame(rows)
    if table.empty:
        raise BadInput("{}: no benchmarks recorded".format(", ".join(paths)))
    return table


def latest(rows):
    """The rows of the most recent run among `rows`."""
    return rows[rows["run"] == rows.sort_values("datetime")["run"].iloc[-1]]


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
        return measurements(paths)
    except BadInput as problem:
        print("{}: {}".format(program, problem), file=sys.stderr)
        return None
