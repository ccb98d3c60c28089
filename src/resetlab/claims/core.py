"""Scales, settings and the evidence a rule reads (one set of tables under one set of assumptions)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from .. import data, events

SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_TESTABLE = (
    "Supported", "Partly supported", "Not supported", "Not testable with these data")
BORNE_OUT, PARTLY_BORNE_OUT, NOT_BORNE_OUT, TOO_EARLY = (
    "Borne out", "Partly borne out", "Not borne out", "Too early to tell")
SCALES = {
    "assessment": {
        SUPPORTED: "The data show what the sentence asserts, by the rule's stated test.",
        PARTLY: "The data show part of what the sentence asserts, or show it only by some measures.",
        NOT_SUPPORTED: "The data contradict the sentence by the rule's stated test.",
        NOT_TESTABLE: "The project's tables cannot observe what the sentence asserts; no verdict "
                      "is given.",
    },
    "prediction": {
        BORNE_OUT: "What happened after 2 September 2024 matches what the sentence expects.",
        PARTLY_BORNE_OUT: "What happened after the essay matches part of the expectation.",
        NOT_BORNE_OUT: "What happened after the essay contradicts the expectation.",
        TOO_EARLY: "Too little time or evidence has passed since the essay to judge the "
                   "expectation.",
    },
}
LABELS = [label for scale in SCALES.values() for label in scale]
SLUGS = {SUPPORTED: "supported", PARTLY: "partly-supported", NOT_SUPPORTED: "not-supported",
         NOT_TESTABLE: "not-testable", BORNE_OUT: "borne-out", PARTLY_BORNE_OUT: "partly-borne-out",
         NOT_BORNE_OUT: "not-borne-out", TOO_EARLY: "too-early"}
KINDS = {"historical_fact", "causal", "assessment", "prediction"}
# Tables whose rows carry a date: the evidence date is the latest of them that a rule reads.
DATED_TABLES = ("events", "treaty_events", "sanctions_actions", "third_party_ties", "unsc_votes",
                "opinion", "ukraine_strike_policy", "doomsday_clock", "engagement_ledger_2025")
THRESHOLD_LEVELS = ("ledger", "low", "high")
CODERS = ("first", "second")


@dataclass(frozen=True)
class Settings:
    """The assumptions a reader may change (the scorecard's parameters).

    `evidence_cutoff` empty means every row; a date drops later rows. `indicator` "ledger" means
    each claim's own indicator. `threshold_level` picks each claim's ledger threshold or the low or
    high end of its declared range. `coder` "second" recodes the events of the blind second coding.
    `resample` 0 keeps the events as they are; k > 0 draws a bootstrap sample of them with seed k.
    """

    reset_start: str = "2009-01-01"
    reset_end: str = "2010-12-31"
    contacts_start: str = "2025-01-01"
    contacts_end: str = "2026-03-31"
    essay_date: str = "2024-09-02"
    evidence_cutoff: str = ""
    early_1980s_start: int = 1980
    early_1980s_end: int = 1985
    crisis_year: int = 1962
    resolution: str = "quarter"
    smoothing_window: int = 3
    penalty: float = 3.0
    min_phase: int = 2
    indicator: str = "ledger"
    threshold_level: str = "ledger"
    coder: str = "first"
    resample: int = 0

    def __post_init__(self):
        if self.indicator != "ledger" and self.indicator not in events.INDICATORS:
            raise ValueError(f"indicator must be 'ledger' or one of {events.INDICATORS}")
        if self.threshold_level not in THRESHOLD_LEVELS:
            raise ValueError(f"threshold_level must be one of {THRESHOLD_LEVELS}")
        if self.coder not in CODERS:
            raise ValueError(f"coder must be one of {CODERS}")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class Verdict:
    claim_id: str
    verdict: str
    figures: dict
    explanation: str
    evidence_through: str | None = None
    robustness: dict | None = None

    @property
    def robustness_pct(self) -> float | None:
        """Share of settings (percent) that give this verdict."""
        return None if self.robustness is None else self.robustness["shares"].get(self.verdict, 0.0)

    def as_dict(self) -> dict:
        # robustness_pct: the share for the verdict itself, kept for readers of the older layout.
        return {**asdict(self), "robustness_pct": self.robustness_pct}


def recoded(table: pd.DataFrame, check: pd.DataFrame, cameo: pd.DataFrame) -> pd.DataFrame:
    """The events with the second coder's CAMEO code where the blind second coding exists."""
    second = check.set_index("event_id")["second_code"]
    weights = cameo.set_index("cameo_code")
    out = table.copy()
    hit = out["event_id"].isin(second.index)
    codes = out.loc[hit, "event_id"].map(second)
    out.loc[hit, "cameo_code"] = codes.to_numpy()
    out.loc[hit, "goldstein"] = codes.map(weights["goldstein"]).astype(float).to_numpy()
    out.loc[hit, "quad_class"] = codes.map(weights["quad_class"]).astype(int).to_numpy()
    return out


def bootstrap(table: pd.DataFrame, seed: int) -> pd.DataFrame:
    """A bootstrap sample of the rows (same size, drawn with replacement), sorted by date."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(table), size=len(table))
    return table.iloc[np.sort(picks)].sort_values("date", kind="stable").reset_index(drop=True)


def variant(tables: dict, cutoff: str, coder: str, resample: int) -> dict:
    """The tables under one evidence cut-off, coder and resample."""
    out = dict(tables)
    if coder == "second" and "event_coding_check" in tables:
        out["events"] = recoded(out["events"], tables["event_coding_check"], tables["cameo_goldstein"])
    if resample:
        out["events"] = bootstrap(out["events"], resample)
    if cutoff:
        limit = pd.Timestamp(cutoff)
        for name in DATED_TABLES:
            if name in out and "date" in out[name]:
                out[name] = out[name][out[name]["date"] <= limit]
    return out


def latest_date(tables: dict, names=DATED_TABLES) -> pd.Timestamp | None:
    """The latest dated row among the named tables (those present)."""
    dates = [tables[n]["date"].max() for n in names if n in tables and "date" in tables[n]
             and len(tables[n])]
    dates = [d for d in dates if pd.notna(d)]
    return max(dates) if dates else None


class Evidence:
    """The project's tables and the indicators built from them under one set of settings.

    Derived tables and indicators are computed once per combination of the settings they depend on
    and shared by every Evidence derived from this one (the sensitivity grid re-evaluates every
    claim over a thousand times).
    """

    VARIANT = ("evidence_cutoff", "coder", "resample")
    DEPENDS = {
        "tables": (),
        "record": (),
        "index": ("resolution",),
        "breaks": ("resolution", "smoothing_window", "penalty", "min_phase", "indicator"),
        "periods": (),
        "trust_ranks": ("crisis_year", "early_1980s_start", "early_1980s_end"),
    }

    def __init__(self, settings: Settings, tables: dict | None = None, memo: dict | None = None):
        self.settings = settings
        self.raw = tables if tables is not None else {n: data.load(n) for n in data.resource_names()}
        self.memo = memo if memo is not None else {}

    def derive(self, settings: Settings) -> "Evidence":
        """Evidence under other settings, sharing the tables and every indicator already computed."""
        return Evidence(settings, self.raw, self.memo)

    # Arms-control periods and trust series read no events, so only the cut-off changes them.
    VARIANT_OF = {"periods": ("evidence_cutoff",), "trust_ranks": ("evidence_cutoff",)}

    def _key(self, name: str) -> tuple:
        keys = (*self.VARIANT_OF.get(name, self.VARIANT), *self.DEPENDS[name])
        return (name, *(getattr(self.settings, k) for k in keys))

    def _get(self, name: str, compute):
        key = self._key(name)
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def inject(self, name: str, value) -> None:
        """Set an indicator for the current settings (tests use it to supply synthetic inputs)."""
        self.memo[self._key(name)] = value

    @property
    def tables(self) -> dict:
        s = self.settings
        return self._get("tables", lambda: variant(self.raw, s.evidence_cutoff, s.coder, s.resample))

    @property
    def collected(self) -> dict:
        """The tables as collected, under the cut-off only (no recoding, no resample): the evidence
        date belongs to the collection, not to one resample of it."""
        key = ("collected", self.settings.evidence_cutoff)
        if key not in self.memo:
            self.memo[key] = variant(self.raw, self.settings.evidence_cutoff, "first", 0)
        return self.memo[key]

    @property
    def latest(self) -> pd.Timestamp:
        """The latest dated row of the tables (under the cut-off): what 'now' means for a rule."""
        key = ("latest", self.settings.evidence_cutoff)
        if key not in self.memo:
            found = latest_date(self.collected)
            self.memo[key] = found if found is not None else pd.Timestamp(self.settings.essay_date)
        return self.memo[key]

    def rows(self, name: str, span: tuple) -> pd.DataFrame:
        """The rows of a dated table within [start, end] (computed once per table variant)."""
        variant_of = self.VARIANT if name == "events" else ("evidence_cutoff",)
        key = ("rows", name, *(getattr(self.settings, k) for k in variant_of), *span)
        if key not in self.memo:
            table = self.tables[name]
            self.memo[key] = table[table["date"].between(*span)]
        return self.memo[key]

    def evidence_through(self, names) -> str | None:
        key = ("through", self.settings.evidence_cutoff, tuple(names))
        if key not in self.memo:
            found = latest_date(self.collected, [n for n in names if n in DATED_TABLES])
            self.memo[key] = None if found is None else f"{found:%Y-%m-%d}"
        return self.memo[key]

    @property
    def record(self) -> pd.DataFrame:
        t = self.tables
        return self._get("record", lambda: events.record(
            t["events"], t["treaty_events"], t["sanctions_actions"], t["linked_event_codes"],
            t["cameo_goldstein"]))

    @property
    def index(self) -> pd.DataFrame:
        return self._get("index", lambda: events.index(self.record, self.settings.resolution))

    def series(self, indicator: str) -> pd.Series:
        """The index column of one indicator, per period."""
        key = ("series", *(getattr(self.settings, k) for k in (*self.VARIANT, "resolution")),
               indicator)
        if key not in self.memo:
            ix = self.index
            columns = {"goldstein": "net", "talk": "talk_net", "deeds": "deeds_net"}
            self.memo[key] = ix[columns[indicator]] if indicator in columns else \
                ix["quad1"] + ix["quad2"] - ix["quad3"] - ix["quad4"]
        return self.memo[key]

    def breaks_for(self, indicator: str) -> list[pd.Timestamp]:
        s = self.settings
        key = ("breaks", *(getattr(s, k) for k in (*self.VARIANT, "resolution", "smoothing_window",
                                                    "penalty", "min_phase")), indicator)
        if key not in self.memo:
            smoothed = events.smooth(self.series(indicator), s.smoothing_window)
            self.memo[key] = events.change_points(smoothed, s.penalty, s.min_phase)
        return self.memo[key]

    def _cumulative(self, indicator: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted event dates and the running total of one indicator (leading zero)."""
        key = ("cumulative", *(getattr(self.settings, k) for k in self.VARIANT), indicator)
        if key not in self.memo:
            rec = self.record.sort_values("date", kind="stable")
            if indicator == "counts":
                values = np.where(rec["quad_class"] <= 2, 1.0, -1.0)
            elif indicator == "goldstein":
                values = rec["goldstein"].to_numpy(dtype=float)
            else:
                own = events.components(rec) == indicator
                values = np.where(own, rec["goldstein"].to_numpy(dtype=float), 0.0)
            self.memo[key] = (rec["date"].to_numpy(), np.r_[0.0, np.cumsum(values)])
        return self.memo[key]

    def per_month(self, start, end, indicator: str) -> float:
        """One indicator per month of the window [start, end] (as events.per_month, by lookup)."""
        if indicator not in events.INDICATORS:
            raise ValueError(f"indicator must be one of {events.INDICATORS}; got {indicator!r}")
        dates, cum = self._cumulative(indicator)
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        first = np.searchsorted(dates, lo.to_datetime64(), side="left")
        last = np.searchsorted(dates, hi.to_datetime64(), side="right")
        total = cum[last] - cum[first]
        return round(float(total) / events.months_between(lo, hi), 2)

    @property
    def periods(self) -> pd.DataFrame:
        from .. import armscontrol

        return self._get("periods", lambda: armscontrol.status_periods(
            self.tables["treaties"], self.tables["treaty_events"],
            until=max(self.latest, pd.Timestamp(self.settings.essay_date))))

    @property
    def trust_ranks(self) -> pd.DataFrame:
        from .. import trust

        s = self.settings
        windows = {"1962": (s.crisis_year, s.crisis_year),
                   "early 1980s": (s.early_1980s_start, s.early_1980s_end)}
        last = self.latest.year
        return self._get("trust_ranks", lambda: trust.ranks(trust.build_series(last), (2022, last),
                                                            windows))
