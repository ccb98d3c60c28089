"""The static, offline HTML site: one page per executed notebook, a home page, a gallery, the data."""
from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import nh3
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html
from nbconvert.preprocessors import ExtractOutputPreprocessor, Preprocessor

from . import ESSAY, book, data, paths, plotting, runner, safe
from .claims import VERDICTS_MIMETYPE
from .interactive import PLOTLY_MIMETYPE

TEMPLATES = Path(__file__).parent / "templates"
# plotly.js "basic" partial bundle (bar, scatter, pie: every trace type the charts use), from the npm
# package plotly.js-basic-dist-min at the version plotly.py bundles; vendored with its MIT licence.
ASSETS = Path(__file__).parent / "assets"
PLOTLY_BUNDLE = "plotly-basic.min.js"
PLOTLY_LICENSE = "plotly-basic.LICENSE.txt"
PLOTLY_TRACE_TYPES = {"bar", "scatter", "pie"}
SITE = paths.BUILD / "site"
NAV = [("index.html", "Home"), ("gallery.html", "Figures"), ("data.html", "Data"), ("teaching.html", "Teaching")]
IPYNB_LINK = re.compile(r'href="(\d{2}\.\d{2}-[A-Za-z0-9-]+)\.ipynb(#[^"]*)?"')
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser_path() -> str | None:
    """A Chromium to check the built site in (BROWSER_PATH overrides the search); None if there is none.

    Building the site needs no browser: only its checks in tests/ open the pages.
    """
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


SITE_CSS = """
body { margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.site-header { background: #14213d; color: #fff; padding: 0.6rem 1.5rem; display: flex; gap: 0.4rem 1.2rem; align-items: baseline; flex-wrap: wrap; }
.site-header a { color: #fff; text-decoration: none; }
.site-header a[aria-current] { text-decoration: underline; }
.site-header .brand { font-weight: bold; font-size: 1.15rem; }
.site-footer { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: #444; font-size: 0.85rem; border-top: 1px solid #ddd; }
.page { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: #1a1a1a; }
.page a, .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { color: #0b5394; text-decoration: underline; }
.jp-RenderedHTMLCommon .anchor-link { text-decoration: none; margin-left: 0.3rem; font-size: 0.8em; }
.site-header a, .site-header a:visited { color: #fff; }
img { max-width: 100%; height: auto; }
.table-scroll, .jp-RenderedHTMLCommon .dataframe-wrap { overflow-x: auto; max-width: 100%; }
.page table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
.page th, .page td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.page thead th { border-bottom: 2px solid #555; }
.page td.num, .page th.num { text-align: right; font-variant-numeric: tabular-nums; }
main table { display: block; overflow-x: auto; max-width: 100%; }
main .table-scroll > table { display: table; overflow: visible; }
main h1, main h2, main h3, main h4, main a { overflow-wrap: anywhere; }
.jp-RenderedHTMLCommon table { font-size: 0.9rem; }
details.show-code > summary { cursor: pointer; color: #0b5394; font-size: 0.85rem; margin: 0.3rem 0; }
details.show-code > summary::marker { color: #0b5394; }
details.sources > summary { cursor: pointer; font-weight: 600; }
details.sources ol { font-size: 0.88rem; padding-left: 1.4rem; }
details.sources h4 { margin: 0.8rem 0 0.2rem; font-size: 0.95rem; }
.verdict { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 0.25rem; font-weight: 600; font-size: 0.88rem; border: 1px solid; white-space: nowrap; }
.verdict::before { margin-right: 0.3rem; }
.supported { background: #e3f4ea; color: #0a5c36; border-color: #0a5c36; }
.supported.verdict::before { content: "✓"; }
.partly-supported { background: #fff4d6; color: #6b4a00; border-color: #6b4a00; }
.partly-supported.verdict::before { content: "◐"; }
.not-supported { background: #fde4dc; color: #8a2a00; border-color: #8a2a00; }
.not-supported.verdict::before { content: "✗"; }
.not-testable { background: #eeeeee; color: #333333; border-color: #333333; }
.not-testable.verdict::before { content: "?"; }
.borne-out { background: #dcecf9; color: #0b4470; border-color: #0b4470; }
.borne-out.verdict::before { content: "✓"; }
.partly-borne-out { background: #efe3f5; color: #5b2a73; border-color: #5b2a73; }
.partly-borne-out.verdict::before { content: "◐"; }
.not-borne-out { background: #f9e0ea; color: #7d1d45; border-color: #7d1d45; }
.not-borne-out.verdict::before { content: "✗"; }
.too-early { background: #fff; color: #333; border-color: #333; border-style: dashed; }
.too-early.verdict::before { content: "…"; }
.robustness { display: flex; height: 0.7rem; width: 100%; max-width: 12rem; border: 1px solid #999; margin: 0.25rem 0; }
.robustness span { display: block; height: 100%; border: 0; border-radius: 0; padding: 0; background: currentColor; }
.robustness .other { background: #bbbbbb; }
.robustness-text { font-size: 0.8rem; color: #333; }
.claims { list-style: none; padding: 0; }
.claims > li { border-top: 1px solid #ddd; padding: 0.7rem 0; display: grid; grid-template-columns: 3.2rem 1fr; gap: 0.2rem 0.8rem; }
.claims .claim-id { font-weight: 700; }
.claims blockquote { margin: 0.1rem 0 0.4rem; font-style: italic; }
.findings { background: #f3f6fa; border-left: 4px solid #14213d; padding: 0.6rem 1rem; margin: 1rem 0; }
.findings ul { margin: 0.3rem 0; padding-left: 1.2rem; }
.evidence-through { font-size: 0.9rem; color: #333; }
.headline img { width: 100%; height: auto; border: 1px solid #ddd; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 1rem; }
.gallery figure { margin: 0; border: 1px solid #ddd; padding: 0.5rem; }
.gallery figcaption { font-size: 0.9rem; }
.gallery img { width: 100%; height: auto; }
.plotly-graph-div { width: 100%; }
.jp-Cell-inputWrapper { max-width: 100%; overflow-x: auto; }
.jp-OutputArea-output pre { white-space: pre-wrap; word-break: break-word; }
@media (max-width: 600px) {
  main { padding: 0.75rem 0.75rem 2rem; }
  .site-header { padding: 0.5rem 0.75rem; }
  .claims > li { grid-template-columns: 1fr; }
  .jp-Notebook { padding: 0 !important; }
}
@media print {
  .site-header, .site-footer, details.show-code, .no-print { display: none !important; }
  main { max-width: none; padding: 0; }
  .page a { color: #000; }
  details.sources { display: block; }
  .worksheet .answer-space { display: block; border: 1px solid #999; min-height: 6rem; margin: 0.4rem 0 1rem; }
  h2 { break-after: avoid; }
  .worksheet section { break-inside: avoid; }
}
.worksheet .answer-space { display: none; }
"""

PLOTLY_SLOT = '<div class="plotly-slot" id="{div}"></div>'


class ReaderCells(Preprocessor):
    """Apply the cell tags for readers: hide-input (default), remove-input, remove-cell, remove-output.

    Test markers are stripped from the code shown, machine-readable outputs for tools are dropped, and
    a plotly figure replaces its PNG twin, so each chart appears once.
    """

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if "remove-cell" in tags or book.NAV_TAG in tags:
                continue
            if cell.cell_type == "code":
                cell.source = book.NBVAL_MARK.sub("", cell.source)
                if "remove-output" in tags:
                    cell.outputs = []
                if "remove-input" in tags:
                    cell.metadata.setdefault("transient", {})["remove_source"] = True
                cell.outputs = [o for o in cell.outputs if set(o.get("data", {})) != {VERDICTS_MIMETYPE}]
                if not cell.outputs and cell.metadata.get("transient", {}).get("remove_source"):
                    continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


class PlotlyToHTML(Preprocessor):
    """Replace each plotly output by a slot the page fills with the site's local plotly.js (no PNG twin).

    The figure JSON is kept aside (resources['plotly']) and written after the page is sanitised, so the
    sanitiser never has to let a script through.
    """

    def preprocess(self, nb, resources):
        figures = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for output in cell.outputs:
                figure = output.get("data", {}).get(PLOTLY_MIMETYPE)
                if figure is None:
                    continue
                div = f"plotly-{resources['unique_key']}-{index}-{len(figures)}"
                alt = output.get("metadata", {}).get(PLOTLY_MIMETYPE, {}).get("alt", "")
                figures.append({"div": div, "figure": figure, "alt": alt})
                output["data"] = {"text/html": PLOTLY_SLOT.format(div=div)}
                output["metadata"] = {}
        resources["has_plotly"] = bool(figures)
        resources["plotly_figures"] = len(figures)
        resources["plotly"] = figures
        return nb, resources


# On a phone, plotly neither wraps titles nor moves legends: the page wraps the title, subtitle and
# source line to the chart's width, makes room for them, and puts the legend inside the plot.
NARROW_LAYOUT_JS = """
function wrap(s,n){if(!s)return s;var l=[],c='';s.split(' ').forEach(function(x){if(c&&(c+' '+x).length>n){l.push(c);c=x}else{c=c?c+' '+x:x}});l.push(c);return l.join('<br>')}
function narrow(d,f){var w=d.clientWidth;if(w>=640)return;var n=Math.max(24,Math.floor(w/9.5)),L=f.layout,t=L.title||{},extra=0;
if(t.text){t.text=wrap(t.text,n);extra+=(t.text.split('<br>').length-1)*22}
if(t.subtitle&&t.subtitle.text){t.subtitle.text=wrap(t.subtitle.text,Math.floor(n*1.25));extra+=(t.subtitle.text.split('<br>').length-1)*18+12}
L.margin=Object.assign({},L.margin||{},{t:((L.margin||{}).t||100)+extra,r:10});
L.height=(L.height||450)+extra+40;
if(L.showlegend!==false){L.legend=Object.assign({},L.legend||{},{orientation:'v',x:0.01,y:0.99,xanchor:'left',yanchor:'top',bgcolor:'rgba(255,255,255,0.85)'})}}
function fitSource(d,f){if(d.clientWidth>=640)return;var s=d._fullLayout._size,u={},m=Math.max(20,Math.floor((d.clientWidth-s.l-8)/6.6));
(f.layout.annotations||[]).forEach(function(a,i){if(a.name==='source'){var t=wrap(a.text.replace(/<br>/g,' '),m);u['annotations['+i+'].text']=t;u['margin.b']=((f.layout.margin||{}).b||90)+(t.split('<br>').length-1)*16}});
if(Object.keys(u).length)Plotly.relayout(d,u)}
"""


def plotly_script(item: dict) -> str:
    figure = item["figure"]
    payload = json.dumps({"data": figure.get("data", []), "layout": figure.get("layout", {})}, sort_keys=True)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # inert inside <script>
    div = item["div"]
    return (f'<script>(function(){{{NARROW_LAYOUT_JS}var f={payload};var d=document.getElementById("{div}");d.classList.add("plotly-graph-div");'
            f'narrow(d,f);d.style.height=(f.layout.height||450)+"px";Plotly.newPlot(d,f.data,f.layout,{{"responsive":true,"displaylogo":false}}).then(function(){{fitSource(d,f)}});}})();</script>')


# The sanitiser: what notebooks may put on a page. No script, style, event handler or javascript: URL;
# `id` stays on links and headings (the claim anchors) and `class` everywhere (the page's styling).
ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"main", "section", "img", "table", "caption"}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "tabindex"},
    "a": {"href", "id", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "div": {"id", "data-mime-type", "data-type"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"}, "details": {"open"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}


def sanitise(fragment: str) -> str:
    """Defence in depth: whatever the notebooks emitted, only inert markup reaches the page."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel=None, strip_comments=True,
                     set_tag_attribute_values={"table": {"tabindex": "0"}})  # wide tables scroll: keyboard users must reach them


def header(current: str) -> str:
    links = " ".join(f'<a href="{href}"{" aria-current=page" if href == current else ""}>{label}</a>' for href, label in NAV)
    return f'<header class="site-header"><a class="brand" href="index.html">Reset Lab</a>{links}</header>'


def footer() -> str:
    return ('<footer class="site-footer">Reset Lab tests the claims of '
            f'<a href="{safe.url(ESSAY["url"])}">“{html.escape(ESSAY["title"])}”</a> ({html.escape(ESSAY["author"])}, {html.escape(ESSAY["publisher"])}, 2 September 2024) '
            'with sourced data. Code MIT, data CC BY 4.0. Every row cites its sources in <a href="data/sources.csv">sources.csv</a>.</footer>')


def page(title: str, body: str, current: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f'<title>{html.escape(title)} · Reset Lab</title>\n<link rel="icon" href="data:,">\n<link rel="stylesheet" href="assets/site.css">\n</head>\n'
            f'<body class="page">\n{header(current)}\n<main>\n{body}\n</main>\n{footer()}\n</body>\n</html>\n')


def executed(path: Path) -> Path:
    """The executed copy of a notebook when `make run` produced one, else the committed notebook."""
    built = paths.BUILD / "notebooks" / path.name
    return built if built.exists() else path


@functools.lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """One exporter for every page: it compiles its Jinja templates once, not once per page."""
    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="site", exclude_input_prompt=True, exclude_output_prompt=True)


def notebook_page(source: Path, target_dir: Path) -> dict:
    nb = nbformat.read(executed(source), as_version=4)
    resources = {"unique_key": source.stem, "output_files_dir": f"{source.stem}_files", "outputs": {},
                 "site_header": header(f"{source.stem}.html"), "site_footer": footer()}
    nb, resources = ReaderCells().preprocess(nb, resources)
    nb, resources = PlotlyToHTML().preprocess(nb, resources)
    extractor = ExtractOutputPreprocessor(output_filename_template="{unique_key}_{cell_index}_{index}{extension}")
    nb, resources = extractor.preprocess(nb, resources)
    body, resources = _exporter().from_notebook_node(nb, resources)
    body = IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    body = sanitise_main(body, resources.get("plotly", []))
    (target_dir / f"{source.stem}.html").write_text(body, encoding="utf-8")
    for name, blob in resources.get("outputs", {}).items():
        out = target_dir / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob)
    return {"page": f"{source.stem}.html", "title": book.title(source), "plotly_figures": resources["plotly_figures"]}


MAIN = re.compile(r"(<main>)(.*)(</main>)", re.S)


def sanitise_main(page_html: str, figures: list[dict]) -> str:
    """Sanitise everything between <main> and </main>, then add the page's own plotly scripts."""
    match = MAIN.search(page_html)
    if match is None:
        raise ValueError("page has no <main> element")
    inner = sanitise(match.group(2))
    for item in figures:
        slot = PLOTLY_SLOT.format(div=item["div"])
        label = f' role="figure" aria-label="{safe.html_text(item["alt"])}"' if item["alt"] else ""
        inner = inner.replace(slot, f'<div class="plotly-slot" id="{item["div"]}"{label}></div>')
    scripts = "\n".join(plotly_script(item) for item in figures)
    return page_html[:match.start()] + match.group(1) + inner + match.group(3) + scripts + page_html[match.end():]


# --- the verdicts, read from build/claims.json ----------------------------------------------------

VERDICT_SLUGS = {
    "Supported": "supported", "Partly supported": "partly-supported", "Not supported": "not-supported",
    "Not testable with these data": "not-testable", "Borne out": "borne-out", "Partly borne out": "partly-borne-out",
    "Not borne out": "not-borne-out", "Too early to tell": "too-early",
}
CLAIMS_FILE = paths.BUILD / "claims.json"


def slug(verdict: str) -> str:
    if verdict not in VERDICT_SLUGS:
        raise ValueError(f"build/claims.json: unknown verdict {verdict!r}; expected one of {sorted(VERDICT_SLUGS)}")
    return VERDICT_SLUGS[verdict]


def read_claims(path: Path | None = None) -> dict | None:
    """The claims file in one shape for the pages, or None before `python -m resetlab export` has run.

    Reads the shared format (quote, robustness shares, evidence_through, url) and, until every branch
    writes it, the older one (paraphrase, robustness_pct).
    """
    path = Path(path or CLAIMS_FILE)
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    claims = []
    for c in raw.get("claims", []):
        robustness = c.get("robustness") or {}
        shares = robustness.get("shares")
        if shares is None and c.get("robustness_pct") is not None:
            shares = {c["verdict"]: c["robustness_pct"]}
        claims.append({
            "id": c["id"], "verdict": c["verdict"], "slug": slug(c["verdict"]),
            "text": c.get("quote") or c.get("paraphrase", ""), "quoted": "quote" in c,
            "paragraph": c.get("paragraph"), "kind": c.get("kind") or c.get("claim_type", ""),
            "robust": c.get("robust"), "shares": shares or {}, "settings": robustness.get("settings"),
            "evidence_through": c.get("evidence_through") or raw.get("evidence_through"),
            "url": c.get("url") or f"05.00-Claims-Scorecard.html#claim-{c['id']}",
            "explanation": c.get("explanation", ""),
        })
    return {"essay": raw.get("essay", ESSAY), "evidence_through": raw.get("evidence_through"),
            "settings": (raw.get("sensitivity") or {}).get("settings"), "claims": claims}


def verdict_badge(verdict: str) -> str:
    return f'<span class="verdict {slug(verdict)}">{safe.html_text(verdict)}</span>'


def robustness_bar(claim: dict) -> str:
    """How the verdict spreads over the settings tried: one segment per verdict, with the same words in text."""
    shares = {k: float(v) for k, v in claim["shares"].items() if float(v) > 0}
    if not shares:
        return '<span class="robustness-text">robustness not computed</span>'
    rest = max(0.0, 100.0 - sum(shares.values()))
    ordered = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    segments = "".join(f'<span class="{slug(k)}" style="width:{v:.1f}%" title="{safe.html_text(k)}: {v:g}%"></span>' for k, v in ordered)
    if rest >= 0.05:
        segments += f'<span class="other" style="width:{rest:.1f}%" title="another verdict: {rest:g}%"></span>'
    words = "; ".join(f"{safe.html_text(k)} {v:g}%" for k, v in ordered) + (f"; another verdict {rest:g}%" if rest >= 0.05 else "")
    settings = f' of {claim["settings"]:,} settings' if claim.get("settings") else " of settings"
    return (f'<div class="robustness" aria-hidden="true">{segments}</div>'
            f'<span class="robustness-text">Verdict across{settings}: {words}</span>')


def claims_list(claims_data: dict) -> str:
    items = []
    for c in claims_data["claims"]:
        text = f"<blockquote>“{safe.html_text(c['text'])}”</blockquote>" if c["quoted"] else f"<p>{safe.html_text(c['text'])}</p>"
        link = safe.url(c["url"])
        items.append(f'<li id="home-{safe.html_text(c["id"])}"><span class="claim-id"><a href="{link}">{safe.html_text(c["id"])}</a></span>'
                     f'<div>{text}{verdict_badge(c["verdict"])} <a href="{link}">rule and evidence</a>{robustness_bar(c)}</div></li>')
    return f'<ol class="claims">{"".join(items)}</ol>'


def home_findings(claims_data: dict) -> list[str]:
    """Three findings computed from the verdicts themselves."""
    claims = claims_data["claims"]
    count = lambda *labels: sum(c["verdict"] in labels for c in claims)  # noqa: E731
    assessed = [c for c in claims if c["slug"] in {"supported", "partly-supported", "not-supported", "not-testable"}]
    predictions = [c for c in claims if c not in assessed]
    findings = [f"Of the essay's {len(assessed)} claims about the past and present: {count('Supported')} supported by the data, "
                f"{count('Partly supported')} partly supported, {count('Not supported')} not supported, {count('Not testable with these data')} not testable with these data."]
    if predictions:
        findings.append(f"Of its {len(predictions)} predictions: {count('Borne out')} borne out so far, {count('Partly borne out')} partly borne out, "
                        f"{count('Not borne out')} not borne out, {count('Too early to tell')} too early to tell.")
    fragile = [c for c in claims if c["shares"]]
    if fragile:
        weakest = min(fragile, key=lambda c: (float(c["shares"].get(c["verdict"], 0)), c["id"]))
        share = float(weakest["shares"].get(weakest["verdict"], 0))
        steady = sum(float(c["shares"].get(c["verdict"], 0)) >= 90 for c in fragile)
        findings.append(f"{steady} of {len(fragile)} verdicts hold in at least 90% of the settings tried; the least settled, "
                        f"{weakest['id']} ({weakest['verdict']}), holds in {share:g}%.")
    return findings


def headline_figure() -> str:
    """The collection's headline chart (the cooperation-conflict index), with its title as caption."""
    for name in ("03-index-phases.png", "01-arms-control-in-force.png"):
        png = paths.FIGURES / name
        if png.exists():
            described = plotting.png_description(png)
            caption = described["title"] or "The cooperation-conflict index"
            return (f'<figure class="headline"><img src="figures/{name}" alt="{safe.html_text(described["alt"] or caption)}" width="1200">'
                    f'<figcaption>{safe.html_text(caption)} · <a href="gallery.html">every figure</a></figcaption></figure>')
    return ""


def home(chapters: list[dict], claims_data: dict | None = None) -> str:
    items = "".join(f'<li><a href="{c["page"]}">{html.escape(c["title"])}</a> — {html.escape(c["question"])}</li>' for c in chapters)
    if claims_data is None:
        verdicts = "<p>The verdicts appear here once the scorecard has run and been exported (<code>make run</code>).</p>"
        findings = ""
    else:
        through = claims_data.get("evidence_through")
        through_text = f'<p class="evidence-through">Evidence through {safe.html_text(through)}.</p>' if through else ""
        findings = ('<section class="findings"><h2>Three findings</h2><ul>' + "".join(f"<li>{safe.html_text(f)}</li>" for f in home_findings(claims_data))
                    + f"</ul>{through_text}</section>")
        legend = " ".join(verdict_badge(label) for label in VERDICT_SLUGS)
        verdicts = (f'<p>Each verdict is computed by a stated rule; the bar shows how it spreads when the thresholds, windows and data are varied. '
                    f'Labels: {legend}</p>{claims_list(claims_data)}'
                    '<p>Details, rules and evidence: <a href="05.00-Claims-Scorecard.html">the scorecard</a>.</p>')
    body = (f'<h1>Reset Lab</h1><p><strong>Did the 2009 U.S.–Russia “Reset” work, why did it collapse, and could there be another?</strong></p>'
            f'<p>Reset Lab tests the claims of <a href="{safe.url(ESSAY["url"])}">“{html.escape(ESSAY["title"])}”</a> (Ruth Deyermond, <em>The Moscow Times</em>, '
            '2 September 2024) on curated data in which every row cites a public source.</p>'
            f'{headline_figure()}{findings}<h2>The essay, claim by claim</h2>{verdicts}<h2>Chapters</h2><ol>{items}</ol>'
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
        described = plotting.png_description(png)
        caption = described["title"] or png.stem
        cards.append(f'<figure><a href="figures/{png.name}"><img src="figures/thumbs/{png.name}" alt="{safe.html_text(described["alt"] or caption)}" loading="lazy"></a>'
                     f'<figcaption>{safe.html_text(caption)}{link}</figcaption></figure>')
    return page("Figures", f'<h1>Every figure</h1><p>Each caption is the chart\'s title; click a thumbnail for the full image.</p><div class="gallery">{"".join(cards)}</div>', "gallery.html")


def data_page(target_dir: Path) -> str:
    folder = target_dir / "data"
    folder.mkdir(exist_ok=True)
    for item in sorted(paths.DATA.iterdir()):
        if item.is_file():
            shutil.copyfile(item, folder / item.name)
    licence = paths.ROOT / "LICENSE"
    if licence.exists():
        shutil.copyfile(licence, target_dir / "LICENSE.txt")
    rows = []
    for res in data.descriptor()["resources"]:
        n = len(data.load(res["name"]))
        rows.append(f'<tr><td><a href="data/{safe.url(res["path"])}">{safe.html_text(res["path"])}</a></td><td class="num">{n}</td><td>{safe.html_text(res["description"])}</td></tr>')
    codebook = relink(sanitise(markdown2html((paths.DATA / "README.md").read_text(encoding="utf-8"))), {}, prefix="data/")
    body = ('<h1>The data</h1><p>Every table as CSV, described by the Frictionless <a href="data/datapackage.json">data package</a>; '
            'the claims ledger is <a href="data/claims.yaml">claims.yaml</a>. Licence CC BY 4.0.</p>'
            '<div class="table-scroll" tabindex="0"><table><thead><tr><th>file</th><th class="num">rows</th><th>what it holds</th></tr></thead><tbody>' + "".join(rows) + '</tbody></table></div>'
            '<p>Code is under the MIT licence and data under CC BY 4.0: <a href="LICENSE.txt">LICENSE</a>.</p>'
            f'<h2 id="codebook">Codebook</h2>{codebook}')
    return page("Data", body, "data.html")


LOCAL_HREF = re.compile(r'(href|src)="([^":#?]+)(#[^"]*)?"')


def relink(fragment: str, renames: dict[str, str], prefix: str) -> str:
    """Point relative links of a Markdown document shown on the site at files the site ships."""
    def fix(m):
        target = m.group(2)
        if target.endswith(".html") and "/" not in target:
            return m.group(0)
        target = renames.get(target, prefix + target)
        return f'{m.group(1)}="{target}{m.group(3) or ""}"'
    return LOCAL_HREF.sub(fix, fragment)


TEACHING_DOCS = ("guide.md", "exercises.md", "worksheets.md", "rubric.md", "cameo-cheatsheet.md", "answers.md")


QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def cameo_roots() -> str:
    """Every CAMEO root with its label, quad class and the range of Goldstein weights of its codes."""
    codes = data.load("cameo_goldstein")
    rows = []
    for root in codes.loc[codes["cameo_code"].str.len() == 2].itertuples():
        family = codes[codes["cameo_code"].str.startswith(root.cameo_code)]
        low, high = float(family["goldstein"].min()), float(family["goldstein"].max())
        weights = f"{low:+g}" if low == high else f"{low:+g} to {high:+g}"
        rows.append(f'<tr><td>{safe.html_text(root.cameo_code)}</td><td>{safe.html_text(root.label)}</td>'
                    f'<td>{int(root.quad_class)} {QUAD_CLASSES.get(int(root.quad_class), "")}</td><td class="num">{weights}</td><td class="num">{len(family)}</td></tr>')
    return ('<div class="table-scroll" tabindex="0"><table><caption>CAMEO root codes (from data/cameo_goldstein.csv)</caption>'
            '<thead><tr><th>root</th><th>label</th><th>quad class</th><th class="num">Goldstein weights</th><th class="num">codes</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def teaching_page(target_dir: Path) -> str:
    folder = paths.ROOT / "teaching"
    out = target_dir / "teaching"
    out.mkdir(exist_ok=True)
    for name in TEACHING_DOCS:
        if (folder / name).exists():
            shutil.copyfile(folder / name, out / name)
    parts = []
    for name in ("guide.md", "worksheets.md", "exercises.md", "rubric.md", "cameo-cheatsheet.md"):
        source = folder / name
        if source.exists():
            section = sanitise(markdown2html(source.read_text(encoding="utf-8")))
            section = IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', section)
            parts.append(f'<section class="{"worksheet" if name == "worksheets.md" else "teaching-doc"}">{relink(section, {}, "teaching/")}</section>')
            if name == "cameo-cheatsheet.md":
                parts.append(cameo_roots())
    students = folder / "students"
    if students.exists():
        links = "".join(f'<li><a href="teaching/students/{p.name}">{p.name}</a></li>' for p in sorted(students.glob("*.ipynb")))
        shutil.copytree(students, out / "students", dirs_exist_ok=True)
        parts.append(f"<h2>Student notebooks</h2><ul>{links}</ul>")
    return page("Teaching", "".join(parts) or "<p>The classroom kit is in the repository's teaching/ folder.</p>", "teaching.html")


def build(target_dir: Path = SITE, claims_file: Path | None = None) -> list[dict]:
    """Write the whole site into a fresh folder, then swap it into place (a failed build leaves the old one)."""
    staging = target_dir.with_name(target_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "assets").mkdir(parents=True)
    for name in (PLOTLY_BUNDLE, PLOTLY_LICENSE):
        shutil.copyfile(ASSETS / name, staging / "assets" / name)
    lab = Path(HTMLExporter().template_paths[0]).parent
    css = [(lab / "lab" / "static" / name).read_text(encoding="utf-8") for name in ("index.css", "theme-light.css")]
    (staging / "assets" / "notebook.css").write_text("\n".join(css), encoding="utf-8")
    (staging / "assets" / "site.css").write_text(SITE_CSS, encoding="utf-8")
    chapters = []
    for source in runner.notebooks():
        info = notebook_page(source, staging)
        info["question"] = book.summary(source)
        chapters.append(info)
    (staging / "index.html").write_text(home([c for c in chapters if c["page"] != "00.00-Index.html"], read_claims(claims_file)), encoding="utf-8")
    (staging / "figures").mkdir(exist_ok=True)
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
