"""C18, from experiments/test_c18_post_multiprocessing_example.py: the post's multiprocessing example prints
`result` after its processes computed 49, under the comment "Wont print because processes run using their own
memory location". Does the 49 reach the parent, and is separate memory why not?

The example as written cannot say why: calc_square's `result = number * number` assigns a local name, so the same
file with threads in place of processes prints None too; the rule reports that, and judges the reason on the
variant that adds `global result` to calc_square, where a worker assigns the very global the parent prints.
Behaviour decides; each outcome must be the same in every round.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

EXPECTED = "49"  # the post's number = 7, squared, as print() writes it
VARIANTS = {"as_written": "as written", "global_result": "with `global result` in calc_square"}


def _printed(run, variant):
    """{model: what print(result) printed, or None where rounds disagreed} and the models whose worker did not
    compute 49 in every round, for one variant of the example."""
    printed, idle = {}, []
    for _, row in run("post_example", variant=variant).iterrows():
        seen = set(row["printed_per_round"])
        printed[row["model"]] = seen.pop() if len(seen) == 1 else None
        if not row["worker_printed_49"]:
            idle.append(row["model"])
    return printed, idle


def _name(model):
    return "/".join(model) if isinstance(model, tuple) else model


def _agreed(printed, models, value, failed):
    """A Part: every model in `models` printed `value` in every round; `failed` says what it means when not."""
    if any(printed[m] is None for m in models):
        return Part(None, "rounds disagree ({})".format("/".join(_name(m) for m in models if printed[m] is None)))
    held = all(printed[m] == value for m in models)
    return Part(held, "" if held else failed)


@rule(
    "C18",
    "post_example",
    "handed_back",
    cannot={
        "refuted": "A child process writes to its own copy of the module (fork copies the parent's memory, spawn and "
        "forkserver start a new interpreter), so under no start method can the parent's print(result) show the "
        "child's 49.",
        "partly": "Both parts rest on the same two guarantees, that a joined thread's assignment to a module global "
        "is the parent's and a child process's never is, so one part cannot hold while the other fails.",
    },
)
def child_value_never_returns(run):
    """C18:
    confirmed: under every start method print(result) printed None after the child computed 49, in the example as
    written and in the global-result variant, while the variant's threads printed 49 (separate memory is why);
    refuted: cannot occur (see `cannot`);
    partly: cannot occur (see `cannot`);
    inconclusive: a variant or the threads control is missing, a worker did not compute 49, or a model's output
    differed between rounds."""
    written, written_idle = _printed(run, "as_written")
    variant, variant_idle = _printed(run, "global_result")
    processes = [m for m in process_models() if m in written and m in variant]
    if not processes or THREADS not in written or THREADS not in variant:
        return inconclusive("no records of both forms of the example run with processes and with threads")
    idle = sorted(set(written_idle) | set(variant_idle))
    if idle:
        return inconclusive(
            "calc_square did not compute {} in every round ({}): nothing to hand back".format(EXPECTED, "/".join(idle))
        )
    received = {}
    for _, row in run("handed_back").iterrows():
        received[(row["method"], row["channel"])] = all(str(got) == EXPECTED for got in row["received_per_round"])
    numbers = {
        "{}_{}_printed".format(m, v): str(p)
        for v, found in [("written", written), ("global", variant)]
        for m, p in found.items()
    }
    numbers.update(handed_back=sum(received.values()), hand_backs=len(received))

    def shown(printed):
        return "{} ({}), {} with threads".format(
            "/".join(str(printed[m]) for m in processes), "/".join(processes), printed[THREADS]
        )

    evidence = (
        "after calc_square computed {} in its worker, print(result) printed {} in the example as written "
        "(calc_square's `result` is a local name there, so threads lose it too: that None is not the reason the "
        "comment gives), and {} {}".format(EXPECTED, shown(written), shown(variant), VARIANTS["global_result"])
    )
    if received:
        evidence += "; {} of {} hand-backs by {} brought {} to the parent in every round".format(
            numbers["handed_back"], len(received), "/".join(sorted({c for _, c in received})), EXPECTED
        )
    parts = {
        "the parent never gets the child's value": _agreed(
            {(v, m): found[m] for v, found in [("written", written), ("global", variant)] for m in processes},
            [(v, m) for v in ("written", "global") for m in processes],
            "None",
            "a process's value reached the parent's print",
        ),
        "separate memory is why": _agreed(
            variant, [THREADS], EXPECTED, "threads assigning the global did not print {} either".format(EXPECTED)
        ),
    }
    return combine(evidence, parts, numbers)
