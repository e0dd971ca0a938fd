"""Recorded runs in, one tidy table out: a row per benchmark x parameter set x run.

The only reader of the pytest-benchmark JSON that the experiments write; every command starts here. A row is
found by its claim IDs and its measurement name (chosen on purpose in the experiment, never derived from a test
function's name), plus the parameters it was measured under.
"""

import collections
import hashlib
import json
import math
import os
import statistics

import pandas as pd

from experiments.vocabulary import EVEN_CPUS, PROFILES, SUITE_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "results")
STATS = ["median", "mean", "min", "max", "stddev", "iqr"]  # pytest-benchmark's, in seconds
RAW = "rounds_s"  # every recorded round's time (the contender's, in a pair: by the clock that timed its baseline)
# that began with even CPUs (or was not gated): what intervals are computed from; pytest-benchmark's own statistics
# (median_s ...) cover every round, as it timed them
BASELINE = "baseline_s"  # the baseline's time in the same rounds, for benchmarks timed in pairs
CPU = "cpu_rounds_s"  # the process tree's CPU seconds in each round (the contender's)
SPREAD = "cpu_spread"  # per CPU-bound scaling round, as it began: its CPUs' slowest over fastest time on one task
CROWDING = "cpu_crowding"  # and how much they slowed all at once, over the session's usual (waited for, not decided on)
ORDER = "baseline_first"  # per pair: whether its baseline ran before the contender (a coin toss each)
LISTS = [RAW, BASELINE, CPU, ORDER]  # per-round lists: kept in the table for the rules, not written to the CSV


MAX_ROUNDS = 1000  # pairs kept per benchmark: more are thinned evenly, so no input can exhaust time or memory
MAX_FILE_BYTES = 256 * 2**20  # a run of the full suite is a few MB; a larger file is not one


class BadInput(Exception):
    """A file the summary cannot use; the message names the file and the problem in one line."""


# The tidy table; one line per file that could not be used; one line per file read twice (counted once).
Loaded = collections.namedtuple("Loaded", "table skipped repeated")


def run_files(paths, notes):
    """The *.json files named, folders expanded to the regular *.json files they hold, in a stable order; a line in
    `notes` for every path that is none of these."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            try:
                names = sorted(os.listdir(path))
            except OSError as error:
                notes.append("{}: cannot read this folder ({})".format(path, error.strerror or error))
                continue
            found = [os.path.join(path, n) for n in names if n.endswith(".json")]
            for candidate in found:
                if os.path.isfile(candidate):
                    files.append(candidate)
                else:
                    notes.append("{}: not a regular file (a folder, or a broken or looping link)".format(candidate))
            if not found:
                notes.append("{}: no *.json run files in this folder".format(path))
        elif os.path.isfile(path):
            files.append(path)
        elif os.path.lexists(path):
            notes.append("{}: not a regular file (a broken or looping link)".format(path))
        else:
            notes.append("{}: no such file or folder".format(path))
    return files


def read_run(path):
    """(the file's bytes, its parsed JSON), or BadInput in one line."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            raise BadInput("{}: larger than {} MiB, not a run of this suite".format(path, MAX_FILE_BYTES // 2**20))
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as error:
        raise BadInput("{}: cannot be read ({})".format(path, error.strerror or error))
    if not content.strip():
        raise BadInput("{}: empty (a run that was interrupted while writing?)".format(path))
    try:
        return content, json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BadInput("{}: not JSON ({})".format(path, str(error).splitlines()[0][:120]))


def load_run(path, run):
    """`run` checked to be pytest-benchmark JSON written by this suite, at this suite version, with sound timings."""
    if not isinstance(run, dict) or not isinstance(run.get("benchmarks"), list) or "machine_info" not in run:
        raise BadInput("{}: not pytest-benchmark JSON (no 'benchmarks' list and 'machine_info')".format(path))
    lab, top = (run.get("machine_info") or {}), run.get("claims_lab")
    if not isinstance(lab, dict) or not isinstance(lab.get("claims_lab"), dict) or not isinstance(top, dict):
        raise BadInput("{}: pytest-benchmark JSON, but not recorded by this suite (no 'claims_lab' info)".format(path))
    version = top.get("suite_version")
    if not isinstance(run.get("datetime"), str) or not isinstance(lab.get("node"), str):
        raise BadInput("{}: no 'datetime' or machine 'node' as text".format(path))
    if version != SUITE_VERSION:
        raise BadInput(
            "{}: recorded by suite version {}, which this analysis (version {}) cannot compare with; "
            "re-run the experiments".format(path, version, SUITE_VERSION)
        )
    for bench in run["benchmarks"]:
        problem = _timing_problem(bench)
        if problem:
            raise BadInput("{}: {}".format(path, problem))
    return run


def _finite(values, positive):
    return isinstance(values, list) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and (v > 0 if positive else v >= 0)
        for v in values
    )


def _timing_problem(bench):
    """Why a benchmark's timings cannot be used, or None."""
    if not isinstance(bench, dict) or not isinstance(bench.get("stats"), dict):
        return "a benchmark without stats"
    name = bench.get("name", "?")
    data = bench["stats"].get("data")
    if not data or not _finite(data, positive=True):
        return "{}: round times must be finite and positive".format(name)
    extra = bench.get("extra_info")
    if not isinstance(extra, dict):
        return "{}: no extra_info".format(name)
    for key, positive in [("contender_s", True), (BASELINE, True), ("cpu_s", False)]:
        if key in extra and not (len(extra[key]) == len(data) and _finite(extra[key], positive)):
            return "{}: {} must be one finite {} number per round".format(name, key, "positive" if positive else "")
    order = extra.get(ORDER)
    if order is not None and not (
        isinstance(order, list) and len(order) == len(data) and all(isinstance(first, bool) for first in order)
    ):
        return "{}: {} must be one true or false per round".format(name, ORDER)
    for key in (SPREAD, CROWDING):
        looks = extra.get(key)
        if looks is not None and not (
            isinstance(looks, list) and len(looks) == len(data) and _finite([s for s in looks if s is not None], True)
        ):
            return "{}: {} must be one finite positive number (or null) per round".format(name, key)
    return None


def even_rounds(spreads, rounds):
    """Indices of the rounds that began with even CPUs (or whose CPUs were not compared): the only ones decided on."""
    if spreads is None:
        return list(range(rounds))
    return [i for i, spread in enumerate(spreads) if spread is None or spread <= EVEN_CPUS]


def _thinned(values, keep):
    return [values[i] for i in keep]


def _benchmark_row(run_id, run, bench):
    lab = run["machine_info"]["claims_lab"]
    extra = dict(bench["extra_info"])
    cpu = extra.pop("cpu_s", None)
    spreads = extra.pop(SPREAD, None)
    crowding = extra.pop(CROWDING, None)
    contender = extra.pop("contender_s", None)
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
        "cpu_physical": lab["cpu_physical"],
        "cpu_quota": lab["cpu_quota"],
        "core_siblings": len(lab["core_siblings"]),
        "start_method_default": lab["start_method_default"],
        "profile": run["claims_lab"]["profile"]["name"],
        "claims": " ".join(extra.pop("claims")),
        "experiment": experiment,
        "measurement": extra.pop("measurement"),
        "test": test,
        "name": bench["name"],
    }
    row.update(extra)
    row.update({stat + "_s": bench["stats"][stat] for stat in STATS})
    row["rounds"] = bench["stats"]["rounds"]
    data = contender or bench["stats"]["data"]
    even = even_rounds(spreads, len(data))
    if spreads is not None:
        measured = [spread for spread in spreads if spread is not None]
        row["rounds_even"], row["rounds_uneven"] = len(even), len(data) - len(even)
        row["cpu_spread_max"] = max(measured) if measured else math.nan
    if crowding is not None:
        crowded = [crowding[i] for i in even if crowding[i] is not None]  # of the rounds decided on
        row["cpu_crowding_max"] = max(crowded) if crowded else math.nan
    keep = (
        even
        if len(even) <= MAX_ROUNDS
        else [even[int(i * (len(even) - 1) / (MAX_ROUNDS - 1))] for i in range(MAX_ROUNDS)]
    )
    row[RAW] = _thinned(data, keep)
    if ORDER in row:
        row[ORDER] = _thinned(row[ORDER], keep)
    if BASELINE in row:
        row[BASELINE] = _thinned(row[BASELINE], keep)
        row["baseline_median_s"] = statistics.median(row[BASELINE]) if keep else math.nan
    if cpu:
        row[CPU] = _thinned(cpu, keep)
        row["cpu_s"] = statistics.median(row[CPU]) if keep else math.nan
        row["cpu_per_wall"] = statistics.median(c / w for c, w in zip(row[CPU], row[RAW])) if keep else math.nan
    return row


def measurements(paths):
    """Loaded: the tidy table of every usable benchmark in the run files under `paths`. A run read twice (the same
    content under another path) counts once; a file that cannot be used is skipped with one line."""
    rows, notes, repeated, seen, names = [], [], [], {}, set()
    for path in run_files(paths, notes):
        try:
            content, run = read_run(path)
            run = load_run(path, run)
            digest = hashlib.sha256(content).hexdigest()
            if digest in seen:
                repeated.append("{}: the same run as {}: counted once".format(path, seen[digest]))
                continue
            seen[digest] = path
            run_id = os.path.splitext(os.path.basename(path))[0]
            run_id = run_id if run_id not in names else "{}~{}".format(run_id, digest[:8])
            names.add(run_id)
            rows.extend(_benchmark_row(run_id, run, bench) for bench in run["benchmarks"])
        except BadInput as problem:
            notes.append(str(problem))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            notes.append("{}: a benchmark lacks what this suite records ({})".format(path, type(error).__name__))
    return Loaded(pd.DataFrame(rows), notes, repeated)


def latest(rows):
    """The rows of the most recent run among `rows`."""
    return rows[rows["run"] == rows.sort_values("datetime")["run"].iloc[-1]]


def chosen(rows):
    """The rows of the run to decide on among `rows`: the latest of the most thorough profile present."""
    rank = rows["profile"].map({name: k for k, name in enumerate(PROFILES)}).fillna(len(PROFILES))
    return latest(rows[rank == rank.min()])
