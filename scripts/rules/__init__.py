"""Verdict rules: a function per claim, named in experiments/claims.py, deciding from recorded numbers only.

Every rule takes the rows of one run (one machine, interpreter and GIL state) that carry its claim's ID and
returns a `Verdict`: confirmed, refuted, partly or inconclusive, with the evidence in one sentence of numbers.
Thresholds are named constants beside the rule that uses them.
"""

import importlib


def rule_for(claim):
    """The function named by `claim.rule`, e.g. "c07.threads_help_io" -> rules.c07.threads_help_io."""
    module, name = claim.rule.rsplit(".", 1)
    return getattr(importlib.import_module("rules." + module), name)
