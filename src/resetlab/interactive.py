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
    template.layout.font = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13}  # >= 9 pt everywhere
    template.layout.legend = {"font": {"size": 12}}
    pio.templates["resetlab"] = template
    pio.templates.default = "resetlab"


def _png(fig: go.Figure) -> bytes | None:
    if browser_path() is None:
        return None
    import kaleido

    os.environ.setdefault("BROWSER_PATH", browser_path())
    kaleido.start_sync_server(silence_warnings=True)  # once per kernel; later calls are no-ops
    return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": WIDTH, "height": HEIGHT, "scale": SCALE})


def _describe_png(png: bytes, title: str, alt: str) -> bytes:
    """Write the chart's title and alt text into the PNG (as matplotlib figures do), for the gallery."""
    import io

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Title", title)
    info.add_text("Description", alt)
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.save(out, format="png", pnginfo=info)
    return out.getvalue()


STATIC_TWIN_TEXT = "<interactive figure: {name}; the static chart above shows the same data>"


def show(fig: go.Figure, name: str, folder: str | Path | None = None, *, static: bool = True) -> None:
    """Display `fig` and, where Chromium exists, save `name`.png with the other figures.

    `static=False` when a matplotlib chart of the same data sits just above: the notebook then keeps
    one picture for GitHub and the site shows the interactive one, never both.
    """
    from IPython.display import display

    from .plotting import alt_text

    alt = alt_text(fig)
    bundle = {PLOTLY_MIMETYPE: json.loads(fig.to_json()), "text/plain": NO_BROWSER_TEXT}
    metadata = {}
    png = _png(fig) if static else None
    if not static:
        bundle["text/plain"] = STATIC_TWIN_TEXT.format(name=name)
    if png is not None:
        title = (fig.layout.title.text or name) if fig.layout.title else name
        png = _describe_png(png, title, alt or title)
        folder = Path(folder or figures_dir())
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(png)
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        bundle["text/plain"] = f"<interactive figure: {name}>"
        metadata["image/png"] = {"alt": alt or title}
    if alt:
        metadata[PLOTLY_MIMETYPE] = {"alt": alt}
    display(bundle, raw=True, metadata=metadata or None)
