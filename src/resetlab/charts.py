"""Chart builders shared by the notebooks (matplotlib for static figures, plotly for interactive)."""
from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.patches import Patch
import matplotlib.pyplot as plt
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .plotting import PALETTE, PARTY_COLOURS, STATUS_COLOURS, shade_reset

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


def lifelines(periods: pd.DataFrame, events: pd.DataFrame, treaties: pd.DataFrame, start, end, marks: dict | None = None):
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
        ax.annotate(label, (pd.Timestamp(when), len(rows) - 0.4), fontsize=8, ha="right", rotation=90, va="top")
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color=colour, label=STATUS_LABELS[status]) for status, colour in STATUS_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title("U.S.-Soviet/Russian arms-control agreements: status over time")
    return fig


def in_force_bars(counts: pd.DataFrame, marks: dict | None = None):
    fig, ax = plt.subplots(figsize=(10, 3.6))
    ax.bar(counts["year"], counts["in_force"], color=STATUS_COLOURS["in_force"], label="in force", width=0.85)
    ax.bar(counts["year"], counts["suspended"], bottom=counts["in_force"], color=STATUS_COLOURS["suspended"], label="in force, suspended by a party", width=0.85)
    ax.axvspan(2008.5, 2010.5, color="#0072B2", alpha=0.08, lw=0, label="Reset (2009-2010)")
    for label, year in (marks or {}).items():
        ax.axvline(year, color="#000000", lw=0.8, ls="--")
        ax.annotate(label, (year, ax.get_ylim()[1]), fontsize=8, ha="right", va="top", rotation=90)
    ax.set_ylabel("agreements (31 December)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("Agreements in force each year")
    return fig


NEW_START_PANELS = [
    ("deployed_warheads", "Deployed warheads", 1550),
    ("deployed_launchers", "Deployed launchers", 700),
    ("total_launchers", "Deployed and non-deployed launchers", 800),
]


def new_start_panels(exchanges: pd.DataFrame, limits_date):
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharex=True)
    for ax, (column, title, limit) in zip(axes, NEW_START_PANELS):
        for party, name in (("US", "United States"), ("RU", "Russia")):
            own = exchanges[(exchanges["party"] == party) & exchanges[column].notna()].sort_values("as_of_date")
            ax.plot(own["as_of_date"], own[column].astype(float), marker="o", ms=3, color=PARTY_COLOURS[party], label=name)
        ax.axhline(limit, color="#000000", lw=1, ls="--")
        ax.annotate(f"limit {limit:,}", (ax.get_xlim()[0], limit), fontsize=8, va="bottom")
        ax.axvline(pd.Timestamp(limits_date), color="#777777", lw=0.8, ls=":")
        ax.set_title(title, fontsize=10)
        ax.xaxis.set_major_locator(mdates.YearLocator(4))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes[0].legend(fontsize=8, loc="lower left")
    fig.suptitle("New START aggregate data exchanges against the treaty's central limits", x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def new_start_interactive(exchanges: pd.DataFrame) -> go.Figure:
    fig = make_subplots(rows=1, cols=3, subplot_titles=[t for _, t, _ in NEW_START_PANELS], horizontal_spacing=0.06)
    for col, (column, title, limit) in enumerate(NEW_START_PANELS, start=1):
        for party, name in (("US", "United States"), ("RU", "Russia")):
            own = exchanges[(exchanges["party"] == party) & exchanges[column].notna()].sort_values("as_of_date")
            fig.add_trace(
                go.Scatter(
                    x=own["as_of_date"].dt.strftime("%Y-%m-%d").tolist(), y=own[column].astype(int).tolist(), mode="lines+markers",
                    name=name, legendgroup=party, showlegend=col == 1, line={"color": PARTY_COLOURS[party]},
                    hovertemplate=f"{name}<br>%{{x}}: %{{y:,}} {title.lower()}<extra></extra>",
                ),
                row=1, col=col,
            )
        fig.add_hline(y=limit, line_dash="dash", line_color="#000000", row=1, col=col, annotation_text=f"limit {limit:,}")
    fig.update_layout(title="New START data exchanges (hover for values)", height=420, margin={"t": 80})
    return fig


def stacked_bars(table: pd.DataFrame, title: str, ylabel: str, colours: dict | None = None, labels: dict | None = None):
    """Stacked bars, one per row (year), one colour per column."""
    fig, ax = plt.subplots(figsize=(10, 4))
    bottom = pd.Series(0.0, index=table.index)
    for i, column in enumerate(table.columns):
        colour = (colours or {}).get(column, PALETTE[i % len(PALETTE)])
        ax.bar(table.index, table[column], bottom=bottom, color=colour, label=(labels or {}).get(column, str(column).replace("_", " ")), width=0.8)
        bottom += table[column]
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def designation_lines(table: pd.DataFrame, title: str):
    fig, ax = plt.subplots(figsize=(10, 4))
    for i, column in enumerate(table.columns):
        series = table[column].dropna()
        ax.plot(series.index, series.astype(float), marker="o", color=PALETTE[i % len(PALETTE)], label=column.split(": ", 1)[1][:70])
    ax.set_title(title)
    ax.set_ylabel("persons and entities")
    ax.legend(fontsize=7, loc="upper left")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def votes_strip(agreement: pd.DataFrame):
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
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Security Council votes on the Iran and North Korea files")
    return fig


TIE_ROWS = {"UA": ("U.S. support for Ukraine", 0, "#0072B2"), "KP": ("Russia with North Korea", 1, "#D55E00"), "IR": ("Russia with Iran", 2, "#CC79A7")}


def ties_timeline(ties: pd.DataFrame, start, end):
    fig, ax = plt.subplots(figsize=(10, 3))
    for partner, (label, row, colour) in TIE_ROWS.items():
        part = ties[ties["partner"] == partner]
        ax.scatter(part["date"], [row] * len(part), color=colour, s=36, label=label, zorder=3)
    ax.set_yticks([r for _, r, _ in TIE_ROWS.values()], [lab for lab, _, _ in TIE_ROWS.values()])
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    ax.set_ylim(-0.6, 2.6)
    ax.grid(axis="y", visible=False)
    ax.set_title("Each side's ties with partners the other sees as hostile")
    return fig


def ties_interactive(ties: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for partner, (label, row, colour) in TIE_ROWS.items():
        part = ties[ties["partner"] == partner].sort_values("date")
        fig.add_trace(go.Scatter(
            x=part["date"].dt.strftime("%Y-%m-%d").tolist(), y=[label] * len(part), mode="markers", name=label,
            marker={"color": colour, "size": 10}, text=part["title"].tolist(), hovertemplate="%{x}<br>%{text}<extra></extra>",
        ))
    fig.update_layout(title="Third-party ties (hover for each milestone)", height=320, showlegend=False, margin={"l": 180})
    return fig


def index_chart(ix: pd.DataFrame, smoothed: pd.Series, phase_table: pd.DataFrame, breaks: list, milestones: pd.DataFrame, title: str, reset_span: tuple):
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
        ax.annotate(m["label"], (m["date"], bottom), fontsize=7.5, rotation=90, va="bottom", ha="right", color="#333333")
        ax.axvline(m["date"], color="#999999", lw=0.5, ls=":")
    shade_reset(ax, span=reset_span)
    ax.set_ylabel("sum of Goldstein scores")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def index_interactive(ix: pd.DataFrame, smoothed: pd.Series, labels: pd.Series) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Bar(x=ix.index.strftime("%Y-%m-%d").tolist(), y=ix["net"].round(1).tolist(), name="net cooperation",
                         marker_color=["#009E73" if v >= 0 else "#D55E00" for v in ix["net"]], text=labels.reindex(ix.index).fillna("").tolist(),
                         hovertemplate="%{x}: %{y}<br>%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(x=smoothed.index.strftime("%Y-%m-%d").tolist(), y=smoothed.round(2).tolist(), name="smoothed", line={"color": "#000000"}))
    fig.update_layout(title="U.S.-Russia cooperation-conflict index (hover: the period's main events)", height=450, bargap=0.1)
    return fig


def small_multiples(series: list, windows: dict, recent: tuple, start_year: int, end_year: int):
    """One panel per trust series on a shared year axis, with the comparison windows shaded."""
    columns = 2
    rows = -(-len(series) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(12, 2.6 * rows), sharex=True)
    shades = ["#0072B2", "#CC79A7", "#009E73", "#E69F00"]
    for ax, s in zip(axes.flat, series):
        v = s.values.dropna()
        v = v[(v.index >= start_year) & (v.index <= end_year)]
        if len(v):
            v = v.reindex(range(int(v.index.min()), int(v.index.max()) + 1))  # gaps break the line: no visual interpolation
        ax.plot(v.index, v.values, marker="o", ms=2.5, color="#000000", lw=1.2)
        for (label, (first, last)), colour in zip(windows.items(), shades):
            ax.axvspan(first - 0.5, last + 0.5, color=colour, alpha=0.12, lw=0)
        ax.axvspan(recent[0] - 0.5, recent[1] + 0.5, color="#D55E00", alpha=0.15, lw=0)
        direction = "higher = closer" if s.higher_is_closer else "higher = more distant"
        ax.set_title(f"{s.label}\n{s.unit} ({direction})", fontsize=9, fontweight="normal")
        ax.set_xlim(start_year - 1, end_year + 1)
    for ax in list(axes.flat)[len(series):]:
        ax.set_visible(False)
    handles = [Patch(color=c, alpha=0.3, label=f"{label} ({a}-{b})" if a != b else f"{label}") for (label, (a, b)), c in zip(windows.items(), shades)]
    handles.append(Patch(color="#D55E00", alpha=0.3, label=f"recent ({recent[0]}-{recent[1]})"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, frameon=False)
    fig.suptitle("Trust and distance: every long series, with the comparison windows shaded", x=0.01, ha="left", fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def event_strip(frame: pd.DataFrame, title: str, label_column: str = "title", start=None, end=None):
    """Events as dots on a time line, each labelled (for short lists)."""
    frame = frame.sort_values("date")
    fig, ax = plt.subplots(figsize=(10, 0.35 * max(len(frame), 2) + 1.2))
    ys = list(range(len(frame)))[::-1]
    ax.scatter(frame["date"], ys, color="#0072B2", s=30, zorder=3)
    for y, (_, row) in zip(ys, frame.iterrows()):
        ax.annotate(f"  {row['date']:%b %Y}  {str(row[label_column])[:70]}", (row["date"], y), fontsize=8, va="center")
    ax.set_yticks([])
    if start is not None:
        ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    ax.set_ylim(-1, len(frame))
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def steps_per_year(treaty_events: pd.DataFrame, back: set, forward: set, start: int, end: int):
    years = range(start, end + 1)
    te = treaty_events.assign(year=treaty_events["date"].dt.year)
    table = pd.DataFrame({
        "steps forward (signed, extended)": te[te["event_type"].isin(forward)].groupby("year").size(),
        "steps back (suspended, notice, denounced, de-ratified)": te[te["event_type"].isin(back)].groupby("year").size(),
    }).reindex(list(years), fill_value=0).fillna(0)
    return stacked_bars(table, "Arms-control steps forward and back per year", "events",
                        colours={"steps forward (signed, extended)": "#009E73", "steps back (suspended, notice, denounced, de-ratified)": "#D55E00"})


def windows_bars(summary: pd.DataFrame, title: str):
    """Net cooperation per month in named windows."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    values = summary["net_per_month"].astype(float)
    ax.barh(values.index[::-1], values.values[::-1], color=["#009E73" if v >= 0 else "#D55E00" for v in values.values[::-1]])
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_xlabel("net Goldstein score per month")
    ax.set_title(title)
    return fig


def opinion_lines(opinion: pd.DataFrame, pairs: list[tuple[str, str, str]], cutoff):
    fig, ax = plt.subplots(figsize=(9, 3.5))
    for (pollster, answer, label), colour in zip(pairs, PALETTE):
        own = opinion[(opinion["pollster"] == pollster) & (opinion["answer"] == answer)].sort_values("date")
        ax.plot(own["date"], own["value_pct"], marker="o", ms=3, color=colour, label=label)
    ax.axvline(pd.Timestamp(cutoff), color="#000000", ls="--", lw=0.8)
    ax.axhline(50, color="#999999", lw=0.8, ls=":")
    ax.set_ylabel("% of respondents")
    ax.legend(fontsize=8)
    ax.set_title("Each public's view of the other")
    return fig


POLICY_LEVELS = {"none": 0, "border_area": 1, "deep_strikes_limited": 2, "broad": 3}


def policy_steps(policy: pd.DataFrame, cutoff):
    known = policy.dropna(subset=["allowed_inside_russia"]).sort_values("date")
    fig, ax = plt.subplots(figsize=(9, 3))
    ax.step(known["date"], known["allowed_inside_russia"].map(POLICY_LEVELS), where="post", color="#0072B2")
    ax.scatter(known["date"], known["allowed_inside_russia"].map(POLICY_LEVELS), color="#0072B2", s=20)
    ax.axvline(pd.Timestamp(cutoff), color="#000000", ls="--", lw=0.8)
    ax.annotate(" essay", (pd.Timestamp(cutoff), 2.8), fontsize=8)
    ax.set_yticks(list(POLICY_LEVELS.values()), [k.replace("_", " ") for k in POLICY_LEVELS])
    ax.set_ylim(-0.3, 3.3)
    ax.set_title("What U.S. policy allowed Ukraine to strike inside Russia with U.S. weapons")
    return fig


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
    ax.legend(loc="lower right", fontsize=8, frameon=False)
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
    top.legend(loc="lower left", fontsize=8, frameon=False)
    bottom.bar(ix.index, ix["events"], width=width, color="#999999")
    bottom.set_ylabel("events")
    frame(fig, title=title, subtitle=f"Talk and deeds per {resolution} (Goldstein sums) and the number of recorded events",
          source="Source: Reset Lab, data/events.csv, treaty_events.csv, sanctions_actions.csv; sources in sources.csv")
    return fig
