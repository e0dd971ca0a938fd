"""REPORT.md and its plots from a tidy table: a verdict table, then a section per claim with its rule in one
sentence, the evidence and interval per interpreter, and its plots."""

import inspect
import math
import os
import re

import pandas as pd
from analysis import controls, plots, records
from analysis.rules import load, load_across
from analysis.scaling import SETTING

from experiments.claims import CLAIMS

OUTCOME = re.compile(r"(confirmed|refuted|partly|inconclusive)\b")  # how a docstring line naming an outcome starts
SHORT = 60  # characters of the post's words in the verdict table
# Plots of one run that only one experiment's records support
RUN_PLOTS = {
    "test_c06_responsiveness": plots.lateness_plot,
    "test_c16_memory_footprint": plots.memory_plot,
    "test_x03_threads_or_asyncio": plots.concurrency_plot,
    "test_x05_switch_interval": plots.switch_interval_plot,
}
ACROSS_INTERPRETERS = {"test_c20_lost_updates": plots.lost_updates_plot}  # one plot, a bar per interpreter


def setting_label(interpreter, gil_enabled, machine=None):
    """`cpython-3.13.15t (GIL off)`, with ` on <machine>` where the report holds more than one machine."""
    label = "{} (GIL {})".format(interpreter, "on" if gil_enabled else "off")
    return label + (" on {}".format(machine) if machine else "")


def ordered_settings(decided):
    """The settings of the verdicts, one per column: by machine, then interpreter in version order (a free-threaded
    build beside its GIL twin), then GIL state."""
    settings = decided.drop_duplicates(["machine", "interpreter", "gil_enabled"])
    key = [(s.machine, plots.version_order(s.interpreter), not s.gil_enabled) for s in settings.itertuples()]
    return [s for _, s in sorted(zip(key, settings.itertuples()), key=lambda pair: pair[0])]


def draw(table, curves, folder, link="plots"):
    """Every plot the runs support, drawn into `folder`; returns {claim ID: [paths as the report links them, under
    `link`]}."""
    os.makedirs(folder, exist_ok=True)
    drawn = {}

    def keep(claims, name):
        for claim in claims.split():
            drawn.setdefault(claim, []).append(link + "/" + name)

    for key, rows in table.groupby(SETTING + ["experiment"]):
        rows = records.chosen(rows)
        machine, interpreter, gil, experiment = key
        mine = curves
        for column, value in zip(SETTING + ["experiment"], key):
            mine = mine[mine[column] == value] if len(mine) else mine
        if len(mine):
            name = plots.safe_name(interpreter, "gil" if gil else "nogil", experiment, "scaling") + ".png"
            plots.scaling_plot(mine, rows, os.path.join(folder, name))
            keep(rows["claims"].iloc[0], name)
        for test, series in plots.payload_series(rows).items():
            name = plots.safe_name(interpreter, "gil" if gil else "nogil", experiment, test) + ".png"
            plots.payload_plot(series, os.path.join(folder, name))
            keep(rows["claims"].iloc[0], name)
        if experiment in RUN_PLOTS:
            name = plots.safe_name(interpreter, "gil" if gil else "nogil", experiment) + ".png"
            RUN_PLOTS[experiment](rows, os.path.join(folder, name))
            keep(rows["claims"].iloc[0], name)
    for experiment, plot in ACROSS_INTERPRETERS.items():
        mine = table[table["experiment"] == experiment]
        if len(mine):
            latest = pd.concat(records.chosen(rows) for _, rows in mine.groupby(SETTING))
            plot(latest, os.path.join(folder, experiment + ".png"))
            keep(latest["claims"].iloc[0], experiment + ".png")
    return drawn


def interval_text(row):
    if row["ratio"] is None or (isinstance(row["ratio"], float) and math.isnan(row["ratio"])):
        return "behaviour"
    if isinstance(row["ci_low"], float) and math.isnan(row["ci_low"]):
        return "{:.2f} (no interval)".format(row["ratio"])
    return "{:.2f} [{:.2f}, {:.2f}], {} pairs".format(row["ratio"], row["ci_low"], row["ci_high"], row["rounds"])


def _cell(found):
    """A verdict as the table shows it: marked when decided on a quick run, or on no decisive run at all."""
    if not len(found):
        return "not measured"
    row = found.iloc[0]
    return row["verdict"] + (" (quick)" if row["profile"] == "quick" else "")


def _rule_text(rule):
    """The rule's docstring, one line per outcome as written, and the outcomes it cannot reach with why."""
    items = []  # the heading, then one item per outcome; a line that names no outcome continues the one before
    for line in (line.strip() for line in inspect.getdoc(rule.function).splitlines() if line.strip()):
        if items and not OUTCOME.match(line):
            items[-1] += " " + line
        else:
            items.append(line)
    text = ["Rule `{}`: {}".format(rule.name, items[0])] + ["- {}".format(item) for item in items[1:]]
    text += ["- cannot be {}: {}".format(verdict, why) for verdict, why in rule.cannot.items()]
    return text


def _controls(table, decided):
    """The null controls of every run a verdict was decided on, and whether the run can be trusted."""
    lines = [
        "## Null controls",
        "",
        "Each kind of timed comparison has a control whose true ratio is 1 (a baseline timed against itself in the "
        "same pairs). A run whose control misses 1 is unreliable for that kind of measurement: no rule decides on it.",
        "",
        "| run | measurement | control | ratio | interval (coverage) | holds 1 |",
        "|---|---|---|---|---|---|",
    ]
    for run in sorted(decided["run"].unique()):
        found = controls.controls(table[table["run"] == run])
        for row in found.to_dict("records"):
            interval = (
                "no interval"
                if math.isnan(row["ci_low"])
                else "[{:.3f}, {:.3f}] ({:.1%})".format(row["ci_low"], row["ci_high"], row["coverage"])
            )
            holds = {True: "yes", False: "**no: unreliable**", None: "unchecked"}[row["holds"]]
            lines.append(
                "| {} | {} | {} | {:.3f} | {} | {} |".format(
                    run, row["measurement"], row["name"], row["ratio"], interval, holds
                )
            )
    return lines


def markdown(table, decided, drawn):
    runs = table[table["run"].isin(decided["run"])].drop_duplicates("run")
    settings = ordered_settings(decided)
    several = decided["machine"].nunique() > 1
    labels = [setting_label(s.interpreter, s.gil_enabled, s.machine if several else None) for s in settings]
    rules = dict(load(), **load_across())
    lines = [
        "# Claims lab report",
        "",
        "Verdicts from {} run(s): {}. Each comes from the latest run of the most thorough profile its interpreter "
        "has (full, then quick, marked; a smoke run decides nothing), by the rule named in its section. Every "
        "timed ratio is the median of per-round ratios of a contender and its baseline measured side by side, "
        "with a distribution-free 95% interval (order statistics).".format(
            len(runs),
            ", ".join("{} on {} ({} profile)".format(r.interpreter, r.machine, r.profile) for r in runs.itertuples()),
        ),
        "",
        "## Verdicts",
        "",
        "| claim | the post says | " + " | ".join(labels) + " |",
        "|---|---|" + "---|" * len(labels),
    ]
    for claim_id, mine in decided.groupby("claim", sort=True):
        words = CLAIMS[claim_id].words
        short = words if len(words) <= SHORT else words[: SHORT - 1] + "…"
        cells = [
            _cell(
                mine[
                    (mine["machine"] == s.machine)
                    & (mine["interpreter"] == s.interpreter)
                    & (mine["gil_enabled"] == s.gil_enabled)
                ]
            )
            for s in settings
        ]
        lines.append("| [{0}](#{1}) | {2} | {3} |".format(claim_id, claim_id.lower(), short, " | ".join(cells)))
    lines += [""] + _controls(table, decided)
    for claim_id, mine in decided.groupby("claim", sort=True):
        claim = CLAIMS[claim_id]
        lines += ["", "## {}".format(claim_id), "", "> {}".format(claim.words), ""]
        source = (
            "Experiment: `{}`.".format(claim.experiment) if claim.experiment else "Decided from other claims' verdicts."
        )
        lines += ["Measured: {}. {}".format(claim.measured, source), ""]
        lines += _rule_text(rules[claim_id])
        lines += ["", "| interpreter | verdict | evidence | decided on |", "|---|---|---|---|"]
        for row in mine.to_dict("records"):
            lines.append(
                "| {} | **{}**{} | {} | {} |".format(
                    setting_label(row["interpreter"], row["gil_enabled"], row["machine"] if several else None),
                    row["verdict"],
                    " (quick)" if row["profile"] == "quick" else "",
                    row["evidence"],
                    interval_text(row),
                )
            )
        lines += [""] + ["![{}]({})".format(claim_id, path) for path in drawn.get(claim_id, [])]
    return "\n".join(lines) + "\n"
