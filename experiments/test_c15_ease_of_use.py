"""C15: is multiprocessing easier to use than threading?

The post: the multiprocessing library "is much easier to use".

Measured: everyday tasks done with one worker (experiments/probes/c15_tasks.py, run as a user's script in a
throwaway interpreter), through each API the standard library offers: threading.Thread, multiprocessing.Process
and multiprocessing.Pool (the two libraries the post names), and concurrent.futures' ThreadPoolExecutor and
ProcessPoolExecutor (one API for both); processes under each start method. A task is done when the parent gets
the right result: running a lambda, a closure, a nested function, a bound method, a function of an instance of a
class defined in the script (a copy is fine for these); filling the parent's list, taking the next item of the
parent's generator, writing to the parent's open file, sending on its socket, sharing the library's own lock with
it (these need the parent's own object); getting the worker's return value and its exception back through the
API; stopping a running worker from the parent; and running a script without the `if __name__ == "__main__":`
guard (experiments/probes/c15_unguarded.py). Every outcome of every round is recorded; a benchmark asserts only
that the probe ran. Rule: `c15.processes_easier` in scripts/analysis/rules/c15.py, which counts tasks done.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from experiments.models import unavailable
from experiments.vocabulary import THREADS, process_models

# What works differs between fork and a fresh interpreter (spawn): even the quick profile measures both.
pytestmark = [pytest.mark.claim("C15"), pytest.mark.start_methods("fork", "spawn")]
PROBES = os.path.join(os.path.dirname(__file__), "probes")
PROBE_TIMEOUT_S = 120  # bounds a script that loops or hangs instead of failing
THREAD_APIS = ["Thread", "ThreadPoolExecutor"]
PROCESS_APIS = ["Process", "Pool", "ProcessPoolExecutor"]
WAYS = [(api, THREADS) for api in THREAD_APIS] + [(api, m) for api in PROCESS_APIS for m in process_models()]
COPY_IS_FINE = ["lambda", "closure", "nested_function", "bound_method", "main_class_instance"]
PARENTS_OWN = ["fill_parents_list", "parents_generator", "parents_open_file", "parents_socket", "shared_lock"]
# Behaviour, not timing: a few rounds show whether an outcome changes from run to run; no warm-up round, since
# every round is a fresh interpreter and no time is judged.
FACT_ROUNDS = 3


def fact_rounds(profile):
    return min(profile.rounds, FACT_ROUNDS)


def needs(model):
    if model != THREADS and unavailable(model):
        pytest.skip(unavailable(model))


def tasks(api, model):
    """{task: outcome} from the probe script."""
    done = subprocess.run(
        [sys.executable, os.path.join(PROBES, "c15_tasks.py"), api, model],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # the workers' tracebacks: what a user would see, not what is recorded
        universal_newlines=True,
        timeout=PROBE_TIMEOUT_S,
    )
    assert done.returncode == 0, "the probe failed (exit code {}):\n{}".format(done.returncode, done.stderr)
    return json.loads(done.stdout)


def without_guard(api, model):
    """ "works" if the unguarded script's worker ran, else the last exception named on stderr, or "timeout"."""
    try:
        done = subprocess.run(
            [sys.executable, os.path.join(PROBES, "c15_unguarded.py"), api, model],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
            timeout=PROBE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    if "worker ran" in done.stdout:
        return "works"
    raised = re.findall(r"^([A-Za-z_][\w.]*):", done.stderr, re.MULTILINE)  # "RuntimeError:", unindented
    return raised[-1].split(".")[-1] if raised else "exit code {}".format(done.returncode)


@pytest.mark.parametrize("api", THREAD_APIS)
def test_a_thread_does_every_task_that_hands_it_something(api):
    cells = tasks(api, THREADS)
    assert [cells[t] for t in COPY_IS_FINE + PARENTS_OWN] == ["works"] * len(COPY_IS_FINE + PARENTS_OWN)


@pytest.mark.parametrize("model", process_models())
def test_a_process_pool_pickles_what_it_is_given_and_works_on_copies(model):
    needs(model)
    for api in ["Pool", "ProcessPoolExecutor"]:
        cells = tasks(api, model)
        assert [cells[t] for t in ["bound_method", "main_class_instance", "parents_socket"]] == ["works"] * 3
        assert cells["fill_parents_list"] == "copy"
        assert "works" not in [cells[t] for t in ["lambda", "closure", "parents_generator", "parents_open_file"]]


@pytest.mark.parametrize("api, model", WAYS)
def test_only_pools_hand_back_return_values_and_exceptions(api, model):
    needs(model)
    cells = tasks(api, model)
    expected = "not handed back" if api in ("Thread", "Process") else "works"
    assert (cells["return_value"], cells["exception"]) == (expected, expected)


@pytest.mark.parametrize("api, model", WAYS)
def test_a_running_process_can_be_stopped_a_running_thread_cannot(api, model):
    needs(model)
    stopped = tasks(api, model)["stop_running_worker"]
    if api in ("Thread", "ThreadPoolExecutor"):
        assert stopped in ("no API", "refused")
    elif api in ("Process", "Pool") or sys.version_info >= (3, 14):
        assert stopped == "works"
    else:
        assert stopped == "refused"  # ProcessPoolExecutor.terminate_workers() came in 3.14


@pytest.mark.parametrize("api, model", WAYS)
def test_a_script_without_main_guard(api, model):
    needs(model)
    assert (without_guard(api, model) == "works") == (model in (THREADS, "fork"))


@pytest.mark.measurement("everyday_tasks")
@pytest.mark.parametrize("api, model", WAYS)
def test_everyday_tasks(bench, profile, api, model):
    needs(model)
    outcomes = []
    bench.pedantic(lambda: outcomes.append(tasks(api, model)), rounds=fact_rounds(profile))
    bench.extra_info.update(outcomes[-1])
    bench.extra_info.update(
        outcomes_per_round=outcomes,
        done=list(outcomes[-1].values()).count("works"),
        tasks=len(outcomes[-1]),
    )


@pytest.mark.measurement("script_without_main_guard")
@pytest.mark.parametrize("api, model", WAYS)
def test_script_without_main_guard(bench, profile, api, model):
    needs(model)
    outcomes = []
    bench.pedantic(lambda: outcomes.append(without_guard(api, model)), rounds=fact_rounds(profile))
    bench.extra_info.update(
        no_main_guard=outcomes[-1], no_main_guard_per_round=outcomes, probe_timeout_s=PROBE_TIMEOUT_S
    )
