"""The data package: schema, semantic rules, and that each rule catches what it should."""
import csv

import pandas as pd
import pytest

from conftest import edit_csv
from resetlab import data
from resetlab.__main__ import main
from resetlab.validate import validate


def test_committed_package_is_valid():
    assert [str(p) for p in validate()] == []


def test_every_table_cites_sources_and_has_rows():
    for name in data.resource_names():
        frame = data.load(name)
        assert len(frame) > 0, name
        if name not in data.PROJECT_TABLES:
            assert frame["source_ids"].notna().all(), name


def problems_for(data_dir):
    return [(p.file, p.row, p.column, p.message) for p in validate(data_dir)]


def test_unknown_source_id_is_reported_with_file_row_column(data_copy):
    edit_csv(data_copy / "treaty_events.csv", 5, "source_ids", "no-such-source")
    found = problems_for(data_copy)
    assert ("treaty_events.csv", 5, "source_ids", "unknown source id 'no-such-source'") in found


def test_uncited_source_is_reported(data_copy):
    with (data_copy / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("zz-orphan,Orphan,Nobody,https://example.org/x,,2026-11-30,secondary,,\n")
    assert any(f == "sources.csv" and "cited by no row" in m for f, _, _, m in problems_for(data_copy))


def test_malformed_date_is_reported_by_the_schema(data_copy):
    edit_csv(data_copy / "treaties.csv", 3, "signed_date", "1972-13-45")
    found = problems_for(data_copy)
    assert any(f == "treaties.csv" and r == 3 and c == "signed_date" for f, r, c, _ in found), found


def test_value_outside_allowed_set_is_reported(data_copy):
    edit_csv(data_copy / "treaty_events.csv", 2, "party", "UK")
    assert any(f == "treaty_events.csv" and r == 2 and c == "party" for f, r, c, _ in problems_for(data_copy))


def test_duplicate_primary_key_is_reported(data_copy):
    rows = list(csv.DictReader((data_copy / "treaties.csv").read_text(encoding="utf-8").splitlines()))
    edit_csv(data_copy / "treaties.csv", 3, "treaty_id", rows[0]["treaty_id"])
    assert any(f == "treaties.csv" and r == 3 for f, r, _, _ in problems_for(data_copy))


def test_event_after_the_end_is_reported(data_copy):
    events = data.load("treaty_events", data_copy)
    row = events.index[(events["treaty_id"] == "inf") & (events["event_type"] == "signed")][0] + 2
    edit_csv(data_copy / "treaty_events.csv", row, "date", "2020-01-01")
    found = problems_for(data_copy)
    assert any(f == "treaty_events.csv" and "inf" in m for f, _, _, m in found), found


def test_new_start_value_over_the_limit_is_reported(data_copy):
    exchanges = data.load("new_start_exchanges", data_copy)
    row = exchanges.index[exchanges["as_of_date"] == pd.Timestamp("2020-09-01")][0] + 2
    edit_csv(data_copy / "new_start_exchanges.csv", row, "deployed_warheads", "1600")
    found = problems_for(data_copy)
    assert any(f == "new_start_exchanges.csv" and r == row and c == "deployed_warheads" for f, r, c, _ in found), found


def test_cli_validate_exits_non_zero_and_names_the_problem(data_copy, capsys):
    edit_csv(data_copy / "treaty_events.csv", 4, "source_ids", "missing-id")
    assert main(["validate", "--data-dir", str(data_copy)]) == 1
    assert "treaty_events.csv, row 4, column source_ids: unknown source id 'missing-id'" in capsys.readouterr().out


def test_arms_control_coverage():
    treaties, events = data.load("treaties"), data.load("treaty_events")
    assert len(treaties) >= 20
    new_start = events[events["treaty_id"] == "new-start"].set_index("event_type")["date"]
    assert new_start["expired"] == pd.Timestamp("2026-02-05")
    assert new_start["entered_into_force"] == pd.Timestamp("2011-02-05")
    pmda = events[(events["treaty_id"] == "pmda") & (events["event_type"] == "denounced")]
    assert pmda["date"].dt.strftime("%Y-%m").tolist() == ["2025-10"]


def test_new_start_exchanges_are_never_interpolated():
    """Rows without numbers say why; no two consecutive exchanges are identical for all columns."""
    frame = data.load("new_start_exchanges")
    empty = frame[frame[["deployed_launchers", "deployed_warheads", "total_launchers"]].isna().all(axis=1)]
    assert empty["note"].str.contains("no source", case=False).all()


def test_event_record_coverage():
    events = data.load("events")
    assert len(events) >= 400
    per_year = events["date"].dt.year.value_counts()
    assert all(per_year.get(year, 0) >= 10 for year in range(2007, 2027)), per_year.sort_index().to_dict()


def test_series_have_no_missing_years_where_the_source_is():
    for name, first, last in (("trade", 1992, 2025), ("unga_coincidence", 1992, 2019)):
        assert data.load(name)["year"].tolist() == list(range(first, last + 1)), name


def test_designation_split_larger_than_total_is_reported(data_copy):
    actions = data.load("sanctions_actions", data_copy)
    row = actions.index[actions["action_id"] == "sa-2018-04-06-oligarchs-officials"][0] + 2
    edit_csv(data_copy / "sanctions_actions.csv", row, "n_entities", "20")
    found = problems_for(data_copy)
    assert any(f == "sanctions_actions.csv" and r == row and c == "n_individuals" for f, r, c, _ in found), found


def row_of(path, column, predicate) -> int:
    """Spreadsheet row (header = 1) of the first row whose `column` satisfies `predicate`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return next(i for i, r in enumerate(csv.DictReader(handle), start=2) if predicate(r[column]))


def test_source_published_after_its_access_is_reported(data_copy):
    row = row_of(data_copy / "sources.csv", "date_accessed", lambda v: v < "2026-12-01")
    edit_csv(data_copy / "sources.csv", row, "date_published", "2026-12-01")
    assert ("sources.csv", row, "date_published", "published after it was accessed") in problems_for(data_copy)


def test_month_precision_date_off_the_first_is_reported(data_copy):
    row = row_of(data_copy / "events.csv", "date_precision", lambda v: v == "day")
    edit_csv(data_copy / "events.csv", row, "date_precision", "month")
    found = [p for p in problems_for(data_copy) if p[:3] == ("events.csv", row, "date")]
    with (data_copy / "events.csv").open(encoding="utf-8", newline="") as handle:
        day = list(csv.DictReader(handle))[row - 2]["date"][-2:]
    assert (found == [("events.csv", row, "date", "month-precision date must be the 1st")]) == (day != "01"), found


def test_event_weighted_or_classed_against_its_code_is_reported(data_copy):
    edit_csv(data_copy / "events.csv", 2, "goldstein", "9.9")
    edit_csv(data_copy / "events.csv", 3, "target", "US")  # row 3: a U.S. statement about Russia
    edit_csv(data_copy / "events.csv", 4, "quad_class", "4")  # code 042 is verbal cooperation, quad 1
    found = problems_for(data_copy)
    assert any(p[:3] == ("events.csv", 2, "goldstein") and "weighs" in p[3] and "not 9.9" in p[3] for p in found), found
    assert ("events.csv", 3, "target", "actor and target are the same") in found, found
    assert any(p[:3] == ("events.csv", 4, "quad_class") and "is quad" in p[3] for p in found), found


def test_validation_never_guesses_the_csv_dialect(data_copy, monkeypatch):
    """Frictionless would sniff each file's dialect; csv.Sniffer's quote-guessing regex backtracks on
    text full of quotes, so validation fixes the dialect instead (and puts the sniffer back)."""
    guesses = []

    def recording_sniff(self, sample, delimiters=None):
        guesses.append(sample[:40])
        return csv.excel

    monkeypatch.setattr(csv.Sniffer, "sniff", recording_sniff)
    edit_csv(data_copy / "events.csv", 2, "title", 'A "quoted" title, with \'single\' quotes')
    assert problems_for(data_copy) == []
    assert guesses == []
    assert csv.Sniffer.sniff is recording_sniff
