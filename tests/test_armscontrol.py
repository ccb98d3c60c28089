import pandas as pd

from resetlab import armscontrol

T = pd.Timestamp


def treaties(*ids):
    return pd.DataFrame({"treaty_id": list(ids)})


def events(rows):
    frame = pd.DataFrame(rows, columns=["treaty_id", "date", "party", "event_type"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["event_id"] = [f"e{i}" for i in range(len(frame))]
    return frame


def test_in_force_then_suspended_then_ended():
    ev = events([
        ("a", "2010-04-08", "both", "signed"),
        ("a", "2011-02-05", "both", "entered_into_force"),
        ("a", "2021-02-03", "both", "extended"),
        ("a", "2023-02-28", "RU", "suspended"),
        ("a", "2026-02-05", "both", "expired"),
    ])
    periods = armscontrol.status_periods(treaties("a"), ev, until=T("2026-12-31"))
    assert list(periods["status"]) == ["signed", "in_force", "suspended"]
    assert periods.iloc[-1]["end"] == T("2026-02-05")
    by_year = armscontrol.in_force_by_year(periods, range(2010, 2027)).set_index("year")
    assert by_year.loc[2010, "in_force"] == 0
    assert by_year.loc[2011, "in_force"] == 1
    assert by_year.loc[2023, "in_force"] == 0 and by_year.loc[2023, "suspended"] == 1
    assert by_year.loc[2026].sum() == 0


def test_open_periods_include_the_last_day():
    ev = events([("a", "2000-01-01", "both", "signed"), ("a", "2000-01-01", "both", "entered_into_force")])
    periods = armscontrol.status_periods(treaties("a"), ev, until=T("2026-12-31"))
    assert list(periods["status"]) == ["in_force"]  # same-day events apply in lifecycle order
    by_year = armscontrol.in_force_by_year(periods, range(2026, 2027))
    assert by_year["in_force"].tolist() == [1]


def test_signed_never_in_force_and_open_ended():
    ev = events([
        ("ctbt", "1996-09-24", "both", "signed"),
        ("ctbt", "2000-06-30", "RU", "ratified"),
        ("ctbt", "2023-11-02", "RU", "deratified"),
        ("abm", "1972-05-26", "both", "signed"),
        ("abm", "1972-10-03", "both", "entered_into_force"),
        ("abm", "2001-12-13", "US", "withdrawal_notified"),
        ("abm", "2002-06-13", "US", "withdrawal_effective"),
    ])
    periods = armscontrol.status_periods(treaties("ctbt", "abm"), ev, until=T("2026-12-31"))
    status_2001 = armscontrol.status_on(periods, T("2001-12-31"))
    assert status_2001.to_dict() == {"ctbt": "signed", "abm": "in_force"}
    status_2003 = armscontrol.status_on(periods, T("2003-01-01"))
    assert status_2003.to_dict() == {"ctbt": "signed"}


def test_ended_agreement_is_not_revived():
    ev = events([
        ("x", "1990-01-01", "both", "signed"),
        ("x", "1991-01-01", "both", "entered_into_force"),
        ("x", "2000-01-01", "both", "expired"),
        ("x", "2001-01-01", "RU", "suspended"),
    ])
    periods = armscontrol.status_periods(treaties("x"), ev, until=T("2026-12-31"))
    assert periods["end"].max() == T("2000-01-01")


def test_latest_exchange_skips_empty_rows():
    frame = pd.DataFrame({
        "as_of_date": pd.to_datetime(["2022-03-01", "2022-09-01", "2023-03-01"]),
        "party": ["RU", "RU", "US"],
        "deployed_warheads": pd.array([1474, pd.NA, 1419], dtype="Int64"),
    })
    assert armscontrol.latest_exchange(frame, "RU")["as_of_date"] == T("2022-03-01")


def test_an_announcement_changes_no_status():
    base = [
        ("a", "1987-12-08", "both", "signed"),
        ("a", "1988-06-01", "both", "entered_into_force"),
        ("a", "2019-02-02", "US", "withdrawal_notified"),
        ("a", "2019-08-02", "US", "withdrawal_effective"),
    ]
    announced = base + [("a", "2018-10-20", "US", "announced"), ("a", "1988-06-01", "US", "announced")]
    without = armscontrol.status_periods(treaties("a"), events(base), until=T("2026-12-31"))
    with_announcement = armscontrol.status_periods(treaties("a"), events(announced), until=T("2026-12-31"))
    pd.testing.assert_frame_equal(without, with_announcement)


def test_summary_counts_implemented_apart_from_suspended_and_a_denunciation_ends_an_agreement():
    ev = events([
        ("a", "2010-04-08", "both", "signed"), ("a", "2011-02-05", "both", "entered_into_force"),
        ("a", "2023-02-28", "RU", "suspended"),
        ("b", "2000-09-01", "both", "signed"), ("b", "2011-07-13", "both", "entered_into_force"),
        ("b", "2016-10-03", "RU", "suspended"), ("b", "2025-10-27", "RU", "denounced"),
        ("c", "2000-01-01", "both", "signed"), ("c", "2000-01-01", "both", "entered_into_force"),
    ])
    table = pd.DataFrame({"treaty_id": ["a", "b", "c"], "short_name": ["A", "B", "C"], "scope": "bilateral",
                          "signed_date": pd.to_datetime(["2010-04-08", "2000-09-01", "2000-01-01"])})
    periods = armscontrol.status_periods(table, ev, until=T("2026-11-30"))
    exchanges = pd.DataFrame({"party": ["US", "RU"], "as_of_date": pd.to_datetime(["2022-09-01"] * 2), "deployed_warheads": [1420, 1549]})
    figures = armscontrol.summary(table, ev, exchanges, periods, {"essay": "2024-09-02", "later": "2026-01-01"})
    essay = figures["in_force"]["essay"]
    assert essay["count"] == 1 and essay["names"] == ["C"] and essay["suspended"] == ["A", "B"]
    assert figures["in_force"]["later"]["suspended"] == ["A"]  # B ended with the denunciation
    text = armscontrol.reading(figures, "essay", "later")
    assert "**1** of them were in force and implemented and 2 in force but suspended" in text
