"""One look for every chart, and figure files that are byte-identical from run to run."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

# Colour-blind-safe palette (Okabe-Ito), used in the same order by matplotlib and plotly.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
PARTY_COLOURS = {"US": "#0072B2", "RU": "#D55E00", "USSR": "#D55E00", "both": "#555555"}
STATUS_COLOURS = {"signed": "#BBBBBB", "in_force": "#009E73", "suspended": "#E69F00"}
RESET_SPAN = ("2009-01-01", "2010-12-31")  # the essay's "two years"; notebooks may pass their own
RESET_SHADE = {"color": "#0072B2", "alpha": 0.08, "lw": 0}

PNG_METADATA = {"Software": None}

STYLE = {
    "figure.figsize": (9, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,  # pages stay light: the site shows these same files
    "font.size": 10,  # every text on a chart is at least 9 pt at the size the site shows it
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
}


def apply_style() -> None:
    plt.rcParams.update(STYLE)


def setup_notebook() -> None:
    """Style and deterministic inline images; call once at the top of a notebook (the plotly chart
    builders set plotly's house template themselves)."""
    apply_style()
    try:
        ip = get_ipython()  # type: ignore[name-defined]  # noqa: F821
    except NameError:
        return
    ip.run_line_magic("matplotlib", "inline")
    ip.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
    ip.run_line_magic(
        "config",
        f"InlineBackend.print_figure_kwargs = {{'bbox_inches': 'tight', 'metadata': {PNG_METADATA!r}}}",
    )
    ip.run_line_magic("config", "InlineBackend.rc = {}")


FIGURES_ENV = "RESETLAB_FIGURES_DIR"


def figures_dir() -> Path:
    """Where notebooks write figures: the runner's staging folder when it runs them, else figures/."""
    from . import paths

    return Path(os.environ.get(FIGURES_ENV) or paths.FIGURES)


def save_figure(fig, name: str, folder: str | Path | None = None) -> None:
    """Write `name`.png without timestamps (returns nothing, so notebooks print no local path)."""
    folder = Path(folder or figures_dir())
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{name}.png"
    # The chart's title and alt text travel inside the file, so the gallery can caption it.
    described = {"Title": getattr(fig, "_resetlab_title", None), "Description": getattr(fig, "_resetlab_alt", None)}
    fig.savefig(png, bbox_inches="tight", metadata={**PNG_METADATA, **{k: v for k, v in described.items() if v}})


def show(fig, name: str, folder: str | Path | None = None) -> None:
    """Save `name`.png once and display those same bytes, so each figure is rendered a single time.

    The alt text `frame` wrote (title and subtitle) travels with the image in the output's metadata;
    the site uses it as the image's `alt`.
    """
    from IPython.display import Image, display

    save_figure(fig, name, folder)
    data = (Path(folder or figures_dir()) / f"{name}.png").read_bytes()
    width = round(fig.get_size_inches()[0] * plt.rcParams["figure.dpi"])
    alt = alt_text(fig)
    plt.close(fig)
    display(Image(data=data, format="png", width=width, alt=alt or None))


TITLE_PT, SUBTITLE_PT, SOURCE_PT = 13, 10.5, 9
MIN_PLOTLY_PX = 12  # 9 pt


def source_line(*tables: str) -> str:
    """'Source: Reset Lab, data/a.csv and data/b.csv; sources in sources.csv' for the tables a chart reads."""
    names = [f"data/{t}.csv" for t in tables]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Source: Reset Lab, {listed}; sources in sources.csv"


def frame(fig, *, title: str, subtitle: str, source: str):
    """The chart grammar every figure follows: a title (the finding, where the data settle it), a
    subtitle naming the measure and its unit, and a source line naming the tables.

    Works on matplotlib and plotly figures alike and returns the figure. The title and subtitle also
    become the figure's alt text (see `alt_text`), so a chart is described in words wherever it is shown.
    """
    alt = f"{title}. {subtitle}"
    if hasattr(fig, "update_layout"):  # plotly
        fig.update_layout(
            title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17},
                   "subtitle": {"text": subtitle, "font": {"size": 13, "color": "#333333"}}},
            meta={"alt": alt},
        )
        fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-48, xanchor="left", yanchor="top",
                           showarrow=False, align="left", font={"size": MIN_PLOTLY_PX, "color": "#555555"}, name="source")
        fig.update_layout(margin={"t": max(fig.layout.margin.t or 0, 100), "b": max(fig.layout.margin.b or 0, 90)})
        return fig
    from matplotlib.transforms import ScaledTranslation

    if getattr(fig, "_suptitle", None) is not None:
        fig._suptitle.set_text("")
    if len(fig.axes) == 1:  # a single chart's own title gives way to the finding; panel titles stay
        fig.axes[0].set_title("")
    # Place the texts around everything already drawn (axes, their titles and tick labels, legends).
    fig.draw_without_rendering()  # legends know their place only once laid out (no pixels needed yet)
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()] + [leg.get_window_extent(renderer) for leg in fig.legends]
    to_figure = fig.transFigure.inverted()
    top = max(to_figure.transform((0, b.y1))[1] for b in boxes) if boxes else 1.0
    bottom = min(to_figure.transform((0, b.y0))[1] for b in boxes) if boxes else 0.0
    left = min(0.0, min(to_figure.transform((b.x0, 0))[0] for b in boxes)) if boxes else 0.0
    inch = fig.dpi_scale_trans
    fig.text(left, top, subtitle, ha="left", va="bottom", fontsize=SUBTITLE_PT, color="#333333",
             transform=fig.transFigure + ScaledTranslation(0, 0.06, inch))
    fig.text(left, top, title, ha="left", va="bottom", fontsize=TITLE_PT, fontweight="bold",
             transform=fig.transFigure + ScaledTranslation(0, 0.32, inch))
    fig.text(left, bottom, source, ha="left", va="top", fontsize=SOURCE_PT, color="#555555",
             transform=fig.transFigure + ScaledTranslation(0, -0.08, inch))
    fig._resetlab_alt = alt
    fig._resetlab_title = title
    return fig


def png_description(path: Path) -> dict:
    """The title and alt text a framed figure wrote into its PNG ({} for other images)."""
    from PIL import Image

    with Image.open(path) as image:
        text = getattr(image, "text", {}) or {}
    return {"title": text.get("Title", ""), "alt": text.get("Description", "")}


def alt_text(fig) -> str:
    """The alt text `frame` recorded (empty if the figure was never framed)."""
    if hasattr(fig, "update_layout"):
        meta = fig.layout.meta
        return meta.get("alt", "") if isinstance(meta, dict) else ""
    return getattr(fig, "_resetlab_alt", "")


def shade_reset(ax, label: bool = True, span: tuple = RESET_SPAN) -> None:
    """Shade the Reset window on a date axis."""
    import pandas as pd

    start, end = (pd.Timestamp(d) for d in span)
    ax.axvspan(start, end, **RESET_SHADE, label=f"Reset ({start:%Y}-{end:%Y})" if label else None)


def publish(staging: Path, destination: Path) -> list[Path]:
    """Move every file of a finished run's staging folder into place, one atomic rename each."""
    destination.mkdir(parents=True, exist_ok=True)
    moved = []
    for item in sorted(staging.iterdir()):
        target = destination / item.name
        tmp = destination / f".{item.name}.tmp"
        shutil.copyfile(item, tmp)
        tmp.replace(target)
        moved.append(target)
    return moved
