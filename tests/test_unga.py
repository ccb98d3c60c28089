from pathlib import Path

import pandas as pd
import pytest

from resetlab import data, unga

FIXTURES = Path(__file__).parent / "fixtures"
COLUMNS = ["year", "roll_calls", "identical", "opposite", "one_abstains", "coincidence_pct", "coincidence_abst_half_pct"]


def test_hand_worked_fixture():
    computed = unga.coincidence_by_year(pd.read_csv(FIXTURES / "unga_votes.csv"))
    expected = pd.read_csv(FIXTURES / "unga_expected.csv")[COLUMNS]
    pd.testing.assert_frame_equal(computed[COLUMNS].reset_index(drop=True), expected, check_dtype=False)


def test_real_votes_reproduce_the_committed_rows():
    votes = pd.read_csv(FIXTURES / "unga_votes_2009_2013.csv")
    computed = unga.coincidence_by_year(votes).set_index("year")
    committed = data.load("unga_coincidence").set_index("year")
    for year in (2009, 2013):
        for column in COLUMNS[1:]:
            assert float(computed.loc[year, column]) == float(committed.loc[year, column]), (year, column)


def test_absent_votes_drop_the_roll_call():
    votes = pd.DataFrame({"year": [2000] * 4, "rcid": [1, 1, 2, 2], "country": ["US", "RU"] * 2, "vote": ["yes", "yes", "yes", "absent"]})
    row = unga.coincidence_by_year(votes).iloc[0]
    assert row["roll_calls"] == 1 and row["coincidence_pct"] == 100.0


def test_committed_table_is_internally_consistent():
    table = data.load("unga_coincidence")
    assert (table["identical"] + table["opposite"] + table["one_abstains"] == table["roll_calls"]).all()
    assert table["year"].tolist() == list(range(table["year"].min(), table["year"].max() + 1))


@pytest.mark.skipif(not all((unga.RAW_DIR / name).exists() for name in unga.RAW_FILES), reason="raw files not downloaded (make unga-raw)")
def test_raw_files_rebuild_the_committed_table():
    committed = data.load("unga_coincidence")
    rebuilt = unga.rebuild(committed, unga.coincidence_by_year(unga.read_raw()))
    assert rebuilt[COLUMNS].astype(float).equals(committed[COLUMNS].astype(float))
