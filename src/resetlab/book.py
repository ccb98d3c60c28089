"""The collection as a book: chapter titles and the prev / contents / next links of each notebook."""
from __future__ import annotations

import re
from pathlib import Path

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
    import nbformat  # here, not at the top: the chapters import this module, and nbformat is slow to import

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


ANSWER_TAG = "answer"
# nbval's cell markers (# NBVAL_CHECK_OUTPUT and the like): for nbval only, never shown to readers
NBVAL_MARK = re.compile(r"^\s*# NBVAL_\w+\s*$\n?", re.M)
ANSWER_PROMPT = "# Your answer here (code, or switch this cell to Markdown for prose)."


def student_copy(path: Path):
    """The notebook with each cell tagged 'solution' replaced by an empty answer cell, outputs cleared
    and nbval's output markers removed."""
    import nbformat
    from nbconvert.preprocessors import ClearOutputPreprocessor

    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            answer = nbformat.v4.new_code_cell(ANSWER_PROMPT)
            answer.metadata["tags"] = [ANSWER_TAG]
            answer["id"] = f"{cell.get('id', 'answer')}-answer"[:64]
            cells.append(answer)
        else:
            if cell.cell_type == "code":
                # nbval executes the student copies, which keep no outputs to compare against
                cell.source = NBVAL_MARK.sub("", cell.source)
            cells.append(cell)
    nb.cells = cells
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    nb.metadata.pop("papermill", None)
    return nb


def write_student_copies(target: Path = STUDENTS, folder: Path | None = None) -> list[Path]:
    """Student versions of every chapter with solution cells, rewritten only when they change."""
    import nbformat

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


# --- what a chapter shows its readers -----------------------------------------------------------

def evidence_through(*frames) -> "pd.Timestamp":
    """The latest dated row of the tables a chapter reads (columns `date` or `as_of_date`)."""
    import pandas as pd

    latest = [frame[column].max() for frame in frames for column in ("date", "as_of_date") if column in frame.columns and frame[column].notna().any()]
    if not latest:
        raise ValueError("evidence_through: none of the tables has a date or as_of_date column")
    return pd.Timestamp(max(latest))


def findings(lines: list[str], through) -> "Markdown":
    """The three findings a chapter opens with, each computed in the notebook, and the evidence date.

    `lines` are Markdown written by the notebook; any text taken from the data must already have
    passed through `safe.md`.
    """
    import pandas as pd
    from IPython.display import Markdown

    if len(lines) != 3:
        raise ValueError(f"a chapter opens with three findings, got {len(lines)}")
    items = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))
    return Markdown(f"**What the data show**\n\n{items}\n\n*Evidence through {pd.Timestamp(through):%-d %B %Y}.*")


def table(frame, caption: str | None = None, digits: int = 1, index: bool = True) -> "HTML":
    """A DataFrame as a readable HTML table: escaped text, empty cells as '–', numbers right-aligned."""
    import pandas as pd
    from IPython.display import HTML

    from . import safe

    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: "–" if pd.isna(v) else (f"{v:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{v:,.0f}"))
        elif pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d").fillna("–")
        else:
            shown[column] = shown[column].map(lambda v: "–" if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else ("yes" if v is True else "no" if v is False else v))
    body = shown.to_html(escape=True, border=0, index=index, classes="data-table", na_rep="–")
    head = f"<caption>{safe.html_text(caption)}</caption>" if caption else ""
    if head:
        body = body.replace(">", ">" + head, 1) if body.startswith("<table") else body
    return HTML(f'<div class="table-scroll" tabindex="0">{body}</div>')


def sources_html(tables: dict) -> "HTML":
    """The sources cited by each table's rows: a compact list per table, folded away until opened."""
    from IPython.display import HTML

    from . import data, safe

    sections, total = [], set()
    for name, frame in tables.items():
        cited = data.cite(frame[["source_ids"]])
        total.update(cited["source_id"])
        items = "".join(
            f'<li>{safe.html_text(r.title)}, {safe.html_text(r.publisher)}'
            + (f' (<a href="{safe.url(r.url)}">link</a>)' if safe.url(r.url) else "")
            + f', accessed {r.date_accessed:%Y-%m-%d}</li>' for r in cited.itertuples())
        sections.append(f"<h4>data/{safe.html_text(name)}.csv ({len(cited)})</h4><ol>{items}</ol>")
    return HTML(f'<details class="sources"><summary>Sources: {len(total)} cited by the rows of {len(tables)} tables</summary>{"".join(sections)}</details>')
