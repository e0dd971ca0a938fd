"""X03: threads or asyncio for I/O?

The question (issue 12, past the post, which weighs threads against processes only): at 10, 100, 1,000 and 10,000
concurrent waits, do asyncio tasks carry them better than threads, and where do threads stop being practical?

Measured per workload (a sleep; a request on a kept-open loopback connection to a server in its own interpreter,
`kept_open_server` of experiments/servers.py, one server per model) and per concurrency N, each model in a
throwaway interpreter of its own (experiments/probes/x03_waits.py), so that the suite's size and history stay out
of the memory:
- bring-up: N waiters (threads, each parked on its own lock; tasks on one event loop), each holding its own open
  connection for loopback; the seconds it took; the probe's USS and PSS before the waiters and with them parked:
  one fresh interpreter per model and N, not per round (bringing up thousands of threads takes seconds on a small
  machine; nine times over would not fit a quick run), averaged over the N waiters.
- practical or not: all N came up within PRACTICAL_S, took at most MEMORY_SHARE of the machine's memory, and
  carried one trial round (every waiter one wait) within PRACTICAL_S; otherwise the reason is recorded as a fact
  (a thread that could not start, a connection that could not open, the limit passed), never raised.
- throughput: where both were practical, rounds of N concurrent waits (each waiter `waits` waits one after
  another), asyncio's round paired with threads' round, so that their ratio is immune to drift. Where only one
  was, FACT_ROUNDS round of it is timed, for its throughput: there is nothing to compare it with. Where neither
  was, a second bring-up of both is what is timed, and its facts are kept. Asyncio against asyncio at N = 10 is
  the null control.
Bounded however it ends: limits inside the probe, a timeout on every answer, and each probe and server stopped
(a probe exits with its threads, which nothing else can stop). Rule: `x03.asyncio_carries_more_waits` in
scripts/analysis/rules/x03.py.
"""

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading

import pytest

from experiments.models import stop
from experiments.profiles import scaled
from experiments.servers import kept_open_server

pytestmark = pytest.mark.claim("X03")
PROBE = os.path.join(os.path.dirname(__file__), "probes", "x03_waits.py")
ASYNCIO, THREADS = "asyncio", "threads"
MODELS = [ASYNCIO, THREADS]  # contender, baseline
WORKLOADS = ["sleep", "loopback"]
CONCURRENCY = [10, 100, 1000, 10000]  # up to the profile's most_waits (quick: 1,000); the waits per round scale
FULL_WAITS = 4  # waits each waiter makes one after another in a round, at full size
# Practical: N waiters brought up, and one round of their waits carried, each within this: three hundred times the
# profiles' 10 ms wait, and room for 10,000 tasks with their connections on a small machine (2 CPUs: 1 to 2 s).
PRACTICAL_S = 3.0
MEMORY_SHARE = 0.1  # waiters that take more than this share of the machine's memory, parked, are not practical
FACT_ROUNDS = 1  # rounds timed of the one model that carried N: its throughput, no comparison
ANSWER_TIMEOUT_S = 120  # for a probe's answer: 10,000 connects, the limits, a round; longer is a hung probe
FACTS = [
    "fd_limit",
    "connected",
    "connect_s",
    "up",
    "bring_up_s",
    "uss_rest_bytes",
    "pss_rest_bytes",
    "uss_bytes",
    "pss_bytes",
    "trial_s",
    "practical",
    "stopped",
]


class Probe:
    """A running probe: what it found on bring-up (`facts`), and rounds on request."""

    def __init__(self, model, workload, concurrency, wait_ms, port):
        arguments = [model, workload, concurrency, wait_ms, PRACTICAL_S, PRACTICAL_S, MEMORY_SHARE]
        self.child = subprocess.Popen(
            [sys.executable, PROBE] + [str(a) for a in arguments + ([port] if port else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            universal_newlines=True,
        )
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read)  # so that every answer can be waited for with a timeout
        self.reader.start()
        self.facts = None

    def _read(self):
        for line in self.child.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def answer(self):
        try:
            line = self.lines.get(timeout=ANSWER_TIMEOUT_S)
        except queue.Empty:
            raise TimeoutError("the probe did not answer in {} s".format(ANSWER_TIMEOUT_S))
        if line is None:
            raise RuntimeError("the probe ended without answering (exit code {})".format(self.child.poll()))
        return json.loads(line)

    def ask(self, command):
        self.child.stdin.write(command + "\n")
        self.child.stdin.flush()
        return self.answer()

    def round(self, waits):
        """One round: every waiter makes `waits` waits; the probe's seconds, waiters done, answers right, CPU s."""
        return self.ask("round {}".format(waits))

    def close(self):
        with contextlib.suppress(OSError):  # a probe that was not practical has gone already
            self.child.stdin.close()
        stop(self.child)
        self.reader.join(ANSWER_TIMEOUT_S)
        self.child.stdout.close()


@contextlib.contextmanager
def running(models, workload, concurrency, profile, ports):
    """{name: a Probe brought up}, one model after another (a bring-up is timed, so never two at once), for each
    (name, model) in `models`; every probe stopped however the block ends."""
    with contextlib.ExitStack() as stack:
        probes = {}
        for name, model in models:
            probes[name] = Probe(model, workload, concurrency, profile.io_wait_ms, ports.get(name))
            stack.callback(probes[name].close)
            probes[name].facts = probes[name].answer()
        yield probes


def bring_up(workload, concurrency, profile, ports):
    """{model: what its probe found on bring-up}, the probes stopped after."""
    with running([(m, m) for m in MODELS], workload, concurrency, profile, ports) as probes:
        return {model: probe.facts for model, probe in probes.items()}


@pytest.fixture(scope="module")
def servers():
    """{model: the port of its own kept-open server}: a server for both would hold 2 N connections. Started once
    for the module: every probe's connections close with it."""
    with kept_open_server() as one, kept_open_server() as other:
        yield {ASYNCIO: one, THREADS: other}


@pytest.fixture
def ports(servers, workload):
    return servers if workload == "loopback" else {}


def record_facts(bench, name, facts):
    bench.extra_info.update({name + "_" + key: facts.get(key) for key in FACTS})
    for kind in ("uss", "pss"):  # PSS only where the OS gives it (Linux)
        parked, rest = facts[kind + "_bytes"], facts[kind + "_rest_bytes"]
        per_wait = (parked - rest) / 1024 / facts["up"] if facts["up"] and parked is not None else None
        bench.extra_info[name + "_" + kind + "_kib_per_wait"] = per_wait
    bench.extra_info["memory_total_bytes"] = facts["memory_total_bytes"]


def record_rounds(bench, name, rounds):
    bench.extra_info.update(
        {
            name + "_probe_s": [r["s"] for r in rounds],  # as the probe timed them, beside pytest-benchmark's
            name + "_cpu_s": [r["cpu_s"] for r in rounds],
            name + "_done": sum(r["done"] for r in rounds),
            name + "_right": sum(r["right"] for r in rounds),
        }
    )


def every_wait_made(rounds, concurrency, waits):
    return all(r["done"] == concurrency and r["right"] == concurrency * waits for r in rounds)


@pytest.mark.parametrize("workload", WORKLOADS)
def test_each_model_carries_ten_waits(profile, ports, workload):
    with running([(m, m) for m in MODELS], workload, 10, profile, ports) as probes:
        for model, probe in probes.items():
            assert probe.facts["practical"] and probe.facts["up"] == 10, probe.facts
            assert every_wait_made([probe.round(2)], 10, 2), model


@pytest.mark.measurement("concurrent_waits")
@pytest.mark.parametrize("concurrency", CONCURRENCY)
@pytest.mark.parametrize("workload", WORKLOADS)
def test_concurrent_waits(bench, paired, profile, ports, workload, concurrency):
    waits = scaled(FULL_WAITS, profile)
    bench.extra_info.update(
        wait_ms=profile.io_wait_ms,
        waits_per_round=waits,
        practical_s=PRACTICAL_S,
        memory_share=MEMORY_SHARE,
        contender=ASYNCIO,
        baseline=THREADS,
        timed="rounds",
    )
    rounds, baselines = [], []
    with running([(m, m) for m in MODELS], workload, concurrency, profile, ports) as probes:
        facts = {model: probe.facts for model, probe in probes.items()}
        carried = [m for m in MODELS if facts[m]["practical"]]
        if len(carried) == 2:
            contender, baseline = probes[ASYNCIO], probes[THREADS]
            rounds, baselines = paired(lambda: contender.round(waits), lambda: baseline.round(waits))
            record_rounds(bench, ASYNCIO, rounds)
            record_rounds(bench, THREADS, baselines)
        elif carried:
            only = probes[carried[0]]
            bench.pedantic(lambda: rounds.append(only.round(waits)), rounds=FACT_ROUNDS, warmup_rounds=0)
            bench.extra_info.update(contender=carried[0], baseline=None)
            record_rounds(bench, carried[0], rounds)
        for model in carried:  # after the rounds: what the waiters kept
            bench.extra_info[model + "_uss_after_bytes"] = probes[model].ask("memory")["uss_bytes"]
    if not carried:
        # Nothing to time but the bring-up itself: once more, timed, and the facts of that one are kept.
        again = []
        bench.pedantic(
            lambda: again.append(bring_up(workload, concurrency, profile, ports)), rounds=FACT_ROUNDS, warmup_rounds=0
        )
        facts = again[0]
        bench.extra_info.update(contender=None, baseline=None, timed="bring-up")
    for model in MODELS:
        record_facts(bench, model, facts[model])
    assert every_wait_made(rounds + baselines, concurrency, waits), "a waiter missed a wait or got a wrong answer"


@pytest.mark.measurement("concurrent_waits")
@pytest.mark.parametrize("concurrency", CONCURRENCY[:1])
@pytest.mark.parametrize("workload", ["sleep"])
def test_null_control(bench, paired, profile, workload, concurrency):
    waits = scaled(FULL_WAITS, profile)
    bench.extra_info.update(wait_ms=profile.io_wait_ms, waits_per_round=waits, contender=ASYNCIO, baseline=ASYNCIO)
    with running([("one", ASYNCIO), ("other", ASYNCIO)], workload, concurrency, profile, {}) as probes:
        assert all(probe.facts["practical"] for probe in probes.values())
        rounds, baselines = paired(
            lambda: probes["one"].round(waits), lambda: probes["other"].round(waits), null_control=True
        )
    assert every_wait_made(rounds + baselines, concurrency, waits)
