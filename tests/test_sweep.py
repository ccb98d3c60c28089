"""`python -m resetlab sweep` (papermill over the grid) agrees with the scorecard's in-process robustness."""
import csv

from resetlab import claims, paths
from resetlab.__main__ import main


def test_small_sweep_matches_in_process_robustness():
    assert main(["sweep", "--small", "--jobs", "2"]) == 0
    with (paths.BUILD / "sweep" / "robustness.csv").open(encoding="utf-8") as handle:
        swept = {row["claim"]: float(row["holds_in_pct_of_settings"]) for row in csv.DictReader(handle)}
    assert swept == claims.robustness(claims.Settings(), claims.SMALL_GRID)


def test_documented_grid_has_at_least_24_settings():
    settings = claims.grid()
    assert len(settings) >= 24 and len({tuple(sorted(s.items())) for s in settings}) == len(settings)
