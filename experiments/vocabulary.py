"""The words both worlds share: the experiments record them, the analysis selects by them.

Standard library only, and nothing that starts a thread or a process: scripts/ imports this module and no other
part of experiments/ but the claims registry. A worker model is registered here once, by name and kind; how to
run each kind lives in experiments/models.py.
"""

import collections

SUITE_VERSION = 2  # bump when a change makes new records incomparable with old ones; readers refuse other versions

# kind: "serial" (the caller itself), "thread", "process" (start_method says which), "interpreter" (a thread running
# in an interpreter of its own, PEP 734: experiments/models.py says where the module comes from).
Model = collections.namedtuple("Model", "name kind start_method")
MODELS = collections.OrderedDict()


def register(name, kind, start_method=None):
    """Add a worker model to every grid that asks for all models (`parallel_models`) and to the analysis."""
    if name in MODELS:
        raise ValueError("model {!r} is registered already".format(name))
    MODELS[name] = Model(name, kind, start_method)
    return MODELS[name]


register("serial", "serial")
register("threads", "thread")
for _method in ("fork", "spawn", "forkserver"):
    register(_method, "process", _method)
register("subinterpreters", "interpreter")

SERIAL = "serial"
THREADS = "threads"
SUBINTERPRETERS = "subinterpreters"


def models_of(kind):
    """Names of the models of one kind, in registration order."""
    return [model.name for model in MODELS.values() if model.kind == kind]


def process_models():
    return models_of("process")


def parallel_models():
    """Every model but serial: the grids that compare all ways of running work at once."""
    return [name for name in MODELS if name != SERIAL]


def is_process(name):
    return MODELS[name].kind == "process"


# CPUs whose slowest takes at most this many times the fastest's time on one task, each timed alone, are even. The
# bound is the rules' no-speedup bar (1.1x, analysis/rules/primitives.py): on even CPUs a serial baseline that
# happened to run on the slower one cannot by itself lift GIL-bound threads past it, and N tasks on N CPUs can still
# show N / 1.1 times serial speed. A CPU-bound scaling round that begins more uneven measures the machine's
# neighbours (experiments/harness/steady.py): the analysis decides on none of its numbers. The same bound, over the
# session's usual, is how much more the CPUs may slow all at once before a round waits (never left out for it).
EVEN_CPUS = 1.1

LIFECYCLES = ["warm", "cold"]  # a pool made before the clock, or made and shut down inside the measurement
BOUNDS = ["cpu", "io"]  # what limits a scaling curve: the usable CPUs, or nothing (waits overlap on any CPU)
PROFILES = ["full", "quick", "smoke"]  # most thorough first: a verdict comes from the first of these a setting has
DECISIVE_PROFILES = ["full", "quick"]  # a smoke run proves every benchmark runs and records; it decides nothing
