"""C15: is multiprocessing easier to use than threading?

The post: the multiprocessing library "is much easier to use".

Measured: what happens when everyday things are handed to one worker (experiments/probes/c15_handoff.py, run as
a user's script in a throwaway interpreter): a lambda, a closure, a nested function, a bound method, a
threading.Lock, an open file, a generator, a socket, an instance of a class defined in `__main__`. Through an
executor ("pool": ThreadPoolExecutor / ProcessPoolExecutor) and as a worker's target and arguments ("worker":
threading.Thread / multiprocessing.Process), for threads and for processes per start method. Each cell is
"works" (the worker used the parent's own thing), "copy" (it ran on a copy; the parent's thing did not change)
or the type name of the exception raised. And whether a script without the `if __name__ == "__main__":` guard
still runs its worker (experiments/probes/c15_unguarded.py). Rule: `c15.processes_easier` in
scripts/rules/c15.py, which counts the cells that work.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from experiments.models import unavailable
from experiments.vocabulary import THREADS, process_models

pytestmark = pytest.mark.claim("C15")
PROBES = os.path.join(os.path.dirname(__file__), "probes")
PROBE_TIMEOUT_S = 120  # bounds a script that loops or hangs instead of failing
MODELS = [THREADS] + process_models()
APIS = ["pool", "worker"]
PICKLED = ["lambda", "closure", "nested_function", "lock", "open_file", "generator"]  # no pickle for these
COPIED = ["bound_method", "main_class_instance"]  # pickled: the worker changes its own copy
INHERITED_COPIES = ["bound_method", "lock", "generator", "main_class_instance"]  # a forked child's own memory


def needs(model):
    if unavailable(model):
        pytest.skip(unavailable(model))


def handoff(api, model):
    """{thing: outcome} from the probe script."""
    done = subprocess.run(
        [sys.executable, os.path.join(PROBES, "c15_handoff.py"), api, model],
        stdout=subprocess.PIPE,
        universal_newlines=True,
        timeout=PROBE_TIMEOUT_S,
    )
    assert done.returncode == 0, "the probe failed (exit code {})".format(done.returncode)
    return json.loads(done.stdout)


def without_guard(model):
    """ "works" if the unguarded script's worker ran, else the last exception named on stderr, or "timeout"."""
    try:
        done = subprocess.run(
            [sys.executable, os.path.join(PROBES, "c15_unguarded.py"), model],
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


@pytest.mark.parametrize("api", APIS)
def test_a_thread_takes_every_thing(api):
    assert set(handoff(api, "threads").values()) == {"works"}


@pytest.mark.parametrize("model", process_models())
def test_a_process_pool_pickles_every_thing(model):
    needs(model)
    cells = handoff("pool", model)
    assert [cells[t] for t in COPIED] == ["copy"] * len(COPIED)
    assert cells["socket"] == "works"  # multiprocessing's own reducer hands the process a duplicate
    assert "works" not in [cells[t] for t in PICKLED] and "copy" not in [cells[t] for t in PICKLED]


@pytest.mark.parametrize("model", process_models())
def test_a_process_target_is_pickled_unless_forked(model):
    needs(model)
    cells = handoff("worker", model)
    if model == "fork":
        assert cells == {t: "copy" if t in INHERITED_COPIES else "works" for t in cells}
    else:
        assert cells == handoff("pool", model)


@pytest.mark.parametrize("model", MODELS)
def test_a_script_without_main_guard(model):
    needs(model)
    assert without_guard(model) == ("RuntimeError" if model in ("spawn", "forkserver") else "works")


@pytest.mark.measurement("handoff_matrix")
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("api", APIS)
def test_handoff_matrix(bench, each_round, api, model):
    needs(model)
    outcomes = each_round(handoff, api, model)
    assert all(cells == outcomes[0] for cells in outcomes), "rounds disagree: {}".format(outcomes)
    bench.extra_info.update(outcomes[0])
    bench.extra_info.update(works=list(outcomes[0].values()).count("works"), cells=len(outcomes[0]))


@pytest.mark.measurement("script_without_main_guard")
@pytest.mark.parametrize("model", MODELS)
def test_script_without_main_guard(bench, each_round, model):
    needs(model)
    outcomes = each_round(without_guard, model)
    assert len(set(outcomes)) == 1, "rounds disagree: {}".format(outcomes)
    bench.extra_info.update(no_main_guard=outcomes[0], probe_timeout_s=PROBE_TIMEOUT_S)
