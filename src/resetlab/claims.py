"""The claims engine: each ledger claim's rule, evaluated on the project's data.

Every verdict comes from a rule below applied to the data and the settings; the ledger
(data/claims.yaml) names the rule and its thresholds. Each rule returns the verdict, the figures
it used and an explanation written from those figures.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from dataclasses import asdict, dataclass, replace
from typing import Callable

import pandas as pd
import yaml

from . import armscontrol, data, events, paths, sanctions, trust

SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_TESTABLE = "Supported", "Partly supported", "Not supported", "Not testable with these data"
SCALE = [SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_TESTABLE]
CLAIM_TYPES = {"historical_fact", "causal", "assessment", "prediction"}
LEDGER_FIELDS = {"id", "paragraph", "paraphrase", "claim_type", "testable", "indicators", "windows", "rule", "thresholds"}


@dataclass(frozen=True)
class Settings:
    """The assumptions a reader may change (the scorecard's parameters)."""

    reset_start: str = "2009-01-01"
    reset_end: str = "2010-12-31"
    contacts_start: str = "2025-01-01"
    contacts_end: str = "2026-03-31"
    essay_date: str = "2024-09-02"
    latest_date: str = "2026-11-30"
    early_1980s_start: int = 1980
    early_1980s_end: int = 1985
    crisis_year: int = 1962
    resolution: str = "quarter"
    smoothing_window: int = 3
    penalty: float = 3.0
    min_phase: int = 2


@dataclass
class Verdict:
    claim_id: str
    verdict: str
    figures: dict
    explanation: str
    robustness_pct: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Evidence:
    """The project's tables and the indicators built from them under one set of settings.

    Indicators are computed once per combination of the settings they depend on, and shared by every
    Evidence derived from this one (the robustness sweep re-evaluates all claims 24 times).
    """

    # Which settings each indicator depends on (the record depends on none).
    DEPENDS = {
        "record": (),
        "index": ("resolution",),
        "breaks": ("resolution", "smoothing_window", "penalty", "min_phase"),
        "periods": ("latest_date",),
        "trust_ranks": ("crisis_year", "early_1980s_start", "early_1980s_end", "latest_date"),
    }

    def __init__(self, settings: Settings, tables: dict[str, pd.DataFrame] | None = None, memo: dict | None = None):
        self.settings = settings
        self.tables = tables if tables is not None else {name: data.load(name) for name in data.resource_names()}
        self.memo = memo if memo is not None else {}

    def derive(self, settings: Settings) -> "Evidence":
        """Evidence under other settings, sharing the tables and every indicator already computed."""
        return Evidence(settings, self.tables, self.memo)

    def _key(self, name: str) -> tuple:
        return (name, *(getattr(self.settings, k) for k in self.DEPENDS[name]))

    def _get(self, name: str, compute):
        key = self._key(name)
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def inject(self, name: str, value) -> None:
        """Set an indicator for the current settings (tests use it to supply synthetic inputs)."""
        self.memo[self._key(name)] = value

    @property
    def record(self) -> pd.DataFrame:
        t = self.tables
        return self._get("record", lambda: events.record(t["events"], t["treaty_events"], t["sanctions_actions"], t["linked_event_codes"], t["cameo_goldstein"]))

    @property
    def index(self) -> pd.DataFrame:
        return self._get("index", lambda: events.index(self.record, self.settings.resolution))

    @property
    def breaks(self) -> list[pd.Timestamp]:
        s = self.settings
        return self._get("breaks", lambda: events.change_points(events.smooth(self.index["net"], s.smoothing_window), s.penalty, s.min_phase))

    def window(self, start, end) -> pd.Series:
        return events.window_summary(self.record, {"w": (start, end)}).loc["w"]

    @property
    def periods(self) -> pd.DataFrame:
        return self._get("periods", lambda: armscontrol.status_periods(self.tables["treaties"], self.tables["treaty_events"], until=pd.Timestamp(self.settings.latest_date)))

    @property
    def trust_ranks(self) -> pd.DataFrame:
        s = self.settings
        windows = {"1962": (s.crisis_year, s.crisis_year), "early 1980s": (s.early_1980s_start, s.early_1980s_end)}
        last = pd.Timestamp(s.latest_date).year
        return self._get("trust_ranks", lambda: trust.ranks(trust.build_series(last), (2022, last), windows))


RULES: dict[str, Callable[[Evidence, dict], tuple[str, dict, str]]] = {}


def rule(func):
    RULES[func.__name__] = func
    return func


def _date(value) -> pd.Timestamp:
    return pd.Timestamp(str(value))


@rule
def reset_launch(ev: Evidence, th: dict):
    own = ev.tables["events"]
    text = own["title"].str.cat(own["description"], sep=" ")
    hits = own[text.str.contains("reset", case=False)].sort_values("date")
    if hits.empty:
        return NOT_SUPPORTED, {"first_reset_event": None}, "No event in the record mentions the reset."
    first = hits.iloc[0]
    in_window = _date(th["window_start"]) <= first["date"] <= _date(th["window_end"])
    by_announcer = th["announcer"].lower() in (first["title"] + " " + first["description"]).lower()
    verdict = SUPPORTED if in_window and by_announcer else PARTLY if in_window or by_announcer else NOT_SUPPORTED
    figures = {"first_reset_event": first["event_id"], "date": f"{first['date']:%Y-%m-%d}", "in_window": in_window, "announcer_named": by_announcer}
    return verdict, figures, f"The first recorded mention of the reset is \"{first['title']}\" on {first['date']:%-d %B %Y}; it is {'inside' if in_window else 'outside'} early 2009 and {'names' if by_announcer else 'does not name'} {th['announcer']}."


@rule
def reset_worked(ev: Evidence, th: dict):
    s = ev.settings
    start, end = _date(s.reset_start), _date(s.reset_end)
    span = end - start
    before = ev.window(start - span - pd.Timedelta(days=1), start - pd.Timedelta(days=1))
    during = ev.window(start, end)
    signed = ev.tables["treaty_events"].query("treaty_id == 'new-start' and event_type == 'signed'")["date"]
    concluded = bool(len(signed)) and start <= signed.iloc[0] <= end
    improved = during["net_per_month"] > 0 and during["net_per_month"] > before["net_per_month"]
    verdict = SUPPORTED if concluded and improved else PARTLY if concluded or improved else NOT_SUPPORTED
    figures = {"new_start_signed": f"{signed.iloc[0]:%Y-%m-%d}" if len(signed) else None, "net_per_month_reset": during["net_per_month"], "net_per_month_before": before["net_per_month"]}
    return verdict, figures, (f"New START was signed on {signed.iloc[0]:%-d %B %Y}, {'inside' if concluded else 'outside'} the Reset window ({s.reset_start} to {s.reset_end}); "
                              f"net cooperation was {during['net_per_month']:+.2f} per month in the window against {before['net_per_month']:+.2f} in the same length of time before it.")


@rule
def sanctions_cooperation(ev: Evidence, th: dict):
    s = ev.settings
    votes = sanctions.russia_agrees_with_us(ev.tables["unsc_votes"])
    inside = votes[votes["date"].between(_date(s.reset_start), _date(s.reset_end))]
    share = round(100 * float(inside["agrees"].mean()), 1) if len(inside) else float("nan")
    imposing = inside[inside["subject"].str.contains("sanction|embargo|ban|measures", case=False) & (inside["ru_vote"] == "Y")]
    ok_share, ok_res = len(inside) > 0 and share >= th["min_share_pct"], len(imposing) >= th["min_sanctions_resolutions"]
    verdict = SUPPORTED if ok_share and ok_res else PARTLY if ok_share or ok_res else NOT_SUPPORTED
    figures = {"votes_in_window": len(inside), "russia_with_us_pct": share, "sanctions_texts_russia_backed": imposing["vote_id"].tolist()}
    return verdict, figures, f"In the Reset window Russia voted as the U.S. did on {int(inside['agrees'].sum())} of {len(inside)} Security Council votes on Iran and North Korea ({share}%), including {', '.join(imposing['document'].dropna()) or 'no'} sanctions text(s)."


@rule
def afghanistan_transit(ev: Evidence, th: dict):
    s = ev.settings
    own = ev.tables["events"]
    hits = own[(own["category"] == "afghanistan_transit") & own["date"].between(_date(s.reset_start), _date(s.reset_end)) & (own["quad_class"] <= 2)]
    verdict = SUPPORTED if len(hits) >= th["min_events"] else NOT_SUPPORTED
    return verdict, {"transit_events": hits["event_id"].tolist()}, f"{len(hits)} cooperative Afghanistan-transit event(s) fall in the Reset window: " + "; ".join(f"{r.title} ({r.date:%b %Y})" for r in hits.itertuples()) + "."


@rule
def commission(ev: Evidence, th: dict):
    own = ev.tables["events"]
    hits = own[(own["category"] == "commission") & own["date"].between(_date(ev.settings.reset_start), pd.Timestamp("2013-12-31"))]
    cooperative = hits[hits["quad_class"] <= 2]
    verdict = SUPPORTED if len(cooperative) >= th["min_events"] else PARTLY if len(cooperative) else NOT_SUPPORTED
    first = cooperative["date"].min()
    return verdict, {"commission_events": len(cooperative), "first": f"{first:%Y-%m-%d}" if len(cooperative) else None}, f"The record holds {len(cooperative)} cooperative commission events from the Reset's start to 2013, the first on {first:%-d %B %Y}." if len(cooperative) else "No commission event is recorded."


@rule
def failed_after_2010(ev: Evidence, th: dict):
    s = ev.settings
    reset = ev.window(s.reset_start, s.reset_end)["net_per_month"]
    after = ev.window(_date(s.reset_end) + pd.Timedelta(days=1), "2013-12-31")["net_per_month"]
    collapse = ev.window("2014-01-01", "2021-12-31")["net_per_month"]
    nearest = events.nearest(ev.breaks, "2014-03-01")
    slid = after < reset and after > collapse
    broke = nearest is not None and abs((nearest - pd.Timestamp("2014-03-01")).days) <= th["max_break_distance_days"]
    verdict = SUPPORTED if slid and broke else PARTLY if slid or broke else NOT_SUPPORTED
    figures = {"net_reset": reset, "net_after": after, "net_2014_2021": collapse, "break_nearest_2014": f"{nearest:%Y-%m-%d}" if nearest is not None else None}
    return verdict, figures, (f"Net cooperation per month fell from {reset:+.2f} in the Reset window to {after:+.2f} up to 2013 and {collapse:+.2f} in 2014-2021; "
                              f"the change point nearest March 2014 is {'at ' + format(nearest, '%Y-%m') if nearest is not None else 'absent'}.")


STRATEGIC_DOMAINS = {"strategic_offensive", "intermediate_range"}


@rule
def arms_control_unrealistic(ev: Evidence, th: dict):
    s = ev.settings
    treaties = ev.tables["treaties"].set_index("treaty_id")
    status = armscontrol.status_on(ev.periods, _date(s.essay_date))
    live = [t for t, st in status.items() if st == "in_force" and treaties.loc[t, "domain"] in STRATEGIC_DOMAINS]
    suspended = [t for t, st in status.items() if st == "suspended" and treaties.loc[t, "domain"] in STRATEGIC_DOMAINS]
    after = ev.tables["treaty_events"]
    signed_after = after[(after["event_type"].isin(["signed", "extended"])) & (after["date"] > _date(s.essay_date))]
    own = ev.tables["events"]
    talks_after = own[(own["category"] == "strategic_talks") & (own["date"] > _date(s.essay_date)) & (own["date"] <= _date(s.latest_date))]
    if not live and signed_after.empty and talks_after.empty:
        verdict = SUPPORTED
    elif not live and signed_after.empty:
        verdict = PARTLY
    else:
        verdict = NOT_SUPPORTED
    figures = {"strategic_in_force_unsuspended": live, "strategic_suspended": suspended, "signed_or_extended_after_essay": signed_after["event_id"].tolist(), "strategic_talks_after_essay": talks_after["event_id"].tolist()}
    return verdict, figures, (f"On the essay's date {len(live)} strategic arms agreement(s) were in force and implemented ({len(suspended)} in force but suspended); "
                              f"since then {len(signed_after)} agreement(s) have been signed or extended and {len(talks_after)} strategic-stability meeting(s) recorded.")


STEPS_BACK = {"suspended", "withdrawal_notified", "denounced", "deratified"}
STEPS_FORWARD = {"signed", "extended"}


@rule
def escalation_dominates(ev: Evidence, th: dict):
    te = ev.tables["treaty_events"]
    recent = te[te["date"].between(pd.Timestamp("2019-01-01"), _date(ev.settings.essay_date))]
    back, forward = int(recent["event_type"].isin(STEPS_BACK).sum()), int(recent["event_type"].isin(STEPS_FORWARD).sum())
    ratio = back / forward if forward else float("inf")
    verdict = SUPPORTED if ratio >= th["min_ratio"] else PARTLY if back > forward else NOT_SUPPORTED
    return verdict, {"steps_back": back, "steps_forward": forward}, f"From 2019 to the essay's date the treaty record shows {back} steps back from arms control (suspensions, withdrawal notices, denunciations, de-ratifications) and {forward} step(s) forward (signatures, extensions)."


SUPPLY_KINDS = {"arms_supply", "troops"}


@rule
def dependence_on_iran_dprk(ev: Evidence, th: dict):
    ties = ev.tables["third_party_ties"]
    war = ties[ties["date"].between(pd.Timestamp("2022-02-24"), _date(ev.settings.essay_date)) & (ties["actor"] == "RU") & ties["kind"].isin(SUPPLY_KINDS)]
    counts = {p: int((war["partner"] == p).sum()) for p in ("IR", "KP")}
    met = [p for p, n in counts.items() if n >= th["min_per_partner"]]
    verdict = SUPPORTED if len(met) == 2 else PARTLY if met else NOT_SUPPORTED
    return verdict, {"supply_milestones": counts}, f"Between the invasion and the essay's date the record holds {counts['IR']} supply milestone(s) from Iran and {counts['KP']} from North Korea (arms, drones, munitions or troops)."


@rule
def third_party_ties(ev: Evidence, th: dict):
    ties = ev.tables["third_party_ties"]
    war = ties[ties["date"].between(pd.Timestamp("2022-02-24"), _date(ev.settings.essay_date))]
    us = int(((war["actor"] == "US") & (war["partner"] == "UA")).sum())
    ru = int(((war["actor"] == "RU") & war["partner"].isin(["IR", "KP"])).sum())
    verdict = SUPPORTED if us and ru else PARTLY if us or ru else NOT_SUPPORTED
    return verdict, {"us_ukraine_milestones": us, "russia_iran_dprk_milestones": ru}, f"From the invasion to the essay's date: {us} U.S. support milestones for Ukraine and {ru} Russian milestones with Iran and North Korea."


@rule
def no_compatible_interests(ev: Evidence, th: dict):
    own = ev.tables["events"]
    war = own[own["date"].between(pd.Timestamp("2022-02-24"), _date(ev.settings.essay_date)) & (own["quad_class"] == 2)]
    n = len(war)
    verdict = SUPPORTED if n <= th["max_for_supported"] else PARTLY if n <= th["max_for_partly"] else NOT_SUPPORTED
    return verdict, {"material_cooperation_events": war["event_id"].tolist()}, f"Between the invasion and the essay's date the record holds {n} act(s) of material cooperation: " + ("; ".join(f"{r.title} ({r.date:%b %Y})" for r in war.itertuples()) or "none") + "."


@rule
def trust_lowest(ev: Evidence, th: dict):
    table = ev.trust_ranks
    covered = table[table["recent_worst"].notna()]
    reach = covered[covered["early 1980s: worst"].notna()]
    record = covered[covered["record"] == True]  # noqa: E712 (nullable booleans)
    share = len(record) / len(covered) if len(covered) else 0.0
    if reach.empty:
        verdict = NOT_TESTABLE
    elif (reach["early 1980s: recent worse"] == True).all() and share >= th["min_share_record_low"]:  # noqa: E712
        verdict = SUPPORTED if len(reach) > 1 else PARTLY
    else:
        verdict = NOT_SUPPORTED
    figures = {"series_reaching_early_1980s": reach.index.tolist(), "record_lows": record.index.tolist(), "series_with_recent_data": len(covered)}
    return verdict, figures, (f"{len(reach)} series reach back to the early 1980s ({', '.join(reach.index) or 'none'}); "
                              f"{len(record)} of {len(covered)} series with recent data are at their worst on record ({', '.join(record.index)}). "
                              "Only a series that reaches the early 1980s can confirm the comparison, and a single one that measures global danger rather than bilateral trust gives partial support at most.")


@rule
def no_reset_with_putin(ev: Evidence, th: dict):
    s = ev.settings
    reset = ev.window(s.reset_start, s.reset_end)
    contacts = ev.window(s.contacts_start, s.contacts_end)
    relative = contacts["net_per_month"] / reset["net_per_month"] if reset["net_per_month"] > 0 else float("nan")
    te, acts = ev.tables["treaty_events"], ev.tables["sanctions_actions"]
    lo, hi = _date(s.contacts_start), _date(s.contacts_end)
    agreements = te[te["event_type"].isin(STEPS_FORWARD) & te["date"].between(lo, hi)]
    new_sanctions = acts[(acts["imposer"] == "US") & acts["date"].between(lo, hi) & acts["instrument"].isin(["designation", "executive_order", "statute", "export_control"])]
    if contacts["net_per_month"] <= 0:
        verdict = SUPPORTED
    elif relative >= th["min_relative_thaw"] and len(agreements) and new_sanctions.empty:
        verdict = NOT_SUPPORTED
    else:
        verdict = PARTLY
    figures = {"net_per_month_contacts": contacts["net_per_month"], "net_per_month_reset": reset["net_per_month"], "relative": round(relative, 2),
               "agreements_signed": agreements["event_id"].tolist(), "new_us_sanctions": new_sanctions["action_id"].tolist()}
    return verdict, figures, (f"Net cooperation in {s.contacts_start[:7]} to {s.contacts_end[:7]} was {contacts['net_per_month']:+.2f} per month, {relative:.0%} of the Reset's {reset['net_per_month']:+.2f}; "
                              f"{len(agreements)} arms-control agreement(s) were signed or extended and the U.S. imposed {len(new_sanctions)} new sanctions action(s) in the window.")


POLICY_VERDICTS = {"none": SUPPORTED, "border_area": PARTLY, "deep_strikes_limited": NOT_SUPPORTED, "broad": NOT_SUPPORTED}


@rule
def strike_ban_at_essay(ev: Evidence, th: dict):
    policy = ev.tables["ukraine_strike_policy"]
    before = policy[(policy["date"] <= _date(ev.settings.essay_date)) & policy["allowed_inside_russia"].notna()].sort_values("date")
    if before.empty:
        return NOT_TESTABLE, {}, "No recorded policy decision precedes the essay."
    latest = before.iloc[-1]
    state = latest["allowed_inside_russia"]
    return POLICY_VERDICTS[state], {"policy_in_force": state, "since": f"{latest['date']:%Y-%m-%d}"}, f"The policy in force on the essay's date dates from {latest['date']:%-d %B %Y} and allowed: {state.replace('_', ' ')} (cross-border counter-fire was allowed; deep strikes were not)." if state == "border_area" else f"The policy in force on the essay's date ({latest['date']:%-d %B %Y}) allowed: {state.replace('_', ' ')}."


@rule
def mutual_enemies(ev: Evidence, th: dict):
    op = ev.tables["opinion"]
    cutoff = _date(ev.settings.essay_date)
    def latest(pollster, answer):
        own = op[(op["pollster"] == pollster) & (op["answer"] == answer) & (op["date"] <= cutoff)].sort_values("date")
        return (float(own["value_pct"].iloc[-1]), f"{own['date'].iloc[-1]:%Y-%m}") if len(own) else (float("nan"), None)
    enemy, enemy_when = latest("Pew Research Center", "enemy")
    bad, bad_when = latest("Levada Center", "bad")
    hits = [v >= th["min_pct"] for v in (enemy, bad) if v == v]
    verdict = NOT_TESTABLE if not hits else SUPPORTED if all(hits) and len(hits) == 2 else PARTLY if any(hits) else NOT_SUPPORTED
    return verdict, {"pew_enemy_pct": enemy, "pew_date": enemy_when, "levada_bad_pct": bad, "levada_date": bad_when}, f"Latest readings before the essay: {enemy:g}% of Americans called Russia an enemy (Pew, {enemy_when}); {bad:g}% of Russians had a bad attitude to the U.S. (Levada, {bad_when})."


@rule
def not_testable(ev: Evidence, th: dict):
    return NOT_TESTABLE, {}, ""


# --- ledger, evaluation, robustness -----------------------------------------------------------

class LedgerError(ValueError):
    """The claims ledger breaks its schema; the message names the claim and field."""


def load_ledger(path=None) -> list[dict]:
    path = path or paths.DATA / "claims.yaml"
    claims = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["claims"]
    seen = set()
    for position, claim in enumerate(claims, start=1):
        where = f"claims.yaml, claim {claim.get('id', position)}"
        missing = LEDGER_FIELDS - set(claim)
        if missing:
            raise LedgerError(f"{where}: missing field(s) {', '.join(sorted(missing))}")
        if claim["id"] in seen:
            raise LedgerError(f"{where}: duplicate id")
        seen.add(claim["id"])
        if claim["claim_type"] not in CLAIM_TYPES:
            raise LedgerError(f"{where}: claim_type must be one of {sorted(CLAIM_TYPES)}")
        if claim["rule"] not in RULES:
            raise LedgerError(f"{where}: unknown rule {claim['rule']!r}")
        if not claim["testable"] and (claim["rule"] != "not_testable" or not claim.get("why_not")):
            raise LedgerError(f"{where}: an untestable claim needs rule not_testable and a why_not")
        if claim["testable"] and claim["rule"] == "not_testable":
            raise LedgerError(f"{where}: a testable claim needs a real rule")
    return claims


def evaluate(settings: Settings, ledger: list[dict] | None = None, tables=None, evidence: Evidence | None = None) -> list[Verdict]:
    ledger = ledger or load_ledger()
    ev = evidence.derive(settings) if evidence is not None else Evidence(settings, tables)
    out = []
    for claim in ledger:
        verdict, figures, text = RULES[claim["rule"]](ev, claim["thresholds"])
        if verdict == NOT_TESTABLE and not text:
            text = claim.get("why_not", "")
        out.append(Verdict(claim["id"], verdict, _plain(figures), text))
    return out


def _plain(value):
    """Figures as JSON-ready values (numpy and pandas scalars to Python)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


# The documented sweep grid, 24 settings: the Reset window ends after two or three years; the index
# by quarter or month; three change-point penalties; the 2025-2026 contacts counted from January 2025
# or from the Alaska summit (15 August 2025).
SWEEP_GRID = {
    "reset_end": ["2010-12-31", "2011-12-31"],
    "resolution": ["quarter", "month"],
    "penalty": [2.0, 3.0, 5.0],
    "contacts_start": ["2025-01-01", "2025-08-15"],
}


SMALL_GRID = {"reset_end": ["2010-12-31", "2011-12-31"]}


def grid(spec: dict | None = None) -> list[dict]:
    spec = spec or SWEEP_GRID
    keys = list(spec)
    return [dict(zip(keys, values)) for values in itertools.product(*(spec[k] for k in keys))]


def robustness(base: Settings, spec: dict | None = None, tables=None) -> dict[str, float]:
    """Per claim: the share of grid settings (in percent) under which its verdict equals the base verdict."""
    tables = tables if tables is not None else {name: data.load(name) for name in data.resource_names()}
    ledger = load_ledger()
    shared = Evidence(base, tables)
    reference = {v.claim_id: v.verdict for v in evaluate(base, ledger, evidence=shared)}
    runs = [{v.claim_id: v.verdict for v in evaluate(replace(base, **setting), ledger, evidence=shared)} for setting in grid(spec)]
    return {cid: round(100 * sum(run[cid] == verdict for run in runs) / len(runs), 1) for cid, verdict in reference.items()}


def scorecard(verdicts: list[Verdict], ledger: list[dict]) -> pd.DataFrame:
    by_id = {c["id"]: c for c in ledger}
    rows = [{"claim": v.claim_id, "paraphrase": by_id[v.claim_id]["paraphrase"], "type": by_id[v.claim_id]["claim_type"].replace("_", " "),
             "verdict": v.verdict, "holds in % of settings": v.robustness_pct} for v in verdicts]
    return pd.DataFrame(rows).set_index("claim")


# --- export -----------------------------------------------------------------------------------

RATING = {SUPPORTED: 3, PARTLY: 2, NOT_SUPPORTED: 1}
PROJECT = {"@type": "Organization", "name": "Reset Lab"}


def claim_review(verdict: dict, claim: dict, essay: dict, review_date: str) -> dict:
    """schema.org ClaimReview for one claim."""
    rating = {"@type": "Rating", "alternateName": verdict["verdict"], "bestRating": 3, "worstRating": 1,
              "ratingExplanation": verdict["explanation"]}
    if verdict["verdict"] in RATING:
        rating["ratingValue"] = RATING[verdict["verdict"]]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim["paraphrase"],
        "datePublished": review_date,
        "author": PROJECT,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": essay["author"]},
            "datePublished": essay["date"],
            "appearance": {"@type": "OpinionNewsArticle", "url": essay["url"], "headline": essay["title"],
                           "publisher": {"@type": "Organization", "name": essay["publisher"]}},
        },
        "reviewRating": rating,
    }


def export(verdicts: list[dict], ledger: list[dict], settings: dict, review_date: str) -> tuple[dict, list[dict]]:
    """The claims file (every verdict, figure and source) and the ClaimReview list."""
    from . import ESSAY

    by_id = {c["id"]: c for c in ledger}
    claims_file = {
        "essay": ESSAY,
        "settings": settings,
        "scale": SCALE,
        "claims": [{**{k: by_id[v["claim_id"]][k] for k in ("id", "paragraph", "paraphrase", "claim_type", "testable", "indicators", "rule", "thresholds")},
                    "verdict": v["verdict"], "figures": v["figures"], "explanation": v["explanation"], "robustness_pct": v["robustness_pct"],
                    "data_tables": RULE_TABLES.get(by_id[v["claim_id"]]["rule"], [])} for v in verdicts],
    }
    return claims_file, [claim_review(v, by_id[v["claim_id"]], ESSAY, review_date) for v in verdicts]


# Which tables each rule reads (their rows cite the sources).
RULE_TABLES = {
    "reset_launch": ["events"], "reset_worked": ["treaty_events", "events", "sanctions_actions"], "sanctions_cooperation": ["unsc_votes"],
    "afghanistan_transit": ["events"], "commission": ["events"], "failed_after_2010": ["events", "treaty_events", "sanctions_actions"],
    "arms_control_unrealistic": ["treaties", "treaty_events", "events"], "escalation_dominates": ["treaty_events"],
    "dependence_on_iran_dprk": ["third_party_ties"], "third_party_ties": ["third_party_ties"], "no_compatible_interests": ["events"],
    "trust_lowest": ["doomsday_clock", "trade", "opinion", "unga_coincidence", "diplomatic_presence"],
    "no_reset_with_putin": ["events", "treaty_events", "sanctions_actions"], "strike_ban_at_essay": ["ukraine_strike_policy"],
    "mutual_enemies": ["opinion"], "not_testable": [],
}
VERDICTS_MIMETYPE = "application/json"
SCORECARD = "05.00-Claims-Scorecard.ipynb"


def read_verdicts(path) -> dict:
    """The machine-readable verdicts an executed scorecard displayed (its cell tagged 'verdicts')."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if "verdicts" in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                if VERDICTS_MIMETYPE in output.get("data", {}):
                    return output["data"][VERDICTS_MIMETYPE]
    raise ValueError(f"{path}: no verdicts output (is it an executed scorecard?)")


def evidence_figure(claim_id: str, ev: Evidence, ledger: list[dict]):
    """The chart that shows a claim's evidence, or None for claims these data cannot test."""
    from . import charts

    s, t = ev.settings, ev.tables
    rule_name = {c["id"]: c["rule"] for c in ledger}[claim_id]
    own = t["events"]
    if rule_name == "reset_launch":
        hits = own[own["title"].str.cat(own["description"], sep=" ").str.contains("reset", case=False)]
        return charts.event_strip(hits[hits["date"].dt.year <= 2010], "Events that mention the reset, 2009-2010")
    if rule_name in ("reset_worked", "failed_after_2010", "no_reset_with_putin"):
        windows = {"before (2007-2008)": ("2007-01-01", "2008-12-31"), "Reset": (s.reset_start, s.reset_end),
                   "after, to 2013": (str((_date(s.reset_end) + pd.Timedelta(days=1)).date()), "2013-12-31"),
                   "2014-2021": ("2014-01-01", "2021-12-31"), "2022 to essay": ("2022-01-01", s.essay_date), "2025-2026 contacts": (s.contacts_start, s.contacts_end)}
        return charts.windows_bars(events.window_summary(ev.record, windows), "Net cooperation per month, by window")
    if rule_name == "sanctions_cooperation":
        return charts.votes_strip(sanctions.russia_agrees_with_us(t["unsc_votes"]))
    if rule_name == "afghanistan_transit":
        return charts.event_strip(own[own["category"] == "afghanistan_transit"], "Afghanistan transit events")
    if rule_name == "commission":
        return charts.event_strip(own[own["category"] == "commission"], "Bilateral Presidential Commission events")
    if rule_name == "arms_control_unrealistic":
        counts = armscontrol.in_force_by_year(ev.periods, range(2000, pd.Timestamp(s.latest_date).year + 1), t["treaties"].loc[t["treaties"]["domain"].isin(STRATEGIC_DOMAINS), "treaty_id"])
        return charts.in_force_bars(counts, marks={"essay": _date(s.essay_date).year})
    if rule_name == "escalation_dominates":
        return charts.steps_per_year(t["treaty_events"], STEPS_BACK, STEPS_FORWARD, 2000, pd.Timestamp(s.latest_date).year)
    if rule_name in ("dependence_on_iran_dprk", "third_party_ties"):
        return charts.ties_timeline(t["third_party_ties"], "2022-01-01", f"{pd.Timestamp(s.latest_date).year}-12-31")
    if rule_name == "no_compatible_interests":
        war = own[own["date"].between(pd.Timestamp("2022-02-24"), _date(s.essay_date)) & (own["quad_class"] == 2)]
        return charts.event_strip(war, "Material cooperation between the invasion and the essay") if len(war) else None
    if rule_name == "trust_lowest":
        windows = {"1962": (s.crisis_year, s.crisis_year), "early 1980s": (s.early_1980s_start, s.early_1980s_end), "Reset": (2009, 2010)}
        return charts.small_multiples(trust.build_series(pd.Timestamp(s.latest_date).year), windows, (2022, pd.Timestamp(s.latest_date).year), 1947, pd.Timestamp(s.latest_date).year)
    if rule_name == "strike_ban_at_essay":
        return charts.policy_steps(t["ukraine_strike_policy"], s.essay_date)
    if rule_name == "mutual_enemies":
        return charts.opinion_lines(t["opinion"], [("Pew Research Center", "enemy", "Americans: Russia is an enemy (Pew)"), ("Levada Center", "bad", "Russians: bad attitude to the U.S. (Levada)")], s.essay_date)
    return None


def describe(verdict: Verdict, claim: dict) -> str:
    """Markdown for one claim in the scorecard: paraphrase, type, verdict with robustness, the test."""
    robust = "" if verdict.robustness_pct is None else f" (holds in {verdict.robustness_pct:g}% of settings)"
    text = [f"### {verdict.claim_id} · {claim['paraphrase']}", f"*{claim['claim_type'].replace('_', ' ')}, essay paragraph {claim['paragraph']}*", "",
            f"**{verdict.verdict}**{robust}. {verdict.explanation}"]
    if claim["testable"]:
        text.append("\n" + "Indicators: " + "; ".join(claim["indicators"]) + f". Rule `{claim['rule']}`" + (f", thresholds {claim['thresholds']}." if claim["thresholds"] else "."))
    if claim.get("note"):
        text.append(f"\n*Note:* {claim['note']}")
    return "\n".join(text)
