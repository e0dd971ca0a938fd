"""scripts/stability.py: per-claim agreement of verdicts over several runs."""

import pandas as pd
from analysis import stability


def test_agreement_ignores_inconclusive_and_flags_disagreement(monkeypatch):
    decided = {
        "a": {"C02": "confirmed", "C09": "confirmed", "C14": "inconclusive"},
        "b": {"C02": "confirmed", "C09": "refuted", "C14": "confirmed"},
        "c": {"C02": "inconclusive", "C09": "confirmed", "C14": "confirmed"},
    }
    monkeypatch.setattr(
        stability,
        "verdicts",
        lambda rows: pd.DataFrame(
            [{"claim": claim, "verdict": verdict} for claim, verdict in decided[rows["run"].iloc[0]].items()]
        ),
    )
    table = stability.agreement(pd.DataFrame({"run": list(decided)})).set_index("claim")
    assert table.loc["C02", "stable"] and table.loc["C02", "agree"] == 2 and table.loc["C02", "decisive"] == 2
    assert not table.loc["C09", "stable"] and table.loc["C09", "majority"] == "confirmed"
    assert table.loc["C14", "stable"] and table.loc["C14", "agree"] == 2
