"""C08, from experiments/test_c08_killable.py: can anything outside a thread end it against its will, and does
terminate()/kill() end a spinning child process?

Behaviour decides: a kill is something the target cannot refuse. A thread counts as killable if threading.Thread
has a kill-like method, if a running task's Future can be cancelled, or if an exception raised into it from
outside could neither be caught by it nor wait for a blocking call to return. A child process counts as
killable under a start method when terminate() and kill() each ended it, within the test's join timeout, in
every round. The times (median, ms) are reported, not judged: any finite time is a kill.
"""

from experiments.runners import PROCESS_MODELS
from rules.common import Verdict, inconclusive, select

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


def _process_stops(processes):
    """{model: {how: (ended in every round, median ms)}} for the models with both ways recorded."""
    found = {}
    for model in PROCESS_MODELS:
        ways = {}
        for how in HOWS:
            row = select(processes, model=model, how=how)
            if not row.empty:
                row = row.iloc[0]
                ways[how] = (row["ended_rounds"] == row["started_rounds"], 1000 * row["median_s"])
        if len(ways) == len(HOWS):
            found[model] = ways
    return found


def processes_killable_threads_not(rows):
    """C08 holds when nothing stops a thread from outside (only its own checks do) and terminate() and kill()
    end a spinning child process under every start method measured."""
    threads = select(rows, test="test_stop_a_spinning_thread")
    stops = _process_stops(select(rows, test="test_stop_a_spinning_process"))
    if threads.empty or not stops:
        return inconclusive("no records of stopping a thread and a child process")
    facts = threads.iloc[0]
    levers = _thread_levers(facts)
    killed = [m for m, ways in stops.items() if all(ended for ended, _ in ways.values())]
    survived = [m for m in stops if m not in killed]
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
                if m in killed
                else "never ({})".format(m)
                for m, ways in stops.items()
            ),
        )
    )
    if not levers and not survived:
        return Verdict("confirmed", evidence, numbers, None)
    if levers and not killed:
        return Verdict("refuted", evidence, numbers, None)
    wrong = []
    if levers:
        wrong.append("a thread was stopped from outside by " + " and ".join(levers))
    if survived:
        wrong.append("a child outlived terminate() or kill() under " + ", ".join(survived))
    return Verdict("partly", evidence + "; but " + "; ".join(wrong), numbers, None)
