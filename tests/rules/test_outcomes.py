"""Every verdict a rule can reach, reached: each rule test module gives, per claim, plausible records (what a real
machine could record) for each outcome the rule's docstring names; outcomes a rule cannot reach are declared with
the reason (`@rule(..., cannot={...})`). The table of what was reached is the one the README shows."""

import glob
import importlib
import os
import re

import pytest
from analysis.rules import ACROSS, VERDICTS, load, load_across

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(os.path.dirname(os.path.dirname(HERE)), "README.md")


def examples():
    """{claim: {verdict: records builder}} from every tests/rules/test_cNN.py."""
    found = {}
    for path in sorted(glob.glob(os.path.join(HERE, "test_[cx][0-9]*.py"))):
        module = importlib.import_module("tests.rules." + os.path.basename(path)[:-3])
        for claim, outcomes in module.OUTCOMES.items():
            assert claim not in found, "{} has outcome examples in two modules".format(claim)
            found[claim] = outcomes
    return found


def every_rule():
    return dict(load(), **load_across())


def decide(rule, records):
    """The rule's verdict on `records`: rows of one run, or, for a rule across settings, a table of verdicts that
    speaks of one setting."""
    if rule.claim in ACROSS:
        (verdict,) = rule.function(records).values()
        return verdict
    return rule(records)


def reached():
    """{claim: the verdicts its examples reach}, running each rule on each example."""
    rules, table = every_rule(), {}
    for claim, outcomes in examples().items():
        table[claim] = sorted(
            {decide(rules[claim], build()).verdict for build in outcomes.values()}, key=VERDICTS.index
        )
    return table


@pytest.mark.parametrize("claim", sorted(every_rule()))
def test_each_outcome_a_rule_can_reach_has_plausible_records_that_reach_it(claim):
    rule, outcomes = every_rule()[claim], examples().get(claim, {})
    assert sorted(outcomes, key=VERDICTS.index) == rule.outcomes, "examples for {} vs what it can reach".format(claim)
    for verdict, build in outcomes.items():
        assert decide(rule, build()).verdict == verdict, "{}: the {} example".format(claim, verdict)
    for verdict, why in rule.cannot.items():
        assert why.strip().endswith(".") and len(why) > 20, "{}: say in one sentence why not {}".format(claim, verdict)


def readme_table():
    """{claim: verdicts} from the README's table of outcomes."""
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    section = text[text.index("## What each rule can conclude") :]
    rows = re.findall(r"^\| ([CX]\d\d) \| ([a-z, ]+) \| .* \|$", section, re.M)
    return {claim: [v.strip() for v in verdicts.split(",")] for claim, verdicts in rows}


def test_the_readme_shows_the_outcomes_the_rule_tests_reach():
    assert readme_table() == reached()
