"""The classroom kit: student copies in step with the chapters and runnable; the answer key true."""
from dataclasses import replace

import nbformat
import pytest

from resetlab import book, claims, data, paths, runner, sanctions


def test_student_copies_are_in_step(tmp_path):
    fresh = book.write_student_copies(tmp_path)
    for path in fresh:
        committed = book.STUDENTS / path.name
        assert committed.exists(), f"{path.name}: run `python -m resetlab students`"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), f"{path.name} is stale: run `python -m resetlab students`"


def test_student_copies_replace_each_solution_by_an_empty_answer_cell():
    for path in runner.notebooks()[1:]:
        original = nbformat.read(path, as_version=4)
        student = nbformat.read(book.STUDENTS / path.name, as_version=4)
        solutions = [i for i, c in enumerate(original.cells) if book.SOLUTION_TAG in c.metadata.get("tags", [])]
        assert solutions, f"{path.name} has no solution cell"
        assert len(student.cells) == len(original.cells)
        for i in solutions:
            answer = student.cells[i]
            assert answer.metadata.get("tags") == [book.ANSWER_TAG] and answer.source == book.ANSWER_PROMPT, (path.name, i)
        assert not any(book.SOLUTION_TAG in c.metadata.get("tags", []) for c in student.cells)
        assert any("exercise" in c.metadata.get("tags", []) for c in student.cells)
        assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
        assert not any(book.NBVAL_MARK.search(c.source) for c in student.cells), "nbval runs the student copies: no output to compare"


@pytest.fixture(scope="module")
def base():
    return {v.claim_id: v for v in claims.evaluate(claims.Settings())}


def changed(base, **settings):
    return {v.claim_id for v in claims.evaluate(replace(claims.Settings(), **settings)) if v.verdict != base[v.claim_id].verdict}


def test_answer_1_no_verdict_changes_with_a_later_reset_end(base):
    assert changed(base, reset_end="2011-12-31") == set()


def test_answer_2_penalty_ten_keeps_two_change_points():
    ev = claims.Evidence(replace(claims.Settings(), penalty=10.0))
    assert [b.strftime("%Y-%m") for b in ev.breaks_for("goldstein")] == ["2013-10", "2025-01"]
    assert len(claims.Evidence(claims.Settings()).breaks_for("goldstein")) == 6


def test_answer_3_trust_verdict_holds_for_1983_1984(base):
    assert changed(base, early_1980s_start=1983, early_1980s_end=1984) == set()
    assert base["C12"].verdict == claims.PARTLY


def test_answer_4_contacts_from_alaska(base):
    v = {x.claim_id: x for x in claims.evaluate(replace(claims.Settings(), contacts_start="2025-08-15"))}["C14"]
    assert v.verdict == claims.BORNE_OUT == base["C14"].verdict
    assert v.figures["per_month_contacts"] == -4.25 and v.figures["per_month_reset"] == 1.93
    assert base["C14"].figures["per_month_contacts"] == -2.07 and v.figures["talk_per_month_contacts"] == 6.19
    assert "sa-2025-10-22-rosneft-lukoil" in v.figures["action_ids"] and v.figures["agreements"] == []
    summed = {x.claim_id: x for x in claims.evaluate(replace(claims.Settings(), indicator="goldstein"))}["C14"]
    assert summed.verdict == claims.PARTLY_BORNE_OUT and summed.figures["relative"] == 0.64


def test_answer_5_vote_shares():
    table = sanctions.agreement_by_period(sanctions.russia_agrees_with_us(data.load("unsc_votes")), {"a": (2006, 2019), "b": (2020, 2026)})
    assert table.loc["a", ["votes", "russia_with_us"]].tolist() == [29, 29]
    assert table.loc["b", ["votes", "russia_with_us", "share_pct"]].tolist() == [9, 4, 44.4]


def test_answer_3_clock_figures():
    ev = claims.Evidence(replace(claims.Settings(), early_1980s_start=1983, early_1980s_end=1984))
    clock = ev.trust_ranks.loc["Doomsday Clock"]
    assert clock["recent_worst"] == 85 and clock["early 1980s: worst"] == 180


# --- the no-code path -----------------------------------------------------------------------

def test_worksheets_point_at_site_pages_and_leave_room_for_each_answer():
    import re

    text = (paths.ROOT / "teaching" / "worksheets.md").read_text(encoding="utf-8")
    pages = {"index.html"} | {f"{p.stem}.html" for p in runner.notebooks()}
    linked = set(re.findall(r"\]\(([^)#]+\.html)\)", text))
    assert linked and linked <= pages, linked - pages
    questions = re.findall(r"^\d+\. ", text, re.M)
    assert len(questions) >= 9 and text.count('<div class="answer-space"></div>') == len(questions)


def test_teaching_page_has_printable_worksheets_rubric_and_cameo_roots(tmp_path):
    from resetlab import site

    html = site.teaching_page(tmp_path)
    assert '<section class="worksheet">' in html and "Rubric" in html and "CAMEO root codes" in html
    roots = data.load("cameo_goldstein")
    assert html.count("<tr><td>") >= (roots["cameo_code"].str.len() == 2).sum()
    assert (tmp_path / "teaching" / "answers.md").exists()
    assert "@media print" in site.SITE_CSS and ".answer-space { display: block" in site.SITE_CSS


def test_answer_6_talk_instead_of_deeds(base):
    assert changed(base, indicator="talk") == {"C06", "C14", "C19", "C20", "C22"}
    v = {x.claim_id: x for x in claims.evaluate(replace(claims.Settings(), indicator="talk"))}["C06"]
    assert base["C06"].verdict == claims.SUPPORTED and v.verdict == claims.NOT_SUPPORTED
    assert (v.figures["reset"], v.figures["after"], v.figures["collapse"]) == (4.68, 1.13, 1.2)
    assert (base["C06"].figures["after"], base["C06"].figures["collapse"]) == (-0.08, -6.77)
