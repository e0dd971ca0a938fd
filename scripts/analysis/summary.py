"""A summary of recorded runs, written as one set into a results folder: measurements.csv, verdicts.csv,
scaling.csv, controls.csv, REPORT.md and plots/ (see output.py for how the set replaces the previous one)."""

import os

import pandas as pd
from analysis import controls, output, records, report
from analysis.scaling import scaling
from analysis.verdicts import verdicts


def run_controls(table, runs):
    """The null controls of the runs named, one table."""
    found = [controls.controls(table[table["run"] == run]).assign(run=run) for run in runs]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["run"] + controls.COLUMNS)


def write(table, out, csvs=True):
    """Decide every claim and write the set (the CSVs only when `csvs`); returns (verdicts, plots drawn)."""
    decided, curves = verdicts(table), scaling(table)
    with output.locked(out):
        if csvs:
            lists = [column for column in records.LISTS if column in table]
            output.replace_csv(table.drop(columns=lists), os.path.join(out, "measurements.csv"))
            output.replace_csv(decided, os.path.join(out, "verdicts.csv"))
            output.replace_csv(curves, os.path.join(out, "scaling.csv"))
            output.replace_csv(run_controls(table, sorted(decided["run"].unique())), os.path.join(out, "controls.csv"))
        drawn = output.replace_folder(os.path.join(out, "plots"), lambda folder: report.draw(table, curves, folder))
        output.replace_text(report.markdown(table, decided, drawn), os.path.join(out, "REPORT.md"))
    return decided, drawn
