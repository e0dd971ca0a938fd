"""C08, from experiments/test_c08_killable.py: can anything outside a thread end it against its will, and does
terminate()/kill() end a spinning child process?

Behaviour decides: a kill is something the target cannot refuse. A thread counts as killable if threading.Thread
has a kill-like method, if a running task's Future can be cancelled, or if an exception raised into it from
outside (PyThreadState_SetAsyncExc) ends even a thread that catches it and means to go on. Each lever is tried
once per round; it decides only when every try agrees (a lever that works now and then, as the raised exception
does on 3.13.0, settles nothing). A child process counts as killable under a start method when kill(), which it
cannot refuse, ended it within the test's join timeout in every round. What terminate() did (a child may refuse
SIGTERM), whether the raised exception reaches a thread blocked in a C call, and every time taken (median, ms) are
reported, not judged: any finite time is a kill.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import process_models

HOWS = ["terminate", "kill"]


def _lever(worked, tries, what, unit="tries"):
    """The Part a lever makes on "a thread cannot be stopped from outside": it holds when the lever worked in no
    try, fails when in every try, and is undecided in between."""
    if worked == 0:
        return Part(True)
    if worked == tries:
        return Part(False, "{} in every one of {} {}".format(what, tries, unit))
    return Part(None, "{} in {} of {} {}".format(what, worked, tries, unit))


def _process_stops(run):
    """({model: {how: (rounds ended, rounds started, median ms)}} for the models with both ways recorded,
    [(model, how, exit codes other than the signal's)])."""
    found, unusual = {}, []
    for model in process_models():
        ways = {}
        for how in HOWS:
            row = run("stop_a_process", model=model, how=how)
            if not row.empty:
                row = row.iloc[0]
                ways[how] = (int(row["ended_rounds"]), int(row["started_rounds"]), 1000 * float(row["median_s"]))
                other = sorted({c for c in row["exitcodes"] if c is not None and c != row["signal_exitcode"]})
                if other:
                    unusual.append((model, how, other, int(row["signal_exitcode"])))
        if len(ways) == len(HOWS):
            found[model] = ways
    return found, unusual


@rule(
    "C08",
    "stop_a_thread",
    "stop_a_process",
    cannot={
        "refuted": "kill() sends SIGKILL (TerminateProcess on Windows), which no process can catch, block or ignore, "
        "so a spinning child always ends and the process half of the claim holds wherever CPython runs.",
    },
)
def processes_killable_threads_not(run):
    """C08:
    confirmed: threading.Thread has no kill method, a running task's Future is never cancelled, and a thread that
    catches an exception raised into it goes on in every try, while kill() ends a spinning child of every start
    method in every round;
    refuted: cannot occur (see `cannot`);
    partly: a lever stopped a thread in every try (e.g. the raised exception ending a thread that catches it, as
    3.13.0 often does), while every child was killed;
    inconclusive: no records of a thread or of both ways of stopping a child, or a lever or a kill that worked in
    some tries and not others."""
    threads = run("stop_a_thread")
    stops, unusual = _process_stops(run)
    if threads.empty or not stops:
        return inconclusive("no records of stopping a thread and a child process")
    facts = threads.iloc[0]
    tries, blocked = int(facts["tries"]), int(facts["blocked_tries"])
    numbers = {
        "thread_kill_api": facts["thread_kill_api"],
        "tries": tries,
        "cancelled_tries": int(facts["running_task_cancelled_tries"]),
        "caught_tries": int(facts["raised_exit_caught_tries"]),
        "ended_catching_tries": int(facts["raised_exit_ended_catching_tries"]),
        "cooperative_stop_ms": round(1000 * float(facts["median_s"]), 3),
    }
    numbers.update(
        {"{}_{}_ms".format(m, how): round(ms, 3) for m, ways in stops.items() for how, (_, _, ms) in ways.items()}
    )
    evidence = (
        "threading.Thread has {} kill method; of {} tries, a running task's Future.cancel() cancelled it {}, an "
        "exception raised into a thread from outside (PyThreadState_SetAsyncExc) ended a spinning thread {}, and one "
        "that catches it caught it and went on {} and was ended all the same {}; it reached a thread blocked in a "
        "lock wait before the wait returned in {} of {} tries; a cooperative stop took {:.3f} ms; a spinning child "
        "was gone after terminate()/kill() in {}".format(
            "a" if facts["thread_kill_api"] != "none" else "no",
            tries,
            _times(numbers["cancelled_tries"]),
            _times(int(facts["raised_exit_ends_spinning_tries"])),
            _times(numbers["caught_tries"]),
            _times(numbers["ended_catching_tries"]),
            int(facts["raised_exit_reaches_blocked_tries"]),
            blocked,
            numbers["cooperative_stop_ms"],
            ", ".join(_stopped(m, ways) for m, ways in stops.items()),
        )
    )
    evidence += "".join(
        " ({} child after {}(): exit code {}, not {}: it handled the signal, as a forked child does with a handler "
        "its parent installed)".format(model, how, "/".join(str(c) for c in codes), expected)
        for model, how, codes, expected in unusual
    )
    api = facts["thread_kill_api"]
    parts = {
        "no kill method on threading.Thread": Part(api == "none", "" if api == "none" else "Thread." + api),
        "a running thread task cannot be cancelled": _lever(
            numbers["cancelled_tries"], tries, "Future.cancel() cancelled it"
        ),
        "a thread can refuse an exception raised into it": _lever(
            numbers["ended_catching_tries"], tries, "it ended a thread that caught it"
        ),
    }
    for m, ways in stops.items():
        ended, started, _ = ways["kill"]
        parts["a {} child".format(m)] = _lever(started - ended, started, "it outlived kill()", "rounds")
    return combine(evidence, parts, numbers)


def _times(count):
    return {0: "never", 1: "once"}.get(count, "{} times".format(count))


def _stopped(model, ways):
    if all(done == total for done, total, _ in ways.values()):
        return "{:.1f}/{:.1f} ms ({})".format(ways["terminate"][2], ways["kill"][2], model)
    return "{}/{} of {} rounds ({})".format(
        ways["terminate"][0], ways["kill"][0], max(total for _, total, _ in ways.values()), model
    )
