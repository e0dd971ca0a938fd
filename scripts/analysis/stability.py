"""How stable verdicts are: every claim decided on each run separately, and how often the runs agree."""

import collections

import pandas as pd
from analysis.verdicts import verdicts


def agreement(table):
    """A row per claim: its verdict in each run of `table` (decided on that run alone), how many runs decided it,
    and whether they agree."""
    per_run = []
    for run, rows in table.groupby("run", sort=True):
        per_run.append(verdicts(rows).set_index("claim")["verdict"].rename(run))
    table = pd.concat(per_run, axis=1)
    rows = []
    for claim, row in table.iterrows():
        decisive = collections.Counter(v for v in row.dropna() if v != "inconclusive")
        majority, count = decisive.most_common(1)[0] if decisive else ("inconclusive", 0)
        rows.append(
            dict(
                row.to_dict(),
                claim=claim,
                runs=int(row.notna().sum()),
                decisive=sum(decisive.values()),
                majority=majority,
                agree=count,
                stable=len(decisive) <= 1,
            )
        )
    columns = ["claim", "runs", "decisive", "majority", "agree", "stable"] + list(table.columns)
    return pd.DataFrame(rows)[columns]
