"""Plotly figures: interactive in JupyterLab and on the site, each the twin of a static chart.

Every plotly figure sits just below a matplotlib chart of the same data. The notebook keeps one
picture for GitHub and for print (the matplotlib PNG), and the site shows the interactive one. So
no chapter needs a browser to render a plotly image, and a run starts no Chromium.
"""
from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from .plotting import PALETTE

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
STATIC_TWIN_TEXT = "<interactive figure: {name}; the static chart above shows the same data>"


def configure() -> None:
    """Make the house template plotly's default (once per process; the chart builders call this, so a
    chapter without plotly charts never spends the half second it takes)."""
    if pio.templates.default == "resetlab":
        return
    template = go.layout.Template(pio.templates["simple_white"])
    template.layout.colorway = PALETTE
    template.layout.font = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13}  # >= 9 pt everywhere
    template.layout.legend = {"font": {"size": 12}}
    pio.templates["resetlab"] = template
    pio.templates.default = "resetlab"


def show(fig: go.Figure, name: str) -> None:
    """Display `fig` as plotly's JSON, with a line of text for viewers that cannot run it (GitHub)."""
    from IPython.display import display

    from .plotting import alt_text

    alt = alt_text(fig)
    bundle = {PLOTLY_MIMETYPE: json.loads(fig.to_json()), "text/plain": STATIC_TWIN_TEXT.format(name=name)}
    display(bundle, raw=True, metadata={PLOTLY_MIMETYPE: {"alt": alt}} if alt else None)
