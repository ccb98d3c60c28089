"""Inter-coder reliability of the event coding: a blind second coding of a random sample."""
from __future__ import annotations

import numpy as np
import pandas as pd

SAMPLE_FRACTION = 0.2
SAMPLE_SEED = 2009


def sample_ids(event_ids, fraction: float = SAMPLE_FRACTION, seed: int = SAMPLE_SEED) -> list[str]:
    """A reproducible random sample of at least `fraction` of the ids (sorted before drawing)."""
    ordered = sorted(event_ids)
    size = int(np.ceil(fraction * len(ordered)))
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(ordered, size=size, replace=False).tolist())


def cohen_kappa(first, second) -> float:
    """Cohen's kappa for two codings of the same items."""
    first, second = pd.Series(list(first)), pd.Series(list(second))
    if len(first) != len(second) or len(first) == 0:
        raise ValueError("kappa needs two codings of the same, non-empty set of items")
    categories = sorted(set(first) | set(second))
    observed = float((first == second).mean())
    p1 = first.value_counts(normalize=True).reindex(categories, fill_value=0)
    p2 = second.value_counts(normalize=True).reindex(categories, fill_value=0)
    expected = float((p1 * p2).sum())
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def agreement(first: pd.DataFrame, second: pd.DataFrame) -> dict:
    """Agreement between two codings keyed by event_id (columns cameo_code, goldstein, quad_class)."""
    merged = first.merge(second, on="event_id", suffixes=("_1", "_2"), validate="one_to_one")
    if len(merged) != len(second):
        raise ValueError("the second coding names events that the first does not have")
    return {
        "events": len(merged),
        "quad_percent_agreement": round(100 * float((merged["quad_class_1"] == merged["quad_class_2"]).mean()), 1),
        "quad_kappa": round(cohen_kappa(merged["quad_class_1"], merged["quad_class_2"]), 3),
        "root_code_percent_agreement": round(100 * float((merged["cameo_code_1"].str[:2] == merged["cameo_code_2"].str[:2]).mean()), 1),
        "exact_code_percent_agreement": round(100 * float((merged["cameo_code_1"] == merged["cameo_code_2"]).mean()), 1),
        "goldstein_mean_abs_diff": round(float((merged["goldstein_1"].astype(float) - merged["goldstein_2"].astype(float)).abs().mean()), 2),
    }


def from_tables(check: pd.DataFrame, cameo: pd.DataFrame) -> dict:
    """Agreement figures of the committed second coding (event_coding_check.csv) against the first."""
    weights = cameo.set_index("cameo_code")
    def coding(column: str) -> pd.DataFrame:
        codes = check[["event_id", column]].rename(columns={column: "cameo_code"})
        return codes.assign(goldstein=codes["cameo_code"].map(weights["goldstein"]), quad_class=codes["cameo_code"].map(weights["quad_class"]))
    return agreement(coding("first_code"), coding("second_code"))
