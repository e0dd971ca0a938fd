"""A verdict per claim x machine x interpreter x GIL state, decided by the claim's registered rule on the latest run
of that setting that measured the claim."""

import json

import pandas as pd
from analysis import records
from analysis.rules import load
from analysis.stats import Interval

from experiments.claims import CLAIMS

SETTING = ["machine", "interpreter", "gil_enabled"]  # what one verdict is about
COLUMNS = [
    "claim",
    "interpreter",
    "build",
    "gil_enabled",
    "machine",
    "verdict",
    "evidence",
    "ratio",
    "ci_low",
    "ci_high",
    "rounds",
    "numbers",
    "words",
    "rule",
    "run",
    "profile",
]


def carries(table, claim_id):
    return table["claims"].str.split().apply(lambda ids: claim_id in ids)


def verdicts(table):
    """A verdict row per claim with a rule x setting that has records of it."""
    rules = load()
    rows = []
    for setting, runs in table.groupby(SETTING, sort=True):
        for claim_id, rule in rules.items():
            mine = runs[carries(runs, claim_id)]
            if mine.empty:
                continue
            latest = records.latest(mine)
            verdict = rule(latest)
            interval = verdict.interval or Interval(None, None, None, None)
            rows.append(
                dict(
                    zip(SETTING, setting),
                    claim=claim_id,
                    build=latest["build"].iloc[0],
                    verdict=verdict.verdict,
                    evidence=verdict.evidence,
                    ratio=interval.value,
                    ci_low=interval.low,
                    ci_high=interval.high,
                    rounds=interval.rounds,
                    numbers=json.dumps(verdict.numbers, sort_keys=True),
                    words=CLAIMS[claim_id].words,
                    rule=rule.name,
                    run=latest["run"].iloc[0],
                    profile=latest["profile"].iloc[0],
                )
            )
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["claim", "interpreter", "gil_enabled"])
