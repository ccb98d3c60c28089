"""The claims engine: each essay claim's rule, evaluated on the project's data.

The ledger (data/claims.yaml) quotes each claim, names its rule, windows and thresholds and argues
them; `resetlab.claims.rules` holds one rule per claim; `sensitivity` re-judges every claim over a
grid of assumptions; `present` turns verdicts into the scorecard's text, charts and exports.
Verdicts are computed, never written by hand.
"""
from __future__ import annotations

from dataclasses import asdict, replace  # noqa: F401 (notebooks use claims.asdict)

from .core import (BORNE_OUT, DATED_TABLES, KINDS, LABELS, NOT_BORNE_OUT, NOT_SUPPORTED,  # noqa: F401
                   NOT_TESTABLE, PARTLY, PARTLY_BORNE_OUT, SCALES, SLUGS, SUPPORTED, TOO_EARLY,
                   Evidence, Settings, Verdict, latest_date)
from .ledger import LedgerError, load_ledger, params, quote_checksum, scale  # noqa: F401
from .rules import RULE_TABLES, RULES  # noqa: F401
from .sensitivity import DIMENSIONS, ROBUST_PCT, grid, sweep  # noqa: F401

SCALE = LABELS


def evaluate(settings: Settings, ledger: list[dict] | None = None, tables=None,
             evidence: Evidence | None = None) -> list[Verdict]:
    """Every claim's verdict, figures, explanation and evidence date under one set of settings."""
    ledger = ledger or load_ledger()
    ev = evidence.derive(settings) if evidence is not None else Evidence(settings, tables)
    out = []
    for claim in ledger:
        key = ("verdict", claim["id"], *relevant(claim, settings))
        if key not in ev.memo:
            ev.memo[key] = judge(claim, ev)
        out.append(ev.memo[key])
    return out


def judge(claim: dict, ev: Evidence) -> Verdict:
    latest = ev.latest
    verdict, figures, text = RULES[claim["rule"]](ev, params(claim, ev.settings, latest))
    if verdict not in SCALES[scale(claim)]:
        raise ValueError(f"claim {claim['id']}: rule {claim['rule']} gave {verdict!r}, which is "
                         f"not on the {scale(claim)} scale")
    if verdict == NOT_TESTABLE and not text:
        text = claim.get("why_not", "")
    through = ev.evidence_through(RULE_TABLES[claim["rule"]]) or f"{latest:%Y-%m-%d}"
    return Verdict(claim["id"], verdict, _plain(figures), text, through)


EVENT_TABLES = {"events"}


def relevant(claim: dict, settings: Settings) -> tuple:
    """The settings a claim's verdict can depend on, so that the grid judges each claim once per
    distinct combination of what it reads."""
    return tuple(getattr(settings, name) for name in read_settings(claim))


_READ: dict[str, tuple] = {}


def read_settings(claim: dict) -> tuple:
    if claim["id"] not in _READ or _READ[claim["id"]][0] is not claim:
        skip = set()
        if not claim.get("vary"):
            skip.add("threshold_level")
        if "indicator" not in claim:
            skip.add("indicator")
        if not EVENT_TABLES & set(RULE_TABLES[claim["rule"]]):
            skip |= {"coder", "resample"}
        tokens = {str(t).split("+")[0].split("-1d")[0] for span in (claim["windows"] or {}).values()
                  for t in span}
        skip |= {n for n in ("reset_start", "reset_end", "contacts_start", "contacts_end")
                 if n not in tokens}
        _READ[claim["id"]] = (claim, tuple(n for n in Settings.names() if n not in skip))
    return _READ[claim["id"]][1]


def _plain(value):
    """Figures as JSON-ready values (numpy and pandas scalars to Python)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


from .present import (PROJECT, SCORECARD, VERDICTS_MIMETYPE, claim_review, describe,  # noqa: E402,F401
                      evidence_figure, export, read_verdicts, scorecard, sources_for)
