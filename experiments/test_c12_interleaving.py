"""C12: do the post's two threads run "in parallel", or one at a time?

The post's threading example: "# Will execute both in parallel"; its summary: the GIL prevents conflicts "by
executing only one statement at a time (serial processing, or single-threading)".

Measured: two threads released together, each running pure-Python CPU work that notes the time after every few
thousand bytecodes (`stamped_spin`), at the default switch interval (5 ms) and at 1 ms. From the time stamps, per
round: the share of their running time in which both threads were running at the same instant (overlap: the
example's "in parallel"), and how many switch intervals they spent inside their loops together (too few, and a GIL
had no chance to make them take turns). Over all rounds: the share of windows of WINDOW_SWITCHES switch intervals
in which both made progress (interleaving: the summary's "one at a time"); how long a thread ran before the other
got its turn (median and 90th percentile, against sys.getswitchinterval()); and the two threads' CPU seconds per
second of wall time. Rule: `c12.threads_run_in_parallel` in scripts/analysis/rules/c12.py.
"""

import bisect
import statistics

import pytest

from experiments import machine
from experiments.profiles import scaled
from experiments.together import run_together, switch_interval
from experiments.workloads.cpu import stamped_spin

pytestmark = pytest.mark.claim("C12")
FULL_STAMPS = 6000  # time stamps per thread (~10 us apart here: ~60 ms of CPU each, ~18 ms in quick)
SPIN = 1000  # empty loop turns between two stamps: far finer than any switch interval
SWITCH_INTERVALS_MS = [5.0, 1.0]  # CPython's default, and a finer one: turns should follow it
WINDOW_SWITCHES = 4  # a window of this many switch intervals holds several turns when threads take turns
RUNNING_GAP_SHARE = 0.1  # a thread is running between two of its stamps closer than this x the switch interval
GIL_OVERLAP_CEILING = 0.01  # under a GIL only the edges of a turn can overlap, each shorter than the gap above


def common_span(stamps):
    """From the later first stamp to the earlier last one: when both threads were inside their loops."""
    return max(s[0] for s in stamps), min(s[-1] for s in stamps)


def running_spans(times, gap, begin, end):
    """Spans of `times` (clipped to [begin, end]) in which consecutive stamps are at most `gap` apart."""
    spans = []
    for before, after in zip(times, times[1:]):
        if after - before > gap or after <= begin or before >= end:
            continue
        low, high = max(before, begin), min(after, end)
        if spans and spans[-1][1] == low:
            spans[-1][1] = high
        else:
            spans.append([low, high])
    return spans


def overlap(stamps, gap):
    """(time both threads were running, time either was) within their common span."""
    begin, end = common_span(stamps)
    first, second = (running_spans(times, gap, begin, end) for times in stamps)
    both, i, j = 0.0, 0, 0
    while i < len(first) and j < len(second):
        both += max(0.0, min(first[i][1], second[j][1]) - max(first[i][0], second[j][0]))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    either = sum(h - low for low, h in first) + sum(h - low for low, h in second) - both
    return both, either


def windows_with_both(stamps, window):
    """(windows of `window` seconds within the common span in which both threads stamped, windows)."""
    begin, end = common_span(stamps)
    count = int((end - begin) // window)
    both = 0
    for k in range(count):
        low = begin + k * window
        both += all(bisect.bisect_left(times, low + window) > bisect.bisect_left(times, low) for times in stamps)
    return both, count


def turns(stamps):
    """(seconds, stamps) of every turn but the first and last: how long one thread ran before the other did."""
    merged = sorted([(t, 0) for t in stamps[0]] + [(t, 1) for t in stamps[1]])
    starts = [0] + [k for k in range(1, len(merged)) if merged[k][1] != merged[k - 1][1]] + [len(merged)]
    return [(merged[b][0] - merged[a][0], b - a) for a, b in zip(starts[1:-2], starts[2:-1])]


def summarise(runs, interval):
    """What the rounds `runs` ([(times, CPU seconds)] per thread, per round) show, as extra_info values."""
    gap = RUNNING_GAP_SHARE * interval
    both = either = windows_both = windows = together = 0
    lengths, sizes, cpu_per_wall, by_round = [], [], [], []
    for run in runs:
        stamps = [times for times, _ in run]
        shared, total = overlap(stamps, gap)
        both, either = both + shared, either + total
        by_round.append(shared / total if total else None)
        begin, end = common_span(stamps)
        together += max(0.0, end - begin)
        hits, count = windows_with_both(stamps, WINDOW_SWITCHES * interval)
        windows_both, windows = windows_both + hits, windows + count
        taken = turns(stamps)
        lengths += [seconds for seconds, _ in taken]
        sizes += [size for _, size in taken]
        wall = max(s[-1] for s in stamps) - min(s[0] for s in stamps)
        cpu_per_wall.append(sum(cpu for _, cpu in run) / wall)
    return {
        "overlap_share": both / either if either else None,
        "overlap_share_by_round": by_round,
        "switch_intervals_together": together / interval,
        "windows": windows,
        "windows_both_share": windows_both / windows if windows else None,
        "turns": len(lengths),
        "turn_median_s": statistics.median(lengths) if lengths else None,
        "turn_p90_s": statistics.quantiles(lengths, n=10)[-1] if len(lengths) > 1 else None,
        "turn_median_stamps": statistics.median(sizes) if sizes else None,
        "threads_cpu_per_wall": statistics.median(cpu_per_wall),
    }


def two_spinning_threads(stamps):
    return run_together([(stamped_spin, (stamps, SPIN))] * 2)


def test_turns_windows_and_overlap_of_threads_that_take_5_ms_turns():
    ms = 0.001
    first = [k * 0.01 * ms for k in range(500)] + [10 * ms + k * 0.01 * ms for k in range(500)]
    second = [5 * ms + k * 0.01 * ms for k in range(500)] + [15 * ms + k * 0.01 * ms for k in range(500)]
    stamps = [first, second]
    assert [round(seconds / ms, 2) for seconds, _ in turns(stamps)] == [5.0, 5.0]
    assert overlap(stamps, 0.1 * ms)[0] == 0
    assert windows_with_both(stamps, 2 * ms) == (1, 4) and windows_with_both(stamps, 4 * ms) == (1, 2)


def test_overlap_of_threads_that_run_at_once_is_all_their_time():
    stamps = [[k * 1e-5 for k in range(1000)], [k * 1e-5 + 5e-6 for k in range(1000)]]
    both, either = overlap(stamps, 1e-4)
    assert both / either == pytest.approx(1, abs=0.01)


def test_two_cpu_bound_threads_both_finish_their_work():
    runs = two_spinning_threads(1000)
    assert [len(times) for times, _ in runs] == [1000, 1000]
    assert all(cpu > 0 for _, cpu in runs)


def test_under_the_gil_two_cpu_bound_threads_never_run_at_once():
    if not machine.gil_enabled():
        pytest.skip("no GIL on this build: threads may run at the same instant")
    with switch_interval(0.001) as interval:
        summary = summarise([two_spinning_threads(3000)], interval)
    assert summary["overlap_share"] < GIL_OVERLAP_CEILING and summary["turns"] > 0


@pytest.mark.measurement("interleaving")
@pytest.mark.parametrize("switch_interval_ms", SWITCH_INTERVALS_MS)
def test_interleaving(bench, each_round, profile, switch_interval_ms):
    stamps = scaled(FULL_STAMPS, profile)
    with switch_interval(switch_interval_ms / 1000) as interval:
        kept = each_round(two_spinning_threads, stamps)
    assert all([len(times) for times, _ in run] == [stamps, stamps] for run in kept)
    bench.extra_info.update(
        switch_interval_s=interval,
        stamps=stamps,
        spin=SPIN,
        window_switches=WINDOW_SWITCHES,
        running_gap_share=RUNNING_GAP_SHARE,
        **summarise(kept, interval),
    )
