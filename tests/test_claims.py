"""The claims engine: the ledger's schema, each rule's verdict flipping on synthetic data, exports."""
import json
import re

import pandas as pd
import pytest
import yaml

from resetlab import claims, paths

T = pd.Timestamp


def evidence(**tables):
    return claims.Evidence(claims.Settings(), tables)


def frame(rows, columns, dates=("date",)):
    out = pd.DataFrame(rows, columns=columns)
    for column in dates:
        out[column] = pd.to_datetime(out[column])
    return out


def verdict(rule, ev, **thresholds):
    return claims.RULES[rule](ev, thresholds)[0]


EVENT_COLUMNS = ["event_id", "date", "title", "description", "category", "quad_class", "goldstein", "actor", "target", "cameo_code"]


def events(*rows):
    return frame([(*r, "US", "RU", "010") for r in rows], EVENT_COLUMNS)


# --- ledger ---------------------------------------------------------------------------------

def test_committed_ledger_is_valid_and_covers_the_issue_list():
    ledger = claims.load_ledger()
    assert len(ledger) >= 16
    assert {c["claim_type"] for c in ledger} <= claims.CLAIM_TYPES
    assert all(c["why_not"] for c in ledger if not c["testable"])


@pytest.mark.parametrize("change, message", [
    (lambda c: c.pop("rule"), "missing field(s) rule"),
    (lambda c: c.update(rule="no_such_rule"), "unknown rule"),
    (lambda c: c.update(claim_type="opinion"), "claim_type must be one of"),
    (lambda c: c.update(testable=False), "needs rule not_testable"),
])
def test_broken_ledger_is_refused_naming_the_claim(tmp_path, change, message):
    ledger = yaml.safe_load((paths.DATA / "claims.yaml").read_text())
    change(ledger["claims"][0])
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(ledger))
    with pytest.raises(claims.LedgerError, match=re.escape(message)) as info:
        claims.load_ledger(path)
    assert "claim C01" in str(info.value)


# --- rules flip on synthetic data -----------------------------------------------------------

def test_reset_launch():
    th = {"window_start": "2009-01-01", "window_end": "2009-04-30", "announcer": "Biden"}
    early = events(("a", "2009-02-07", "Biden speaks of a reset", "", "statement", 1, 0.0))
    late = events(("a", "2010-02-07", "Officials speak of a reset", "", "statement", 1, 0.0))
    assert verdict("reset_launch", evidence(events=early), **th) == claims.SUPPORTED
    assert verdict("reset_launch", evidence(events=late), **th) == claims.NOT_SUPPORTED


def test_sanctions_cooperation():
    columns = ["vote_id", "date", "file", "document", "subject", "us_vote", "ru_vote", "outcome"]
    together = frame([("v1", "2010-06-09", "iran", "S/RES/1929", "Tightens sanctions", "Y", "Y", "adopted")], columns)
    apart = frame([("v1", "2010-06-09", "iran", "S/RES/1929", "Tightens sanctions", "Y", "N", "vetoed")], columns)
    th = {"min_share_pct": 90, "min_sanctions_resolutions": 1}
    assert verdict("sanctions_cooperation", evidence(unsc_votes=together), **th) == claims.SUPPORTED
    assert verdict("sanctions_cooperation", evidence(unsc_votes=apart), **th) == claims.NOT_SUPPORTED


def test_afghanistan_and_commission_need_events():
    some = events(("a", "2009-07-06", "transit deal", "", "afghanistan_transit", 2, 8.0))
    none = events(("a", "2009-07-06", "call", "", "call", 1, 1.0))
    assert verdict("afghanistan_transit", evidence(events=some), min_events=1) == claims.SUPPORTED
    assert verdict("afghanistan_transit", evidence(events=none), min_events=1) == claims.NOT_SUPPORTED
    commission = events(*[(f"c{i}", f"2010-0{i}-01", "working group", "", "commission", 1, 3.0) for i in range(1, 4)])
    assert verdict("commission", evidence(events=commission), min_events=3) == claims.SUPPORTED
    assert verdict("commission", evidence(events=commission.iloc[:1]), min_events=3) == claims.PARTLY


def treaty_events(*rows):
    return frame(rows, ["event_id", "treaty_id", "date", "party", "event_type"])


def test_escalation_dominates():
    back = treaty_events(*[(f"e{i}", "x", f"202{i}-01-01", "RU", "suspended") for i in range(3)], ("f", "y", "2021-02-03", "both", "extended"))
    even = treaty_events(("e", "x", "2020-01-01", "RU", "suspended"), ("f", "y", "2021-02-03", "both", "extended"))
    assert verdict("escalation_dominates", evidence(treaty_events=back), min_ratio=2) == claims.SUPPORTED
    assert verdict("escalation_dominates", evidence(treaty_events=even), min_ratio=2) == claims.NOT_SUPPORTED


TIE_COLUMNS = ["tie_id", "date", "actor", "partner", "kind", "title"]


def test_dependence_and_third_party_ties():
    both = frame([("a", "2022-09-01", "RU", "IR", "arms_supply", "drones"), ("b", "2023-09-01", "RU", "KP", "arms_supply", "shells"),
                  ("c", "2023-01-01", "US", "UA", "military_aid", "aid")], TIE_COLUMNS)
    iran_only = both.iloc[[0]]
    assert verdict("dependence_on_iran_dprk", evidence(third_party_ties=both), min_per_partner=1) == claims.SUPPORTED
    assert verdict("dependence_on_iran_dprk", evidence(third_party_ties=iran_only), min_per_partner=1) == claims.PARTLY
    assert verdict("third_party_ties", evidence(third_party_ties=both)) == claims.SUPPORTED
    assert verdict("third_party_ties", evidence(third_party_ties=iran_only)) == claims.PARTLY


def test_no_compatible_interests_counts_material_cooperation():
    th = {"max_for_supported": 0, "max_for_partly": 2}
    none = events(("a", "2023-01-01", "accusation", "", "statement", 3, -2.0))
    many = events(*[(f"s{i}", f"2022-0{i + 4}-01", "swap", "", "prisoner_exchange", 2, 7.0) for i in range(3)])
    assert verdict("no_compatible_interests", evidence(events=none), **th) == claims.SUPPORTED
    assert verdict("no_compatible_interests", evidence(events=many), **th) == claims.NOT_SUPPORTED
    assert verdict("no_compatible_interests", evidence(events=many.iloc[:1]), **th) == claims.PARTLY


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
    th = {"min_share_record_low": 0.5}
    assert verdict("trust_lowest", with_ranks(one), **th) == claims.PARTLY
    assert verdict("trust_lowest", with_ranks(two), **th) == claims.SUPPORTED
    assert verdict("trust_lowest", with_ranks(none), **th) == claims.NOT_TESTABLE
    assert verdict("trust_lowest", with_ranks(better), **th) == claims.NOT_SUPPORTED


def record(*rows):
    return frame(rows, ["event_id", "date", "goldstein", "quad_class"])


def test_no_reset_with_putin():
    reset = [(f"r{i}", f"2009-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
    thaw = [(f"c{i}", f"2025-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
    cold = [(f"c{i}", f"2025-{i:02d}-01", -8.0, 4) for i in range(1, 13)]
    empty_te = treaty_events()
    signing = treaty_events(("s", "x", "2025-06-01", "both", "signed"))
    no_sanctions = frame([], ["action_id", "date", "imposer", "instrument"])
    sanctions = frame([("a", "2025-10-22", "US", "designation")], ["action_id", "date", "imposer", "instrument"])
    def ev(rows, te, acts):
        e = evidence(treaty_events=te, sanctions_actions=acts)
        e.inject("record", record(*rows))
        return e
    assert verdict("no_reset_with_putin", ev(reset + cold, empty_te, sanctions), min_relative_thaw=0.75) == claims.SUPPORTED
    assert verdict("no_reset_with_putin", ev(reset + thaw, signing, no_sanctions), min_relative_thaw=0.75) == claims.NOT_SUPPORTED
    assert verdict("no_reset_with_putin", ev(reset + thaw, empty_te, sanctions), min_relative_thaw=0.75) == claims.PARTLY


def test_failed_after_2010():
    reset = [(f"r{i}", f"2009-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
    sliding = [(f"s{i}", f"2012-{i:02d}-01", 2.0, 1) for i in range(1, 13)]
    collapse = [(f"k{i}", f"2015-{i:02d}-01", -8.0, 4) for i in range(1, 13)]
    def ev(rows, breaks):
        e = evidence()
        e.inject("record", record(*rows))
        e.inject("breaks", breaks)
        return e
    assert verdict("failed_after_2010", ev(reset + sliding + collapse, [T("2014-01-01")]), max_break_distance_days=366) == claims.SUPPORTED
    assert verdict("failed_after_2010", ev(reset + sliding + collapse, []), max_break_distance_days=366) == claims.PARTLY
    rising = [(f"s{y}{i}", f"{y}-{i:02d}-01", 10.0, 2) for y in (2012, 2013) for i in range(1, 13)]  # 6.7 a month, above the Reset's 4.0
    assert verdict("failed_after_2010", ev(reset + rising + collapse, []), max_break_distance_days=366) == claims.NOT_SUPPORTED


# --- the real data, exports ------------------------------------------------------------------

def test_every_claim_gets_a_verdict_on_the_scale():
    verdicts = claims.evaluate(claims.Settings())
    assert [v.claim_id for v in verdicts] == [c["id"] for c in claims.load_ledger()]
    assert all(v.verdict in claims.SCALE and v.explanation for v in verdicts)
    json.dumps([v.as_dict() for v in verdicts])  # figures are plain JSON


CLAIM_REVIEW_REQUIRED = {"@context", "@type", "claimReviewed", "itemReviewed", "reviewRating", "author", "datePublished"}


def test_claim_review_json_ld_fields():
    from resetlab import ESSAY

    verdicts = [v.as_dict() for v in claims.evaluate(claims.Settings())]
    claims_file, reviews = claims.export(verdicts, claims.load_ledger(), {}, "2026-11-30")
    assert len(reviews) == len(verdicts) == len(claims_file["claims"])
    for review, v in zip(reviews, verdicts):
        assert CLAIM_REVIEW_REQUIRED <= set(review) and review["@type"] == "ClaimReview"
        item = review["itemReviewed"]
        assert item["author"]["name"] == ESSAY["author"] and item["datePublished"] == ESSAY["date"] and item["appearance"]["url"] == ESSAY["url"]
        rating = review["reviewRating"]
        assert rating["alternateName"] == v["verdict"]
        assert ("ratingValue" in rating) == (v["verdict"] != claims.NOT_TESTABLE)
        if "ratingValue" in rating:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    json.dumps(reviews)


def test_reset_worked():
    te_in = treaty_events(("s", "new-start", "2010-04-08", "both", "signed"))
    te_out = treaty_events(("s", "new-start", "2012-04-08", "both", "signed"))
    warm = [(f"r{i}", f"2009-{i:02d}-01", 8.0, 2) for i in range(1, 13)]
    cold_before = [(f"b{i}", f"2008-{i:02d}-01", -4.0, 3) for i in range(1, 13)]
    def ev(te, rows):
        e = evidence(treaty_events=te)
        e.inject("record", record(*rows))
        return e
    assert verdict("reset_worked", ev(te_in, warm + cold_before)) == claims.SUPPORTED
    assert verdict("reset_worked", ev(te_out, warm + cold_before)) == claims.PARTLY
    assert verdict("reset_worked", ev(te_out, [(f"r{i}", f"2009-{i:02d}-01", -8.0, 4) for i in range(1, 13)])) == claims.NOT_SUPPORTED


def test_arms_control_unrealistic():
    treaties = pd.DataFrame({"treaty_id": ["ns"], "domain": ["strategic_offensive"]})
    suspended = treaty_events(("a", "ns", "2010-04-08", "both", "signed"), ("b", "ns", "2011-02-05", "both", "entered_into_force"), ("c", "ns", "2023-02-28", "RU", "suspended"))
    in_force = suspended.iloc[:2]
    quiet = events(("a", "2023-01-01", "x", "", "statement", 3, -2.0))
    talks = events(("a", "2025-06-01", "stability talks", "", "strategic_talks", 1, 3.0))
    def ev(te, own):
        return evidence(treaties=treaties, treaty_events=te, events=own)
    assert verdict("arms_control_unrealistic", ev(suspended, quiet)) == claims.SUPPORTED
    assert verdict("arms_control_unrealistic", ev(suspended, talks)) == claims.PARTLY
    assert verdict("arms_control_unrealistic", ev(in_force, quiet)) == claims.NOT_SUPPORTED


def test_not_testable_rule_and_every_rule_is_covered():
    assert verdict("not_testable", evidence()) == claims.NOT_TESTABLE
    tested = {"reset_launch", "reset_worked", "sanctions_cooperation", "afghanistan_transit", "commission", "failed_after_2010",
              "arms_control_unrealistic", "escalation_dominates", "dependence_on_iran_dprk", "third_party_ties", "no_compatible_interests",
              "trust_lowest", "no_reset_with_putin", "strike_ban_at_essay", "mutual_enemies", "not_testable"}
    assert tested == set(claims.RULES)


def test_describe_states_verdict_robustness_and_rule():
    ledger = {c["id"]: c for c in claims.load_ledger()}
    v = claims.Verdict("C08", claims.SUPPORTED, {}, "Ten steps back.", 95.8)
    text = claims.describe(v, ledger["C08"])
    assert text.startswith("### C08 · ") and "**Supported** (holds in 95.8% of settings). Ten steps back." in text
    assert "Rule `escalation_dominates`" in text
    untestable = claims.describe(claims.Verdict("C13", claims.NOT_TESTABLE, {}, "why"), ledger["C13"])
    assert "Indicators" not in untestable
