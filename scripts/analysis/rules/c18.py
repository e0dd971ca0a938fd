"""C18, from experiments/test_c18_post_multiprocessing_example.py: the post's multiprocessing example prints
`result` after its processes computed 49. Does the 49 reach the parent, is separate memory why not (the same
file with threads is the control), and do a Queue, a Pipe and a shared Value bring it back? Behaviour decides.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import THREADS, process_models

EXPECTED = 49  # the post's number = 7, squared
LOST_TOO = "the threads' value is lost too (calc_square's `result` is a local name), so the example cannot show it"


@rule("C18", "post_example", "handed_back")
def child_value_never_returns(run):
    """C18 is confirmed when, under every start method, the example prints None after its child computed 49,
    while the same file with threads prints 49: separate memory is then why. Partly when threads print None
    too (the example cannot show the reason it gives); refuted when a process run prints anything but None."""
    example = {row["model"]: row for _, row in run("post_example").iterrows()}
    processes = [m for m in process_models() if m in example]
    if not processes or THREADS not in example:
        return inconclusive("no records of the example run with processes and with threads")
    if not all(example[m]["worker_printed_49"] for m in processes):
        return inconclusive("the example's child never computed {}: nothing to hand back".format(EXPECTED))
    printed = {m: example[m]["printed_last"] for m in [THREADS] + processes}
    delivered = {
        (row["method"], row["channel"]): row["received"] == EXPECTED for _, row in run("handed_back").iterrows()
    }
    numbers = {m + "_printed": p for m, p in printed.items()}
    numbers.update(handed_back=sum(delivered.values()), hand_backs=len(delivered))
    evidence = (
        "after calc_square printed {} in its worker, print(result) printed {} ({}), and {} with threads "
        "in place of processes".format(
            EXPECTED, "/".join(printed[m] for m in processes), "/".join(processes), printed[THREADS]
        )
    )
    if delivered:
        channels = sorted({channel for _, channel in delivered})
        evidence += "; {} of {} hand-backs by {} brought {} to the parent".format(
            numbers["handed_back"], len(delivered), "/".join(channels), EXPECTED
        )
    lost = all(printed[m] == "None" for m in processes)
    # Separate memory shows as the cause only against the control: the same file with threads gets the value back.
    control = printed[THREADS] != "None"
    parts = {
        "the parent never gets the child's value": Part(lost),
        "separate memory is why": Part(lost and control, "" if control else LOST_TOO),
    }
    return combine(evidence, parts, numbers)
