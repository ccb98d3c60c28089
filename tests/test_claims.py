"""The claims engine: each rule's verdict flipping on synthetic data, the two scales, exports."""
import json

import pandas as pd
import pytest

from resetlab import claims
from resetlab.claims import rules

T = pd.Timestamp


def evidence(**tables):
    return claims.Evidence(claims.Settings(), tables)


def frame(rows, columns, dates=("date",)):
    out = pd.DataFrame(rows, columns=columns)
    for column in dates:
        out[column] = pd.to_datetime(out[column])
    return out


def span(start, end):
    return (T(start), T(end))


def verdict(rule, ev, windows=None, months_after=24, **thresholds):
    p = {"windows": {k: span(*v) for k, v in (windows or {}).items()}, "dates": {},
         "months_after": months_after, "min_months": 12, **thresholds}
    return claims.RULES[rule](ev, p)[0]


EVENT_COLUMNS = ["event_id", "date", "title", "description", "category", "quad_class", "goldstein",
                 "actor", "target", "cameo_code"]


def events(*rows, actor="US"):
    return frame([(*r, actor, "RU", "010") for r in rows], EVENT_COLUMNS)


def record(*rows):
    """Synthetic record rows: (id, date, goldstein, quad, [category], [actor])."""
    full = [(*r, *(("other", "US")[len(r) - 4:])) for r in rows]
    out = frame(full, ["event_id", "date", "goldstein", "quad_class", "category", "actor"])
    out["source"] = "events"
    return out


RESET = {"reset": ("2009-01-01", "2010-12-31")}


def test_reset_launch():
    p = {"announcer": "Biden", "windows": {"launch": ("2009-01-01", "2009-04-30")}}
    early = events(("a", "2009-02-07", "Biden speaks of a reset", "", "statement", 1, 0.0))
    late = events(("a", "2010-02-07", "Officials speak of a reset", "", "statement", 1, 0.0))
    assert verdict("reset_launch", evidence(events=early), **p) == claims.SUPPORTED
    assert verdict("reset_launch", evidence(events=late), **p) == claims.NOT_SUPPORTED


def test_sanctions_cooperation():
    columns = ["vote_id", "date", "file", "document", "subject", "us_vote", "ru_vote", "outcome"]
    together = frame([("v1", "2010-06-09", "iran", "S/RES/1929", "Tightens sanctions", "Y", "Y", "adopted")], columns)
    apart = frame([("v1", "2010-06-09", "iran", "S/RES/1929", "Tightens sanctions", "Y", "N", "vetoed")], columns)
    th = {"min_share_pct": 90, "min_sanctions_resolutions": 1, "sanctions_words": "sanction"}
    assert verdict("sanctions_cooperation", evidence(unsc_votes=together), RESET, **th) == claims.SUPPORTED
    assert verdict("sanctions_cooperation", evidence(unsc_votes=apart), RESET, **th) == claims.NOT_SUPPORTED


def test_afghanistan_and_commission_need_events():
    some = events(("a", "2009-07-06", "transit deal", "", "afghanistan_transit", 2, 8.0))
    none = events(("a", "2009-07-06", "call", "", "call", 1, 1.0))
    th = {"category": "afghanistan_transit", "min_events": 1}
    assert verdict("afghanistan_transit", evidence(events=some), RESET, **th) == claims.SUPPORTED
    assert verdict("afghanistan_transit", evidence(events=none), RESET, **th) == claims.NOT_SUPPORTED
    commission = events(*[(f"c{i}", f"2010-0{i}-01", "working group", "", "commission", 1, 3.0) for i in range(1, 4)])
    w = {"reset_to_2013": ("2009-01-01", "2013-12-31")}
    th = {"category": "commission", "min_events": 3}
    assert verdict("commission", evidence(events=commission), w, **th) == claims.SUPPORTED
    assert verdict("commission", evidence(events=commission.iloc[:1]), w, **th) == claims.PARTLY


def treaty_events(*rows):
    return frame(rows, ["event_id", "treaty_id", "date", "party", "event_type"])


def test_escalation_dominates():
    back = treaty_events(*[(f"e{i}", "x", f"202{i}-01-01", "RU", "suspended") for i in range(3)], ("f", "y", "2021-02-03", "both", "extended"))
    even = treaty_events(("e", "x", "2020-01-01", "RU", "suspended"), ("f", "y", "2021-02-03", "both", "extended"))
    w = {"recent": ("2019-01-01", "2024-09-02")}
    assert verdict("escalation_dominates", evidence(treaty_events=back), w, min_ratio=2) == claims.SUPPORTED
    assert verdict("escalation_dominates", evidence(treaty_events=even), w, min_ratio=2) == claims.NOT_SUPPORTED


TIE_COLUMNS = ["tie_id", "date", "actor", "partner", "kind", "title"]
WAR = {"war": ("2022-02-24", "2024-09-02")}


def test_dependence_and_third_party_ties():
    both = frame([("a", "2022-09-01", "RU", "IR", "arms_supply", "drones"), ("b", "2023-09-01", "RU", "KP", "arms_supply", "shells"),
                  ("c", "2023-01-01", "US", "UA", "military_aid", "aid")], TIE_COLUMNS)
    iran_only = both.iloc[[0]]
    th = {"min_per_partner": 1, "kinds": ["arms_supply", "troops"], "partners": ["IR", "KP"]}
    assert verdict("dependence_on_iran_dprk", evidence(third_party_ties=both), WAR, **th) == claims.SUPPORTED
    assert verdict("dependence_on_iran_dprk", evidence(third_party_ties=iran_only), WAR, **th) == claims.PARTLY
    assert verdict("third_party_ties", evidence(third_party_ties=both), WAR, min_milestones=1) == claims.SUPPORTED
    assert verdict("third_party_ties", evidence(third_party_ties=iran_only), WAR, min_milestones=1) == claims.PARTLY


def test_no_compatible_interests_counts_areas_of_cooperative_deeds():
    none = events(("a", "2023-01-01", "accusation", "", "statement", 3, -2.0))
    swaps = events(*[(f"s{i}", f"2022-0{i + 4}-01", "swap", "", "prisoner_exchange", 2, 7.0) for i in range(3)])
    two_areas = pd.concat([swaps, events(("g", "2023-05-01", "deal", "", "agreement", 2, 6.0))])
    assert verdict("no_compatible_interests", evidence(events=none), WAR, min_areas=2) == claims.SUPPORTED
    assert verdict("no_compatible_interests", evidence(events=swaps), WAR, min_areas=2) == claims.PARTLY
    assert verdict("no_compatible_interests", evidence(events=two_areas), WAR, min_areas=2) == claims.NOT_SUPPORTED


def test_strike_ban_follows_the_policy_in_force():
    columns = ["date", "allowed_inside_russia"]
    assert verdict("strike_ban_at_essay", evidence(ukraine_strike_policy=frame([("2022-05-31", "none")], columns))) == claims.SUPPORTED
    assert verdict("strike_ban_at_essay", evidence(ukraine_strike_policy=frame([("2022-05-31", "none"), ("2024-05-30", "border_area")], columns))) == claims.PARTLY
    later = frame([("2022-05-31", "none"), ("2024-11-17", "deep_strikes_limited")], columns)
    assert verdict("strike_ban_at_essay", evidence(ukraine_strike_policy=later)) == claims.SUPPORTED  # decisions after the essay do not count


def test_mutual_enemies():
    columns = ["date", "pollster", "answer", "value_pct"]
    high = frame([("2024-04-01", "Pew Research Center", "enemy", 61.0), ("2023-02-01", "Levada Center", "bad", 73.0)], columns)
    low = frame([("2024-04-01", "Pew Research Center", "enemy", 30.0), ("2023-02-01", "Levada Center", "bad", 40.0)], columns)
    assert verdict("mutual_enemies", evidence(opinion=high), min_pct=50) == claims.SUPPORTED
    assert verdict("mutual_enemies", evidence(opinion=low), min_pct=50) == claims.NOT_SUPPORTED


def with_ranks(table):
    ev = evidence()
    ev.inject("trust_ranks", table)
    return ev


def test_trust_lowest_needs_series_that_reach_back():
    columns = ["recent_worst", "record", "early 1980s: worst", "early 1980s: recent worse"]
    one = pd.DataFrame([[85.0, True, 180.0, True], [9.0, True, float("nan"), pd.NA]], columns=columns, index=["clock", "gallup"])
    two = pd.DataFrame([[85.0, True, 180.0, True], [9.0, True, 20.0, True]], columns=columns, index=["clock", "gallup"])
    none = pd.DataFrame([[9.0, True, float("nan"), pd.NA]], columns=columns, index=["gallup"])
    better = pd.DataFrame([[300.0, False, 180.0, False]], columns=columns, index=["clock"])
    th = {"min_share_record_low": 0.5, "min_series_reaching": 2}
    assert verdict("trust_lowest", with_ranks(one), **th) == claims.PARTLY
    assert verdict("trust_lowest", with_ranks(two), **th) == claims.SUPPORTED
    assert verdict("trust_lowest", with_ranks(none), **th) == claims.NOT_TESTABLE
    assert verdict("trust_lowest", with_ranks(better), **th) == claims.NOT_SUPPORTED


def with_record(rows, **tables):
    ev = evidence(**tables)
    ev.inject("record", record(*rows))
    return ev


REL = [(f"r{i}", f"2009-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
THAW = [(f"c{i}", f"2025-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
COLD = [(f"c{i}", f"2025-{i:02d}-01", -8.0, 4) for i in range(1, 13)]
TALK_ONLY = [(f"t{i}", f"2025-{i:02d}-01", 8.0, 1) for i in range(1, 13)]
CONTACTS = {"reset": ("2009-01-01", "2009-12-31"), "contacts": ("2025-01-01", "2025-12-31")}
NO_SANCTIONS = frame([], ["action_id", "date", "imposer", "instrument"])
SANCTIONS = frame([("a", "2025-10-22", "US", "designation")], ["action_id", "date", "imposer", "instrument"])


def test_no_reset_with_putin_is_a_prediction_judged_on_deeds():
    th = {"min_relative": 0.75, "instruments": ["designation"], "indicator": "deeds"}
    empty_te, signing = treaty_events(), treaty_events(("s", "x", "2025-06-01", "both", "signed"))
    assert verdict("no_reset_with_putin", with_record(REL + COLD, treaty_events=empty_te, sanctions_actions=SANCTIONS), CONTACTS, **th) == claims.BORNE_OUT
    assert verdict("no_reset_with_putin", with_record(REL + THAW, treaty_events=signing, sanctions_actions=NO_SANCTIONS), CONTACTS, **th) == claims.NOT_BORNE_OUT
    assert verdict("no_reset_with_putin", with_record(REL + THAW, treaty_events=empty_te, sanctions_actions=SANCTIONS), CONTACTS, **th) == claims.PARTLY_BORNE_OUT
    # talk alone is not a reset: warm words with no deeds bear the prediction out
    assert verdict("no_reset_with_putin", with_record(REL + TALK_ONLY, treaty_events=signing, sanctions_actions=NO_SANCTIONS), CONTACTS, **th) == claims.BORNE_OUT
    # and the same talk counted by the Goldstein sum would refute it: the indicator matters
    assert verdict("no_reset_with_putin", with_record(REL + TALK_ONLY, treaty_events=signing, sanctions_actions=NO_SANCTIONS), CONTACTS, **{**th, "indicator": "goldstein"}) == claims.NOT_BORNE_OUT
    assert verdict("no_reset_with_putin", with_record(REL + COLD, treaty_events=empty_te, sanctions_actions=SANCTIONS), CONTACTS, months_after=6, **th) == claims.TOO_EARLY


def test_thaw_and_regime_predictions():
    w = {**CONTACTS, "war": ("2022-02-24", "2024-09-02")}
    war = [(f"w{i}", f"2023-{i:02d}-01", -8.0, 4) for i in range(1, 13)]
    th = {"indicator": "deeds", "min_warm_periods": 2}
    assert verdict("thaw_impossible", with_record(REL + COLD), w, **th) == claims.BORNE_OUT
    assert verdict("thaw_impossible", with_record(REL + THAW), w, **th) == claims.NOT_BORNE_OUT
    th = {"indicator": "deeds", "min_gain_share": 0.5}
    assert verdict("regime_change_needed", with_record(war + COLD), w, **th) == claims.BORNE_OUT
    assert verdict("regime_change_needed", with_record(war + THAW), w, **th) == claims.NOT_BORNE_OUT
    half = [(f"c{i}", f"2025-{i:02d}-01", -1.0, 4) for i in range(1, 13)]  # better than the war, still below zero
    assert verdict("regime_change_needed", with_record(war + half), w, **th) == claims.PARTLY_BORNE_OUT


LEDGER_COLUMNS = ["item_id", "date", "actor", "move", "deed"]


def test_engagement_exploited_reads_russias_answers():
    w = {"contacts": ("2025-01-01", "2026-03-31")}
    th = {"min_hostile_pct": 67, "max_hostile_pct_against": 33, "lag_months": 1}
    offers = [("o1", "2025-02-01", "US", "offer", "false"), ("o2", "2025-03-01", "US", "concession", "true")]
    hostile = frame(offers + [("r1", "2025-03-10", "RU", "escalation", "true"), ("r2", "2025-04-01", "RU", "refusal", "true")], LEDGER_COLUMNS)
    friendly = frame(offers + [("r1", "2025-03-10", "RU", "reciprocation", "true"), ("r2", "2025-04-01", "RU", "concession", "true")], LEDGER_COLUMNS)
    mixed = frame(offers + [("r1", "2025-03-10", "RU", "reciprocation", "true"), ("r2", "2025-04-01", "RU", "escalation", "true")], LEDGER_COLUMNS)
    assert verdict("engagement_exploited", evidence(engagement_ledger_2025=hostile), w, **th) == claims.BORNE_OUT
    assert verdict("engagement_exploited", evidence(engagement_ledger_2025=friendly), w, **th) == claims.NOT_BORNE_OUT
    assert verdict("engagement_exploited", evidence(engagement_ledger_2025=mixed), w, **th) == claims.PARTLY_BORNE_OUT


def test_nonproliferation_prediction():
    columns = ["vote_id", "date", "file", "document", "subject", "us_vote", "ru_vote", "outcome"]
    split = frame([("v", "2025-09-19", "iran", None, "draft", "N", "Y", "failed")], columns)
    joint = frame([("v", "2025-09-19", "iran", None, "draft", "Y", "Y", "adopted")], columns)
    w = {"after": ("2024-09-03", "2026-03-31"), "reset": ("2009-01-01", "2010-12-31")}
    th = {"max_share_pct": 25, "min_share_pct_against": 75, "min_votes": 1}
    assert verdict("nonproliferation_worse", evidence(unsc_votes=split), w, **th) == claims.BORNE_OUT
    assert verdict("nonproliferation_worse", evidence(unsc_votes=joint), w, **th) == claims.NOT_BORNE_OUT
    assert verdict("nonproliferation_worse", evidence(unsc_votes=split.iloc[:0]), w, **th) == claims.TOO_EARLY


def test_failed_after_2010_says_it_tests_timing_only():
    reset = [(f"r{i}", f"2009-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
    sliding = [(f"s{i}", f"2012-{i:02d}-01", 2.0, 2) for i in range(1, 13)]
    collapse = [(f"k{i}", f"2015-{i:02d}-01", -8.0, 4) for i in range(1, 13)]
    w = {"reset": ("2009-01-01", "2009-12-31"), "after": ("2010-01-01", "2013-12-31"), "collapse": ("2014-01-01", "2021-12-31")}

    def run(rows, breaks):
        ev = with_record(rows)
        ev.memo[("breaks", "", "first", 0, "quarter", 3, 3.0, 2, "deeds")] = breaks
        p = {"windows": {k: span(*v) for k, v in w.items()}, "dates": {"crimea": T("2014-03-18")},
             "indicator": "deeds", "max_break_distance_days": 366}
        return claims.RULES["failed_after_2010"](ev, p)

    verdict_, _, text = run(reset + sliding + collapse, [T("2014-01-01")])
    assert verdict_ == claims.SUPPORTED and text.startswith("Tested on timing only")
    assert run(reset + sliding + collapse, [])[0] == claims.PARTLY


def test_war_culmination():
    quiet = [(f"q{i}", f"2007-{i:02d}-01", -1.0, 4) for i in range(1, 13)]
    war = [("w", "2008-08-08", -10.0, 4)]
    earlier = [("e", "2007-03-01", -30.0, 4)]
    ev_args = {"windows": {"before": ("2007-01-01", "2008-12-31")}, "max_periods_from_war": 0, "indicator": "deeds"}

    def run(rows):
        p = {**ev_args, "windows": {"before": span(*ev_args["windows"]["before"])}, "dates": {"war": T("2008-08-08")}}
        return claims.RULES["war_culmination"](with_record(rows), p)[0]

    assert run(quiet + war) == claims.SUPPORTED
    assert run(quiet + war + earlier) == claims.PARTLY


def test_denials_are_not_testable_until_recorded():
    w = {"report": ("2024-08-01", "2024-09-02")}
    th = {"topic": "reset", "denial_words": "deni"}
    silent = events(("a", "2024-08-20", "call", "", "call", 1, 1.0))
    denied = events(("a", "2024-08-20", "White House denies reset motive", "", "statement", 1, 0.0))
    assert verdict("denials_recorded", evidence(events=silent), w, **th) == claims.NOT_TESTABLE
    assert verdict("denials_recorded", evidence(events=denied), w, **th) == claims.SUPPORTED


def test_reset_worked():
    te_in = treaty_events(("s", "new-start", "2010-04-08", "both", "signed"))
    te_out = treaty_events(("s", "new-start", "2012-04-08", "both", "signed"))
    cold_before = [(f"b{i}", f"2008-{i:02d}-01", -4.0, 4) for i in range(1, 13)]
    w = {"reset": ("2009-01-01", "2010-12-31"), "before": ("2007-01-01", "2008-12-31")}
    th = {"treaty": "new-start", "min_per_month": 0.0, "indicator": "deeds"}
    assert verdict("reset_worked", with_record(REL + cold_before, treaty_events=te_in), w, **th) == claims.SUPPORTED
    assert verdict("reset_worked", with_record(REL + cold_before, treaty_events=te_out), w, **th) == claims.PARTLY
    hostile = [(f"r{i}", f"2009-{i:02d}-01", -8.0, 4) for i in range(1, 13)]
    assert verdict("reset_worked", with_record(hostile, treaty_events=te_out), w, **th) == claims.NOT_SUPPORTED


def test_arms_control_unrealistic_counts_suspended_apart():
    treaties = pd.DataFrame({"treaty_id": ["ns"], "domain": ["strategic_offensive"]})
    suspended = treaty_events(("a", "ns", "2010-04-08", "both", "signed"), ("b", "ns", "2011-02-05", "both", "entered_into_force"), ("c", "ns", "2023-02-28", "RU", "suspended"))
    quiet = events(("a", "2023-01-01", "x", "", "statement", 3, -2.0))
    talks = events(("a", "2025-06-01", "stability talks", "", "strategic_talks", 1, 3.0))
    w = {"after": ("2024-09-03", "2026-03-31")}
    th = {"domains": ["strategic_offensive"], "talks_category": "strategic_talks", "max_talks": 0}

    def ev(te, own):
        return evidence(treaties=treaties, treaty_events=te, events=own)

    assert verdict("arms_control_unrealistic", ev(suspended, quiet), w, **th) == claims.SUPPORTED
    assert verdict("arms_control_unrealistic", ev(suspended, talks), w, **th) == claims.PARTLY
    assert verdict("arms_control_unrealistic", ev(suspended.iloc[:2], quiet), w, **th) == claims.NOT_SUPPORTED


def test_every_rule_is_covered_by_a_test_here():
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    untested = [name for name in claims.RULES if f'"{name}"' not in source]
    assert untested == ["not_testable"] or untested == []
    assert verdict("not_testable", evidence()) == claims.NOT_TESTABLE


# --- the real data, exports ------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    ledger = claims.load_ledger()
    return ledger, claims.evaluate(claims.Settings(), ledger)


def test_every_claim_gets_a_verdict_on_its_own_scale(real):
    ledger, verdicts = real
    assert [v.claim_id for v in verdicts] == [c["id"] for c in ledger]
    for claim, v in zip(ledger, verdicts):
        assert v.verdict in claims.SCALES[claims.scale(claim)] and v.explanation
    json.dumps([v.as_dict() for v in verdicts])  # figures are plain JSON


def test_evidence_dates_are_measured_from_the_data(real):
    ledger, verdicts = real
    tables = claims.Evidence(claims.Settings()).tables
    latest = max(tables[n]["date"].max() for n in claims.DATED_TABLES if n in tables)
    assert max(v.evidence_through for v in verdicts) == f"{latest:%Y-%m-%d}"
    cut = claims.evaluate(claims.Settings(evidence_cutoff="2025-06-30"), ledger)
    assert max(v.evidence_through for v in cut) <= "2025-06-30"


CLAIM_REVIEW_REQUIRED = {"@context", "@type", "url", "claimReviewed", "itemReviewed", "reviewRating", "author", "datePublished"}


def test_export_follows_the_shared_contract(real):
    from resetlab import ESSAY

    ledger, verdicts = real
    result = {"settings": {}, "evidence_through": "2026-03-09", "sensitivity": {"settings": 1440, "dimensions": claims.DIMENSIONS},
              "verdicts": [v.as_dict() for v in verdicts]}
    claims_file, reviews = claims.export(result, ledger)
    assert set(claims_file) >= {"essay", "evidence_through", "scales", "sensitivity", "claims"}
    assert set(claims_file["sensitivity"]["dimensions"]) == {"thresholds", "indicator", "windows", "evidence_cutoff", "coder", "events_resample"}
    for entry in claims_file["claims"]:
        assert {"id", "quote", "paragraph", "kind", "scale", "verdict", "robust", "robustness", "evidence_through",
                "rule_text", "explanation", "would_change", "url"} <= set(entry)
        assert entry["url"] == f"05.00-Claims-Scorecard.html#claim-{entry['id']}"
        assert f"Evidence through {entry['evidence_through']}" in entry["explanation"]
        assert entry["slug"] == claims.SLUGS[entry["verdict"]]
    for review, v in zip(reviews, verdicts):
        assert CLAIM_REVIEW_REQUIRED <= set(review) and review["@type"] == "ClaimReview"
        assert review["datePublished"] == v.evidence_through and review["url"].endswith(f"#claim-{v.claim_id}")
        item = review["itemReviewed"]
        assert item["author"]["name"] == ESSAY["author"] and item["appearance"]["url"] == ESSAY["url"]
        rating = review["reviewRating"]
        assert rating["alternateName"] == v.verdict
        assert ("ratingValue" in rating) == (v.verdict not in (claims.NOT_TESTABLE, claims.TOO_EARLY))
    json.dumps(claims_file)


def test_describe_shows_anchor_quote_rating_rule_and_what_would_change(real):
    ledger, verdicts = real
    claim, v = ledger[7], verdicts[7]
    v.robustness = {"settings": 1440, "shares": {v.verdict: 95.0, claims.PARTLY: 5.0}, "robust": True,
                    "flips_on": [{"dimension": "thresholds", "parameter": "min_ratio", "value": "3", "verdict": claims.PARTLY}]}
    text = claims.describe(v, claim, claims.Evidence(claims.Settings()).tables)
    assert text.startswith(f'<a id="claim-{v.claim_id}"></a>')
    assert "> “" in text and claims.SCALES["assessment"][v.verdict] in text
    assert f"evidence through {v.evidence_through}" in text and "**What would change the verdict.**" in text
    assert "robust" in text and "min_ratio = 3" in text


def test_data_text_is_escaped_in_the_scorecard():
    v = claims.Verdict("C99", claims.SUPPORTED, {}, "<script>alert(1)</script>", "2026-01-01")
    claim = {"id": "C99", "paraphrase": "[x](javascript:alert(1))", "quote": "<b>q</b>", "kind": "assessment", "paragraph": 1,
             "rule_text": "r", "threshold_reason": "t", "would_change": "w", "rule": "not_testable"}
    text = claims.describe(v, claim)
    assert "<script>" not in text and "<b>" not in text and "](javascript" not in text


def test_export_command_writes_the_contract_and_the_quarterly_index():
    from resetlab import paths
    from resetlab.__main__ import main

    assert main(["export", "--notebook", str(paths.NOTEBOOKS / claims.SCORECARD)]) == 0
    written = json.loads((paths.BUILD / "claims.json").read_text(encoding="utf-8"))
    assert written["sensitivity"]["settings"] >= 1000 and len(written["claims"]) >= 22
    assert all(c["robustness"]["settings"] == written["sensitivity"]["settings"] for c in written["claims"])
    assert written["evidence_through"] == max(c["evidence_through"] for c in written["claims"])
    quarterly = pd.read_csv(paths.BUILD / "index_quarterly.csv")
    assert {"period", "net_goldstein", "talk_net", "deeds_net", "events"} <= set(quarterly.columns)
    assert (quarterly["talk_net"] + quarterly["deeds_net"] - quarterly["net_goldstein"]).abs().max() < 0.02
