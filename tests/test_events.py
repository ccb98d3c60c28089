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
    assert table.loc["w", "cooperative_events_pct"] == 50.0
    assert table.loc["w", "mean_per_event"] == 1.0


def full_record(rows):
    """Rows: (id, date, goldstein, quad, category, source, actor)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "goldstein", "quad_class", "category", "source", "actor"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["component"] = events.component(frame)
    return frame


def test_talk_is_words_and_deeds_are_acts_and_outcomes():
    r = full_record([
        ("talks", "2025-02-18", 7.0, 1, "summit_meeting", "events", "US"),      # a negotiating round: talk
        ("swap", "2025-04-10", 7.0, 2, "prisoner_exchange", "events", "US"),    # a release: deed
        ("deal", "2025-03-25", 7.0, 1, "agreement", "events", "US"),            # an agreement coded verbal: still a deed
        ("sanction", "2025-10-22", -8.0, 4, "sanctions", "sanctions_actions", "US"),
        ("signed", "2025-06-01", 8.0, 1, "treaty", "treaty_events", "US"),      # a treaty step: deed
        ("threat", "2025-07-29", -7.0, 3, "statement", "events", "US"),
    ])
    assert r.set_index("event_id")["component"].to_dict() == {
        "talks": "talk", "swap": "deeds", "deal": "deeds", "sanction": "deeds", "signed": "deeds", "threat": "talk"}
    ix = events.index(r, "quarter", "2025-01-01", "2025-12-31")
    assert ix["talk_net"].tolist() == [7.0, 0.0, -7.0, 0.0]
    assert ix["deeds_net"].tolist() == [7.0, 15.0, 0.0, -8.0]
    assert (ix["talk_net"] + ix["deeds_net"]).tolist() == ix["net"].tolist()
    assert ix["mean_per_event"].tolist() == [7.0, 7.5, -7.0, -8.0]
    table = events.quarterly_table(ix)
    assert table.columns[:5].tolist() == ["period", "net_goldstein", "talk_net", "deeds_net", "events"]
    assert table["period"].tolist() == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert events.per_month(r, "2025-01-01", "2025-12-31", "talk") == 0.0
    assert events.per_month(r, "2025-01-01", "2025-12-31", "deeds") == round(14.0 / 12, 2)
    assert events.per_month(r, "2025-01-01", "2025-12-31", "counts") == round((4 - 2) / 12, 2)
    with pytest.raises(ValueError, match="indicator"):
        events.per_month(r, "2025-01-01", "2025-12-31", "vibes")


def test_reciprocity_counts_answers_within_the_lag():
    r = full_record([
        ("us1", "2009-03-01", 6.0, 2, "other", "events", "US"),
        ("ru1", "2009-04-10", 6.0, 2, "other", "events", "RU"),   # answered a month later
        ("us2", "2009-08-01", 6.0, 2, "other", "events", "US"),
        ("ru2", "2009-08-20", -6.0, 4, "other", "events", "RU"),  # answered with conflict
        ("us3", "2009-11-01", 6.0, 2, "other", "events", "US"),   # not answered
        ("swap", "2010-02-01", 7.0, 2, "prisoner_exchange", "events", "US"),  # joint: both sides act
    ])
    table = events.reciprocity(r, {"w": ("2009-01-01", "2010-12-31")}, lag=1)
    us = table.loc[("w", "US")]
    assert us["months_with_cooperative_deeds"] == 4
    assert us["answered_cooperatively"] == 2 and us["answered_with_conflict"] == 1
    assert us["answered_cooperatively_pct"] == 50.0
    ru = table.loc[("w", "RU")]
    assert ru["months_with_cooperative_deeds"] == 2 and ru["answered_cooperatively"] == 1


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


def test_change_points_are_kept_and_read_back_without_ruptures(tmp_path, monkeypatch):
    import sys

    from resetlab import paths

    monkeypatch.setattr(paths, "BUILD", tmp_path)
    values = np.r_[np.zeros(20), np.full(20, 10.0)] + RNG.normal(0, 0.5, 40)
    s = series(values)
    fresh = events.change_points(s, penalty=5, min_size=2)
    assert len(list((tmp_path / "cache").glob("change-points-*.json"))) == 1
    monkeypatch.setitem(sys.modules, "ruptures", None)  # importing it would now fail
    assert events.change_points(s, penalty=5, min_size=2) == fresh
    with pytest.raises(ImportError):  # other values are a new key: computed, not read back
        events.change_points(s + RNG.normal(0, 0.01, 40), penalty=5, min_size=2)
