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
    "font.size": 10,
    "axes.titlesize": 12,
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
    """Style, deterministic inline images, and plotly's renderer; call once at the top of a notebook."""
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
    from . import interactive

    interactive.configure()


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
    fig.savefig(png, bbox_inches="tight", metadata=PNG_METADATA)


def show(fig, name: str, folder: str | Path | None = None) -> None:
    """Save `name`.png once and display those same bytes, so each figure is rendered a single time."""
    from IPython.display import Image, display

    save_figure(fig, name, folder)
    data = (Path(folder or figures_dir()) / f"{name}.png").read_bytes()
    width = round(fig.get_size_inches()[0] * plt.rcParams["figure.dpi"])
    plt.close(fig)
    display(Image(data=data, format="png", width=width))


def frame(fig, *, title: str, subtitle: str, source: str) -> None:
    """The chart grammar every figure follows: a title (the finding, where the data settle it), a
    subtitle naming the measure and its unit, and a source line naming the tables.

    The title and subtitle also become the figure's alt text (see `alt_text`), so a chart is
    described in words wherever it is shown.
    """
    for ax in fig.axes:
        ax.set_title("")
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.text(0.01, 0.935, subtitle, ha="left", va="top", fontsize=10, color="#333333")
    fig.text(0.01, -0.02, source, ha="left", va="top", fontsize=9, color="#555555")
    fig.subplots_adjust(top=0.84)
    fig._resetlab_alt = f"{title}. {subtitle}"


def alt_text(fig) -> str:
    """The alt text `frame` recorded (empty if the figure was never framed)."""
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
