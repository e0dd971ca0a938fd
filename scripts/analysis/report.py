"""REPORT.md and its plots from a tidy table: a verdict table, then a section per claim with its rule in one
sentence, the evidence and interval per interpreter, and its plots."""

import inspect
import math
import os

import pandas as pd
from analysis import plots, records
from analysis.rules import load
from analysis.scaling import SETTING

from experiments.claims import CLAIMS

SHORT = 60  # characters of the post's words in the verdict table
# Plots of one run that only one experiment's records support
RUN_PLOTS = {"test_c06_responsiveness": plots.lateness_plot, "test_c16_memory_footprint": plots.memory_plot}
ACROSS_INTERPRETERS = {"test_c20_lost_updates": plots.lost_updates_plot}  # one plot, a bar per interpreter


def setting_label(interpreter, gil_enabled):
    return "{} (GIL {})".format(interpreter, "on" if gil_enabled else "off")


def draw(table, curves, folder):
    """Every plot the runs support; returns {claim ID: [paths relative to the report]}."""
    os.makedirs(folder, exist_ok=True)
    drawn = {}

    def keep(claims, name):
        for claim in claims.split():
            drawn.setdefault(claim, []).append(os.path.join(os.path.basename(folder), name))

    for key, rows in table.groupby(SETTING + ["experiment"]):
        rows = records.latest(rows)
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
            latest = pd.concat(records.latest(rows) for _, rows in mine.groupby(SETTING))
            plot(latest, os.path.join(folder, experiment + ".png"))
            keep(latest["claims"].iloc[0], experiment + ".png")
    return drawn


def interval_text(row):
    if row["ratio"] is None or (isinstance(row["ratio"], float) and math.isnan(row["ratio"])):
        return "behaviour"
    if isinstance(row["ci_low"], float) and math.isnan(row["ci_low"]):
        return "{:.2f} (no interval)".format(row["ratio"])
    return "{:.2f} [{:.2f}, {:.2f}], {} rounds".format(row["ratio"], row["ci_low"], row["ci_high"], row["rounds"])


def markdown(table, decided, drawn):
    runs = table.drop_duplicates("run")
    settings = decided.drop_duplicates(["interpreter", "gil_enabled"])
    labels = [setting_label(s.interpreter, s.gil_enabled) for s in settings.itertuples()]
    lines = [
        "# Claims lab report",
        "",
        "From {} recorded run(s): {}. Each verdict comes from the latest run of its interpreter that measured "
        "the claim, by the rule named in its section; intervals are 95% bootstrap intervals over the raw "
        "rounds.".format(
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
        cells = []
        for s in settings.itertuples():
            found = mine[(mine["interpreter"] == s.interpreter) & (mine["gil_enabled"] == s.gil_enabled)]
            cells.append(found["verdict"].iloc[0] if len(found) else "not measured")
        lines.append("| [{0}](#{1}) | {2} | {3} |".format(claim_id, claim_id.lower(), short, " | ".join(cells)))
    for claim_id, mine in decided.groupby("claim", sort=True):
        claim = CLAIMS[claim_id]
        rule = load()[claim_id]
        described = inspect.getdoc(rule.function).replace("\n", " ")
        lines += [
            "",
            "## {}".format(claim_id),
            "",
            "> {}".format(claim.words),
            "",
            "Measured: {}. Experiment: `{}`.".format(claim.measured, claim.experiment),
            "",
            "Rule `{}`: {}".format(rule.name, described),
            "",
            "| interpreter | verdict | evidence | decided on |",
            "|---|---|---|---|",
        ]
        for row in mine.to_dict("records"):
            lines.append(
                "| {} | **{}** | {} | {} |".format(
                    setting_label(row["interpreter"], row["gil_enabled"]),
                    row["verdict"],
                    row["evidence"],
                    interval_text(row),
                )
            )
        lines += [""] + ["![{}]({})".format(claim_id, path) for path in drawn.get(claim_id, [])]
    return "\n".join(lines) + "\n"
