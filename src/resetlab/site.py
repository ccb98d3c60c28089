"""The static, offline HTML site: one page per executed notebook, a home page, a gallery, the data."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html
from nbconvert.preprocessors import ExtractOutputPreprocessor, Preprocessor

from . import ESSAY, book, data, paths, runner
from .claims import VERDICTS_MIMETYPE
from .interactive import PLOTLY_MIMETYPE

TEMPLATES = Path(__file__).parent / "templates"
SITE = paths.BUILD / "site"
NAV = [("index.html", "Home"), ("gallery.html", "Figures"), ("data.html", "Data"), ("teaching.html", "Teaching")]
IPYNB_LINK = re.compile(r'href="(\d{2}\.\d{2}-[A-Za-z0-9-]+)\.ipynb(#[^"]*)?"')

SITE_CSS = """
body { margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.site-header { background: #14213d; color: #fff; padding: 0.6rem 1.5rem; display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
.site-header a { color: #fff; text-decoration: none; }
.site-header .brand { font-weight: bold; font-size: 1.15rem; }
.site-footer { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: #555; font-size: 0.85rem; border-top: 1px solid #ddd; }
.page { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; }
.page table { border-collapse: collapse; margin: 1rem 0; }
.page th, .page td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.verdict-Supported { color: #006d4f; font-weight: bold; }
.verdict-Partly { color: #9a6700; font-weight: bold; }
.verdict-Not { color: #b23a00; font-weight: bold; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1rem; }
.gallery figure { margin: 0; border: 1px solid #ddd; padding: 0.5rem; }
.gallery img { width: 100%; height: auto; }
.plotly-graph-div { width: 100%; }
"""


class PlotlyToHTML(Preprocessor):
    """Replace each plotly output by a div drawn with the site's local plotly.js (no PNG duplicate)."""

    def preprocess(self, nb, resources):
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            # Machine-readable JSON outputs (the scorecard's verdicts) are for tools, not readers.
            cell.outputs = [o for o in cell.outputs if set(o.get("data", {})) != {VERDICTS_MIMETYPE}]
            for output in cell.outputs:
                figure = output.get("data", {}).get(PLOTLY_MIMETYPE)
                if figure is None:
                    continue
                div = f"plotly-{resources['unique_key']}-{index}-{count}"
                count += 1
                height = figure.get("layout", {}).get("height", 450)
                payload = json.dumps({"data": figure.get("data", []), "layout": figure.get("layout", {})}, sort_keys=True).replace("</", "<\\/")
                output["data"] = {"text/html": (
                    f'<div id="{div}" class="plotly-graph-div" style="height:{height}px"></div>\n'
                    f'<script>(function(){{var f={payload};Plotly.newPlot("{div}",f.data,f.layout,{{"responsive":true,"displaylogo":false}});}})();</script>'
                )}
                output.get("metadata", {}).pop(PLOTLY_MIMETYPE, None)
        resources["has_plotly"] = count > 0
        resources["plotly_figures"] = count
        return nb, resources


def header(current: str) -> str:
    links = " ".join(f'<a href="{href}"{" aria-current=page" if href == current else ""}>{label}</a>' for href, label in NAV)
    return f'<header class="site-header"><a class="brand" href="index.html">Reset Lab</a>{links}</header>'


def footer() -> str:
    return ('<footer class="site-footer">Reset Lab tests the claims of '
            f'<a href="{ESSAY["url"]}">“{html.escape(ESSAY["title"])}”</a> ({html.escape(ESSAY["author"])}, {html.escape(ESSAY["publisher"])}, 2 September 2024) '
            'with sourced data. Code MIT, data CC BY 4.0. Every row cites its sources in <a href="data/sources.csv">sources.csv</a>.</footer>')


def page(title: str, body: str, current: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f'<title>{html.escape(title)} · Reset Lab</title>\n<link rel="icon" href="data:,">\n<link rel="stylesheet" href="assets/site.css">\n</head>\n'
            f'<body class="page">\n{header(current)}\n<main>\n{body}\n</main>\n{footer()}\n</body>\n</html>\n')


def executed(path: Path) -> Path:
    """The executed copy of a notebook when `make run` produced one, else the committed notebook."""
    built = paths.BUILD / "notebooks" / path.name
    return built if built.exists() else path


def notebook_page(source: Path, target_dir: Path) -> dict:
    nb = nbformat.read(executed(source), as_version=4)
    resources = {"unique_key": source.stem, "output_files_dir": f"{source.stem}_files", "outputs": {},
                 "site_header": header(f"{source.stem}.html"), "site_footer": footer()}
    nb, resources = PlotlyToHTML().preprocess(nb, resources)
    extractor = ExtractOutputPreprocessor(output_filename_template="{unique_key}_{cell_index}_{index}{extension}")
    nb, resources = extractor.preprocess(nb, resources)
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="site", exclude_input_prompt=True, exclude_output_prompt=True)
    body, resources = exporter.from_notebook_node(nb, resources)
    body = IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    (target_dir / f"{source.stem}.html").write_text(body, encoding="utf-8")
    for name, blob in resources.get("outputs", {}).items():
        out = target_dir / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob)
    return {"page": f"{source.stem}.html", "title": book.title(source), "plotly_figures": resources["plotly_figures"]}


def verdicts_table() -> str:
    from . import claims

    scorecard = executed(paths.NOTEBOOKS / claims.SCORECARD)
    if not scorecard.exists():
        return "<p>The verdicts appear here once the scorecard has run (<code>make run</code>).</p>"
    ledger = {c["id"]: c for c in claims.load_ledger()}
    rows = []
    for v in claims.read_verdicts(scorecard)["verdicts"]:
        css = "verdict-" + v["verdict"].split()[0]
        robust = "" if v["robustness_pct"] is None else f'{v["robustness_pct"]:g}%'
        rows.append(f'<tr><td>{v["claim_id"]}</td><td>{html.escape(ledger[v["claim_id"]]["paraphrase"])}</td><td class="{css}">{v["verdict"]}</td><td>{robust}</td></tr>')
    return ('<table><thead><tr><th>claim</th><th>the essay says (paraphrase)</th><th>verdict</th><th>holds in % of settings</th></tr></thead><tbody>'
            + "".join(rows) + '</tbody></table><p>Details, rules and evidence: <a href="05.00-Claims-Scorecard.html">the scorecard</a>.</p>')


def home(chapters: list[dict]) -> str:
    items = "".join(f'<li><a href="{c["page"]}">{html.escape(c["title"])}</a> — {html.escape(c["question"])}</li>' for c in chapters)
    body = (f'<h1>Reset Lab</h1><p><strong>Did the 2009 U.S.–Russia “Reset” work, why did it collapse, and could there be another?</strong></p>'
            f'<p>Reset Lab tests the claims of <a href="{ESSAY["url"]}">“{html.escape(ESSAY["title"])}”</a> (Ruth Deyermond, <em>The Moscow Times</em>, '
            '2 September 2024) on curated data in which every row cites a public source. Every verdict below is computed by a stated rule.</p>'
            f'<h2>The verdicts at a glance</h2>{verdicts_table()}<h2>Chapters</h2><ol>{items}</ol>'
            '<p>Also: <a href="gallery.html">every figure</a>, <a href="data.html">the data for download</a>, <a href="teaching.html">the classroom kit</a>.</p>')
    return page("Home", body, "index.html")


THUMB_WIDTH = 480


def thumbnail(source: Path, target: Path) -> None:
    """A small copy for the gallery grid (the full image is one click away)."""
    from PIL import Image

    with Image.open(source) as image:
        ratio = THUMB_WIDTH / image.width
        image.resize((THUMB_WIDTH, max(1, round(image.height * ratio)))).save(target, optimize=True)


def gallery(target_dir: Path) -> str:
    folder = target_dir / "figures"
    (folder / "thumbs").mkdir(parents=True, exist_ok=True)
    cards = []
    for png in sorted(paths.FIGURES.glob("*.png")):
        shutil.copyfile(png, folder / png.name)
        thumbnail(png, folder / "thumbs" / png.name)
        chapter = next((p for p in runner.notebooks() if p.stem.startswith(f"{png.stem[:2]}.")), None)
        link = f' · <a href="{chapter.stem}.html">{html.escape(book.title(chapter))}</a>' if chapter else ""
        cards.append(f'<figure><a href="figures/{png.name}"><img src="figures/thumbs/{png.name}" alt="{png.stem}" loading="lazy"></a><figcaption>{png.stem}{link}</figcaption></figure>')
    return page("Figures", f'<h1>Every figure</h1><div class="gallery">{"".join(cards)}</div>', "gallery.html")


def data_page(target_dir: Path) -> str:
    folder = target_dir / "data"
    folder.mkdir(exist_ok=True)
    for item in sorted(paths.DATA.iterdir()):
        if item.is_file():
            shutil.copyfile(item, folder / item.name)
    rows = []
    for res in data.descriptor()["resources"]:
        n = len(data.load(res["name"]))
        rows.append(f'<tr><td><a href="data/{res["path"]}">{res["path"]}</a></td><td>{n}</td><td>{html.escape(res["description"])}</td></tr>')
    codebook = markdown2html((paths.DATA / "README.md").read_text(encoding="utf-8"))
    body = ('<h1>The data</h1><p>Every table as CSV, described by the Frictionless <a href="data/datapackage.json">data package</a>; '
            'the claims ledger is <a href="data/claims.yaml">claims.yaml</a>. Licence CC BY 4.0.</p>'
            '<table><thead><tr><th>file</th><th>rows</th><th>what it holds</th></tr></thead><tbody>' + "".join(rows) + '</tbody></table>'
            f'<h2 id="codebook">Codebook</h2>{codebook}')
    return page("Data", body, "data.html")


def teaching_page(target_dir: Path) -> str:
    folder = paths.ROOT / "teaching"
    out = target_dir / "teaching"
    out.mkdir(exist_ok=True)
    parts = []
    for name in ("guide.md", "exercises.md"):
        source = folder / name
        if source.exists():
            parts.append(markdown2html(source.read_text(encoding="utf-8")))
            shutil.copyfile(source, out / name)
    students = folder / "students"
    if students.exists():
        links = "".join(f'<li><a href="teaching/students/{p.name}">{p.name}</a></li>' for p in sorted(students.glob("*.ipynb")))
        shutil.copytree(students, out / "students", dirs_exist_ok=True)
        parts.append(f"<h2>Student notebooks</h2><ul>{links}</ul>")
    return page("Teaching", "".join(parts) or "<p>The classroom kit is in the repository's teaching/ folder.</p>", "teaching.html")


def build(target_dir: Path = SITE) -> list[dict]:
    """Write the whole site into a fresh folder, then swap it into place (a failed build leaves the old one)."""
    staging = target_dir.with_name(target_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "assets").mkdir(parents=True)
    import plotly

    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", staging / "assets" / "plotly.min.js")
    lab = Path(HTMLExporter().template_paths[0]).parent
    css = [(lab / "lab" / "static" / name).read_text(encoding="utf-8") for name in ("index.css", "theme-light.css")]
    (staging / "assets" / "notebook.css").write_text("\n".join(css), encoding="utf-8")
    (staging / "assets" / "site.css").write_text(SITE_CSS, encoding="utf-8")
    chapters = []
    for source in runner.notebooks():
        info = notebook_page(source, staging)
        info["question"] = book.summary(source)
        chapters.append(info)
    (staging / "index.html").write_text(home([c for c in chapters if c["page"] != "00.00-Index.html"]), encoding="utf-8")
    (staging / "gallery.html").write_text(gallery(staging), encoding="utf-8")
    (staging / "data.html").write_text(data_page(staging), encoding="utf-8")
    (staging / "teaching.html").write_text(teaching_page(staging), encoding="utf-8")
    (staging / "pages.json").write_text(json.dumps(chapters, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    old = target_dir.with_name(target_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target_dir.exists():
        target_dir.rename(old)
    staging.rename(target_dir)
    shutil.rmtree(old, ignore_errors=True)
    return chapters
