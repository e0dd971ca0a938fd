"""C12, from experiments/test_c12_interleaving.py: do two CPU-bound threads run at the same instant, or take
turns, and do they take them often enough that both progress within every few switch intervals?
Decided on behaviour (time stamps), at every switch interval measured.
"""

from analysis.rules import rule
from analysis.rules.primitives import Part, combine, inconclusive

MEASUREMENT = "interleaving"
# Share of the threads' running time in which both ran at once. One at a time gives 0 (only a turn's edges,
# each under a tenth of a switch interval, can touch); two threads on two free CPUs give close to 1.
NO_OVERLAP = 0.05
PARALLEL = 0.5  # more than half their time at once cannot happen one at a time, whatever the noise
# Share of windows of a few switch intervals in which both threads progressed. Taking turns every switch
# interval puts both in every window; a thread that ran on alone for a whole window is no interleaving.
INTERLEAVED = 0.9
# CPU-seconds per second the pair must get for a window without one of them to say anything about the GIL: one at
# a time they use one CPU; with less, another load on the machine took turns from them, and the OS made the gaps.
FULL_CPU = 0.9


def _describe(row):
    return (
        "at a {:g} ms switch interval the two threads ran at once {:.1%} of the time, both progressed in {:.0%} of "
        "{:.0f} windows of {:.0f} intervals, a turn lasted a median {:.2f} ms (p90 {:.2f} ms; {:,.0f} loop turns) "
        "and they used {:.2f} CPU-seconds per second".format(
            row["switch_interval_s"] * 1000,
            row["overlap_share"],
            row["windows_both_share"],
            row["windows"],
            row["window_switches"],
            row["turn_median_s"] * 1000,
            row["turn_p90_s"] * 1000,
            row["turn_median_stamps"] * row["spin"],
            row["threads_cpu_per_wall"],
        )
    )


def _intervals(rows):
    return "/".join("{:g}".format(s * 1000) for s in rows["switch_interval_s"])


def one_at_a_time(measured):
    """Whether the threads ran one at a time at every switch interval (a share, so no interval and no Bars)."""
    overlaps = measured["overlap_share"]
    if (overlaps <= NO_OVERLAP).all():
        return Part(True, "one at a time: <= {:.0%} at once".format(NO_OVERLAP))
    if (overlaps >= PARALLEL).all():
        return Part(False, "in parallel: >= {:.0%} at once".format(PARALLEL))
    return Part(None, "overlap neither under {:.0%} nor over {:.0%} everywhere".format(NO_OVERLAP, PARALLEL))


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


@rule("C12", MEASUREMENT)
def threads_interleave(run):
    """C12 holds (threads take turns, one at a time) when two CPU-bound threads are both running less than 5% of
    their time and both progress in at least 90% of windows of a few switch intervals, at every switch interval
    measured; partly when they run one at a time but one runs on alone through more windows while the pair gets a
    full CPU; refuted when they run at once more than half their time (then they do run in parallel)."""
    if run.usable_cpus < 2:
        return inconclusive("only 1 usable CPU: two threads could not run at once here, GIL or not")
    measured = run(MEASUREMENT)
    needed = ["overlap_share", "windows_both_share", "turn_median_s", "turn_p90_s"]
    if measured.empty or any(c not in measured or measured[c].isna().any() for c in needed):
        return inconclusive("no interleaving records with two turns or more to measure")
    measured = measured.sort_values("switch_interval_s", ascending=False)
    numbers = {}
    for row in measured.to_dict("records"):
        ms = "{:g}ms".format(row["switch_interval_s"] * 1000)
        numbers.update(
            {
                "overlap_share_" + ms: round(row["overlap_share"], 4),
                "windows_both_share_" + ms: round(row["windows_both_share"], 3),
                "turn_median_ms_" + ms: round(row["turn_median_s"] * 1000, 3),
                "turn_p90_ms_" + ms: round(row["turn_p90_s"] * 1000, 3),
            }
        )
    evidence = "; ".join(_describe(row) for row in measured.to_dict("records"))
    parts = {"one at a time": one_at_a_time(measured), "interleaved": interleaved(measured)}
    return combine(evidence, parts, numbers)
