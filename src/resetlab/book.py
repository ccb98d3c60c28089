"""The collection as a book: chapter titles and the prev / contents / next links of each notebook."""
from __future__ import annotations

from pathlib import Path

import nbformat

from . import paths
from .runner import notebooks

NAV_TAG = "navigation"
NAV_MARK = "<!--NAVIGATION-->"
INDEX = "00.00-Index.ipynb"


def cells(path: Path) -> list[dict]:
    """A notebook's cells as plain JSON, without nbformat's schema validation (slow on executed notebooks)."""
    import json

    raw = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [{**c, "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"]} for c in raw]


def first_markdown_line(path: Path, prefix: str) -> str | None:
    """The rest of the notebook's first markdown line that starts with `prefix`."""
    for cell in cells(path):
        if cell["cell_type"] == "markdown":
            for line in cell["source"].splitlines():
                if line.startswith(prefix):
                    return line[len(prefix):].strip()
    return None


def title(path: Path) -> str:
    """The notebook's first level-1 heading, without its number."""
    heading = first_markdown_line(path, "# ")
    if heading is None:
        return path.stem
    number, _, rest = heading.partition(". ")
    return rest if number.isdigit() else heading


def navigation(path: Path, folder: Path | None = None) -> str:
    chapters = notebooks(folder or path.parent)
    position = [p.name for p in chapters].index(path.name)
    parts = []
    if position > 0:
        prev = chapters[position - 1]
        parts.append(f"< [{title(prev)}]({prev.name})")
    if path.name != INDEX:
        parts.append(f"[Contents]({INDEX})")
    if position + 1 < len(chapters):
        nxt = chapters[position + 1]
        parts.append(f"[{title(nxt)}]({nxt.name}) >")
    return f"{NAV_MARK}\n" + " | ".join(parts)


def update_navigation(folder: Path | None = None) -> list[Path]:
    """Rewrite the navigation cells (first and last, tagged) of every notebook; return those changed."""
    changed = []
    for path in notebooks(folder or paths.NOTEBOOKS):
        nb = nbformat.read(path, as_version=4)
        expected = navigation(path, folder)
        dirty = False
        for cell in nb.cells:
            if NAV_TAG in cell.get("metadata", {}).get("tags", []) and cell.source != expected:
                cell.source = expected
                dirty = True
        if dirty:
            nbformat.write(nb, path)
            changed.append(path)
    return changed


QUESTION_MARK = "**Question:**"


def summary(path: Path) -> str:
    """The question the chapter asks: the line of its title cell that starts with **Question:**."""
    return first_markdown_line(path, QUESTION_MARK) or ""


def contents(folder: Path | None = None) -> str:
    """Markdown table of the chapters with links, for the index notebook and the site."""
    rows = ["| chapter | what it asks |", "| --- | --- |"]
    for path in notebooks(folder or paths.NOTEBOOKS)[1:]:
        rows.append(f"| [{path.stem.split('-')[0]} {title(path)}]({path.name}) | {summary(path)} |")
    return "\n".join(rows)


SOLUTION_TAG = "solution"
STUDENTS = paths.ROOT / "teaching" / "students"


def student_copy(path: Path):
    """The notebook without its cells tagged 'solution', outputs cleared (nbconvert's TagRemovePreprocessor)."""
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

    nb = nbformat.read(path, as_version=4)
    nb, _ = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True).preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    nb.metadata.pop("papermill", None)
    return nb


def write_student_copies(target: Path = STUDENTS, folder: Path | None = None) -> list[Path]:
    """Student versions of every chapter with solution cells, rewritten only when they change."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks(folder or paths.NOTEBOOKS):
        nb = student_copy(path)
        out = target / path.name
        text = nbformat.writes(nb) + "\n"
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            paths.write_atomically(out, text)
        written.append(out)
    return written
