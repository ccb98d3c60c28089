"""One rule per claim: each reads the evidence and the claim's parameters and returns its verdict.

`p` holds the claim's thresholds (at the sweep's threshold level), its windows as (start, end)
timestamps, its dates, its indicator and `months_after`, the months of evidence after the essay.
No date or threshold is written inside a rule: they come from data/claims.yaml or the settings.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from .. import armscontrol, events, sanctions
from .core import (BORNE_OUT, NOT_BORNE_OUT, NOT_SUPPORTED, NOT_TESTABLE, PARTLY, PARTLY_BORNE_OUT,
                   SUPPORTED, TOO_EARLY, Evidence)

RULES: dict[str, Callable] = {}
# Which tables each rule reads: their rows cite the sources, and their latest dated row is the
# claim's evidence date.
RULE_TABLES: dict[str, list[str]] = {}
RECORD = ["events", "treaty_events", "sanctions_actions"]


def rule(*tables: str):
    def register(func):
        RULES[func.__name__] = func
        RULE_TABLES[func.__name__] = list(tables)
        return func
    return register


def grade(hits: int, needed: int) -> str:
    """Supported when every test holds, partly when some do, not supported when none does."""
    return SUPPORTED if hits == needed else PARTLY if hits else NOT_SUPPORTED


def forecast(p: dict, held: bool, failed: bool) -> str | None:
    """A prediction's verdict, or None while too little time has passed since the essay."""
    if p["months_after"] < p["min_months"]:
        return TOO_EARLY
    return NOT_BORNE_OUT if failed else BORNE_OUT if held else PARTLY_BORNE_OUT


def between(frame: pd.DataFrame, span: tuple) -> pd.DataFrame:
    return frame[frame["date"].between(*span)]


def day(value) -> str:
    return f"{pd.Timestamp(value):%-d %B %Y}"


def listed(rows: pd.DataFrame) -> str:
    return "; ".join(f"{r.title} ({r.date:%b %Y})" for r in rows.itertuples()) or "none"


def talk_beside(ev: Evidence, span: tuple) -> float:
    return ev.per_month(*span, "talk")


@rule("events")
def reset_launch(ev: Evidence, p: dict):
    own = ev.tables["events"]
    text = own["title"].str.cat(own["description"], sep=" ")
    hits = own[text.str.contains("reset", case=False)].sort_values("date")
    if hits.empty:
        return NOT_SUPPORTED, {"first_reset_event": None}, "No event mentions the reset."
    first = hits.iloc[0]
    lo, hi = p["windows"]["launch"]
    in_window = bool(lo <= first["date"] <= hi)
    named = p["announcer"].lower() in (first["title"] + " " + first["description"]).lower()
    figures = {"first_reset_event": first["event_id"], "date": f"{first['date']:%Y-%m-%d}",
               "in_window": in_window, "announcer_named": named}
    return grade(in_window + named, 2), figures, (
        f"The first recorded mention of the reset is \"{first['title']}\" on {day(first['date'])}; "
        f"it is {'inside' if in_window else 'outside'} {day(lo)} to {day(hi)} and "
        f"{'names' if named else 'does not name'} {p['announcer']}.")


@rule(*RECORD)
def reset_worked(ev: Evidence, p: dict):
    reset, before = p["windows"]["reset"], p["windows"]["before"]
    during, earlier = ev.per_month(*reset, p["indicator"]), ev.per_month(*before, p["indicator"])
    te = ev.tables["treaty_events"]
    signed = te[(te["treaty_id"] == p["treaty"]) & (te["event_type"] == "signed")]
    concluded = bool(signed["date"].between(*reset).any())
    improved = during > p["min_per_month"] and during > earlier
    figures = {"treaty_signed": f"{signed['date'].min():%Y-%m-%d}" if len(signed) else None,
               "indicator": p["indicator"], "per_month_reset": during, "per_month_before": earlier,
               "talk_per_month_reset": talk_beside(ev, reset)}
    return grade(concluded + improved, 2), figures, (
        f"{p['treaty']} was signed {'inside' if concluded else 'outside'} the Reset window; "
        f"{p['indicator']} per month was {during:+.2f} in the window against {earlier:+.2f} "
        f"in the same span before it (talk alone: {figures['talk_per_month_reset']:+.2f}).")


@rule("unsc_votes")
def sanctions_cooperation(ev: Evidence, p: dict):
    votes = between(sanctions.russia_agrees_with_us(ev.tables["unsc_votes"]), p["windows"]["reset"])
    share = round(100 * float(votes["agrees"].mean()), 1) if len(votes) else float("nan")
    imposing = votes[votes["subject"].str.contains(p["sanctions_words"], case=False)
                     & (votes["ru_vote"] == "Y")]
    ok_share = len(votes) > 0 and share >= p["min_share_pct"]
    ok_texts = len(imposing) >= p["min_sanctions_resolutions"]
    figures = {"votes_in_window": len(votes), "russia_with_us_pct": share,
               "vote_ids": imposing["vote_id"].tolist()}
    texts = ", ".join(imposing["document"].dropna()) or "no"
    return grade(ok_share + ok_texts, 2), figures, (
        f"In the Reset window Russia voted as the U.S. did on {int(votes['agrees'].sum())} of "
        f"{len(votes)} Security Council votes on Iran and North Korea ({share}%), including "
        f"{texts} sanctions text(s).")


def cooperative_events(ev: Evidence, p: dict, window: str):
    """The claim's category of cooperative events (quad 1 or 2) in a window, and the verdict that
    their number gives against `min_events` (some but too few: partly)."""
    own = ev.rows("events", p["windows"][window])
    hits = own[(own["category"] == p["category"]) & (own["quad_class"] <= 2)]
    verdict = SUPPORTED if len(hits) >= p["min_events"] else PARTLY if len(hits) else NOT_SUPPORTED
    return hits, verdict


@rule("events")
def afghanistan_transit(ev: Evidence, p: dict):
    hits, verdict = cooperative_events(ev, p, "reset")
    return verdict, {"event_ids": hits["event_id"].tolist()}, (
        f"{len(hits)} cooperative Afghanistan-transit event(s) fall in the Reset window: "
        f"{listed(hits)}.")


@rule("events")
def commission(ev: Evidence, p: dict):
    hits, verdict = cooperative_events(ev, p, "reset_to_2013")
    first = f"the first on {day(hits['date'].min())}" if len(hits) else "none"
    return verdict, {"event_ids": hits["event_id"].tolist()}, (
        f"The record holds {len(hits)} cooperative commission event(s) from the Reset's start "
        f"to 2013, {first}.")


@rule(*RECORD)
def failed_after_2010(ev: Evidence, p: dict):
    w, ind = p["windows"], p["indicator"]
    reset, after, collapse = (ev.per_month(*w[k], ind) for k in ("reset", "after", "collapse"))
    crimea = p["dates"]["crimea"]
    nearest = events.nearest(ev.breaks_for(ind), crimea)
    slid = after < reset and after > collapse
    broke = nearest is not None and abs((nearest - crimea).days) <= p["max_break_distance_days"]
    figures = {"indicator": ind, "reset": reset, "after": after, "collapse": collapse,
               "break_nearest_crimea": f"{nearest:%Y-%m-%d}" if nearest is not None else None}
    where = f"at {nearest:%Y-%m}" if nearest is not None else "absent"
    return grade(slid + broke, 2), figures, (
        f"Tested on timing only (the causes the essay names are not measured): {ind} per month "
        f"fell from {reset:+.2f} in the Reset window to {after:+.2f} up to 2013 and "
        f"{collapse:+.2f} in 2014-2021; the change point nearest Crimea is {where}.")


@rule("treaties", "treaty_events", "events")
def arms_control_unrealistic(ev: Evidence, p: dict):
    essay = pd.Timestamp(ev.settings.essay_date)
    domains = ev.tables["treaties"].set_index("treaty_id")["domain"]
    status = armscontrol.status_on(ev.periods, essay)
    strategic = status[status.index.map(domains).isin(p["domains"])]
    live = strategic[strategic == "in_force"].index.tolist()
    suspended = strategic[strategic == "suspended"].index.tolist()
    te = between(ev.tables["treaty_events"], p["windows"]["after"])
    signed = te[te["event_type"].isin(STEPS_FORWARD)]
    talks = between(ev.tables["events"], p["windows"]["after"])
    talks = talks[talks["category"] == p["talks_category"]]
    figures = {"in_force_implemented": live, "in_force_suspended": suspended,
               "signed_or_extended_after": signed["event_id"].tolist(),
               "event_ids": talks["event_id"].tolist()}
    if not live and signed.empty and len(talks) <= p["max_talks"]:
        verdict = SUPPORTED
    elif not live and signed.empty:
        verdict = PARTLY
    else:
        verdict = NOT_SUPPORTED
    return verdict, figures, (
        f"On the essay's date {len(live)} strategic arms agreement(s) were in force and "
        f"implemented and {len(suspended)} in force but suspended; since then {len(signed)} "
        f"agreement(s) were signed or extended and {len(talks)} strategic-stability meeting(s) "
        "recorded.")


STEPS_BACK = {"suspended", "withdrawal_notified", "denounced", "deratified"}
STEPS_FORWARD = {"signed", "extended"}


@rule("treaty_events")
def escalation_dominates(ev: Evidence, p: dict):
    recent = between(ev.tables["treaty_events"], p["windows"]["recent"])
    back = int(recent["event_type"].isin(STEPS_BACK).sum())
    forward = int(recent["event_type"].isin(STEPS_FORWARD).sum())
    ratio = back / forward if forward else float("inf")
    verdict = SUPPORTED if ratio >= p["min_ratio"] else PARTLY if back > forward else NOT_SUPPORTED
    return verdict, {"steps_back": back, "steps_forward": forward}, (
        f"From {day(p['windows']['recent'][0])} to the essay's date the treaty record shows {back} "
        f"steps back from arms control (suspensions, withdrawal notices, denunciations, "
        f"de-ratifications) and {forward} step(s) forward (signatures, extensions).")


@rule("third_party_ties")
def dependence_on_iran_dprk(ev: Evidence, p: dict):
    ties = between(ev.tables["third_party_ties"], p["windows"]["war"])
    ties = ties[(ties["actor"] == "RU") & ties["kind"].isin(p["kinds"])]
    counts = {partner: int((ties["partner"] == partner).sum()) for partner in p["partners"]}
    met = sum(n >= p["min_per_partner"] for n in counts.values())
    figures = {"supply_milestones": counts, "tie_ids": ties["tie_id"].tolist()}
    return grade(met, len(counts)), figures, (
        f"Between the invasion and the essay's date the record holds {counts.get('IR', 0)} supply "
        f"milestone(s) from Iran and {counts.get('KP', 0)} from North Korea (arms, drones, "
        "munitions or troops).")


@rule("third_party_ties")
def third_party_ties(ev: Evidence, p: dict):
    ties = between(ev.tables["third_party_ties"], p["windows"]["war"])
    us = ties[(ties["actor"] == "US") & (ties["partner"] == "UA")]
    ru = ties[(ties["actor"] == "RU") & ties["partner"].isin(["IR", "KP"])]
    met = (len(us) >= p["min_milestones"]) + (len(ru) >= p["min_milestones"])
    figures = {"us_ukraine": len(us), "russia_iran_dprk": len(ru),
               "tie_ids": [*us["tie_id"], *ru["tie_id"]]}
    return grade(met, 2), figures, (
        f"From the invasion to the essay's date: {len(us)} U.S. support milestone(s) for Ukraine "
        f"and {len(ru)} Russian milestone(s) with Iran and North Korea.")


@rule("events")
def no_compatible_interests(ev: Evidence, p: dict):
    own = between(ev.tables["events"], p["windows"]["war"])
    deeds = own[(events.components(own) == events.DEEDS) & (own["goldstein"] > 0)]
    areas = sorted(deeds["category"].unique())
    verdict = (SUPPORTED if deeds.empty else PARTLY if len(areas) < p["min_areas"]
               else NOT_SUPPORTED)
    figures = {"cooperative_deeds": len(deeds), "areas": areas,
               "event_ids": deeds["event_id"].tolist()}
    return verdict, figures, (
        f"Between the invasion and the essay's date the record holds {len(deeds)} cooperative "
        f"deed(s) in {len(areas)} area(s) ({', '.join(areas) or 'none'}): {listed(deeds)}.")


@rule("doomsday_clock", "opinion")
def trust_lowest(ev: Evidence, p: dict):
    table = ev.trust_ranks
    covered = table[table["recent_worst"].notna()]
    reach = covered[covered["early 1980s: worst"].notna()]
    record = covered[covered["record"] == True]  # noqa: E712 (nullable booleans)
    share = len(record) / len(covered) if len(covered) else 0.0
    worse = bool((reach["early 1980s: recent worse"] == True).all())  # noqa: E712
    if reach.empty:
        verdict = NOT_TESTABLE
    elif worse and share >= p["min_share_record_low"]:
        verdict = SUPPORTED if len(reach) >= p["min_series_reaching"] else PARTLY
    else:
        verdict = NOT_SUPPORTED
    figures = {"series_reaching_early_1980s": reach.index.tolist(),
               "record_lows": record.index.tolist(), "series_with_recent_data": len(covered)}
    return verdict, figures, (
        f"{len(reach)} series reach back to the early 1980s ({', '.join(reach.index) or 'none'}); "
        f"{len(record)} of {len(covered)} series with recent data are at their worst on record. "
        f"Full support needs at least {p['min_series_reaching']} series that reach the early "
        "1980s; one that measures global danger rather than bilateral trust gives partial "
        "support at most.")


def engagement_answers(ev: Evidence, p: dict) -> dict:
    """U.S. engagement moves in the window and Russia's cooperative and hostile answers: from the
    engagement ledger where it has rows (Russia's deeds first, its statements if it has no deeds),
    else from the record's directed deeds answered within `lag_months`."""
    span = p["windows"]["contacts"]
    ledger = ev.tables.get("engagement_ledger_2025")
    if ledger is not None and len(between(ledger, span)):
        own = between(ledger, span)
        is_deed = own["deed"].astype(str).str.lower().isin(["true", "1"])
        us = own[(own["actor"] == "US") & own["move"].isin(["offer", "concession"])]
        ru = own[(own["actor"] == "RU") & is_deed]
        basis = "deeds"
        if ru.empty:
            ru, basis = own[own["actor"] == "RU"], "statements and deeds"
        return {"source": f"engagement_ledger_2025 (Russia's {basis})", "us_moves": len(us),
                "cooperative": int(ru["move"].isin(["reciprocation", "concession"]).sum()),
                "hostile": int(ru["move"].isin(["refusal", "escalation"]).sum()),
                "item_ids": own["item_id"].tolist()}
    key = ("reciprocity", *(getattr(ev.settings, k) for k in ev.VARIANT), span, p["lag_months"])
    if key not in ev.memo:
        ev.memo[key] = events.reciprocity(ev.record, {"contacts": span}, lag=p["lag_months"])
    row = ev.memo[key].loc[("contacts", "US")]
    return {"source": "events (directed deeds)",
            "us_moves": int(row["months_with_cooperative_deeds"]),
            "cooperative": int(row["answered_cooperatively"]),
            "hostile": int(row["answered_with_conflict"])}


@rule("events", "treaty_events", "sanctions_actions", "engagement_ledger_2025")
def engagement_exploited(ev: Evidence, p: dict):
    found = engagement_answers(ev, p)
    answers = found["cooperative"] + found["hostile"]
    if not found["us_moves"] or not answers:
        return TOO_EARLY, {**found, "hostile_pct": None}, (
            f"Source: {found['source']}. {found['us_moves']} U.S. engagement move(s) and no "
            "Russian "
            "answer are recorded after the essay, so the answer cannot be observed yet.")
    pct = round(100 * found["hostile"] / answers, 1)
    verdict = forecast(p, pct >= p["min_hostile_pct"], pct <= p["max_hostile_pct_against"])
    return verdict, {**found, "hostile_pct": pct}, (
        f"Source: {found['source']}. To {found['us_moves']} U.S. engagement move(s) Russia "
        "answered "
        f"{found['hostile']} time(s) with refusal or escalation and {found['cooperative']} time(s) "
        f"in kind or with a concession: {pct}% hostile. This observes conduct, not how the Kremlin "
        "read U.S. motives.")


@rule(*RECORD)
def no_reset_with_putin(ev: Evidence, p: dict):
    reset, contacts, ind = p["windows"]["reset"], p["windows"]["contacts"], p["indicator"]
    base, now = ev.per_month(*reset, ind), ev.per_month(*contacts, ind)
    relative = now / base if base > 0 else float("nan")
    te = ev.rows("treaty_events", contacts)
    agreements = te[te["event_type"].isin(STEPS_FORWARD)]
    acts = ev.rows("sanctions_actions", contacts)
    new_sanctions = acts[(acts["imposer"] == "US") & acts["instrument"].isin(p["instruments"])]
    reset_like = relative >= p["min_relative"] and len(agreements) and new_sanctions.empty
    verdict = forecast(p, now <= 0, bool(reset_like))
    figures = {"indicator": ind, "per_month_contacts": now, "per_month_reset": base,
               "relative": round(relative, 2), "talk_per_month_contacts": talk_beside(ev, contacts),
               "agreements": agreements["event_id"].tolist(),
               "action_ids": new_sanctions["action_id"].tolist()}
    return verdict, figures, (
        f"From {contacts[0]:%b %Y} to {contacts[1]:%b %Y} {ind} ran at {now:+.2f} per month, "
        f"{relative:.0%} of the Reset's {base:+.2f} (talk alone: "
        f"{figures['talk_per_month_contacts']:+.2f}); {len(agreements)} arms-control agreement(s) "
        f"were signed or extended and the U.S. took {len(new_sanctions)} new sanctions action(s).")


POLICY_VERDICTS = {"none": SUPPORTED, "border_area": PARTLY, "deep_strikes_limited": NOT_SUPPORTED,
                   "broad": NOT_SUPPORTED}


@rule("ukraine_strike_policy")
def strike_ban_at_essay(ev: Evidence, p: dict):
    policy = ev.tables["ukraine_strike_policy"]
    known = policy[(policy["date"] <= pd.Timestamp(ev.settings.essay_date))
                   & policy["allowed_inside_russia"].notna()].sort_values("date")
    if known.empty:
        return NOT_TESTABLE, {}, "No recorded policy decision precedes the essay."
    latest = known.iloc[-1]
    state = latest["allowed_inside_russia"]
    extra = " (cross-border counter-fire allowed; deep strikes not)" \
        if state == "border_area" else ""
    figures = {"policy_in_force": state, "since": f"{latest['date']:%Y-%m-%d}"}
    return POLICY_VERDICTS[state], figures, (
        f"The policy in force on the essay's date dates from {day(latest['date'])} and allowed: "
        f"{state.replace('_', ' ')}{extra}.")


@rule("opinion")
def mutual_enemies(ev: Evidence, p: dict):
    op = ev.tables["opinion"]
    cutoff = pd.Timestamp(ev.settings.essay_date)

    def latest(pollster, answer):
        own = op[(op["pollster"] == pollster) & (op["answer"] == answer) & (op["date"] <= cutoff)]
        own = own.sort_values("date")
        return (float(own["value_pct"].iloc[-1]), f"{own['date'].iloc[-1]:%Y-%m}") if len(own) \
            else (float("nan"), None)

    enemy, enemy_when = latest("Pew Research Center", "enemy")
    bad, bad_when = latest("Levada Center", "bad")
    hits = [v >= p["min_pct"] for v in (enemy, bad) if v == v]
    verdict = NOT_TESTABLE if not hits else grade(sum(hits), 2) if len(hits) == 2 else PARTLY
    figures = {"pew_enemy_pct": enemy, "pew_date": enemy_when, "levada_bad_pct": bad,
               "levada_date": bad_when}
    return verdict, figures, (
        f"Latest readings before the essay: {enemy:g}% of Americans called Russia an enemy (Pew, "
        f"{enemy_when}); {bad:g}% of Russians had a bad attitude to the U.S. (Levada, {bad_when}).")


@rule("unsc_votes")
def nonproliferation_worse(ev: Evidence, p: dict):
    agree = sanctions.russia_agrees_with_us(ev.tables["unsc_votes"])
    votes, before = between(agree, p["windows"]["after"]), between(agree, p["windows"]["reset"])
    if len(votes) < p["min_votes"]:
        return TOO_EARLY, {"votes_after": len(votes)}, (
            "Too few Security Council votes on Iran or North Korea after the essay to judge.")
    share = round(100 * float(votes["agrees"].mean()), 1)
    then = round(100 * float(before["agrees"].mean()), 1) if len(before) else float("nan")
    verdict = forecast(p, share <= p["max_share_pct"], share >= p["min_share_pct_against"])
    figures = {"votes_after": len(votes), "russia_with_us_pct": share, "reset_pct": then,
               "vote_ids": votes["vote_id"].tolist()}
    return verdict, figures, (
        f"After the essay Russia voted as the U.S. did on {int(votes['agrees'].sum())} of "
        f"{len(votes)} Security Council votes on Iran and North Korea ({share}%), against "
        f"{then}% in the Reset window.")


@rule(*RECORD)
def thaw_impossible(ev: Evidence, p: dict):
    span, ind = p["windows"]["contacts"], p["indicator"]
    now = ev.per_month(*span, ind)
    periods = ev.series(ind)
    first = span[0].to_period("Q").start_time
    periods = periods[(periods.index >= first) & (periods.index <= span[1])]
    warm = int((periods > 0).sum())
    verdict = forecast(p, now <= 0 and warm < p["min_warm_periods"], now > 0)
    figures = {"indicator": ind, "per_month": now, "warm_periods": warm, "periods": len(periods),
               "talk_per_month": talk_beside(ev, span)}
    return verdict, figures, (
        f"From {span[0]:%b %Y} to {span[1]:%b %Y} {ind} ran at {now:+.2f} per month, with "
        f"{warm} of {len(periods)} {ev.settings.resolution}s above zero (talk alone: "
        f"{figures['talk_per_month']:+.2f} per month).")


@rule(*RECORD)
def war_culmination(ev: Evidence, p: dict):
    span, ind, war = p["windows"]["before"], p["indicator"], p["dates"]["war"]
    periods = ev.series(ind)
    periods = periods[(periods.index >= span[0]) & (periods.index <= span[1])]
    if periods.empty:
        return NOT_TESTABLE, {}, "The record holds no events before the Reset."
    worst = periods.idxmin()
    position = list(periods.index)
    war_at = max(i for i, start in enumerate(position) if start <= war)
    culminated = abs(position.index(worst) - war_at) <= p["max_periods_from_war"]
    bad = ev.per_month(*span, ind) < 0
    figures = {"indicator": ind, "worst_period": f"{worst:%Y-%m}",
               "per_month": ev.per_month(*span, ind)}
    return grade(culminated + bad, 2), figures, (
        f"Before the Reset {ind} ran at {figures['per_month']:+.2f} per month; the worst "
        f"{ev.settings.resolution} began {worst:%b %Y}, {'at' if culminated else 'not at'} the "
        f"war of {day(war)}.")


@rule("events")
def denials_recorded(ev: Evidence, p: dict):
    own = between(ev.tables["events"], p["windows"]["report"])
    text = own["title"].str.cat(own["description"], sep=" ")
    hits = own[(own["actor"] == "US") & text.str.contains(p["topic"], case=False)
               & text.str.contains(p["denial_words"], case=False)]
    if hits.empty:
        return NOT_TESTABLE, {"event_ids": []}, (
            f"The event table records no U.S. statement between {day(p['windows']['report'][0])} "
            "and the essay that denies a reset policy, so the sentence is not tested.")
    return SUPPORTED, {"event_ids": hits["event_id"].tolist()}, f"Recorded denials: {listed(hits)}."


@rule(*RECORD)
def regime_change_needed(ev: Evidence, p: dict):
    war, contacts, ind = p["windows"]["war"], p["windows"]["contacts"], p["indicator"]
    before, now = ev.per_month(*war, ind), ev.per_month(*contacts, ind)
    gain = now - before
    meaningful = now >= 0 and gain >= p["min_gain_share"] * abs(before)
    verdict = forecast(p, gain <= 0, meaningful)
    figures = {"indicator": ind, "per_month_war": before, "per_month_contacts": now,
               "talk_per_month_contacts": talk_beside(ev, contacts)}
    return verdict, figures, (
        f"Under the same regime, {ind} ran at {now:+.2f} per month from {contacts[0]:%b %Y} to "
        f"{contacts[1]:%b %Y} against {before:+.2f} between the invasion and the essay (talk "
        f"alone: {figures['talk_per_month_contacts']:+.2f}).")


@rule()
def not_testable(ev: Evidence, p: dict):
    return NOT_TESTABLE, {}, ""
