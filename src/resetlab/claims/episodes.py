"""The record of U.S. attempts at rapprochement with Moscow, and the 2025-2026 engagement ledger.

Both tables are read as curated (data/rapprochement_episodes.csv, data/engagement_ledger_2025.csv);
durations are computed here from the dates, never stored.
"""
from __future__ import annotations

import pandas as pd

EPISODE_COLUMNS = ["episode_id", "name", "us_president", "ru_president", "start_date",
                   "start_precision", "trigger", "deliverables", "n_deliverables", "end_date",
                   "end_precision", "ended_by", "source_ids", "note"]
LEDGER_COLUMNS = ["item_id", "date", "date_precision", "actor", "move", "domain", "deed", "title",
                  "description", "source_ids", "note"]
MOVES = ["offer", "concession", "reciprocation", "refusal", "escalation"]
ACTORS = ["US", "RU"]


class TableError(ValueError):
    """A curated table breaks its schema; the message names the table, row and column."""


def _require(frame: pd.DataFrame, columns: list[str], table: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise TableError(f"{table}: missing column(s) {', '.join(missing)}")


def episodes(table: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each attempt with its deliverables as a list, its duration in months (an attempt with no end
    date runs to `as_of` and is marked ongoing) and a check that n_deliverables matches the list."""
    _require(table, EPISODE_COLUMNS, "rapprochement_episodes.csv")
    out = table.copy()
    out["start_date"] = pd.to_datetime(out["start_date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    out["ongoing"] = out["end_date"].isna()
    end = out["end_date"].fillna(pd.Timestamp(as_of))
    out["duration_months"] = ((end - out["start_date"]).dt.days / 30.4375).round(1)
    items = out["deliverables"].fillna("").map(lambda text: [d.strip() for d in str(text).split(";")
                                                             if d.strip()])
    for position, (given, listed) in enumerate(zip(out["n_deliverables"], items), start=2):
        if pd.notna(given) and int(given) != len(listed):
            raise TableError(f"rapprochement_episodes.csv, row {position}, column n_deliverables: "
                             f"{int(given)} given but deliverables lists {len(listed)}")
        if (end.iloc[position - 2] < out["start_date"].iloc[position - 2]):
            raise TableError(f"rapprochement_episodes.csv, row {position}, column end_date: "
                             "before start_date")
    out["deliverables_list"] = items
    return out.sort_values("start_date").reset_index(drop=True)


def record_of_resets(eps: pd.DataFrame) -> dict:
    """Figures for 'could there be another?': how long attempts lasted, what they delivered, what
    ended them."""
    done = eps[~eps["ongoing"]]
    return {
        "attempts": len(eps),
        "ended": len(done),
        "median_months_ended": float(done["duration_months"].median()) if len(done) else None,
        "longest": eps.loc[eps["duration_months"].idxmax(), "name"] if len(eps) else None,
        "with_deliverables": int((eps["deliverables_list"].map(len) > 0).sum()),
        "ended_by": done["ended_by"].fillna("not recorded").value_counts().to_dict(),
        "ongoing": eps.loc[eps["ongoing"], "name"].tolist(),
    }


def engagement(ledger: pd.DataFrame) -> pd.DataFrame:
    """Moves per actor and kind, deeds and statements apart (the 2025-2026 offer-and-return ledger)."""
    _require(ledger, LEDGER_COLUMNS, "engagement_ledger_2025.csv")
    bad = ledger[~ledger["actor"].isin(ACTORS) | ~ledger["move"].isin(MOVES)]
    if len(bad):
        row = bad.index[0] + 2
        column = "actor" if bad.iloc[0]["actor"] not in ACTORS else "move"
        raise TableError(f"engagement_ledger_2025.csv, row {row}, column {column}: "
                         f"{bad.iloc[0][column]!r} is not one of {ACTORS if column == 'actor' else MOVES}")
    deed = ledger["deed"].astype(str).str.lower().isin(["true", "1"])
    table = ledger.assign(kind=deed.map({True: "deeds", False: "statements"}))
    counts = table.pivot_table(index=["actor", "kind"], columns="move", values="item_id",
                               aggfunc="count", fill_value=0)
    return counts.reindex(columns=MOVES, fill_value=0)
