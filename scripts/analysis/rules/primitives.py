"""The pieces every rule is written with.

A rule selects its rows by measurement name (`Run`), turns timings into ratios with intervals (`ratios`), judges
each ratio against two named bars (`Bars.judge`) or takes each behavioural fact as it stands (`Part(True)`,
`Part(False)`, `Part(None, "why unknown")`), and hands the named parts to `combine`, which decides with one order
of checks:

1. some parts hold and others fail: `partly` (no undecided part could change that), saying which failed;
2. otherwise a part is undecided: `inconclusive`, saying which and why;
3. otherwise every part fails: `refuted`; every part holds: `confirmed`.
"""

import collections
import math

import numpy as np
from analysis import stats
from analysis.records import BASELINE, RAW

# `interval` is the stats.Interval the verdict was decided on; None where behaviour alone decided.
Verdict = collections.namedtuple("Verdict", "verdict evidence numbers interval")
# holds: True, False, or None when undecided; reason: why it fails or is undecided; interval: what was judged.
Part = collections.namedtuple("Part", "holds reason interval")
Part.__new__.__defaults__ = ("", None)

NO_SCALING = 1.1  # a speedup at or under this is no speedup (CPython's Tools/ftscalingbench draws the same line)
SCALING_SHARE = 0.5  # "scales": at least half the ideal extra speed, 1 + 0.5 x (P - 1) on P processors...
PARALLEL_PROOF = 2.0  # ...or twice serial speed, which one core cannot give: more cores only measure efficiency


class UndeclaredMeasurement(KeyError):
    """A rule asked for a measurement its registration does not name."""


class Run:
    """The rows of one machine, interpreter and GIL state that a rule may read, by measurement name."""

    def __init__(self, rows, reads):
        self.rows = rows
        self.reads = tuple(reads)

    def __call__(self, measurement, **where):
        """The rows of `measurement` whose columns equal every value in `where`."""
        if measurement not in self.reads:
            raise UndeclaredMeasurement("{!r} is not among the measurements this rule reads".format(measurement))
        return select(self.rows, measurement=measurement, **where)

    @property
    def usable_cpus(self):
        return int(self.rows["cpu_usable"].iloc[0])


def inconclusive(reason, interval=None, **numbers):
    return Verdict("inconclusive", reason, numbers, interval)


def select(rows, **where):
    """Rows whose columns equal every value in `where`; none when a column is absent."""
    for column, value in where.items():
        if column not in rows:
            return rows.iloc[0:0]
        rows = rows[rows[column] == value]
    return rows


def rounds_of(rows, **where):
    """Every recorded round's time of the rows matching `where`, pooled."""
    found = select(rows, **where)
    return np.concatenate([np.asarray(r, float) for r in found[RAW]]) if len(found) else np.array([])


def speedup(row):
    """Weak scaling: N x the baseline (one task, serially) over the round (N tasks on N workers), per pair."""
    return stats.ratio(row[BASELINE], row[RAW], scale=row["workers"])


def uneven_rounds(rows):
    """'; rounds that began with CPUs at uneven speed, left out: fork 3 of 9 ...' for the rows of `rows` ({name: row})
    that lost some, or ''."""
    lost = {name: row for name, row in rows.items() if row.get("rounds_uneven", 0) > 0}  # NaN: not compared
    if not lost:
        return ""
    return "; rounds that began with CPUs at uneven speed, left out: {} (the slowest up to {:.2f}x the fastest)".format(
        ", ".join(
            "{} {} of {}".format(name, int(row["rounds_uneven"]), int(row["rounds"])) for name, row in lost.items()
        ),
        max(row["cpu_spread_max"] for row in lost.values()),
    )


def cost(row):
    """How many times its baseline a contender took: round over baseline, per pair."""
    return stats.ratio(row[RAW], row[BASELINE])


def judged_workers(rows):
    """The one N at which CPU-bound scaling is judged: the largest measured N that the usable CPUs can all run at
    once (N = P where the grid has it). Judging the best of several N would pick noise. None below 2 usable CPUs."""
    usable = float(rows["cpu_usable"].iloc[0])
    fitting = [int(n) for n in rows["workers"].dropna().unique() if n <= usable]
    return max(fitting) if usable >= 2 and fitting and max(fitting) >= 2 else None


def scaling_bar(parallelism):
    """The speedup that shows work ran on several cores at once on P = `parallelism` processors."""
    return min(1 + SCALING_SHARE * (parallelism - 1), PARALLEL_PROOF)


class Bars(collections.namedtuple("Bars", "low high low_word high_word unit")):
    """Two bars on a ratio (or a share, a count: `unit`): at or under `low` it is `low_word`, at or over `high` it
    is `high_word`; strictly between the two it is neither, and an interval that straddles a bar decides nothing.
    One bar is two equal ones."""

    def classify(self, interval):
        """ "low", "high", "between" or "noisy"."""
        if stats.at_most(interval, self.low):
            return "low"
        if stats.at_least(interval, self.high):
            return "high"
        if interval.low > self.low and interval.high < self.high:
            return "between"
        return "noisy"

    def word(self, side):
        bar = self.low if side == "low" else self.high
        return "{}: {} {}{}".format(
            getattr(self, side + "_word"), "<=" if side == "low" else ">=", _bar(bar), self.unit
        )

    def undecided(self, interval):
        """Why an interval that is neither low nor high decides nothing."""
        if self.classify(interval) == "between":
            return "between {} ({}{}) and {} ({}{})".format(
                self.low_word, _bar(self.low), self.unit, self.high_word, _bar(self.high), self.unit
            )
        return too_noisy(interval, self.low, self.high)

    def judge(self, interval, holds):
        """The Part an interval makes for a claim that holds on the `holds` side ("low" or "high")."""
        side = self.classify(interval)
        if side in ("low", "high"):
            return Part(side == holds, self.word(side), interval)
        return Part(None, self.undecided(interval), interval)


Bars.__new__.__defaults__ = ("x",)


def exact(value):
    """A number measured without resampling (a count, a share of a total), as an interval of its own width 0."""
    return stats.Interval(value, value, value, "exact")


def scaling_bars(parallelism):
    """No speedup (<= 1.1x) against scaling (>= 1 + 0.5 (P - 1)) on P processors."""
    return Bars(NO_SCALING, scaling_bar(parallelism), "no speedup", "scales")


def _bar(value):
    return "{:.2f}".format(value).rstrip("0").rstrip(".") if value != int(value) else "{:g}".format(value)


def too_noisy(interval, *bars):
    """The reason for an interval that decides nothing: which bar it straddles, or that there is none."""
    if math.isnan(interval.low):
        return "too noisy: {} rounds give no interval".format(interval.rounds)
    bar = next((b for b in bars if interval.low < b < interval.high), bars[0])
    return "too noisy: CI [{:.2f}, {:.2f}] straddles {:.2f}".format(interval.low, interval.high, bar)


def combine(evidence, parts, numbers, interval=None):
    """The verdict of named parts, by the module's one order of checks. A confirmed or refuted verdict's evidence
    ends with the parts' reasons (the bars they cleared). An inconclusive verdict carries the interval of its first
    undecided part (the one that straddles a bar); any other carries `interval` when given, else that of its first
    failed part (partly) or first part (confirmed, refuted)."""
    held = [name for name, part in parts.items() if part.holds is True]
    failed = [name for name, part in parts.items() if part.holds is False]
    undecided = [name for name, part in parts.items() if part.holds is None]
    if not parts:
        return Verdict("inconclusive", evidence + "; nothing to judge", numbers, interval)
    if held and failed:
        verdict, deciding = "partly", failed
        evidence += "; but " + "; ".join(_named(name, parts[name]) for name in failed)
    elif undecided:
        verdict, deciding = "inconclusive", undecided
        evidence += "; " + "; ".join(_named(name, parts[name]) for name in undecided)
    else:
        verdict, deciding = "confirmed" if held else "refuted", list(parts)
        reasons = list(collections.OrderedDict.fromkeys(part.reason for part in parts.values() if part.reason))
        evidence += " ({})".format(", ".join(reasons)) if reasons else ""
    first = parts[deciding[0]].interval
    if verdict == "inconclusive" and first is not None or interval is None:
        interval = first
    return Verdict(verdict, evidence, numbers, interval)


def _named(name, part):
    return "{}: {}".format(name, part.reason or ("no" if part.holds is False else "unknown"))


def best(intervals):
    """Of `intervals`, the one surest to clear a bar from below: the highest lower bound (then the highest value);
    one without a bound (too few rounds) after any with one."""

    def key(interval):
        return tuple(-math.inf if math.isnan(v) else v for v in (interval.low, interval.value))

    return max(intervals, key=key)


def weakest(intervals, side):
    """Of `intervals`, the one closest to failing a claim that holds on `side`: the lowest if "high", else the
    highest; one without a value (no rounds left) before any."""
    if side == "high":
        return min(intervals, key=lambda interval: -math.inf if math.isnan(interval.value) else interval.value)
    return max(intervals, key=lambda interval: math.inf if math.isnan(interval.value) else interval.value)
