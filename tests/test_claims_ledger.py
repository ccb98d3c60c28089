"""The claims ledger: verbatim quotes (checked without the essay in the repository), its schema, and
rules that take every date and threshold from the ledger or the settings."""
import os
import re
from pathlib import Path

import pytest
import yaml

from resetlab import claims, paths
from resetlab.claims import ledger as ledger_module

LEDGER = paths.DATA / "claims.yaml"


def raw():
    return yaml.safe_load(LEDGER.read_text(encoding="utf-8"))


def test_ledger_covers_the_essay():
    entries = claims.load_ledger()
    assert len(entries) >= 22
    assert sum(c["kind"] == "prediction" for c in entries) >= 4
    assert {c["kind"] for c in entries} == claims.KINDS
    assert len({c["quote"] for c in entries}) == len(entries)
    top = raw()
    assert all(1 <= c["paragraph"] <= top["essay_paragraphs"] for c in entries)
    for c in entries:
        assert c["quote"] == c["quote"].strip() and c["rule_text"] and c["threshold_reason"] and c["would_change"]


def test_numeric_thresholds_have_a_declared_range():
    for c in claims.load_ledger():
        numeric = [k for k, v in (c["thresholds"] or {}).items()
                   if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in {"lag_months", "min_months", "min_votes"}]
        if numeric:
            assert c.get("vary"), f"{c['id']}: thresholds {numeric} have no range to vary"


@pytest.mark.parametrize("change, message", [
    (lambda c: c.pop("rule"), "missing field(s) rule"),
    (lambda c: c.update(rule="no_such_rule"), "unknown rule"),
    (lambda c: c.update(kind="opinion"), "kind must be one of"),
    (lambda c: c.update(quote=c["quote"] + " (edited)"), "quote differs"),
    (lambda c: c.update(windows={"w": ["someday", "latest"]}), "is neither a date"),
    (lambda c: c.update(vary={"nothing": [1, 2]}), "not a threshold"),
])
def test_broken_ledger_is_refused_naming_the_claim(tmp_path, change, message):
    ledger = raw()
    change(ledger["claims"][0])
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
    with pytest.raises(claims.LedgerError, match=re.escape(message)) as info:
        claims.load_ledger(path)
    assert "claim C01" in str(info.value)


def test_paragraphs_are_counted_as_the_ledger_states():
    essay = ("# Title\n\nBy [Someone](#)\n\nIs the Biden administration thinking? A [link](#) here.\n\n"
             "Second paragraph ends mid\n\nsentence after a page break.\n\n**Related article:** [X](#)\n\n"
             "Third one's \u201cquoted\u201d.\n\n*The views expressed in opinion pieces*\n")
    body = ledger_module.body_paragraphs(essay)
    assert body == ["Is the Biden administration thinking? A link here.",
                    "Second paragraph ends mid sentence after a page break.", "Third one's \u201cquoted\u201d."]


ESSAY = os.environ.get("RESETLAB_ESSAY")


@pytest.mark.skipif(not ESSAY, reason="set RESETLAB_ESSAY to a saved copy of the article's text to check the quotes against it")
def test_every_quote_is_verbatim_in_its_paragraph():
    body = ledger_module.body_paragraphs(Path(ESSAY).read_text(encoding="utf-8"))
    import hashlib

    assert hashlib.sha256("\n\n".join(body).encode("utf-8")).hexdigest() == raw()["essay_body_sha256"]
    assert len(body) == raw()["essay_paragraphs"]
    for c in claims.load_ledger():
        quote = ledger_module.normalise(c["quote"])
        assert [i for i, text in enumerate(body, start=1) if quote in text] == [c["paragraph"]], c["id"]


RULES_SOURCE = Path(claims.rules.__file__).read_text(encoding="utf-8")


def test_rules_are_readable_and_hold_no_dates():
    long = [i for i, line in enumerate(RULES_SOURCE.splitlines(), 1) if len(line) > 100]
    assert long == [], f"lines over 100 characters in rules.py: {long}"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", RULES_SOURCE), "a date is written inside a rule"


def test_one_rule_per_claim():
    used = [c["rule"] for c in claims.load_ledger() if c["rule"] != "not_testable"]
    assert len(used) == len(set(used))
