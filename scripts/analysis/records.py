"""Recorded runs in, one tidy table out: a row per benchmark x parameter set x run.

The only reader of the pytest-benchmark JSON that the experiments write; every command starts here. A row is
found by its claim IDs and its measurement name (chosen on purpose in the experiment, never derived from a test
function's name), plus the parameters it was measured under.
"""

import json
import os
import statistics

import pandas as pd

from experiments.vocabulary import SUITE_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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
    version = run["claims_lab"].get("suite_version")
    if version != SUITE_VERSION:
        raise BadInput(
            "{}: recorded by suite version {}, which this analysis (version {}) cannot compare with; "
            "re-run the experiments".format(path, version, SUITE_VERSION)
        )
    return run


# Runs recorded before benchmarks named their measurement: the name each test function's records now carry.
# Suite version 1 only; a change of version leaves no run that needs it.
UNNAMED = {
    "test_spin": "placement_scaling",
    "test_serial": None,  # C07's I/O waits or C09/C14's CPU work: told apart by the experiment
    "test_parallel": None,
    "test_stop_a_spinning_thread": "stop_a_thread",
    "test_stop_a_spinning_process": "stop_a_process",
    "test_uncaught_exception_in_a_thread": "uncaught_exception",
    "test_workload": "release_scaling",
}
SCALING_EXPERIMENTS = {"test_c07_io_bound": "io_scaling", "test_c09_c14_cpu_bound": "cpu_scaling"}


def _measurement(extra, experiment, test):
    if "measurement" in extra:
        return extra.pop("measurement")
    if test in UNNAMED:
        return UNNAMED[test] or SCALING_EXPERIMENTS[experiment]
    return test[len("test_") :]


def _benchmark_row(run_id, run, bench):
    lab = run["machine_info"]["claims_lab"]
    extra = dict(bench["extra_info"])
    rounds = {name: extra.pop(name) for name in ROUND_LISTS if name in extra}
    experiment = os.path.splitext(os.path.basename(bench["fullname"].split("::")[0]))[0]
    test = bench["name"].split("[")[0]
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
        "experiment": experiment,
        "measurement": _measurement(extra, experiment, test),
        "test": test,
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
