"""The verdicts for readers and machines: scorecard text, evidence charts, claims.json, ClaimReview."""
from __future__ import annotations

import pandas as pd

from .. import ESSAY, armscontrol, data, events, safe, sanctions, trust
from .core import SCALES, SLUGS, Evidence, Verdict
from .ledger import scale
from .rules import RULE_TABLES, STEPS_BACK, STEPS_FORWARD

VERDICTS_MIMETYPE = "application/json"
SCORECARD = "05.00-Claims-Scorecard.ipynb"
SCORECARD_PAGE = "05.00-Claims-Scorecard.html"
PROJECT = {"@type": "Organization", "name": "Reset Lab"}
# Row-id columns of the tables a rule's figures may name.
ID_COLUMNS = {"events": "event_id", "treaty_events": "event_id", "sanctions_actions": "action_id",
              "third_party_ties": "tie_id", "unsc_votes": "vote_id",
              "engagement_ledger_2025": "item_id"}
MAX_LINKS = 12



def anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def sources_for(verdict: Verdict, tables: dict) -> pd.DataFrame:
    """The sources cited by the rows a verdict's figures name (events, votes, ties, actions)."""
    named = set(_strings(verdict.figures))
    rows = [tables[t].loc[tables[t][column].isin(named), ["source_ids"]]
            for t, column in ID_COLUMNS.items() if t in tables]
    rows = [r for r in rows if len(r)]
    if not rows:
        return pd.DataFrame(columns=["source_id", "title", "publisher", "url"])
    return data.cite(pd.concat(rows))


def robustness_line(robustness: dict | None) -> str:
    if not robustness:
        return "Robustness not computed in this run."
    shares = ", ".join(f"{label} {pct:g}%" for label, pct in
                       sorted(robustness["shares"].items(), key=lambda kv: -kv[1]))
    text = f"Over {robustness['settings']:,} settings: {shares}"
    text += " — robust (at least 90% agree)." if robustness["robust"] else " — not robust."
    flips = robustness["flips_on"]
    if flips:
        text += " Flips on: " + "; ".join(
            f"{f['dimension']} ({f['parameter']} = {f['value']}) → {f['verdict']}" for f in flips)
        text += "."
    return text


def describe(verdict: Verdict, claim: dict, tables: dict | None = None) -> str:
    """Markdown for one claim: anchor, quote, rating and its definition, rule, figures with their
    sources, evidence date, robustness distribution and what would change the verdict."""
    definition = SCALES[scale(claim)][verdict.verdict]
    lines = [f'<a id="{anchor(verdict.claim_id)}"></a>',
             "",
             f"### {verdict.claim_id} · {safe.md(claim['paraphrase'])}",
             "",
             f"> “{safe.md(claim['quote'])}”",
             "",
             f"*{claim['kind'].replace('_', ' ')}, essay paragraph {claim['paragraph']}; "
             f"[the essay]({ESSAY['url']})*",
             "",
             f"**{verdict.verdict}** (evidence through {verdict.evidence_through}). "
             f"*{definition}*",
             "",
             f"**The figures.** {safe.md(verdict.explanation)}",
             "",
             f"**The rule.** {safe.md(claim['rule_text'])} *Why this threshold:* "
             f"{safe.md(claim['threshold_reason'])}",
             "",
             f"**Robustness.** {robustness_line(verdict.robustness)}",
             "",
             f"**What would change the verdict.** {safe.md(claim['would_change'])}"]
    if tables is not None:
        cited = sources_for(verdict, tables)
        if len(cited):
            links = [f"[{safe.md(r.title)}]({safe.url(r.url)}) ({safe.md(r.publisher)})"
                     for r in cited.head(MAX_LINKS).itertuples()]
            more = f" and {len(cited) - MAX_LINKS} more" if len(cited) > MAX_LINKS else ""
            lines += ["", "**Sources of the rows behind the figures:** " + "; ".join(links) + more
                      + "."]
        else:
            used = ", ".join(f"`data/{t}.csv`" for t in RULE_TABLES[claim["rule"]]) or "none"
            lines += ["", f"**Tables read:** {used}; every row cites its sources in "
                      "`data/sources.csv`."]
    if claim["rule"] in SHOWN_ELSEWHERE:
        lines += ["", f"*Chart:* {SHOWN_ELSEWHERE[claim['rule']]}."]
    if claim.get("note"):
        lines += ["", f"*Note:* {safe.md(claim['note'])}"]
    return "\n".join(lines)


def scorecard(verdicts: list[Verdict], ledger: list[dict]) -> pd.DataFrame:
    by_id = {c["id"]: c for c in ledger}
    rows = [{"claim": f"[{v.claim_id}](#{anchor(v.claim_id)})",
             "the essay says": safe.md(by_id[v.claim_id]["paraphrase"]),
             "kind": by_id[v.claim_id]["kind"].replace("_", " "), "verdict": v.verdict,
             "share of settings": "" if v.robustness is None else f"{v.robustness_pct:g}%",
             "robust": "" if v.robustness is None else ("yes" if v.robustness["robust"] else "no"),
             "evidence through": v.evidence_through} for v in verdicts]
    return pd.DataFrame(rows).set_index("claim")


RATING = {"assessment": {"Supported": 3, "Partly supported": 2, "Not supported": 1},
          "prediction": {"Borne out": 3, "Partly borne out": 2, "Not borne out": 1}}


def claim_review(verdict: dict, claim: dict, base_url: str = "") -> dict:
    """schema.org ClaimReview for one claim; its url is the claim's anchor on the site."""
    rating = {"@type": "Rating", "alternateName": verdict["verdict"], "bestRating": 3,
              "worstRating": 1, "ratingExplanation": verdict["explanation"]}
    value = RATING[scale(claim)].get(verdict["verdict"])
    if value is not None:
        rating["ratingValue"] = value
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url}{SCORECARD_PAGE}#{anchor(claim['id'])}",
        "claimReviewed": claim["quote"],
        "datePublished": verdict["evidence_through"],
        "author": PROJECT,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": ESSAY["author"]},
            "datePublished": ESSAY["date"],
            "appearance": {"@type": "OpinionNewsArticle", "url": ESSAY["url"],
                           "headline": ESSAY["title"],
                           "publisher": {"@type": "Organization", "name": ESSAY["publisher"]}},
        },
        "reviewRating": rating,
    }


def export(result: dict, ledger: list[dict]) -> tuple[dict, list[dict]]:
    """build/claims.json (the shared contract) and the ClaimReview list, from the verdicts output
    of an executed scorecard (`result` holds settings, evidence_through, sensitivity, verdicts)."""
    by_id = {c["id"]: c for c in ledger}
    claims = []
    for v in result["verdicts"]:
        claim = by_id[v["claim_id"]]
        robustness = v["robustness"] or {"settings": 1, "shares": {v["verdict"]: 100.0},
                                         "robust": True, "flips_on": []}
        claims.append({
            "id": claim["id"], "quote": claim["quote"], "paragraph": claim["paragraph"],
            "kind": claim["kind"], "scale": scale(claim), "verdict": v["verdict"],
            "slug": SLUGS[v["verdict"]], "robust": robustness["robust"],
            "robustness": {k: robustness[k] for k in ("settings", "shares", "flips_on")},
            "evidence_through": v["evidence_through"], "rule_text": claim["rule_text"],
            "explanation": f"{v['explanation']} Evidence through {v['evidence_through']}.",
            "would_change": claim["would_change"], "paraphrase": claim["paraphrase"],
            "figures": v["figures"], "data_tables": RULE_TABLES[claim["rule"]],
            "url": f"{SCORECARD_PAGE}#{anchor(claim['id'])}",
        })
    claims_file = {"essay": ESSAY, "evidence_through": result["evidence_through"],
                   "scales": SCALES, "sensitivity": result["sensitivity"],
                   "settings": result["settings"], "claims": claims}
    reviews = [claim_review(v, by_id[v["claim_id"]]) for v in result["verdicts"]]
    return claims_file, reviews


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


STRATEGIC_DOMAINS = {"strategic_offensive", "intermediate_range"}


# Rules whose evidence another chart already shows: the talk-and-deeds chart of the scorecard's
# section 2 (every window these rules read), the Council votes under C03, the ties under C10.
TALK_AND_DEEDS = "talk and deeds by window, in section 2"
SHOWN_ELSEWHERE = {"reset_worked": TALK_AND_DEEDS, "failed_after_2010": TALK_AND_DEEDS,
                   "no_reset_with_putin": TALK_AND_DEEDS, "thaw_impossible": TALK_AND_DEEDS,
                   "regime_change_needed": TALK_AND_DEEDS, "war_culmination": TALK_AND_DEEDS,
                   "nonproliferation_worse": "the Council votes under C03",
                   "dependence_on_iran_dprk": "the third-party ties under C10"}


def evidence_figure(claim: dict, ev: Evidence, p: dict):
    """The chart that shows a claim's evidence, or None where a table of figures or a chart shown
    elsewhere in the scorecard says it all."""
    from .. import charts

    s, t, rule_name = ev.settings, ev.tables, claim["rule"]
    own = t["events"]
    last = ev.latest.year
    if rule_name == "reset_launch":
        hits = own[own["title"].str.cat(own["description"], sep=" ").str.contains("reset", case=False)]
        return charts.event_strip(hits[hits["date"] <= p["windows"]["launch"][1] + pd.DateOffset(years=1)],
                                  "Events that mention the reset")
    if rule_name in SHOWN_ELSEWHERE:
        return None
    if rule_name == "sanctions_cooperation":
        return charts.votes_strip(sanctions.russia_agrees_with_us(t["unsc_votes"]))
    if rule_name in ("afghanistan_transit", "commission"):
        return charts.event_strip(own[own["category"] == p["category"]], f"{p['category']} events")
    if rule_name == "arms_control_unrealistic":
        ids = t["treaties"].loc[t["treaties"]["domain"].isin(STRATEGIC_DOMAINS), "treaty_id"]
        counts = armscontrol.in_force_by_year(ev.periods, range(2000, last + 1), ids)
        return charts.in_force_bars(counts, marks={"essay": pd.Timestamp(s.essay_date).year}, partial_through=ev.latest)
    if rule_name == "escalation_dominates":
        return charts.steps_per_year(t["treaty_events"], STEPS_BACK, STEPS_FORWARD, 2000, last, partial_through=ev.latest)
    if rule_name == "third_party_ties":
        return charts.ties_timeline(t["third_party_ties"], "2022-01-01", f"{last}-12-31")
    if rule_name == "no_compatible_interests":
        lo, hi = p["windows"]["war"]
        war = own[own["date"].between(lo, hi) & (events.components(own) == events.DEEDS)
                  & (own["goldstein"] > 0)]
        return charts.event_strip(war, "Cooperative deeds between the invasion and the essay") \
            if len(war) else None
    if rule_name == "trust_lowest":
        windows = {"1962": (s.crisis_year, s.crisis_year),
                   "early 1980s": (s.early_1980s_start, s.early_1980s_end), "Reset": (2009, 2010)}
        return charts.small_multiples(trust.build_series(last), windows, (2022, last), 1947, last)
    if rule_name == "strike_ban_at_essay":
        return charts.policy_steps(t["ukraine_strike_policy"], s.essay_date)
    if rule_name == "mutual_enemies":
        return charts.opinion_lines(t["opinion"], [
            ("Pew Research Center", "enemy", "Americans: Russia is an enemy (Pew)"),
            ("Levada Center", "bad", "Russians: bad attitude to the U.S. (Levada)")], s.essay_date)
    return None
