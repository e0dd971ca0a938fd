"""C12, from experiments/test_c12_interleaving.py: the post's threading example says "# Will execute both in
parallel"; its summary says the GIL executes "only one statement at a time". The two halves say opposite things
about the same two threads, so each gets its own outcome.

The verdict judges the example's comment: do two CPU-bound threads run at the same instant? Measured by the share
of their running time in which both were running at once, per round (time stamps, a within-round measure), at
CPython's default switch interval: what the example gets as written. The summary's half, "one at a time,
interleaved", gets its own outcome in the numbers (`one_at_a_time_outcome`) and in the evidence sentence, from
every switch interval measured: one at a time (overlap <= 5%) and interleaved (both progressed in >= 90% of
windows of a few switch intervals).
"""

import numpy as np
from analysis import stats
from analysis.rules import rule
from analysis.rules.primitives import Bars, Part, combine, inconclusive

MEASUREMENT = "interleaving"
DEFAULT_SWITCH_INTERVAL_S = 0.005  # CPython's default: the example as written runs at it
# Share of the threads' running time in which both ran at once. One at a time gives 0 (only a turn's edges,
# each under a tenth of a switch interval, can touch); two threads on two free CPUs give close to 1.
NO_OVERLAP = 0.05
PARALLEL = 0.8  # most of their time at once: in parallel but for the edges of their work and the OS's other work
AT_ONCE = Bars(NO_OVERLAP, NO_OVERLAP, "took turns", "ran at once", " of their time")
MOSTLY = Bars(PARALLEL, PARALLEL, "not most of the time", "at once most of the time", " of their time")
# Switch intervals the two threads must spend inside their loops together, over all rounds: fewer, and a GIL had
# too few chances to make them take turns (under a GIL, about one turn per interval).
MIN_INTERVALS_TOGETHER = 20
# Share of windows of a few switch intervals in which both threads progressed. Taking turns every switch
# interval puts both in every window; a thread that ran on alone for a whole window is no interleaving.
INTERLEAVED = 0.9
# CPU-seconds per second the pair must get for a window without one of them to say anything about the GIL: one at
# a time they use one CPU; with less, another load on the machine took turns from them, and the OS made the gaps.
FULL_CPU = 0.9


def _known(value):
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def _ms(row):
    return "{:g} ms".format(row["switch_interval_s"] * 1000)


def _share(interval):
    if np.isnan(interval.low):
        return "{:.1%} (no interval)".format(interval.value)
    return "{:.1%} [{:.1%}, {:.1%}]".format(interval.value, interval.low, interval.high)


def _intervals(rows):
    return "/".join("{:g}".format(s * 1000) for s in rows["switch_interval_s"])


def one_at_a_time(measured):
    """Whether the threads ran one at a time at every switch interval (a share, so no interval and no Bars)."""
    overlaps = measured["overlap_share"]
    if (overlaps <= NO_OVERLAP).all():
        return Part(True, "one at a time: <= {:.0%} at once".format(NO_OVERLAP))
    if (overlaps >= NO_OVERLAP).all():
        return Part(False, "at once: >= {:.0%} of their time".format(NO_OVERLAP))
    return Part(None, "under {:.0%} at once at some switch intervals and not at others".format(NO_OVERLAP))


def interleaved(measured):
    """Whether the threads took turns often enough that both progressed in nearly every window."""
    turns = measured[measured["overlap_share"] <= NO_OVERLAP]  # threads that ran at once took no turns
    alone = turns[turns["windows_both_share"] < INTERLEAVED]
    starved = alone[alone["threads_cpu_per_wall"] < FULL_CPU]
    if turns.empty:
        return Part(False, "they took no turns")
    if len(starved):
        return Part(
            None,
            "at {} ms the threads got under {} CPU-seconds per second: another load took turns from them".format(
                _intervals(starved), FULL_CPU
            ),
        )
    if len(alone):
        return Part(
            False,
            "at {} ms one thread ran on alone through over {:.0%} of windows".format(
                _intervals(alone), 1 - INTERLEAVED
            ),
        )
    return Part(True, "interleaved: both progressed in >= {:.0%} of windows".format(INTERLEAVED))


def summary_half(measured):
    """The outcome of the summary's "only one statement at a time" (one at a time, interleaved), and why."""
    parts = {"one at a time": one_at_a_time(measured), "interleaved": interleaved(measured)}
    outcome = combine("", parts, {}).verdict
    reasons = "; ".join(part.reason for part in parts.values() if part.reason)
    return outcome, reasons


def _describe(row):
    return (
        "at {} they ran at once {:.1%} of their running time, both progressed in {:.0%} of {:.0f} windows of {:.0f} "
        "intervals, a turn lasted a median {:.2f} ms (p90 {:.2f} ms) and they used {:.2f} CPU-seconds per "
        "second".format(
            _ms(row),
            row["overlap_share"],
            row["windows_both_share"],
            row["windows"],
            row["window_switches"],
            row["turn_median_s"] * 1000,
            row["turn_p90_s"] * 1000,
            row["threads_cpu_per_wall"],
        )
    )


@rule("C12", MEASUREMENT)
def threads_run_in_parallel(run):
    """C12 judges the example's "# Will execute both in parallel" (at the default 5 ms switch interval; the
    summary's "one statement at a time" gets its own outcome in the numbers and the evidence):
    confirmed: two CPU-bound threads ran at the same instant >= 80% of their running time (a round's median);
    refuted: they ran at once <= 5% of it: they took turns (a GIL build);
    partly: they ran at once part of the time, between 5% and 80%;
    inconclusive: 1 usable CPU (two threads could not run at once here, GIL or not), under 20 switch intervals
    together (too few turns), no records, or the rounds' interval straddles 5% or 80%."""
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: two threads could not run at once here, GIL or not")
    measured = run(MEASUREMENT)
    needed = ["overlap_share", "overlap_share_by_round", "switch_intervals_together", "windows_both_share"]
    if measured.empty or any(c not in measured for c in needed):
        return inconclusive("no interleaving records")
    measured = measured.sort_values("switch_interval_s", ascending=False)
    default = measured[np.isclose(measured["switch_interval_s"], DEFAULT_SWITCH_INTERVAL_S)]
    if default.empty:
        return inconclusive("no interleaving records at the default 5 ms switch interval")
    row = default.iloc[0]
    if measured[needed].isna().any().any():
        return inconclusive("interleaving records without an overlap or a window to measure")
    if row["switch_intervals_together"] < MIN_INTERVALS_TOGETHER:
        return inconclusive(
            "the two threads spent {:.0f} switch intervals inside their loops together (under {}): too few turns "
            "to tell taking turns from running at once".format(row["switch_intervals_together"], MIN_INTERVALS_TOGETHER)
        )
    overlap = stats.median_interval([share for share in row["overlap_share_by_round"] if share is not None])
    outcome, reasons = summary_half(measured)
    numbers = {"overlap_share": round(overlap.value, 4), "one_at_a_time_outcome": outcome}
    for found in measured.to_dict("records"):
        ms = "{:g}ms".format(found["switch_interval_s"] * 1000)
        numbers.update(
            {
                "overlap_share_" + ms: round(found["overlap_share"], 4),
                "switch_intervals_together_" + ms: round(found["switch_intervals_together"], 1),
                "windows_both_share_" + ms: round(found["windows_both_share"], 3),
            }
        )
        if _known(found["turn_median_s"]):
            numbers["turn_median_ms_" + ms] = round(found["turn_median_s"] * 1000, 3)
    evidence = (
        "at the default 5 ms switch interval the two CPU-bound threads ran at the same instant {} of their running "
        "time (a round's median, over {:.0f} switch intervals together); the summary's \"only one statement at a "
        'time": {} ({}); {}'.format(
            _share(overlap),
            row["switch_intervals_together"],
            outcome,
            reasons,
            "; ".join(_describe(found) for found in measured.to_dict("records") if _known(found["turn_p90_s"])),
        )
    )
    parts = {
        "at the same instant": AT_ONCE.judge(overlap, holds="high"),
        "most of the time": MOSTLY.judge(overlap, holds="high"),
    }
    return combine(evidence, parts, numbers)
