"""The event record and the cooperation-conflict index built from it.

The record joins the curated bilateral events with treaty events and sanctions actions, which enter
through the coding rule in linked_event_codes.csv rather than being copied into events.csv.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["event_id", "date", "actor", "target", "cameo_code", "goldstein", "quad_class", "category", "title", "source"]
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
FREQUENCIES = {"month": "MS", "quarter": "QS"}


def linked(table: str, frame: pd.DataFrame, link_codes: pd.DataFrame, cameo: pd.DataFrame) -> pd.DataFrame:
    """Rows of treaty_events or sanctions_actions coded by the linking rule, in the event columns."""
    rules = link_codes[(link_codes["table"] == table) & link_codes["cameo_code"].notna()].set_index("kind")["cameo_code"]
    kind_column = "event_type" if table == "treaty_events" else "instrument"
    rows = frame[frame[kind_column].isin(rules.index)].copy()
    rows["cameo_code"] = rows[kind_column].map(rules)
    weights = cameo.set_index("cameo_code")
    rows["goldstein"] = rows["cameo_code"].map(weights["goldstein"]).astype(float)
    rows["quad_class"] = rows["cameo_code"].map(weights["quad_class"]).astype(int)
    if table == "treaty_events":
        rows = rows[rows["party"].isin(["US", "RU", "both"])]
        rows["actor"] = rows["party"].replace({"both": "US"})
        rows["target"] = rows["actor"].map({"US": "RU", "RU": "US"})
        rows["category"] = "treaty"
        rows["title"] = rows["treaty_id"] + ": " + rows["event_type"].str.replace("_", " ")
        rows["event_id"] = rows["event_id"]
    else:
        rows["actor"], rows["category"] = rows["imposer"], "sanctions"
        rows["event_id"] = rows["action_id"]
    rows["source"] = table
    return rows[COLUMNS]


def record(events, treaty_events, sanctions, link_codes, cameo, start=None, end=None) -> pd.DataFrame:
    """Every coded event, curated and linked, sorted by date, optionally within [start, end]."""
    own = events.assign(source="events")[COLUMNS]
    parts = [own, linked("treaty_events", treaty_events, link_codes, cameo), linked("sanctions_actions", sanctions, link_codes, cameo)]
    combined = pd.concat(parts, ignore_index=True)
    combined["goldstein"] = combined["goldstein"].astype(float)
    combined["quad_class"] = combined["quad_class"].astype(int)
    lo = pd.Timestamp(start) if start else own["date"].min()
    hi = pd.Timestamp(end) if end else own["date"].max()
    combined = combined[combined["date"].between(lo, hi)]
    return combined.sort_values(["date", "event_id"]).reset_index(drop=True)


def index(record: pd.DataFrame, resolution: str = "month", start=None, end=None) -> pd.DataFrame:
    """Per period: net cooperation (sum of Goldstein scores), event count and counts by quad class.

    Periods with no events are kept, with zeros, so the series has no gaps.
    """
    if resolution not in FREQUENCIES:
        raise ValueError(f"resolution must be one of {sorted(FREQUENCIES)}; got {resolution!r}")
    freq = FREQUENCIES[resolution]
    lo = pd.Timestamp(start) if start else record["date"].min()
    hi = pd.Timestamp(end) if end else record["date"].max()
    periods = pd.date_range(lo.to_period(freq[0]).start_time, hi, freq=freq)
    keyed = record.assign(period=record["date"].dt.to_period(freq[0]).dt.start_time)
    out = pd.DataFrame(index=pd.DatetimeIndex(periods, name="period"))
    out["net"] = keyed.groupby("period")["goldstein"].sum()
    out["events"] = keyed.groupby("period").size()
    for quad in QUADS:
        out[f"quad{quad}"] = keyed[keyed["quad_class"] == quad].groupby("period").size()
    return out.fillna(0).astype({"events": int, **{f"quad{q}": int for q in QUADS}})


def smooth(series: pd.Series, window: int) -> pd.Series:
    """Centred rolling mean over `window` periods (shorter at the ends); window 1 leaves it as is."""
    if window < 1:
        raise ValueError("smoothing window must be at least 1")
    return series.rolling(window, center=True, min_periods=1).mean()


def change_points(series: pd.Series, penalty: float, min_size: int = 3) -> list[pd.Timestamp]:
    """Dates where the series' mean shifts, by PELT with a least-squares cost (ruptures).

    The series is standardised first (mean 0, standard deviation 1), so the penalty does not depend on
    the scale of the scores: a larger penalty finds fewer, larger shifts.
    """
    import ruptures

    values = series.to_numpy(dtype=float)
    spread = values.std()
    if spread == 0 or len(values) < 2 * min_size:
        return []
    signal = ((values - values.mean()) / spread).reshape(-1, 1)
    ends = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty)
    return [series.index[i] for i in ends[:-1]]


def phases(series: pd.Series, breaks: list[pd.Timestamp]) -> pd.DataFrame:
    """The segments between change points with their mean level."""
    edges = [series.index[0], *breaks, None]
    rows = []
    for first, nxt in zip(edges[:-1], edges[1:]):
        part = series[(series.index >= first) & ((series.index < nxt) if nxt is not None else True)]
        rows.append({"start": part.index[0], "end": part.index[-1], "periods": len(part), "mean_net": float(part.mean())})
    return pd.DataFrame(rows)


def window_summary(record: pd.DataFrame, windows: dict[str, tuple]) -> pd.DataFrame:
    """Per named window: events, net score per month, share cooperative, counts by quad."""
    rows = []
    for label, (start, end) in windows.items():
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        part = record[record["date"].between(lo, hi)]
        months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
        rows.append({
            "window": label, "from": lo.date(), "to": hi.date(), "events": len(part),
            "net_per_month": round(part["goldstein"].sum() / months, 2),
            "cooperative_share_pct": round(100 * float((part["quad_class"] <= 2).mean()), 1) if len(part) else np.nan,
            **{QUADS[q]: int((part["quad_class"] == q).sum()) for q in QUADS},
        })
    return pd.DataFrame(rows).set_index("window")


def period_titles(record: pd.DataFrame, resolution: str, per_period: int = 3) -> pd.Series:
    """The most weighty events of each period (largest absolute score), for hover labels."""
    freq = FREQUENCIES[resolution][0]
    keyed = record.assign(period=record["date"].dt.to_period(freq).dt.start_time, weight=record["goldstein"].abs())
    top = keyed.sort_values(["period", "weight", "event_id"], ascending=[True, False, True]).groupby("period").head(per_period)
    return top.groupby("period")["title"].agg(lambda titles: "<br>".join(titles))


def nearest(breaks: list[pd.Timestamp], when) -> pd.Timestamp | None:
    """The change point closest to `when`."""
    if not breaks:
        return None
    when = pd.Timestamp(when)
    return min(breaks, key=lambda b: abs((b - when).days))
