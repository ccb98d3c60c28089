"""The event record and the cooperation-conflict index built from it.

The record joins the curated bilateral events with treaty events and sanctions actions, which enter
through the coding rule in linked_event_codes.csv rather than being copied into events.csv.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["event_id", "date", "actor", "target", "cameo_code", "goldstein", "quad_class", "category",
           "title", "source"]
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
FREQUENCIES = {"month": "MS", "quarter": "QS"}
# Talk is what the sides said (verbal quads 1 and 3); deeds are what they did (material quads 2 and
# 4) plus outcome events, whatever their CAMEO quad: agreements signed or lapsed, prisoners
# released, sanctions imposed or lifted, diplomats expelled or restored, and every treaty step or
# sanctions action linked from chapters 1 and 2.
TALK, DEEDS = "talk", "deeds"
OUTCOME_CATEGORIES = {"agreement", "prisoner_exchange", "expulsion_closure", "sanctions"}
# Acts that take both sides by their nature (an agreement both sign, an exchange of prisoners): the
# record names one actor, but for reciprocity each counts as a deed of both.
JOINT_CATEGORIES = {"agreement", "prisoner_exchange"}
LINKED_SOURCES = {"treaty_events", "sanctions_actions"}
# The indicators a rule may read, each per month of a window: the Goldstein sum of all events, of
# talk only, of deeds only, and the count of cooperative minus conflictual events.
INDICATORS = ("goldstein", "talk", "deeds", "counts")


def linked(table: str, frame: pd.DataFrame, link_codes: pd.DataFrame, cameo: pd.DataFrame) -> pd.DataFrame:
    """Rows of treaty_events or sanctions_actions coded by the linking rule, in the event columns."""
    rules = link_codes[(link_codes["table"] == table) & link_codes["cameo_code"].notna()].set_index("kind")["cameo_code"]
    kind_column = "event_type" if table == "treaty_events" else "instrument"
    rows = frame[frame[kind_column].isin(rules.index)].copy()
    rows["cameo_code"] = rows[kind_column].map(rules)
    weights = cameo.set_index("cameo_code")
    rows["goldstein"] = rows["cameo_code"].map(weights["goldstein"]).astype(float)
    rows["quad_class"] = rows["cameo_code"].map(weights["quad_class"]).astype(int)
    rows["joint"] = False
    if table == "treaty_events":
        rows = rows[rows["party"].isin(["US", "RU", "both"])]
        rows["joint"] = rows["party"] == "both"
        rows["actor"] = rows["party"].replace({"both": "US"})
        rows["target"] = rows["actor"].map({"US": "RU", "RU": "US"})
        rows["category"] = "treaty"
        rows["title"] = rows["treaty_id"] + ": " + rows["event_type"].str.replace("_", " ")
        rows["event_id"] = rows["event_id"]
    else:
        rows["actor"], rows["category"] = rows["imposer"], "sanctions"
        rows["event_id"] = rows["action_id"]
    rows["source"] = table
    return rows[COLUMNS + ["joint"]]


def record(events, treaty_events, sanctions, link_codes, cameo, start=None, end=None) -> pd.DataFrame:
    """Every coded event, curated and linked, sorted by date, optionally within [start, end]."""
    own = events.assign(source="events")[COLUMNS]
    own = own.assign(joint=own["category"].isin(JOINT_CATEGORIES))
    parts = [own, linked("treaty_events", treaty_events, link_codes, cameo), linked("sanctions_actions", sanctions, link_codes, cameo)]
    combined = pd.concat(parts, ignore_index=True)
    combined["goldstein"] = combined["goldstein"].astype(float)
    combined["quad_class"] = combined["quad_class"].astype(int)
    lo = pd.Timestamp(start) if start else own["date"].min()
    hi = pd.Timestamp(end) if end else own["date"].max()
    combined = combined[combined["date"].between(lo, hi)]
    combined["component"] = component(combined)
    return combined.sort_values(["date", "event_id"]).reset_index(drop=True)


def component(record: pd.DataFrame) -> pd.Series:
    """'talk' or 'deeds' for each row of the record (see TALK and DEEDS above)."""
    material = record["quad_class"].isin([2, 4])
    outcome = record["category"].isin(OUTCOME_CATEGORIES) | record["source"].isin(LINKED_SOURCES)
    return pd.Series(np.where(material | outcome, DEEDS, TALK), index=record.index)


def components(record: pd.DataFrame) -> pd.Series:
    """The record's talk/deeds split, computed if the record does not carry it (synthetic frames)."""
    if "component" in record:
        return record["component"]
    filled = record.assign(category=record.get("category", ""), source=record.get("source", "events"))
    return component(filled)


def months_between(start, end) -> int:
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    return (hi.year - lo.year) * 12 + hi.month - lo.month + 1


def indicator_total(part: pd.DataFrame, indicator: str) -> float:
    """The window total of one indicator over the rows `part` of a record."""
    if indicator not in INDICATORS:
        raise ValueError(f"indicator must be one of {INDICATORS}; got {indicator!r}")
    if indicator == "counts":
        return float((part["quad_class"] <= 2).sum() - (part["quad_class"] >= 3).sum())
    if indicator == "goldstein":
        return float(part["goldstein"].sum())
    return float(part.loc[components(part) == indicator, "goldstein"].sum())


def per_month(record: pd.DataFrame, start, end, indicator: str = "goldstein") -> float:
    """One indicator per month of the window [start, end], rounded to 2 decimals."""
    part = record[record["date"].between(pd.Timestamp(start), pd.Timestamp(end))]
    return round(indicator_total(part, indicator) / months_between(start, end), 2)


def index(record: pd.DataFrame, resolution: str = "month", start=None, end=None) -> pd.DataFrame:
    """Per period: net Goldstein sum, its talk and deeds parts, event counts and the mean per event.

    Periods with no events are kept, with zeros (mean per event: empty), so the series has no gaps.
    The event count sits beside every sum because sums grow with the number of recorded events.
    """
    if resolution not in FREQUENCIES:
        raise ValueError(f"resolution must be one of {sorted(FREQUENCIES)}; got {resolution!r}")
    freq = FREQUENCIES[resolution]
    lo = pd.Timestamp(start) if start else record["date"].min()
    hi = pd.Timestamp(end) if end else record["date"].max()
    periods = pd.date_range(lo.to_period(freq[0]).start_time, hi, freq=freq)
    keyed = record.assign(period=record["date"].dt.to_period(freq[0]).dt.start_time,
                          component=components(record))
    out = pd.DataFrame(index=pd.DatetimeIndex(periods, name="period"))
    out["net"] = keyed.groupby("period")["goldstein"].sum()
    for part in (TALK, DEEDS):
        own = keyed[keyed["component"] == part]
        out[f"{part}_net"] = own.groupby("period")["goldstein"].sum()
        out[f"{part}_events"] = own.groupby("period").size()
    out["events"] = keyed.groupby("period").size()
    for quad in QUADS:
        out[f"quad{quad}"] = keyed[keyed["quad_class"] == quad].groupby("period").size()
    counts = ["events", "talk_events", "deeds_events", *(f"quad{q}" for q in QUADS)]
    out = out.fillna(0).astype({c: int for c in counts})
    out["mean_per_event"] = (out["net"] / out["events"].where(out["events"] > 0)).round(2)
    return out


def quarterly_table(ix: pd.DataFrame) -> pd.DataFrame:
    """The index as the published CSV table (build/index_quarterly.csv): one row per period."""
    table = pd.DataFrame({
        "period": ix.index.to_period("Q").astype(str),
        "net_goldstein": ix["net"].round(2), "talk_net": ix["talk_net"].round(2),
        "deeds_net": ix["deeds_net"].round(2), "events": ix["events"],
        "talk_events": ix["talk_events"], "deeds_events": ix["deeds_events"],
        "mean_per_event": ix["mean_per_event"],
        "cooperative_events": ix["quad1"] + ix["quad2"], "conflictual_events": ix["quad3"] + ix["quad4"],
    })
    return table.reset_index(drop=True)


def smooth(series: pd.Series, window: int) -> pd.Series:
    """Centred rolling mean over `window` periods (shorter at the ends); window 1 leaves it as is."""
    if window < 1:
        raise ValueError("smoothing window must be at least 1")
    return series.rolling(window, center=True, min_periods=1).mean()


def change_points(series: pd.Series, penalty: float, min_size: int = 3) -> list[pd.Timestamp]:
    """Dates where the series' mean shifts, by PELT with a least-squares cost (ruptures).

    The series is standardised first (mean 0, standard deviation 1), so the penalty does not depend on
    the scale of the scores: a larger penalty finds fewer, larger shifts.

    The positions found are kept in build/cache/ (`resetlab.cache`) under a digest of the values and
    the settings: importing ruptures, and scipy with it, takes longer than the search, so a rerun on
    the same series skips both.
    """
    import hashlib

    from . import cache

    values = series.to_numpy(dtype=float)
    spread = values.std()
    if spread == 0 or len(values) < 2 * min_size:
        return []

    def search() -> list[int]:
        import ruptures

        signal = ((values - values.mean()) / spread).reshape(-1, 1)
        ends = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty)
        return [int(i) for i in ends[:-1]]

    inputs = [hashlib.sha256(values.tobytes()).hexdigest(), float(penalty), int(min_size)]
    return [series.index[i] for i in cache.fetch(cache.key("change-points", inputs, ("ruptures",)), search)]


def phases(series: pd.Series, breaks: list[pd.Timestamp]) -> pd.DataFrame:
    """The segments between change points with their mean level."""
    edges = [series.index[0], *breaks, None]
    rows = []
    for first, nxt in zip(edges[:-1], edges[1:]):
        part = series[(series.index >= first) & ((series.index < nxt) if nxt is not None else True)]
        rows.append({"start": part.index[0], "end": part.index[-1], "periods": len(part), "mean_net": float(part.mean())})
    return pd.DataFrame(rows)


def window_summary(record: pd.DataFrame, windows: dict[str, tuple]) -> pd.DataFrame:
    """Per named window: events, net score per month (all, talk, deeds), mean per event, quad counts.

    `cooperative_events_pct` is the share of recorded events that are cooperative in word or deed
    (quads 1 and 2): a share of rows, not a level of relations.
    """
    rows = []
    for label, (start, end) in windows.items():
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        part = record[record["date"].between(lo, hi)]
        months = months_between(lo, hi)
        rows.append({
            "window": label, "from": lo.date(), "to": hi.date(), "events": len(part),
            "net_per_month": round(part["goldstein"].sum() / months, 2),
            "talk_per_month": round(indicator_total(part, TALK) / months, 2),
            "deeds_per_month": round(indicator_total(part, DEEDS) / months, 2),
            "mean_per_event": round(float(part["goldstein"].mean()), 2) if len(part) else np.nan,
            "cooperative_events_pct": round(100 * float((part["quad_class"] <= 2).mean()), 1) if len(part) else np.nan,
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


def reciprocity(record: pd.DataFrame, windows: dict[str, tuple], lag: int = 1) -> pd.DataFrame:
    """How each side's cooperative deeds answered the other's, month by month, in each window.

    After Goldstein and Pevehouse's directed-dyad reading of event data: for each window and each
    direction (the U.S. moving first and Russia answering, and the reverse), count the months in
    which the first side made at least one cooperative deed (a deed with a positive Goldstein
    weight) and, of those, the months answered by a cooperative deed of the other side in the same
    month or up to `lag` months later, and those answered by a conflictual deed. `correlation` is
    the correlation of the two sides' monthly net deeds, the answering side lagged by `lag` months
    (empty when either series is constant). Joint acts (agreements, prisoner exchanges, treaty
    steps taken by both) count as deeds of both sides.
    """
    deeds = record[components(record) == DEEDS]
    joint = deeds["joint"] if "joint" in deeds else deeds.get("category", pd.Series("", index=deeds.index)).isin(JOINT_CATEGORIES)
    # A joint act is a deed of each side: add its mirror row with the other side as actor.
    mirror = deeds[joint.astype(bool)].assign(actor=lambda f: f["actor"].map({"US": "RU", "RU": "US"}))
    deeds = pd.concat([deeds, mirror], ignore_index=True)
    rows = []
    for label, (start, end) in windows.items():
        first_month = pd.Timestamp(start).to_period("M")
        n = months_between(start, end)
        reach = n + lag
        own = deeds[deeds["date"].between(pd.Timestamp(start), pd.Timestamp(end) + pd.DateOffset(months=lag))]
        offset = (own["date"].dt.to_period("M") - first_month).map(lambda d: d.n).to_numpy(dtype=int) \
            if len(own) else np.zeros(0, dtype=int)
        weight = own["goldstein"].to_numpy(dtype=float)
        actor = own["actor"].to_numpy()
        net, coop, hostile = {}, {}, {}
        for side in ("US", "RU"):
            mine = (actor == side) & (offset >= 0) & (offset < reach)
            net[side] = np.bincount(offset[mine], weights=weight[mine], minlength=reach)
            coop[side] = np.bincount(offset[mine & (weight > 0)], minlength=reach)
            hostile[side] = np.bincount(offset[mine & (weight < 0)], minlength=reach)
        for first, second in (("US", "RU"), ("RU", "US")):
            moves = [m for m in range(n) if coop[first][m] > 0]
            answered = [coop[second][m:m + lag + 1].sum() > 0 for m in moves]
            hostile_answer = [hostile[second][m:m + lag + 1].sum() > 0 for m in moves]
            lead, follow = net[first][:n], net[second][lag:lag + n]
            correlation = float(np.corrcoef(lead, follow)[0, 1]) if lead.std() > 0 and follow.std() > 0 else np.nan
            rows.append({
                "window": label, "first": first, "answer": second,
                "months_with_cooperative_deeds": len(moves),
                "answered_cooperatively": int(sum(answered)),
                "answered_with_conflict": int(sum(hostile_answer)),
                "correlation": round(correlation, 2) if correlation == correlation else np.nan,
            })
    table = pd.DataFrame(rows)
    moves = table["months_with_cooperative_deeds"]
    table["answered_cooperatively_pct"] = (100 * table["answered_cooperatively"] / moves.where(moves > 0)).round(1)
    return table.set_index(["window", "first"])
