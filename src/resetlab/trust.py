"""Long series that speak to trust and distance, turned into yearly values and ranked by window."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import data


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    unit: str
    higher_is_closer: bool
    values: pd.Series  # indexed by year
    readings: pd.Series | None = None  # each dated reading (polls), for charts: two polls in a year are two points, never their mean


def clock_by_year(clock: pd.DataFrame, last_year: int) -> pd.Series:
    """Seconds to midnight in force at the end of each year (a setting holds until the next one)."""
    by_date = clock.sort_values("date").set_index("date")["seconds_to_midnight"]
    years = range(int(clock["year"].min()), last_year + 1)
    return pd.Series({y: int(by_date[by_date.index <= pd.Timestamp(f"{y}-12-31")].iloc[-1]) for y in years}, name="clock")


def opinion_by_year(opinion: pd.DataFrame, pollster: str, answer: str) -> pd.Series:
    """Mean of a pollster's readings of one answer per year (most years have one reading)."""
    own = opinion[(opinion["pollster"] == pollster) & (opinion["answer"] == answer)]
    return own.groupby(own["date"].dt.year)["value_pct"].mean().astype(float).round(1)


def opinion_readings(opinion: pd.DataFrame, pollster: str, answer: str) -> pd.Series:
    """Every reading of one answer, indexed by its date."""
    own = opinion[(opinion["pollster"] == pollster) & (opinion["answer"] == answer)].sort_values("date")
    return own.set_index("date")["value_pct"].astype(float)


def build_series(last_year: int) -> list[Series]:
    trade = data.load("trade").set_index("year")
    opinion = data.load("opinion")
    presence = data.load("diplomatic_presence").set_index("year")
    expelled = (presence["russians_expelled_by_us"].fillna(0) + presence["americans_expelled_by_russia"].fillna(0))
    expelled = expelled[presence[["russians_expelled_by_us", "americans_expelled_by_russia"]].notna().any(axis=1)]
    return [
        Series("clock", "Doomsday Clock", "seconds to midnight", True, clock_by_year(data.load("doomsday_clock"), last_year)),
        Series("trade", "U.S. goods trade with Russia", "exports plus imports, $ million", True, (trade["exports_usd_millions"] + trade["imports_usd_millions"]).astype(float).round(1)),
        Series("gallup", "Americans favourable to Russia (Gallup)", "% very or mostly favourable", True, opinion_by_year(opinion, "Gallup", "very/mostly favorable"), opinion_readings(opinion, "Gallup", "very/mostly favorable")),
        Series("pew_enemy", "Americans who call Russia an enemy (Pew)", "% enemy", False, opinion_by_year(opinion, "Pew Research Center", "enemy"), opinion_readings(opinion, "Pew Research Center", "enemy")),
        Series("levada", "Russians with a good attitude to the U.S. (Levada)", "% good", True, opinion_by_year(opinion, "Levada Center", "good"), opinion_readings(opinion, "Levada Center", "good")),
        Series("unga", "UN General Assembly voting coincidence", "% (State Department definition)", True, data.load("unga_coincidence").set_index("year")["coincidence_pct"].astype(float)),
        Series("expulsions", "Diplomats expelled, both ways", "people", False, expelled.astype(float)),
    ]


def worst(values: pd.Series, higher_is_closer: bool) -> float:
    return float(values.min() if higher_is_closer else values.max())


def ranks(series: list[Series], recent: tuple[int, int], windows: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """For each series: where its worst recent year stands against each window and its whole history.

    `rank` counts years at least as bad as the recent worst (1 = the worst year on record). A window
    the series does not reach is reported as not covered, never filled.
    """
    rows = []
    for s in series:
        v = s.values.dropna()
        inside = v[(v.index >= recent[0]) & (v.index <= recent[1])]
        row = {"series": s.label, "from": int(v.index.min()), "to": int(v.index.max()), "years": len(v)}
        if inside.empty:
            row.update(recent_worst=float("nan"), rank=pd.NA, record=pd.NA)
        else:
            w = worst(inside, s.higher_is_closer)
            worse_or_equal = (v <= w) if s.higher_is_closer else (v >= w)
            row.update(recent_worst=w, rank=int(worse_or_equal.sum()), record=bool(int(worse_or_equal.sum()) == int(worse_or_equal[inside.index].sum())))
        for label, (first, last) in windows.items():
            part = v[(v.index >= first) & (v.index <= last)]
            row[f"{label}: worst"] = worst(part, s.higher_is_closer) if len(part) else float("nan")
            if len(part) and not inside.empty:
                row[f"{label}: recent worse"] = bool(row["recent_worst"] < row[f"{label}: worst"]) if s.higher_is_closer else bool(row["recent_worst"] > row[f"{label}: worst"])
            else:
                row[f"{label}: recent worse"] = pd.NA
        rows.append(row)
    return pd.DataFrame(rows).set_index("series")
