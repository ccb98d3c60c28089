"""Chart builders shared by the notebooks (matplotlib for static figures, plotly for interactive)."""
from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.patches import Patch
import matplotlib.pyplot as plt
import pandas as pd
import plotly.graph_objects as go

import html
import textwrap

from . import interactive
from .plotting import PALETTE, PARTY_COLOURS, STATUS_COLOURS, frame, shade_reset, source_line

PARTIAL_HATCH = "///"


def _wrap(label: str, width: int = 34) -> str:
    """Legend labels wrap onto lines instead of being cut off."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _plotly_text(value) -> str:
    """Data text for plotly hover labels, which read a little HTML (<br>, <a href>): shown as text, never markup."""
    return html.escape(str(value), quote=False)


def _legend_below(ax, handles=None, ncol: int = 2, **kwargs):
    """A legend under the plot, full labels, at least 9 pt."""
    kwargs.setdefault("fontsize", 9)
    return ax.legend(*([handles] if handles is not None else []), loc="upper left", bbox_to_anchor=(0, -0.12), ncol=ncol, frameon=False, **kwargs)



EVENT_MARKERS = {
    "signed": ("|", "#333333"),
    "entered_into_force": ("o", "#009E73"),
    "suspended": ("D", "#E69F00"),
    "withdrawal_notified": ("v", "#D55E00"),
    "withdrawal_effective": ("X", "#D55E00"),
    "expired": ("X", "#555555"),
    "terminated": ("X", "#555555"),
    "denounced": ("X", "#D55E00"),
    "deratified": ("x", "#D55E00"),
    "superseded": ("s", "#555555"),
    "never_entered_into_force": ("X", "#999999"),
}
STATUS_LABELS = {"signed": "signed; entry into force not reached or not recorded", "in_force": "in force", "suspended": "in force, suspended by a party"}


def lifelines(periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame, start, end, marks: dict | None = None, *, title: str | None = None):
    """One horizontal bar per agreement, coloured by status, with its key events marked."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    order = treaties.sort_values(["signed_date", "treaty_id"])
    shown = order[order["treaty_id"].isin(periods.loc[(periods["end"] >= start) & (periods["start"] <= end), "treaty_id"])]
    labels = dict(zip(shown["treaty_id"], shown["short_name"]))
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(shown) + 1.6))
    rows = {tid: i for i, tid in enumerate(reversed(list(shown["treaty_id"])))}
    for status, colour in STATUS_COLOURS.items():
        part = periods[(periods["status"] == status) & periods["treaty_id"].isin(rows)]
        for _, p in part.iterrows():
            left, right = max(p["start"], start), min(p["end"], end)
            if right > left:
                ax.barh(rows[p["treaty_id"]], right - left, left=left, height=0.6, color=colour, lw=0)
    own = events[events["treaty_id"].isin(rows) & events["date"].between(start, end)]
    for kind, (marker, colour) in EVENT_MARKERS.items():
        hits = own[own["event_type"] == kind]
        if hits.empty:
            continue
        ax.scatter(hits["date"], hits["treaty_id"].map(rows), marker=marker, color=colour, s=28, zorder=3, label=kind.replace("_", " "))
    ax.set_yticks(list(rows.values()), [labels[t] for t in rows])
    ax.set_xlim(start, end)
    ax.grid(axis="y", visible=False)
    shade_reset(ax)
    for label, when in (marks or {}).items():
        ax.axvline(pd.Timestamp(when), color="#000000", lw=0.8, ls="--")
        ax.annotate(label, (pd.Timestamp(when), len(rows) - 0.4), fontsize=9, ha="right", rotation=90, va="top")
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color=colour, label=STATUS_LABELS[status]) for status, colour in STATUS_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    live = periods[periods["status"].isin(["in_force", "suspended"]) & (periods["start"] <= end) & (periods["end"] >= end) & periods["treaty_id"].isin(rows)]
    finding = title or f"Of {len(rows)} U.S.-Soviet/Russian arms-control agreements, {live['treaty_id'].nunique()} were still in force at the end of the period shown"
    return frame(fig, title=finding, subtitle=f"Status of each agreement, {start:%Y}-{end:%Y}; markers show signature, entry into force, suspension, withdrawal and expiry",
                 source=source_line("treaties", "treaty_events"))


def in_force_bars(counts: pd.DataFrame, marks: dict | None = None, *, what: str = "arms-control agreements", title: str | None = None,
                  partial_through=None, source: str | None = None):
    """Agreements in force on 31 December of each year; `partial_through` marks an unfinished last year."""
    fig, ax = plt.subplots(figsize=(10, 3.6))
    ax.bar(counts["year"], counts["in_force"], color=STATUS_COLOURS["in_force"], label="in force", width=0.85)
    ax.bar(counts["year"], counts["suspended"], bottom=counts["in_force"], color=STATUS_COLOURS["suspended"], label="in force, suspended by a party", width=0.85)
    ax.axvspan(2008.5, 2010.5, color="#0072B2", alpha=0.08, lw=0, label="Reset (2009-2010)")
    total = counts["in_force"] + counts["suspended"]
    ax.set_ylim(0, max(float(total.max()), 1) * 1.25 + 0.5)  # room above the tallest bar for the labels
    ax.set_xlim(counts["year"].min() - 0.6, counts["year"].max() + 0.6)
    for label, year in (marks or {}).items():
        ax.axvline(year, color="#000000", lw=0.8, ls="--")
        ax.annotate(label, (year, ax.get_ylim()[1]), fontsize=9, ha="right", va="top", rotation=90)
    last = counts.iloc[-1]
    if partial_through is not None:
        through = pd.Timestamp(partial_through)
        if int(last["year"]) == through.year:
            ax.bar([last["year"]], [last["in_force"] + last["suspended"]], color="none", edgecolor="#333333", hatch=PARTIAL_HATCH, width=0.85, lw=0.5, label=f"{through:%Y} so far (to {through:%-d %b})")
    ax.set_ylabel(f"{what} in force")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", fontsize=9, ncol=2)
    peak_year = int(counts.loc[total.idxmax(), "year"])
    finding = title or f"{int(total.iloc[-1])} {what} in force in {int(last['year'])}, against {int(total.max())} at the peak ({peak_year})"
    return frame(fig, title=finding, subtitle=f"Number of {what} in force on 31 December of each year; suspended ones stacked on top",
                 source=source or source_line("treaties", "treaty_events"))


NEW_START_PANELS = [
    ("deployed_warheads", "Deployed warheads", 1550),
    ("deployed_launchers", "Deployed launchers", 700),
    ("total_launchers", "Deployed and non-deployed launchers", 800),
]


def new_start_panels(exchanges: pd.DataFrame, limits_date, *, title: str | None = None):
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharex=True)
    over = 0
    for ax, (column, panel, limit) in zip(axes, NEW_START_PANELS):
        for party, name in (("US", "United States"), ("RU", "Russia")):
            own = exchanges[(exchanges["party"] == party) & exchanges[column].notna()].sort_values("as_of_date")
            ax.plot(own["as_of_date"], own[column].astype(float), marker="o", ms=3, color=PARTY_COLOURS[party], label=name)
            over += int((own.loc[own["as_of_date"] >= pd.Timestamp(limits_date), column].astype(float) > limit).sum())
        ax.axhline(limit, color="#000000", lw=1, ls="--")
        ax.annotate(f"limit {limit:,}", (ax.get_xlim()[0], limit), fontsize=9, va="bottom")
        ax.axvline(pd.Timestamp(limits_date), color="#777777", lw=0.8, ls=":")
        ax.set_title(panel, fontsize=10)
        ax.xaxis.set_major_locator(mdates.YearLocator(4))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes[0].legend(fontsize=9, loc="lower left")
    fig.tight_layout()
    finding = title or ("Both sides reported figures within every central limit once the limits applied" if over == 0
                        else f"{over} reported figures exceeded a central limit after the limits applied")
    return frame(fig, title=finding, subtitle="Aggregate numbers each side declared in the treaty's data exchanges (count); dashed: the limit; dotted: limits apply (5 Feb 2018)",
                 source=source_line("new_start_exchanges"))


def new_start_interactive(exchanges: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Three stacked panels (readable on a phone), each with its limit drawn as a dashed line."""
    from plotly.subplots import make_subplots  # here: a third of a second to import, and only this chart needs it

    interactive.configure()
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, subplot_titles=[t for _, t, _ in NEW_START_PANELS], vertical_spacing=0.09)
    first, last = exchanges["as_of_date"].min(), exchanges["as_of_date"].max()
    for row, (column, panel, limit) in enumerate(NEW_START_PANELS, start=1):
        for party, name in (("US", "United States"), ("RU", "Russia")):
            own = exchanges[(exchanges["party"] == party) & exchanges[column].notna()].sort_values("as_of_date")
            fig.add_trace(
                go.Scatter(
                    x=own["as_of_date"].dt.strftime("%Y-%m-%d").tolist(), y=own[column].astype(int).tolist(), mode="lines+markers",
                    name=name, legendgroup=party, showlegend=row == 1, line={"color": PARTY_COLOURS[party]},
                    hovertemplate=f"{name}<br>%{{x}}: %{{y:,}} {panel.lower()}<extra></extra>",
                ),
                row=row, col=1,
            )
        fig.add_trace(go.Scatter(x=[first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")], y=[limit, limit], mode="lines", name="treaty limit",
                                 legendgroup="limit", showlegend=row == 1, line={"color": "#000000", "dash": "dash", "width": 1},
                                 hovertemplate=f"limit: {limit:,}<extra></extra>"), row=row, col=1)
    fig.update_layout(height=760, legend={"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom", "font": {"size": 12}},
                      margin={"l": 60, "r": 20})
    fig.update_annotations(font_size=13)
    return frame(fig, title=title or "Both sides stayed within the New START limits",
                 subtitle="Declared aggregate numbers per data exchange (count); dashed: the limit", source=source_line("new_start_exchanges"))


def stacked_bars(table: pd.DataFrame, title: str, ylabel: str, colours: dict | None = None, labels: dict | None = None, *,
                 subtitle: str | None = None, source: str | None = None, partial_through=None, trim_leading_empty: bool = True):
    """Stacked bars, one per row (year), one colour per column.

    The axis starts at the first year with data: years before a table's coverage are not years with none.
    """
    if trim_leading_empty and len(table) and table.sum(axis=1).gt(0).any():
        table = table.loc[table.sum(axis=1).gt(0).idxmax():]
    fig, ax = plt.subplots(figsize=(10, 4))
    bottom = pd.Series(0.0, index=table.index)
    for i, column in enumerate(table.columns):
        colour = (colours or {}).get(column, PALETTE[i % len(PALETTE)])
        ax.bar(table.index, table[column], bottom=bottom, color=colour, label=_wrap((labels or {}).get(column, str(column).replace("_", " ")), 40), width=0.8)
        bottom += table[column]
    if partial_through is not None and len(table) and int(table.index[-1]) == pd.Timestamp(partial_through).year:
        year = table.index[-1]
        ax.bar([year], [bottom.iloc[-1]], color="none", edgecolor="#333333", hatch=PARTIAL_HATCH, width=0.8, lw=0.5,
               label=f"{year} so far (to {pd.Timestamp(partial_through):%-d %b})")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts: no tick at half an event
    return frame(fig, title=title, subtitle=subtitle or f"{ylabel[:1].upper()}{ylabel[1:]} per year", source=source or "Source: Reset Lab; sources in sources.csv")


def designation_lines(table: pd.DataFrame, title: str, *, partial_through=None):
    """One line per counting method; years a method does not cover stay gaps, never bridged."""
    fig, ax = plt.subplots(figsize=(10, 4.6))
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    for i, column in enumerate(table.columns):
        series = table[column].astype(float).reindex(years)
        label = column.split(": ", 1)[1] if ": " in column else column
        ax.plot(series.index, series.values, marker="o", color=PALETTE[i % len(PALETTE)], label=_wrap(label, 60))
    if partial_through is not None and int(table.index.max()) == pd.Timestamp(partial_through).year:
        ax.axvspan(table.index.max() - 0.5, table.index.max() + 0.5, color="#999999", alpha=0.15, lw=0,
                   label=f"{table.index.max()}: year not over (to {pd.Timestamp(partial_through):%-d %b})")
    ax.set_ylabel("persons and entities")
    _legend_below(ax, ncol=1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return frame(fig, title=title, subtitle="U.S. designations of Russia-related persons and entities added per year (count), one line per counting method",
                 source=source_line("sanctions_counts"))


def votes_strip(agreement: pd.DataFrame, *, title: str | None = None):
    """Each Security Council vote: green where Russia voted as the U.S. did, vermilion where not."""
    fig, ax = plt.subplots(figsize=(10, 2.8))
    rows = {"iran": 1, "dprk": 0}
    for agrees, colour, label in ((True, "#009E73", "Russia voted as the U.S."), (False, "#D55E00", "Russia voted otherwise")):
        part = agreement[agreement["agrees"] == agrees]
        ax.scatter(part["date"], part["file"].map(rows), color=colour, s=40, label=label, marker="o" if agrees else "X", zorder=3)
    ax.set_yticks([0, 1], ["North Korea", "Iran"])
    ax.set_ylim(-0.6, 1.6)
    ax.grid(axis="y", visible=False)
    shade_reset(ax, label=False)
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    split = agreement.loc[~agreement["agrees"], "date"].min() if (~agreement["agrees"]).any() else None
    finding = title or ("Russia voted as the U.S. did on every Iran and North Korea vote shown" if split is None
                        else f"Russia voted as the U.S. did on Iran and North Korea until {split:%B %Y}")
    return frame(fig, title=finding, subtitle="Each Security Council vote on the Iran and North Korea files; the blue band marks the Reset",
                 source=source_line("unsc_votes"))


TIE_ROWS = {"UA": ("U.S. support for Ukraine", 0, "#0072B2"), "KP": ("Russia with North Korea", 1, "#D55E00"), "IR": ("Russia with Iran", 2, "#CC79A7")}


def ties_timeline(ties: pd.DataFrame, start, end, *, title: str | None = None):
    fig, ax = plt.subplots(figsize=(10, 3))
    for partner, (label, row, colour) in TIE_ROWS.items():
        part = ties[ties["partner"] == partner]
        ax.scatter(part["date"], [row] * len(part), color=colour, s=36, label=label, zorder=3)
    ax.set_yticks([r for _, r, _ in TIE_ROWS.values()], [lab for lab, _, _ in TIE_ROWS.values()])
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    ax.set_ylim(-0.6, 2.6)
    ax.grid(axis="y", visible=False)
    shown = ties[ties["date"].between(pd.Timestamp(start), pd.Timestamp(end))]
    finding = title or f"{len(shown)} milestones in each side's ties with partners the other sees as hostile, {pd.Timestamp(start):%Y}-{pd.Timestamp(end):%Y}"
    return frame(fig, title=finding, subtitle="Each dot is a dated military or treaty milestone", source=source_line("third_party_ties"))


def ties_interactive(ties: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    interactive.configure()
    fig = go.Figure()
    for partner, (label, row, colour) in TIE_ROWS.items():
        part = ties[ties["partner"] == partner].sort_values("date")
        fig.add_trace(go.Scatter(
            x=part["date"].dt.strftime("%Y-%m-%d").tolist(), y=[label] * len(part), mode="markers", name=label,
            marker={"color": colour, "size": 10}, text=[_plotly_text(t) for t in part["title"]], hovertemplate="%{x}<br>%{text}<extra></extra>",
        ))
    fig.update_layout(height=380, showlegend=False, margin={"l": 10, "r": 10})
    fig.update_yaxes(automargin=True)
    finding = title or f"{len(ties)} milestones in each side's ties with the other's adversaries"
    return frame(fig, title=finding, subtitle="Each dot is a dated military or treaty milestone; hover for its title", source=source_line("third_party_ties"))


def index_chart(ix: pd.DataFrame, smoothed: pd.Series, phase_table: pd.DataFrame, breaks: list, milestones: pd.DataFrame, title: str, reset_span: tuple, *,
                subtitle: str = "Net cooperation per period: sum of Goldstein scores of the recorded events (each -10 to +10)"):
    """Net cooperation per period (bars), its smoothing (line), detected phases and milestones."""
    fig, ax = plt.subplots(figsize=(12, 5))
    width = 25 if len(ix) > 120 else 70
    colours = ["#009E73" if v >= 0 else "#D55E00" for v in ix["net"]]
    ax.bar(ix.index, ix["net"], width=width, color=colours, alpha=0.45, label="net cooperation per period")
    ax.plot(smoothed.index, smoothed, color="#000000", lw=1.6, label="smoothed")
    for _, p in phase_table.iterrows():
        ax.hlines(p["mean_net"], p["start"], p["end"], color="#0072B2", lw=3, alpha=0.8)
    ax.plot([], [], color="#0072B2", lw=3, label="phase mean (change points)")
    for when in breaks:
        ax.axvline(when, color="#0072B2", lw=0.8, ls="--")
    ax.axhline(0, color="#555555", lw=0.8)
    bottom = ax.get_ylim()[0]
    for _, m in milestones.iterrows():
        ax.annotate(m["label"], (m["date"], bottom), fontsize=9, rotation=90, va="bottom", ha="right", color="#333333")
        ax.axvline(m["date"], color="#999999", lw=0.5, ls=":")
    shade_reset(ax, span=reset_span)
    ax.set_ylabel("sum of Goldstein scores")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return frame(fig, title=title, subtitle=subtitle, source=source_line("events"))


def index_interactive(ix: pd.DataFrame, smoothed: pd.Series, labels: pd.Series, *, title: str = "U.S.-Russia cooperation and conflict, period by period") -> go.Figure:
    interactive.configure()
    fig = go.Figure()
    fig.add_trace(go.Bar(x=ix.index.strftime("%Y-%m-%d").tolist(), y=ix["net"].round(1).tolist(), name="net cooperation",
                         marker_color=["#009E73" if v >= 0 else "#D55E00" for v in ix["net"]], text=["<br>".join(_plotly_text(line) for line in str(t).split("<br>")) for t in labels.reindex(ix.index).fillna("")],
                         hovertemplate="%{x}: %{y}<br>%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(x=smoothed.index.strftime("%Y-%m-%d").tolist(), y=smoothed.round(2).tolist(), name="smoothed", line={"color": "#000000"}))
    fig.update_layout(height=480, bargap=0.1, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return frame(fig, title=title, subtitle="Net cooperation per period: sum of Goldstein scores (-10 to +10 per event); hover for the period's main events",
                 source=source_line("events"))


def _year_fraction(index) -> pd.Index:
    dates = pd.DatetimeIndex(index)
    return pd.Index(dates.year + (dates.day_of_year - 1) / 365.25)


def _with_gaps(x: pd.Index, y, max_gap: float) -> tuple[list, list]:
    """Insert a break (NaN) wherever two readings are more than `max_gap` apart, so a line never bridges a gap."""
    xs, ys = [], []
    for k, (a, b) in enumerate(zip(x, y)):
        if k and a - x[k - 1] > max_gap:
            xs.append((a + x[k - 1]) / 2)
            ys.append(float("nan"))
        xs.append(a)
        ys.append(b)
    return xs, ys


def small_multiples(series: list, windows: dict, recent: tuple, start_year: int, end_year: int, *, title: str | None = None):
    """One panel per trust series on a shared year axis, with the comparison windows shaded.

    Every panel reads the same way: up is closer. Where a measure grows with distance (enemy, expulsions)
    its axis is inverted and says so. Polls are drawn as the readings themselves (two in a year are two
    points), and lines break over gaps of more than a year.
    """
    columns = 2
    rows = -(-len(series) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(12, 2.8 * rows), sharex=True)
    shades = ["#0072B2", "#CC79A7", "#009E73", "#E69F00"]
    for ax, s in zip(axes.flat, series):
        readings = getattr(s, "readings", None)
        if readings is not None and len(readings):
            x = _year_fraction(readings.index)
            keep = (x >= start_year) & (x < end_year + 1)
            xs, ys = _with_gaps(x[keep], readings.values[keep], 1.6)
        else:
            v = s.values.dropna()
            v = v[(v.index >= start_year) & (v.index <= end_year)]
            xs, ys = _with_gaps(pd.Index(v.index.astype(float)), v.values.astype(float), 1.0)
        ax.plot(xs, ys, marker="o", ms=3, color="#000000", lw=1.2)
        for (label, (first, last)), colour in zip(windows.items(), shades):
            ax.axvspan(first - 0.5, last + 0.5, color=colour, alpha=0.12, lw=0)
        ax.axvspan(recent[0] - 0.5, recent[1] + 0.5, color="#D55E00", alpha=0.15, lw=0)
        if not s.higher_is_closer:
            ax.invert_yaxis()
        direction = "" if s.higher_is_closer else ", axis inverted"
        ax.set_title(f"{s.label}\n{s.unit}{direction}", fontsize=10, fontweight="normal", loc="left")
        ax.set_xlim(start_year - 1, end_year + 1)
    for ax in list(axes.flat)[len(series):]:
        ax.set_visible(False)
    handles = [Patch(color=c, alpha=0.3, label=f"{label} ({a}-{b})" if a != b else f"{label}") for (label, (a, b)), c in zip(windows.items(), shades)]
    handles.append(Patch(color="#D55E00", alpha=0.3, label=f"recent ({recent[0]}-{recent[1]})"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return frame(fig, title=title or "Only the Doomsday Clock reaches back to 1962 and the early 1980s; every bilateral series starts after the Cold War",
                 subtitle="Each long series that speaks to trust, in its own unit; up is always closer (axes inverted where needed); shaded: comparison windows",
                 source=source_line("doomsday_clock", "trade", "opinion", "unga_coincidence", "diplomatic_presence"))


def event_strip(events_shown: pd.DataFrame, title: str, label_column: str = "title", start=None, end=None, *,
                subtitle: str = "Each dot is one recorded event", source: str | None = None):
    """Events as dots on a time line, each labelled (for short lists)."""
    events_shown = events_shown.sort_values("date")
    fig, ax = plt.subplots(figsize=(10, 0.35 * max(len(events_shown), 2) + 1.2))
    ys = list(range(len(events_shown)))[::-1]
    ax.scatter(events_shown["date"], ys, color="#0072B2", s=30, zorder=3)
    for y, (_, row) in zip(ys, events_shown.iterrows()):
        ax.annotate(f"  {row['date']:%b %Y}  {textwrap.shorten(str(row[label_column]), 80, placeholder='…')}", (row["date"], y), fontsize=9, va="center")
    ax.set_yticks([])
    if start is not None:
        ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    ax.set_ylim(-1, len(events_shown))
    ax.grid(axis="y", visible=False)
    return frame(fig, title=title, subtitle=subtitle, source=source or source_line("events"))


def steps_per_year(treaty_events: pd.DataFrame, back: set, forward: set, start: int, end: int, *, title: str | None = None, partial_through=None):
    years = range(start, end + 1)
    te = treaty_events.assign(year=treaty_events["date"].dt.year)
    table = pd.DataFrame({
        "steps forward (signed, extended)": te[te["event_type"].isin(forward)].groupby("year").size(),
        "steps back (suspended, notice, denounced, de-ratified)": te[te["event_type"].isin(back)].groupby("year").size(),
    }).reindex(list(years), fill_value=0).fillna(0)
    forward_n, back_n = int(table.iloc[:, 0].sum()), int(table.iloc[:, 1].sum())
    finding = title or f"{back_n} arms-control steps back against {forward_n} steps forward, {start}-{end}"
    return stacked_bars(table, finding, "treaty events", trim_leading_empty=False, partial_through=partial_through,
                        subtitle="Treaty events per year (count): steps forward (signed, extended) and back (suspended, notice, denounced, de-ratified)",
                        source=source_line("treaty_events"),
                        colours={"steps forward (signed, extended)": "#009E73", "steps back (suspended, notice, denounced, de-ratified)": "#D55E00"})


def windows_bars(summary: pd.DataFrame, title: str, *, subtitle: str = "Net Goldstein score per month of recorded events, by window (sum of -10 to +10 per event)"):
    """Net cooperation per month in named windows."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    values = summary["net_per_month"].astype(float)
    ax.barh(values.index[::-1], values.values[::-1], color=["#009E73" if v >= 0 else "#D55E00" for v in values.values[::-1]])
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_xlabel("net Goldstein score per month")
    return frame(fig, title=title, subtitle=subtitle, source=source_line("events"))


def opinion_lines(opinion: pd.DataFrame, pairs: list[tuple[str, str, str]], cutoff, *, title: str = "Each public's view of the other, poll by poll"):
    """Each poll reading as a point; lines join readings less than two years apart, so gaps show as gaps."""
    fig, ax = plt.subplots(figsize=(9, 3.8))
    for (pollster, answer, label), colour in zip(pairs, PALETTE):
        own = opinion[(opinion["pollster"] == pollster) & (opinion["answer"] == answer)].sort_values("date")
        xs, ys = _with_gaps(_year_fraction(own["date"]), own["value_pct"].astype(float).tolist(), 2.0)
        ax.plot(xs, ys, marker="o", ms=3.5, color=colour, label=_wrap(label, 60))
    cut = pd.Timestamp(cutoff)
    ax.axvline(cut.year + (cut.day_of_year - 1) / 365.25, color="#000000", ls="--", lw=0.8)
    ax.axhline(50, color="#999999", lw=0.8, ls=":")
    ax.set_ylabel("% of respondents")
    _legend_below(ax, ncol=1)
    return frame(fig, title=title, subtitle="Share of respondents giving each answer (%), each dot one poll; dashed: the essay",
                 source=source_line("opinion"))


POLICY_LEVELS = {"none": 0, "border_area": 1, "deep_strikes_limited": 2, "broad": 3}


def policy_steps(policy: pd.DataFrame, cutoff, *, title: str = "What U.S. policy allowed Ukraine to strike inside Russia with U.S. weapons"):
    known = policy.dropna(subset=["allowed_inside_russia"]).sort_values("date")
    fig, ax = plt.subplots(figsize=(9, 3))
    ax.step(known["date"], known["allowed_inside_russia"].map(POLICY_LEVELS), where="post", color="#0072B2")
    ax.scatter(known["date"], known["allowed_inside_russia"].map(POLICY_LEVELS), color="#0072B2", s=20)
    ax.axvline(pd.Timestamp(cutoff), color="#000000", ls="--", lw=0.8)
    ax.annotate(" essay", (pd.Timestamp(cutoff), 2.8), fontsize=9)
    ax.set_yticks(list(POLICY_LEVELS.values()), [k.replace("_", " ") for k in POLICY_LEVELS])
    ax.set_ylim(-0.3, 3.3)
    return frame(fig, title=title, subtitle="Scope of strikes inside Russia that U.S. policy allowed with U.S.-supplied weapons (ordinal level)",
                 source=source_line("ukraine_strike_policy"))


def talk_deeds_bars(summary: pd.DataFrame, title: str):
    """Talk and deeds per month in named windows, side by side, with the event count beside each."""
    from .plotting import frame

    fig, ax = plt.subplots(figsize=(9, 0.55 * len(summary) + 1.6))
    rows = summary.iloc[::-1]
    positions = range(len(rows))
    ax.barh([y + 0.2 for y in positions], rows["talk_per_month"].astype(float), height=0.38,
            color="#56B4E9", label="talk (verbal cooperation and conflict)")
    ax.barh([y - 0.2 for y in positions], rows["deeds_per_month"].astype(float), height=0.38,
            color="#009E73", label="deeds (material acts and outcomes)")
    ax.set_yticks(list(positions), [f"{w} ({n} events)" for w, n in zip(rows.index, rows["events"])])
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_xlabel("Goldstein score per month")
    ax.legend(loc="lower right", fontsize=9, frameon=False)
    frame(fig, title=title, subtitle="Sum of Goldstein weights per month, split into talk and deeds",
          source="Source: Reset Lab, data/events.csv, treaty_events.csv, sanctions_actions.csv; "
                 "sources in sources.csv")
    return fig


def talk_deeds_periods(ix: pd.DataFrame, title: str, resolution: str):
    """Per period: the talk and deeds parts of the index, and the number of recorded events beneath."""
    from .plotting import frame

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    width = 25 if resolution == "month" else 80
    top.bar(ix.index, ix["talk_net"], width=width, color="#56B4E9", label="talk (verbal cooperation and conflict)")
    top.plot(ix.index, ix["deeds_net"], color="#009E73", lw=1.6, label="deeds (material acts and outcomes)")
    top.axhline(0, color="#555555", lw=0.8)
    top.set_ylabel(f"Goldstein sum per {resolution}")
    top.legend(loc="lower left", fontsize=9, frameon=False)
    bottom.bar(ix.index, ix["events"], width=width, color="#999999")
    bottom.set_ylabel("events")
    frame(fig, title=title, subtitle=f"Talk and deeds per {resolution} (Goldstein sums) and the number of recorded events",
          source="Source: Reset Lab, data/events.csv, treaty_events.csv, sanctions_actions.csv; sources in sources.csv")
    return fig
