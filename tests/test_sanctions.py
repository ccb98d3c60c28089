import pandas as pd

from resetlab import data, sanctions


def votes(rows):
    frame = pd.DataFrame(rows, columns=["vote_id", "date", "file", "us_vote", "ru_vote"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_agreement_and_first_divergence():
    v = sanctions.russia_agrees_with_us(votes([("a", "2010-06-09", "iran", "Y", "Y"), ("b", "2022-05-26", "dprk", "Y", "N"), ("c", "2012-01-01", "iran", None, None)]))
    assert v["vote_id"].tolist() == ["a", "b"]  # votes with unknown positions are left out
    assert sanctions.first_divergence(v)["vote_id"] == "b"
    table = sanctions.agreement_by_period(v, {"early": (2006, 2021), "late": (2022, 2026)})
    assert table.loc["early", "share_pct"] == 100.0 and table.loc["late", "share_pct"] == 0.0


def test_actions_per_year_keeps_empty_years():
    actions = pd.DataFrame({"action_id": ["a", "b"], "date": pd.to_datetime(["2014-03-17", "2014-08-07"]), "imposer": ["US", "RU"]})
    table = sanctions.actions_per_year(actions, "imposer", range(2013, 2016))
    assert table.index.tolist() == [2013, 2014, 2015] and table.loc[2014].tolist() == [1, 1]


def test_designations_keep_methods_apart():
    counts = pd.DataFrame({"year": [2022, 2022, 2023], "count": pd.array([1698, 2299, pd.NA], dtype="Int64"),
                           "measure": ["additions: A", "stock: B", "additions: A"]})
    table = sanctions.designations(counts, "additions")
    assert list(table.columns) == ["additions: A"] and table.index.tolist() == [2022]


def test_sanctions_table_covers_every_year():
    years = set(data.load("sanctions_actions")["date"].dt.year)
    assert set(range(2012, 2027)) <= years
    assert len(data.load("sanctions_actions")) >= 80
