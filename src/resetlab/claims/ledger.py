"""The claims ledger (data/claims.yaml): schema checks and each claim's parameters for a setting."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd
import yaml

from .. import paths
from .core import KINDS, Settings
from .rules import RULES

FIELDS = {"id", "paragraph", "quote", "quote_sha256", "paraphrase", "kind", "rule", "rule_text",
          "threshold_reason", "would_change", "thresholds", "windows"}
SETTING_DATES = {"reset_start", "reset_end", "contacts_start", "contacts_end", "essay_date"}
TOKEN = re.compile(r"^(?P<name>[a-z_]+|\d{4}-\d{2}-\d{2})(?P<shift>[+-]1d)?$")


class LedgerError(ValueError):
    """The claims ledger breaks its schema; the message names the claim and field."""


def normalise(text: str) -> str:
    """The essay's printed text for comparison: Unicode NFC, runs of whitespace as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def quote_checksum(quote: str) -> str:
    return hashlib.sha256(normalise(quote).encode("utf-8")).hexdigest()


def printed_text(markdown: str) -> str:
    """The essay as a reader sees it: link targets and emphasis marks dropped, one block per
    paragraph (separated by blank lines)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("**", "").replace("*", "")
    return "\n\n".join(normalise(b) for b in re.split(r"\n\s*\n", text) if b.strip())


def body_paragraphs(markdown: str, first_words: str = "Is the Biden administration") -> list[str]:
    """The essay's body paragraphs, numbered from 1 at `first_words`. Related-article links and the
    closing disclaimer are left out; a page break inside a paragraph (a block after one that stops
    mid-sentence) is joined to the paragraph it breaks."""
    blocks = printed_text(markdown).split("\n\n")
    start = next(i for i, b in enumerate(blocks) if b.startswith(first_words))
    body: list[str] = []
    for block in blocks[start:]:
        if block.startswith("The views expressed"):
            break
        if block.startswith("Related article"):
            continue
        if body and (block[0].islower() or not re.search(r"[.?!\"”’)]$", body[-1])):
            body[-1] += " " + block
        else:
            body.append(block)
    return body


def load_ledger(path=None) -> list[dict]:
    path = Path(path or paths.DATA / "claims.yaml")
    claims = yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]
    seen = set()
    for position, claim in enumerate(claims, start=1):
        where = f"claims.yaml, claim {claim.get('id', position)}"
        missing = FIELDS - set(claim)
        if missing:
            raise LedgerError(f"{where}: missing field(s) {', '.join(sorted(missing))}")
        if claim["id"] in seen:
            raise LedgerError(f"{where}: duplicate id")
        seen.add(claim["id"])
        if claim["kind"] not in KINDS:
            raise LedgerError(f"{where}: kind must be one of {sorted(KINDS)}")
        if claim["rule"] not in RULES:
            raise LedgerError(f"{where}: unknown rule {claim['rule']!r}")
        if quote_checksum(claim["quote"]) != claim["quote_sha256"]:
            raise LedgerError(f"{where}: quote differs from the one checked against the essay "
                              "(quote_sha256)")
        if claim["rule"] == "not_testable" and not claim.get("why_not"):
            raise LedgerError(f"{where}: a claim with rule not_testable needs a why_not")
        for name, span in (claim["windows"] or {}).items():
            if not isinstance(span, list) or len(span) != 2:
                raise LedgerError(f"{where}: window {name} must be [start, end]")
            for token in span:
                _check_token(str(token), f"{where}, window {name}")
        for name, values in (claim.get("vary") or {}).items():
            if name not in claim["thresholds"]:
                raise LedgerError(f"{where}: vary names {name!r}, which is not a threshold")
            if not isinstance(values, list) or len(values) != 2:
                raise LedgerError(f"{where}: vary.{name} must be [low, high]")
    return claims


def _check_token(token: str, where: str) -> None:
    match = TOKEN.match(token)
    if not match or not (match["name"][0].isdigit() or match["name"] in SETTING_DATES | {"latest"}):
        raise LedgerError(f"{where}: {token!r} is neither a date, 'latest' nor one of "
                          f"{sorted(SETTING_DATES)} (optionally +1d or -1d)")


def resolve(token, settings: Settings, latest: pd.Timestamp) -> pd.Timestamp:
    match = TOKEN.match(str(token))
    name = match["name"]
    when = latest if name == "latest" else pd.Timestamp(getattr(settings, name) if name in
                                                         SETTING_DATES else name)
    if match["shift"]:
        when += pd.Timedelta(days=1 if match["shift"][0] == "+" else -1)
    return when


def scale(claim: dict) -> str:
    return "prediction" if claim["kind"] == "prediction" else "assessment"


def months(start: pd.Timestamp, end: pd.Timestamp) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def params(claim: dict, settings: Settings, latest: pd.Timestamp) -> dict:
    """The claim's thresholds at the setting's level, its windows (ends no later than the latest
    evidence), its dates and indicator, and the months of evidence after the essay."""
    level = settings.threshold_level
    out = dict(claim["thresholds"] or {})
    if level != "ledger":
        for name, (low, high) in (claim.get("vary") or {}).items():
            out[name] = low if level == "low" else high
    windows = {}
    for name, (start, end) in (claim["windows"] or {}).items():
        lo, hi = resolve(start, settings, latest), resolve(end, settings, latest)
        windows[name] = (lo, min(hi, latest) if hi > latest and lo <= latest else hi)
    out["windows"] = windows
    out["dates"] = {k: pd.Timestamp(str(v)) for k, v in (claim.get("dates") or {}).items()}
    # Only a claim that declares an indicator reads one (the sweep's indicator dimension applies
    # to those claims alone).
    if "indicator" in claim:
        out["indicator"] = claim["indicator"] if settings.indicator == "ledger" else settings.indicator
    out["months_after"] = months(pd.Timestamp(settings.essay_date), latest)
    out.setdefault("min_months", 0)
    return out
