"""A verdict per claim x machine x interpreter x GIL state, decided by the claim's registered rule on one run: the
latest run of the most thorough profile that measured the claim. A smoke run decides nothing; a run whose null
control for a measurement missed 1 decides nothing that rests on that measurement."""

import json

import pandas as pd
from analysis import controls, records
from analysis.rules import load, load_across
from analysis.stats import Interval

from experiments.claims import CLAIMS
from experiments.vocabulary import DECISIVE_PROFILES

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
NO_INTERVAL = Interval(None, None, None, None)


def carries(table, claim_id):
    return table["claims"].str.split().apply(lambda ids: claim_id in ids)


def decide(rule, rows, checked):
    """The rule's verdict on `rows` (one run), unless the run's profile or its null controls forbid deciding."""
    profile = rows["profile"].iloc[0]
    if profile not in DECISIVE_PROFILES:
        return rule.inconclusive("a {} run proves the benchmarks run and decides nothing".format(profile))
    missed = [checked[name] for name in rule.reads if name in checked]
    if missed:
        return rule.inconclusive(
            "unreliable run: the null control {} missed 1 (drift or an order effect as large as an effect)".format(
                controls.describe(missed[0])
            )
        )
    return rule(rows)


def verdicts(table):
    """A verdict row per claim with a rule x setting that has records of it."""
    rules = load()
    rows = []
    for setting, runs in table.groupby(SETTING, sort=True):
        checked = {}
        for claim_id, rule in rules.items():
            mine = runs[carries(runs, claim_id)]
            if mine.empty:
                continue
            chosen = records.chosen(mine)
            run = chosen["run"].iloc[0]
            if run not in checked:
                checked[run] = controls.failed(controls.controls(runs[runs["run"] == run]))
            verdict = decide(rule, chosen, checked[run])
            interval = verdict.interval or NO_INTERVAL
            rows.append(
                dict(
                    zip(SETTING, setting),
                    claim=claim_id,
                    build=chosen["build"].iloc[0],
                    verdict=verdict.verdict,
                    evidence=verdict.evidence,
                    ratio=interval.value,
                    ci_low=interval.low,
                    ci_high=interval.high,
                    rounds=interval.rounds,
                    numbers=json.dumps(verdict.numbers, sort_keys=True),
                    words=CLAIMS[claim_id].words,
                    rule=rule.name,
                    run=run,
                    profile=chosen["profile"].iloc[0],
                )
            )
    decided = pd.DataFrame(rows, columns=COLUMNS)
    for claim_id, rule in load_across().items():
        for (machine, interpreter, gil_enabled), verdict in rule.function(decided).items():
            rows.append(
                dict(
                    machine=machine,
                    interpreter=interpreter,
                    gil_enabled=gil_enabled,
                    claim=claim_id,
                    build="free-threaded",
                    verdict=verdict.verdict,
                    evidence=verdict.evidence,
                    numbers=json.dumps(verdict.numbers, sort_keys=True),
                    words=CLAIMS[claim_id].words,
                    rule=rule.name,
                    run="",
                    profile=", ".join(sorted(set(decided["profile"]))),
                )
            )
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["claim", "interpreter", "gil_enabled"])
