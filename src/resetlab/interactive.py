"""Plotly figures that are interactive in JupyterLab and the site, and static where JS is absent.

Each figure is shown as one output bundle: plotly's JSON mimetype for JupyterLab and the site,
plus a PNG (rendered by kaleido through a local Chromium) for GitHub and for print. Without a
Chromium on the machine the PNG is left out and a short text says why.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from .plotting import PALETTE, figures_dir

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NO_BROWSER_TEXT = "(Static image not rendered: plotly's PNG export needs Chromium on this machine; see README.)"
WIDTH, HEIGHT, SCALE = 900, 450, 1.5

def browser_path() -> str | None:
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def configure() -> None:
    """Set the house template (Chromium starts only when a notebook first exports an image)."""
    template = go.layout.Template(pio.templates["simple_white"])
    template.layout.colorway = PALETTE
    template.layout.font = {"family": "DejaVu Sans, Arial, sans-serif", "size": 12}
    pio.templates["resetlab"] = template
    pio.templates.default = "resetlab"


def _png(fig: go.Figure) -> bytes | None:
    if browser_path() is None:
        return None
    import kaleido

    os.environ.setdefault("BROWSER_PATH", browser_path())
    kaleido.start_sync_server(silence_warnings=True)  # once per kernel; later calls are no-ops
    return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": WIDTH, "height": HEIGHT, "scale": SCALE})


def show(fig: go.Figure, name: str, folder: str | Path | None = None) -> None:
    """Display `fig` and, where Chromium exists, save `name`.png with the other figures."""
    from IPython.display import display

    bundle = {PLOTLY_MIMETYPE: json.loads(fig.to_json()), "text/plain": NO_BROWSER_TEXT}
    png = _png(fig)
    if png is not None:
        folder = Path(folder or figures_dir())
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(png)
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        bundle["text/plain"] = f"<interactive figure: {name}>"
    display(bundle, raw=True)
