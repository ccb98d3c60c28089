"""Chart grammar: every chart has a finding for a title, a subtitle with the unit, a source line, legible
text and alt text; no encoding misleads (averaged polls, empty years, bridged gaps, cut labels)."""
import hashlib
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from resetlab import armscontrol, charts, data, paths, plotting, sanctions, trust, validate  # noqa: E402

ESSAY = "2024-09-02"
WINDOWS = {"1962": (1962, 1962), "early 1980s": (1980, 1985), "Reset": (2009, 2010)}


@pytest.fixture(scope="module")
def tables():
    return {name: data.load(name) for name in ("treaties", "treaty_events", "new_start_exchanges", "sanctions_actions", "sanctions_counts",
                                               "unsc_votes", "third_party_ties", "opinion", "ukraine_strike_policy", "events")}


def static_charts(t):
    plotting.apply_style()
    periods = armscontrol.status_periods(t["treaties"], t["treaty_events"], until=pd.Timestamp("2026-12-31"))
    years = range(2006, 2027)
    yield "lifelines", charts.lifelines(periods, t["treaty_events"], t["treaties"], "1972-01-01", "2026-12-31", marks={"essay": ESSAY})
    yield "in_force", charts.in_force_bars(armscontrol.in_force_by_year(periods, range(1972, 2027)), marks={"essay": 2024}, partial_through="2026-11-30")
    yield "new_start", charts.new_start_panels(t["new_start_exchanges"], validate.NEW_START_LIMITS_DATE)
    yield "by_theme", charts.stacked_bars(sanctions.actions_per_year(t["sanctions_actions"], "theme", years), "Finding", "actions", partial_through="2026-11-30",
                                       source=plotting.source_line("sanctions_actions"))
    yield "designations", charts.designation_lines(sanctions.designations(t["sanctions_counts"], "additions"), "Finding", partial_through="2026-11-30")
    yield "votes", charts.votes_strip(sanctions.russia_agrees_with_us(t["unsc_votes"]))
    yield "ties", charts.ties_timeline(t["third_party_ties"], "2014-01-01", "2026-12-31")
    yield "trust", charts.small_multiples(trust.build_series(2026), WINDOWS, (2022, 2026), 1947, 2026)
    yield "events", charts.event_strip(t["events"].head(5), "Finding")
    yield "steps", charts.steps_per_year(t["treaty_events"], {"suspended"}, {"signed"}, 2000, 2026)
    yield "opinion", charts.opinion_lines(t["opinion"], [("Pew Research Center", "enemy", "Americans: Russia is an enemy (Pew)")], ESSAY)
    yield "policy", charts.policy_steps(t["ukraine_strike_policy"], ESSAY)


def test_every_static_chart_is_framed_and_legible(tables):
    for name, fig in static_charts(tables):
        texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
        sources = [t.get_text() for t in texts if t.get_text().startswith("Source: Reset Lab, data/")]
        assert len(sources) == 1 and sources[0].endswith("sources in sources.csv"), name
        alt = plotting.alt_text(fig)
        assert alt and len(alt) > 20, name
        small = sorted({(t.get_text()[:30], t.get_fontsize()) for t in texts if t.get_fontsize() < 9})
        assert small == [], (name, small)
        plt.close(fig)


def test_interactive_charts_are_framed_and_legible(tables):
    plotting.apply_style()
    for fig in (charts.new_start_interactive(tables["new_start_exchanges"]), charts.ties_interactive(tables["third_party_ties"])):
        assert list(fig.layout.template.layout.colorway) == plotting.PALETTE  # the builders set the house template
        assert fig.layout.title.text and fig.layout.title.subtitle.text
        assert any(a.text.startswith("Source: Reset Lab, data/") for a in fig.layout.annotations)
        assert plotting.alt_text(fig).startswith(fig.layout.title.text)
        sizes = [a.font.size for a in fig.layout.annotations if a.font.size] + [fig.layout.legend.font.size or 12]
        assert min(sizes) >= plotting.MIN_PLOTLY_PX


def test_new_start_interactive_draws_each_limit_as_a_line(tables):
    fig = charts.new_start_interactive(tables["new_start_exchanges"])
    limits = [tr for tr in fig.data if tr.name == "treaty limit"]
    assert sorted(tr.y[0] for tr in limits) == sorted(limit for _, _, limit in charts.NEW_START_PANELS)


def test_two_polls_in_a_year_are_two_points_never_their_mean(tables):
    pew = next(s for s in trust.build_series(2026) if s.key == "pew_enemy")
    fig = charts.small_multiples([pew], WINDOWS, (2022, 2026), 1947, 2026)
    plotted = [y for line in fig.axes[0].get_lines() for y in line.get_ydata() if not math.isnan(y)]
    readings = tables["opinion"].query("pollster == 'Pew Research Center' and answer == 'enemy'")["value_pct"].astype(float)
    assert sorted(plotted) == sorted(readings)
    yearly = readings.groupby(tables["opinion"].loc[readings.index, "date"].dt.year).mean()
    for mean in yearly[readings.groupby(tables["opinion"].loc[readings.index, "date"].dt.year).size() > 1]:
        if mean not in set(readings):
            assert mean not in plotted
    plt.close(fig)


def test_every_trust_panel_reads_up_as_closer():
    series = trust.build_series(2026)
    fig = charts.small_multiples(series, WINDOWS, (2022, 2026), 1947, 2026)
    for ax, s in zip(fig.axes, series):
        assert ax.yaxis_inverted() == (not s.higher_is_closer), s.label
    plt.close(fig)


def test_lines_break_over_gaps():
    xs, ys = charts._with_gaps(pd.Index([2000.0, 2001.0, 2005.0, 2006.0]), [1, 2, 3, 4], 1.6)
    assert len(xs) == 5 and math.isnan(ys[2])


def test_sanctions_axis_starts_where_the_data_start(tables):
    table = sanctions.actions_per_year(tables["sanctions_actions"], "theme", range(2006, 2027))
    fig = charts.stacked_bars(table, "Finding", "actions")
    first = int(table.index[table.sum(axis=1).gt(0)][0])
    assert fig.axes[0].get_xlim()[0] > first - 1.5
    plt.close(fig)


def test_partial_year_is_marked(tables):
    table = sanctions.actions_per_year(tables["sanctions_actions"], "theme", range(2006, 2027))
    fig = charts.stacked_bars(table, "Finding", "actions", partial_through="2026-11-30")
    assert any("2026 so far" in t.get_text() for t in fig.axes[0].get_legend().get_texts())
    plt.close(fig)


def test_legend_labels_are_never_cut(tables):
    additions = sanctions.designations(tables["sanctions_counts"], "additions")
    fig = charts.designation_lines(additions, "Finding")
    shown = "".join("".join(t.get_text().split()) for t in fig.axes[0].get_legend().get_texts())
    for column in additions.columns:
        assert "".join(column.split(": ", 1)[-1].split()) in shown
    plt.close(fig)


def figure_hashes(pattern: str) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths.FIGURES.glob(pattern))}


def test_chapter_figures_are_all_different_images():
    """No figure of chapters 1-4 repeats another figure anywhere in figures/."""
    every = figure_hashes("*.png")
    for name, digest in figure_hashes("0[0-4]-*.png").items():
        twins = [other for other, d in every.items() if d == digest and other != name]
        assert twins == [], (name, twins)


def test_chapter_figures_carry_title_and_alt_text():
    for png in sorted(paths.FIGURES.glob("0[0-4]-*.png")):
        described = plotting.png_description(png)
        assert described["title"] and described["alt"].startswith(described["title"]), png.name


def test_scorecard_charts_of_yearly_counts_mark_the_partial_year_and_count_in_whole_numbers():
    from resetlab import claims
    from resetlab.claims import present

    ledger = {c["id"]: c for c in claims.load_ledger()}
    ev = claims.Evidence(claims.Settings())
    assert ev.latest.year == 2026 and ev.latest.month < 12  # the last year is unfinished
    for cid in ("C07", "C08"):
        claim = ledger[cid]
        fig = present.evidence_figure(claim, ev, claims.params(claim, claims.Settings(), ev.latest))
        ax = fig.axes[0]
        assert any("2026 so far" in t.get_text() for t in ax.get_legend().get_texts()), cid
        assert all(float(tick).is_integer() for tick in ax.get_yticks()), (cid, list(ax.get_yticks()))
        plt.close(fig)
