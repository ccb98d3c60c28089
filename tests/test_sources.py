"""The source-kind rule, the shares of rows resting on primary or reference sources, and coverage."""
import re

import pandas as pd
import pytest

from resetlab import data, paths, sources


@pytest.mark.parametrize(
    "url, original, kind",
    [
        ("https://2009-2017.state.gov/t/avc/rls/2011/164722.htm", None, "primary"),
        ("https://www.army.mil/article/1", None, "primary"),
        ("https://press.un.org/en/2014/ga11493.doc.htm", None, "primary"),
        ("http://en.kremlin.ru/events/president/news/1", None, "primary"),
        ("https://www.mid.ru/en/foreign_policy/news/1", None, "primary"),
        ("https://news.gallup.com/poll/1/x.aspx", None, "primary"),
        ("https://www.pewresearch.org/global/2025/1/x/", None, "primary"),
        ("https://www.levada.ru/en/2025/03/17/x/", None, "primary"),
        ("https://crsreports.congress.gov/product/pdf/R/R41219", None, "reference"),
        ("https://www.armscontrol.org/factsheets/x", None, "reference"),
        ("https://github.com/owner/dataset", None, "reference"),
        ("https://en.wikipedia.org/wiki/New_START", None, "reference"),
        ("https://tass.com/politics/1", None, "news"),
        ("https://www.reuters.com/world/x", None, "news"),
        ("https://menafn.com/1", None, "secondary"),
        ("https://trump.news-pravda.com/x", None, "secondary"),
        ("https://www.lexology.com/library/x", None, "secondary"),
        ("https://someone.blogspot.com/2011/01/x.html", None, "secondary"),
        ("https://www.globalsecurity.org/wmd/library/news/x.htm", None, "secondary"),
        # a mirror copy is labelled by what it is: the official address it names
        ("https://www.globalsecurity.org/wmd/library/news/x.htm", "https://2017-2021.state.gov/x/", "primary"),
        ("http://archive.org./details/x", None, "secondary"),
        ("https://www.whitehouse.gov:443/briefing/x", None, "primary"),
    ],
)
def test_kind_follows_the_domain_rule(url, original, kind):
    assert sources.kind_for(url, original) == kind


def test_every_source_is_labelled_by_the_rule():
    table = data.load("sources")
    expected = sources.expected_kinds(table)
    wrong = table[table["kind"] != expected]
    assert wrong.empty, [
        f"sources.csv row {i + 2} {r.source_id}: kind {r.kind!r}, rule says {expected[i]!r}" for i, r in wrong.iterrows()
    ]


def test_original_url_points_elsewhere_and_to_a_strong_kind():
    table = data.load("sources")
    mirrored = table[table["original_url"].notna()]
    for index, row in mirrored.iterrows():
        assert sources.host(row["original_url"]) != sources.host(row["url"]), f"row {index + 2}"
        assert sources.kind_for_url(row["original_url"]) in sources.STRONG_KINDS, f"row {index + 2}"


def test_strong_share_counts_rows_citing_any_primary_or_reference_source():
    cited = pd.DataFrame({"source_ids": ["a", "b;c", "c", "a;c"]})
    listed = pd.DataFrame({"source_id": ["a", "b", "c"], "kind": ["primary", "reference", "news"]})
    shares = sources.strong_share({"t": cited, "u": cited.head(1)}, listed).set_index("table")
    assert shares.loc["t.csv", "strong_rows"] == 3 and shares.loc["t.csv", "share_pct"] == 75
    assert shares.loc["all tables", "rows"] == 5 and shares.loc["all tables", "strong_rows"] == 4


def codebook() -> str:
    return (paths.DATA / "README.md").read_text(encoding="utf-8")


def test_codebook_reports_the_measured_shares():
    table = sources.share_table_markdown(sources.package_shares())
    assert table in codebook(), "data/README.md shares table is stale; regenerate with resetlab.sources"


def test_codebook_coverage_table_matches_the_data():
    section = codebook().split("## Coverage", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `?([a-z0-9_]+\.csv)`? \| (\S+) \| (\S+) \|", section, flags=re.M)
    assert rows, "no coverage table in the codebook"
    stated = {name: (first, last) for name, first, last in rows}
    measured = sources.package_coverage()
    assert set(stated) == set(measured), "coverage table must list every dated table"
    for name, (first, last) in measured.items():
        assert stated[name] == (first, last), f"{name}: codebook says {stated[name]}, data say {(first, last)}"
