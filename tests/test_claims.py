"""The registries tie together: every claim with an experiment has a rule and the rule a claim; every measurement
a rule reads is recorded by an experiment that carries the rule's claim, so renaming one fails here."""

import ast
import glob
import importlib
import os

import pytest
from analysis.rules import load, load_across
from analysis.rules.primitives import Run, UndeclaredMeasurement

from experiments.claims import CLAIMS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPERIMENTS = os.path.join(ROOT, "experiments")


def experiment_modules():
    return sorted(glob.glob(os.path.join(EXPERIMENTS, "test_*.py")))


def recorded_measurements():
    """{claim ID: the measurement names its experiments' benchmarks carry}, read from the markers."""
    found = {}
    for path in experiment_modules():
        module = importlib.import_module("experiments." + os.path.basename(path)[:-3])
        module_marks = module.pytestmark if isinstance(module.pytestmark, list) else [module.pytestmark]
        claims = next(mark.args for mark in module_marks if mark.name == "claim")
        for name in dir(module):
            marks = getattr(getattr(module, name), "pytestmark", [])
            for mark in marks if name.startswith("test_") else []:
                if mark.name == "measurement":
                    for claim in claims:
                        found.setdefault(claim, set()).add(mark.args[0])
    return found


def test_registry_carries_every_id_of_claims_md_in_order():
    expected = ["C{:02d}".format(i) for i in range(1, 23)] + ["X{:02d}".format(i) for i in range(1, 6)]
    assert list(CLAIMS) == expected
    assert all(claim.words and claim.measured for claim in CLAIMS.values())


def test_a_claim_has_a_rule_exactly_when_it_has_an_experiment_or_is_decided_across_settings():
    rules, across = load(), load_across()
    assert set(rules) == {claim.id for claim in CLAIMS.values() if claim.experiment}
    assert list(rules) == sorted(rules)
    assert not set(across) & set(rules) and all(CLAIMS[claim].experiment is None for claim in across)


def test_every_experiment_exists_quotes_its_claims_and_is_registered():
    registered = {claim.experiment for claim in CLAIMS.values() if claim.experiment}
    assert {"experiments/" + os.path.basename(path) for path in experiment_modules()} == registered
    for claim in CLAIMS.values():
        if claim.experiment:
            with open(os.path.join(ROOT, claim.experiment)) as handle:
                assert claim.id in ast.get_docstring(ast.parse(handle.read())), claim.id


def test_every_measurement_a_rule_reads_is_recorded_for_its_claim():
    recorded = recorded_measurements()
    for claim, rule in load().items():
        missing = set(rule.reads) - recorded.get(claim, set())
        assert not missing, "{} ({}) reads {} that no experiment of {} records".format(claim, rule.name, missing, claim)


def test_a_rule_cannot_read_a_measurement_it_does_not_name():
    with pytest.raises(UndeclaredMeasurement):
        Run(None, ["round_trip"])("handoff")
