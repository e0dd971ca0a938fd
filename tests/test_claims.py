"""The registry ties each claim to its experiment and its rule; the links must hold both ways."""

import ast
import os

from experiments.claims import CLAIMS
from rules import rule_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPERIMENTS = os.path.join(ROOT, "experiments")


def test_registry_carries_every_id_of_claims_md_in_order():
    expected = ["C{:02d}".format(i) for i in range(1, 23)] + ["X{:02d}".format(i) for i in range(1, 6)]
    assert list(CLAIMS) == expected
    assert all(claim.words and claim.measured for claim in CLAIMS.values())


def test_every_experiment_exists_quotes_its_claims_and_has_a_rule():
    for claim in CLAIMS.values():
        assert (claim.experiment is None) == (claim.rule is None), claim.id
        if claim.experiment:
            with open(os.path.join(ROOT, claim.experiment)) as handle:
                docstring = ast.get_docstring(ast.parse(handle.read()))
            assert claim.id in docstring, claim.id
            assert callable(rule_for(claim)), claim.id


def test_every_experiment_module_is_registered_and_marks_its_claims():
    registered = {claim.experiment for claim in CLAIMS.values() if claim.experiment}
    modules = {"experiments/" + name for name in os.listdir(EXPERIMENTS) if name.startswith("test_")}
    assert modules == registered
    for module in modules:
        with open(os.path.join(ROOT, module)) as handle:
            source = handle.read()
        ids = [claim.id for claim in CLAIMS.values() if claim.experiment == module]
        assert "pytestmark = pytest.mark.claim({})".format(", ".join('"{}"'.format(i) for i in ids)) in source
