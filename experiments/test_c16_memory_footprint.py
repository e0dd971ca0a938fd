"""C16: processes take more memory than threads; and, for X02, what an idle subinterpreter takes.

The post: "Some caveats of the module are a larger memory footprint".

Measured, in a throwaway interpreter per round (experiments/probes/c16_footprint.py, so the suite's own size
does not leak in): the memory of the whole process tree, psutil's USS (private pages) and PSS (shared pages
split among their users) summed over the interpreter and all its descendants, with N idle workers (started,
reported ready, waiting on an Event), N = 1, 2, 4, 8 and the CPU points; threads vs processes per start method, and
subinterpreters (a thread each, with an interpreter made and idle). Not RSS: it counts copy-on-write pages shared
with the parent once per process. The evidence is the memory per extra worker, the least-squares slope over N,
fitted per round and kept per round whatever it is. Rules: `c16.processes_cost_memory` in
scripts/analysis/rules/c16.py (threads and processes), X02's in scripts/analysis/rules/x02.py (subinterpreters beside
spawn).
"""

import json
import os
import statistics
import subprocess
import sys

import pytest

from experiments.models import unavailable
from experiments.profiles import MIB, with_cpu_points
from experiments.vocabulary import parallel_models, process_models

pytestmark = pytest.mark.claim("C16", "X02")
PROBE = os.path.join(os.path.dirname(__file__), "probes", "c16_footprint.py")
PROBE_TIMEOUT_S = 120
WORKERS = with_cpu_points([1, 2, 4, 8])


def needs(model):
    if unavailable(model):
        pytest.skip(unavailable(model))


def footprint(model, workers):
    """{"uss_bytes": [...], "pss_bytes": [...]} of the process tree at each N in `workers`."""
    done = subprocess.run(
        [sys.executable, PROBE, model] + [str(n) for n in workers],
        stdout=subprocess.PIPE,
        universal_newlines=True,
        timeout=PROBE_TIMEOUT_S,
    )
    assert done.returncode == 0, "the probe failed (exit code {})".format(done.returncode)
    found = json.loads(done.stdout)
    assert found["workers"] == workers
    return found


def per_worker(workers, memory):
    """Least-squares slope of memory (bytes) over the number of workers, in MiB per worker."""
    mean_n, mean_m = statistics.mean(workers), statistics.mean(memory)
    covariance = sum((n - mean_n) * (m - mean_m) for n, m in zip(workers, memory))
    return covariance / sum((n - mean_n) ** 2 for n in workers) / MIB


@pytest.mark.parametrize("model", process_models())
def test_each_process_adds_more_private_memory_than_a_thread(model):
    needs(model)
    grid = [1, 2, 4]
    threads, processes = footprint("threads", grid), footprint(model, grid)
    assert processes["uss_bytes"] == sorted(processes["uss_bytes"])  # every extra process adds its own pages
    assert per_worker(grid, processes["uss_bytes"]) > per_worker(grid, threads["uss_bytes"])


@pytest.mark.measurement("idle_workers")
@pytest.mark.start_methods("spawn")  # X02 weighs an idle subinterpreter against an idle spawned process
@pytest.mark.parametrize("model", parallel_models())
def test_idle_workers(bench, each_round, model):
    needs(model)
    kept = each_round(footprint, model, WORKERS)
    slopes = {kind: [per_worker(WORKERS, f[kind + "_bytes"]) for f in kept] for kind in ["uss", "pss"]}
    bench.extra_info.update(
        worker_grid=WORKERS,
        uss_mib=[round(statistics.median(f["uss_bytes"][i] for f in kept) / MIB, 3) for i in range(len(WORKERS))],
        pss_mib=[round(statistics.median(f["pss_bytes"][i] for f in kept) / MIB, 3) for i in range(len(WORKERS))],
        uss_mib_per_worker=statistics.median(slopes["uss"]),
        pss_mib_per_worker=statistics.median(slopes["pss"]),
        uss_slopes_mib=slopes["uss"],  # one per round: what the rule's interval is computed from
        pss_slopes_mib=slopes["pss"],
    )
    assert all(len(f["uss_bytes"]) == len(WORKERS) for f in kept)
