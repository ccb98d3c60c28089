"""Where the project's folders are.

The root is found from RESETLAB_ROOT, else from the working directory upwards, else from this
file's location (an editable install), so notebooks run from any folder inside the checkout.
"""
from __future__ import annotations

import os
from pathlib import Path

_MARKER = Path("data") / "datapackage.json"


def find_root() -> Path:
    env = os.environ.get("RESETLAB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_file():
            return candidate
    return Path(__file__).resolve().parents[2]


ROOT = find_root()
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
BUILD = ROOT / "build"


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to a temporary file beside `target`, then rename it into place.

    A run that fails midway leaves the previous file untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
