"""Sanctions, counter-measures, Security Council votes and third-party ties as indicators."""
from __future__ import annotations

import pandas as pd

PERMANENT_MEMBERS = {"us_vote": "United States", "ru_vote": "Russia", "cn_vote": "China", "uk_vote": "United Kingdom", "fr_vote": "France"}


def actions_per_year(actions: pd.DataFrame, by: str, years: range) -> pd.DataFrame:
    """Count of actions per year and value of `by` (e.g. theme or imposer), every year present."""
    table = actions.assign(year=actions["date"].dt.year).pivot_table(index="year", columns=by, values="action_id", aggfunc="count", fill_value=0)
    return table.reindex(list(years), fill_value=0)


def russia_agrees_with_us(votes: pd.DataFrame) -> pd.DataFrame:
    """Each vote with whether Russia cast the same vote as the United States."""
    known = votes.dropna(subset=["us_vote", "ru_vote"]).copy()
    known["agrees"] = known["us_vote"] == known["ru_vote"]
    return known.sort_values(["date", "vote_id"])


def agreement_by_period(agreement: pd.DataFrame, periods: dict[str, tuple[int, int]]) -> pd.DataFrame:
    rows = []
    for label, (first, last) in periods.items():
        part = agreement[agreement["date"].dt.year.between(first, last)]
        rows.append({"period": label, "votes": len(part), "russia_with_us": int(part["agrees"].sum()),
                     "share_pct": round(100 * float(part["agrees"].mean()), 1) if len(part) else float("nan")})
    return pd.DataFrame(rows).set_index("period")


def first_divergence(agreement: pd.DataFrame) -> pd.Series | None:
    """The first vote on which Russia did not vote as the United States did."""
    split = agreement[~agreement["agrees"]]
    return split.iloc[0] if len(split) else None


def designations(counts: pd.DataFrame, kind: str = "additions") -> pd.DataFrame:
    """Counts of one kind (additions or stock), one column per counting method."""
    own = counts[counts["measure"].str.startswith(f"{kind}:") & counts["count"].notna()]
    return own.pivot_table(index="year", columns="measure", values="count", aggfunc="first")
