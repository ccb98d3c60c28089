"""The sensitivity analysis: a grid of over a thousand settings that can move a verdict, and
`python -m resetlab sweep` (papermill) agreeing with the in-process verdicts."""
import csv
from dataclasses import replace

import pandas as pd

from resetlab import claims, paths
from resetlab.__main__ import main
from resetlab.claims import sensitivity


def test_grid_has_over_a_thousand_distinct_settings_on_every_dimension():
    settings = claims.grid()
    assert len(settings) >= 1000
    assert len({tuple(sorted(s.items())) for s in settings}) == len(settings)
    assert set(claims.DIMENSIONS) == {"thresholds", "indicator", "windows", "evidence_cutoff", "coder", "events_resample"}
    for options in claims.DIMENSIONS.values():
        assert len(options) >= 2
        claims.Settings(**options[0])  # the first alternative is the default
        assert all(claims.Settings(**o) for o in options)


def escalation_claim(min_ratio, low, high):
    return {"id": "X1", "quote": "q", "paragraph": 1, "kind": "assessment", "rule": "escalation_dominates",
            "windows": {"recent": ["2019-01-01", "essay_date"]}, "thresholds": {"min_ratio": min_ratio},
            "vary": {"min_ratio": [low, high]}}


def synthetic_evidence(back: int, forward: int):
    rows = [(f"b{i}", "x", f"2020-0{i + 1}-01", "RU", "suspended") for i in range(back)]
    rows += [(f"f{i}", "y", f"2021-0{i + 1}-01", "both", "extended") for i in range(forward)]
    te = pd.DataFrame(rows, columns=["event_id", "treaty_id", "date", "party", "event_type"])
    te["date"] = pd.to_datetime(te["date"])
    return claims.Evidence(claims.Settings(), {"treaty_events": te})


THRESHOLDS_ONLY = {"thresholds": sensitivity.DIMENSIONS["thresholds"]}


def test_a_claim_near_its_threshold_is_not_robust():
    # four steps back against two forward: a ratio of exactly 2, the ledger's threshold
    ledger = [escalation_claim(2, 1.5, 3)]
    result = claims.sweep(claims.Settings(), ledger, synthetic_evidence(4, 2), THRESHOLDS_ONLY)["X1"]
    assert result["shares"] == {claims.SUPPORTED: 66.7, claims.PARTLY: 33.3}
    assert result["robust"] is False
    assert result["flips_on"] == [{"dimension": "thresholds", "parameter": "min_ratio", "value": "3", "verdict": claims.PARTLY}]


def test_a_claim_far_from_its_threshold_is_robust():
    ledger = [escalation_claim(2, 1.5, 3)]
    result = claims.sweep(claims.Settings(), ledger, synthetic_evidence(8, 1), THRESHOLDS_ONLY)["X1"]
    assert result["shares"] == {claims.SUPPORTED: 100.0} and result["robust"] and result["flips_on"] == []


def test_processes_give_the_same_shares_as_one():
    ledger = claims.load_ledger()
    dims = {"thresholds": sensitivity.DIMENSIONS["thresholds"], "coder": sensitivity.DIMENSIONS["coder"]}
    one = claims.sweep(claims.Settings(), ledger, claims.Evidence(claims.Settings()), dims, workers=1)
    two = claims.sweep(claims.Settings(), ledger, claims.Evidence(claims.Settings()), dims, workers=2)
    assert one == two


def test_small_papermill_sample_agrees_with_in_process_verdicts():
    assert main(["sweep", "--small", "--jobs", "2"]) == 0
    with (paths.BUILD / "sweep" / "sample.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(claims.load_ledger())
    last = claims.grid()[-1]
    assert all(last[name] != value for name, value in claims.grid()[0].items()), "the sample should leave every default"
    assert all(row["agree"] == "True" for row in rows)


def test_cached_sweep_equals_a_fresh_one_and_is_keyed_on_the_data(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    ledger, base = claims.load_ledger(), claims.Settings()
    dims = {"thresholds": sensitivity.DIMENSIONS["thresholds"]}
    evidence = claims.Evidence(base)
    fresh = claims.sweep(base, ledger, evidence, dims)
    assert claims.sweep(base, ledger, evidence, dims, cache=True) == fresh
    assert len(list((tmp_path / "cache").glob("sweep-*.json"))) == 1

    def no_recompute(*args):
        raise AssertionError("the grid was recomputed although its inputs did not change")

    monkeypatch.setattr(sensitivity, "_sweep", no_recompute)
    assert claims.sweep(base, ledger, claims.Evidence(base), dims, cache=True) == fresh
    changed = dict(evidence.raw, events=evidence.raw["events"].iloc[:-1])
    assert sensitivity.sweep_key(base, ledger, claims.Evidence(base, changed), dims) != sensitivity.sweep_key(base, ledger, evidence, dims)
    assert sensitivity.sweep_key(replace(base, penalty=4.0), ledger, evidence, dims) != sensitivity.sweep_key(base, ledger, evidence, dims)
