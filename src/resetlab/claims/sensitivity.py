"""The sensitivity analysis: every claim re-judged over a grid of plausible assumptions.

Six dimensions, each a list of alternatives whose first entry is the default: the thresholds (each
claim's ledger value, or the low or high end of the range declared in the ledger), the indicator
(the claim's own, or the Goldstein sum, talk only, deeds only, event counts), the windows (the
Reset ending after two or three years; the 2025-2026 contacts counted from January 2025 or from
the Alaska summit), the evidence cut-off (all rows, or only rows up to the end of 2025 or to the end
of September 2025, the first month-end a year after the essay, the least time the predictions'
rules accept), the coder (first coding, or the blind second coding where it exists) and the events themselves
(as recorded, or two bootstrap resamples). A verdict is robust when at least 90% of the settings
give it; `flips_on` names each single change of assumption that alters it.
"""
from __future__ import annotations

import itertools
from dataclasses import replace

from .core import LABELS, Evidence, Settings

DIMENSIONS: dict[str, list[dict]] = {
    "thresholds": [{"threshold_level": v} for v in ("ledger", "low", "high")],
    "indicator": [{"indicator": v} for v in ("ledger", "goldstein", "talk", "deeds", "counts")],
    "windows": [{"reset_end": r, "contacts_start": c}
                for r in ("2010-12-31", "2011-12-31") for c in ("2025-01-01", "2025-08-15")],
    "evidence_cutoff": [{"evidence_cutoff": v} for v in ("", "2025-12-31", "2025-09-30")],
    "coder": [{"coder": v} for v in ("first", "second")],
    "events_resample": [{"resample": v} for v in (0, 1, 2)],
}
ROBUST_PCT = 90.0


def grid(dimensions: dict | None = None) -> list[dict]:
    """Every combination of the dimensions' alternatives, as settings overrides."""
    dimensions = dimensions or DIMENSIONS
    combos = itertools.product(*dimensions.values())
    return [{k: v for part in combo for k, v in part.items()} for combo in combos]


def describe_dimensions(dimensions: dict | None = None) -> dict:
    return {name: options for name, options in (dimensions or DIMENSIONS).items()}


def _tally(base: Settings, ledger: list[dict], evidence: Evidence, settings: list[dict]) -> dict:
    """Verdict counts per claim over some of the grid's settings."""
    from . import evaluate

    counts: dict[str, dict[str, int]] = {}
    for overrides in settings:
        for v in evaluate(replace(base, **overrides), ledger, evidence=evidence):
            tally = counts.setdefault(v.claim_id, dict.fromkeys(LABELS, 0))
            tally[v.verdict] += 1
    return counts


_JOB: dict = {}


def _work(part: list[dict]) -> dict:
    return _tally(_JOB["base"], _JOB["ledger"], _JOB["evidence"], part)


def sweep(base: Settings, ledger: list[dict], evidence: Evidence, dimensions: dict | None = None,
          workers: int = 1, cache: bool = False) -> dict:
    """Per claim: verdict shares (percent) over the grid, robustness and the single-change flips.

    With `workers` > 1 the grid is split across processes by coder and resample (each process
    builds the indicators of its own share of the event variants); the result is the same.
    With `cache`, the result is kept in build/cache/ (`resetlab.cache`, keyed by `sweep_key`), so a
    rerun with the same data, code and settings reads it back instead of recomputing the grid.
    """
    dimensions = dimensions or DIMENSIONS
    if not cache:
        return _sweep(base, ledger, evidence, dimensions, workers)
    from .. import cache as store

    return store.fetch(sweep_key(base, ledger, evidence, dimensions),
                       lambda: _sweep(base, ledger, evidence, dimensions, workers))


def sweep_key(base: Settings, ledger: list[dict], evidence: Evidence, dimensions: dict) -> str:
    """Cache key of a sweep: settings, ledger, grid and every table's contents (plus, through
    `cache.key`, the package's code and the versions of the libraries that compute the indicators)."""
    import hashlib
    import json
    from dataclasses import asdict

    import pandas

    from .. import cache as store

    tables = hashlib.sha256()
    for name in sorted(evidence.raw):
        frame = evidence.raw[name]
        tables.update(json.dumps([name, list(map(str, frame.columns)), list(map(str, frame.dtypes))]).encode())
        tables.update(pandas.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    inputs = [asdict(base), ledger, dimensions, tables.hexdigest()]
    return store.key("sweep", inputs, ("pandas", "numpy", "ruptures"))


def _sweep(base: Settings, ledger: list[dict], evidence: Evidence, dimensions: dict, workers: int) -> dict:
    from . import evaluate

    settings = grid(dimensions)
    reference = {v.claim_id: v.verdict for v in evaluate(base, ledger, evidence=evidence)}
    if workers > 1:
        import multiprocessing

        _JOB.update(base=base, ledger=ledger, evidence=evidence.derive(base))
        keyed = sorted(settings, key=lambda s: (s.get("coder", ""), s.get("resample", 0)))
        size = -(-len(keyed) // workers)
        parts = [keyed[i:i + size] for i in range(0, len(keyed), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_work, parts)
        _JOB.clear()
        counts = {cid: dict.fromkeys(LABELS, 0) for cid in reference}
        for result in results:
            for cid, tally in result.items():
                for label, n in tally.items():
                    counts[cid][label] += n
    else:
        counts = _tally(base, ledger, evidence, settings)
    flips = {cid: [] for cid in reference}
    by_id = {c["id"]: c for c in ledger}
    for name, options in dimensions.items():
        for option in options[1:]:
            changed = replace(base, **option)
            if changed == base:
                continue
            for v in evaluate(changed, ledger, evidence=evidence):
                if v.verdict != reference[v.claim_id]:
                    flips[v.claim_id].append(flip(name, option, v.verdict, by_id[v.claim_id]))
    out = {}
    for cid in reference:
        shares = {label: round(100 * n / len(settings), 1) for label, n in counts[cid].items() if n}
        out[cid] = {"settings": len(settings), "shares": shares,
                    "robust": shares.get(reference[cid], 0.0) >= ROBUST_PCT, "flips_on": flips[cid]}
    return out


def flip(dimension: str, option: dict, verdict: str, claim: dict) -> dict:
    """One change of assumption that alters a verdict, named by its parameters and values."""
    if dimension == "thresholds":
        level = option["threshold_level"]
        vary = claim.get("vary") or {}
        pick = 0 if level == "low" else 1
        parameter = ", ".join(vary) or "threshold_level"
        value = ", ".join(str(v[pick]) for v in vary.values()) or level
    else:
        parameter = ", ".join(option)
        value = ", ".join(str(v) if v != "" else "all rows" for v in option.values())
    return {"dimension": dimension, "parameter": parameter, "value": value, "verdict": verdict}
