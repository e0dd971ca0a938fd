"""Verdict rules: a module per claim (or family) beside the experiment it reads, registered here by claim ID.

A rule takes the rows of one run (one machine, interpreter and GIL state) that carry its claim's ID, reads only
the measurements it names when it registers, and returns a `Verdict`: confirmed, refuted, partly or
inconclusive, with its evidence in one sentence of numbers. Bars are named constants beside the rule.

    @rule("C17", "round_trip")
    def ipc_costs_more(run):
        trips = run("round_trip")
"""

import collections
import importlib
import pkgutil

from analysis.rules.primitives import Run, Verdict

RULES = collections.OrderedDict()  # claim ID -> Rule, in claim order once `load` has run
ACROSS = collections.OrderedDict()  # claim ID -> Rule deciding from other claims' verdicts across settings
VERDICTS = ["confirmed", "refuted", "partly", "inconclusive"]


class Rule:
    """A claim's verdict function, the measurements it reads, and the outcomes it cannot reach with why; called
    with rows, it returns their Verdict."""

    def __init__(self, claim, function, reads, cannot):
        self.claim = claim
        self.function = function
        self.reads = tuple(reads)
        self.cannot = dict(cannot)
        unknown = set(self.cannot) - set(VERDICTS)
        if unknown:
            raise ValueError("{}: no such verdict {}".format(claim, unknown))
        self.name = "{}.{}".format(function.__module__.rsplit(".", 1)[-1], function.__name__)
        self.__doc__ = function.__doc__

    def __call__(self, rows):
        return self.function(Run(rows, self.reads))

    def inconclusive(self, reason):
        return Verdict("inconclusive", reason, {}, None)

    @property
    def outcomes(self):
        """The verdicts this rule can reach."""
        return [v for v in VERDICTS if v not in self.cannot]


def rule(claim, *reads, cannot=()):
    """Register the decorated function as the rule of `claim`, reading the measurements `reads`. `cannot` maps each
    verdict the rule cannot reach to the one sentence that says why (e.g. {"confirmed": "..."})."""

    def register(function):
        if claim in RULES:
            raise ValueError("{} has a rule already: {}".format(claim, RULES[claim].name))
        RULES[claim] = Rule(claim, function, reads, dict(cannot))
        return RULES[claim]

    return register


def across(claim, cannot=()):
    """Register the decorated function as the rule of `claim`, a question answered by comparing other claims'
    verdicts across settings (builds, GIL states): it takes the table of per-setting verdicts and the measurements,
    and returns one Verdict per setting it speaks of, as {setting: Verdict}."""

    def register(function):
        ACROSS[claim] = Rule(claim, function, (), dict(cannot))
        return ACROSS[claim]

    return register


def load():
    """Every rule module imported (each registers its rules), and the registry in claim order."""
    for module in pkgutil.iter_modules(__path__):
        if module.name != "primitives":
            importlib.import_module("{}.{}".format(__name__, module.name))
    for claim in sorted(RULES):
        RULES.move_to_end(claim)
    return RULES


def load_across():
    """The rules that decide across settings (load first)."""
    load()
    return ACROSS
