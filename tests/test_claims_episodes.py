"""The record of rapprochement attempts and the 2025-2026 engagement ledger, on synthetic frames."""
import pandas as pd
import pytest

from resetlab.claims import episodes

T = pd.Timestamp


def episode_frame(rows):
    base = dict.fromkeys(episodes.EPISODE_COLUMNS, "")
    frame = pd.DataFrame([{**base, **row} for row in rows])
    return frame


ROWS = [
    {"episode_id": "a", "name": "First", "start_date": "1993-04-03", "end_date": "1999-03-24",
     "deliverables": "aid;detargeting", "n_deliverables": 2, "ended_by": "Kosovo"},
    {"episode_id": "b", "name": "Second", "start_date": "2017-01-28", "end_date": "2017-08-02",
     "deliverables": "", "n_deliverables": 0, "ended_by": "CAATSA"},
    {"episode_id": "c", "name": "Third", "start_date": "2025-02-11", "end_date": None,
     "deliverables": "exchange", "n_deliverables": 1, "ended_by": None},
]


def test_durations_are_computed_and_ongoing_attempts_run_to_the_evidence_date():
    eps = episodes.episodes(episode_frame(ROWS), T("2026-02-11"))
    assert eps["ongoing"].tolist() == [False, False, True]
    assert eps.loc[2, "duration_months"] == 12.0
    assert eps.loc[1, "duration_months"] == round((T("2017-08-02") - T("2017-01-28")).days / 30.4375, 1)
    record = episodes.record_of_resets(eps)
    assert record["attempts"] == 3 and record["ended"] == 2 and record["ongoing"] == ["Third"]
    assert record["with_deliverables"] == 2 and record["longest"] == "First"


def test_a_wrong_deliverable_count_names_the_row():
    bad = [dict(ROWS[0], n_deliverables=3)]
    with pytest.raises(episodes.TableError, match=r"row 2, column n_deliverables"):
        episodes.episodes(episode_frame(bad), T("2026-01-01"))


def test_missing_columns_are_named():
    with pytest.raises(episodes.TableError, match="missing column"):
        episodes.episodes(pd.DataFrame({"name": ["x"]}), T("2026-01-01"))


def ledger(rows):
    base = dict.fromkeys(episodes.LEDGER_COLUMNS, "")
    return pd.DataFrame([{**base, "item_id": f"i{n}", **row} for n, row in enumerate(rows)])


def test_engagement_counts_moves_by_actor_with_deeds_apart():
    table = episodes.engagement(ledger([
        {"actor": "US", "move": "offer", "deed": "false"}, {"actor": "US", "move": "concession", "deed": "true"},
        {"actor": "RU", "move": "escalation", "deed": "true"}, {"actor": "RU", "move": "reciprocation", "deed": "true"},
    ]))
    assert table.loc[("US", "statements"), "offer"] == 1 and table.loc[("US", "deeds"), "concession"] == 1
    assert table.loc[("RU", "deeds"), ["reciprocation", "escalation"]].tolist() == [1, 1]
    assert list(table.columns) == episodes.MOVES


def test_an_unknown_move_is_refused():
    with pytest.raises(episodes.TableError, match="column move"):
        episodes.engagement(ledger([{"actor": "US", "move": "wink", "deed": "false"}]))
