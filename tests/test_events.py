import numpy as np
import pandas as pd
import pytest

from resetlab import events, reliability

RNG = np.random.default_rng(7)


def series(values, start="2007-01-01", freq="QS"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq=freq))


def test_a_step_is_found_where_it_is():
    values = np.r_[np.zeros(20), np.full(20, 10.0)] + RNG.normal(0, 0.5, 40)
    s = series(values)
    breaks = events.change_points(s, penalty=5, min_size=2)
    assert breaks == [s.index[20]]
    table = events.phases(s, breaks)
    assert table["mean_net"].iloc[1] - table["mean_net"].iloc[0] > 9


def test_noise_alone_has_no_change_point():
    s = series(RNG.normal(0, 1, 60))
    assert events.change_points(s, penalty=10, min_size=2) == []


def test_a_ramp_is_cut_into_rising_phases():
    s = series(np.linspace(-20, 20, 48))
    breaks = events.change_points(s, penalty=2, min_size=3)
    means = events.phases(s, breaks)["mean_net"]
    assert len(breaks) >= 2 and means.is_monotonic_increasing


def test_a_constant_series_has_no_change_point():
    assert events.change_points(series(np.ones(30)), penalty=1) == []


def record(rows):
    frame = pd.DataFrame(rows, columns=["event_id", "date", "goldstein", "quad_class", "title"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_index_sums_scores_and_keeps_empty_periods():
    r = record([("a", "2009-01-05", 4.0, 1, "x"), ("b", "2009-01-20", -2.0, 3, "y"), ("c", "2009-03-02", 8.0, 2, "z")])
    ix = events.index(r, "month", "2009-01-01", "2009-03-31")
    assert ix["net"].tolist() == [2.0, 0.0, 8.0]
    assert ix["events"].tolist() == [2, 0, 1]
    assert ix["quad3"].tolist() == [1, 0, 0]
    quarterly = events.index(r, "quarter", "2009-01-01", "2009-03-31")
    assert quarterly["net"].tolist() == [10.0]
    with pytest.raises(ValueError):
        events.index(r, "week")


def test_smoothing_is_centred_and_window_one_is_identity():
    s = series([0.0, 3.0, 0.0, 3.0])
    assert events.smooth(s, 1).tolist() == s.tolist()
    assert events.smooth(s, 3).tolist() == [1.5, 1.0, 2.0, 1.5]


def test_window_summary_counts_and_rates():
    r = record([("a", "2009-01-05", 4.0, 1, "x"), ("b", "2009-02-20", -2.0, 3, "y")])
    table = events.window_summary(r, {"w": ("2009-01-01", "2009-02-28")})
    assert table.loc["w", "events"] == 2 and table.loc["w", "net_per_month"] == 1.0
    assert table.loc["w", "cooperative_share_pct"] == 50.0


def test_linked_rows_take_codes_from_the_rule():
    link = pd.DataFrame({"table": ["sanctions_actions", "sanctions_actions"], "kind": ["designation", "embargo"], "cameo_code": ["163", pd.NA], "rationale": ["", ""]})
    cameo = pd.DataFrame({"cameo_code": ["163"], "goldstein": [-8.0], "quad_class": [4]})
    actions = pd.DataFrame({"action_id": ["s1", "s2"], "date": pd.to_datetime(["2014-03-17", "2014-08-07"]), "imposer": ["US", "RU"],
                            "target": ["RU", "US"], "instrument": ["designation", "embargo"], "title": ["t1", "t2"]})
    rows = events.linked("sanctions_actions", actions, link, cameo)
    assert rows["event_id"].tolist() == ["s1"] and rows["goldstein"].tolist() == [-8.0] and rows["actor"].tolist() == ["US"]


def test_kappa_known_values():
    assert reliability.cohen_kappa([1, 1, 2, 2], [1, 1, 2, 2]) == 1.0
    # Observed 0.5, expected 0.5: no better than chance.
    assert reliability.cohen_kappa([1, 1, 2, 2], [1, 2, 1, 2]) == 0.0
    assert round(reliability.cohen_kappa([1, 1, 1, 2, 2, 2], [1, 1, 2, 2, 2, 2]), 3) == 0.667


def test_sample_is_reproducible_and_a_fifth():
    ids = [f"e{i}" for i in range(100)]
    assert reliability.sample_ids(ids) == reliability.sample_ids(list(reversed(ids)))
    assert len(reliability.sample_ids(ids)) == 20


def test_committed_second_coding_reproduces_the_codebook_figures():
    from resetlab import data

    figures = reliability.from_tables(data.load("event_coding_check"), data.load("cameo_goldstein"))
    codebook = (data.paths.DATA / "README.md").read_text(encoding="utf-8")
    assert f"Cohen's kappa {figures['quad_kappa']}" in codebook
    assert f"{figures['quad_percent_agreement']}% on the quad class" in codebook
    assert f"{figures['goldstein_mean_abs_diff']}" in codebook


def test_second_coding_covers_a_fifth_of_the_events():
    from resetlab import data

    check, own = data.load("event_coding_check"), data.load("events")
    assert len(check) >= reliability.SAMPLE_FRACTION * len(own)
    assert set(check["event_id"]) <= set(own["event_id"])
