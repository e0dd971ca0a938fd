"""C08, from experiments/test_c08_killable.py: can anything outside a thread end it against its will, and does
terminate()/kill() end a spinning child process?

Behaviour decides: a kill is something the target cannot refuse. A thread counts as killable if threading.Thread
has a kill-like method, if a running task's Future can be cancelled, or if an exception raised into it from
outside could neither be caught by it nor wait for a blocking call to return. A child process counts as
killable under a start method when terminate() and kill() each ended it, within the test's join timeout, in
every round. The times (median, ms) are reported, not judged: any finite time is a kill.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

from experiments.vocabulary import process_models

HOWS = ["terminate", "kill"]


def _thread_levers(facts):
    """What stopped a thread from outside without its cooperation; empty when nothing did."""
    levers = []
    if facts["thread_kill_api"] != "none":
        levers.append("Thread." + facts["thread_kill_api"])
    if facts["running_task_cancelled"]:
        levers.append("Future.cancel()")
    if facts["raised_exit_ends_spinning"] and not facts["raised_exit_caught"] and facts["raised_exit_reaches_blocked"]:
        levers.append("an exception raised into it")
    return levers


def _process_stops(run):
    """{model: {how: (ended in every round, median ms)}} for the models with both ways recorded."""
    found = {}
    for model in process_models():
        ways = {}
        for how in HOWS:
            row = run("stop_a_process", model=model, how=how)
            if not row.empty:
                row = row.iloc[0]
                ways[how] = (row["ended_rounds"] == row["started_rounds"], 1000 * row["median_s"])
        if len(ways) == len(HOWS):
            found[model] = ways
    return found


@rule("C08", "stop_a_thread", "stop_a_process")
def processes_killable_threads_not(run):
    """C08 holds when nothing stops a thread from outside (only its own checks do) and terminate() and kill()
    end a spinning child process under every start method measured."""
    threads = run("stop_a_thread")
    stops = _process_stops(run)
    if threads.empty or not stops:
        return inconclusive("no records of stopping a thread and a child process")
    facts = threads.iloc[0]
    levers = _thread_levers(facts)
    killed = {m: all(ended for ended, _ in ways.values()) for m, ways in stops.items()}
    numbers = {
        "thread_kill_api": facts["thread_kill_api"],
        "cooperative_stop_ms": round(1000 * float(facts["median_s"]), 3),
    }
    numbers.update(
        {"{}_{}_ms".format(m, how): round(float(ms), 3) for m, ways in stops.items() for how, (_, ms) in ways.items()}
    )
    evidence = (
        "threading.Thread has {} kill method, a running task's Future.cancel() {}; an exception raised into a "
        "thread from outside (PyThreadState_SetAsyncExc) {} a spinning thread, {} by one that catches it, and {} "
        "one blocked in a lock wait before the wait returned; a cooperative stop took {:.3f} ms; a spinning child "
        "was gone after terminate()/kill() in {}".format(
            "a" if facts["thread_kill_api"] != "none" else "no",
            "cancelled it" if facts["running_task_cancelled"] else "did not cancel it",
            "ended" if facts["raised_exit_ends_spinning"] else "did not end",
            "was caught and ignored" if facts["raised_exit_caught"] else "got past the except clause",
            "reached" if facts["raised_exit_reaches_blocked"] else "did not reach",
            numbers["cooperative_stop_ms"],
            ", ".join(
                "{:.1f}/{:.1f} ms ({})".format(ways["terminate"][1], ways["kill"][1], m)
                if killed[m]
                else "never ({})".format(m)
                for m, ways in stops.items()
            ),
        )
    )
    parts = {"a thread": Part(not levers, "stopped from outside by " + " and ".join(levers) if levers else "")}
    for m, ended in killed.items():
        parts["a {} child".format(m)] = Part(ended, "" if ended else "outlived terminate() or kill()")
    return combine(evidence, parts, numbers)
