"""The offline site: no external URLs, light pages, readable chapters, and every page clean in a real
browser at phone and desktop widths (screenshots in build/screenshots/)."""
import functools
import html.parser
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from resetlab import interactive, paths, runner, site

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.I)
TAGS = re.compile(r"<(script|link|img|iframe|source|video|audio)\b[^>]*>", re.I)
LOCAL_REF = re.compile(r"""(?:src|href)\s*=\s*["']([^"'#?]+)["']""", re.I)
PAGE_LIMIT = 1_000_000
SCRIPT_LIMIT = 1_500_000
FIXTURE_CLAIMS = Path(__file__).parent / "fixtures" / "claims_contract.json"
WIDTHS = (390, 360, 1280)  # axe runs at the first


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site") / "site"
    site.build(target, claims_file=FIXTURE_CLAIMS)
    return target


def pages(root: Path) -> list[Path]:
    return sorted(root.glob("*.html"))


def test_every_notebook_has_a_page_and_the_home_links_them(built):
    names = {p.name for p in pages(built)}
    assert {"index.html", "gallery.html", "data.html", "teaching.html"} <= names
    home = (built / "index.html").read_text(encoding="utf-8")
    for notebook in runner.notebooks()[1:]:
        assert f"{notebook.stem}.html" in names
        assert f'href="{notebook.stem}.html"' in home
    assert (built / "data" / "datapackage.json").exists() and (built / "data" / "README.md").exists()


def test_no_external_url_in_any_script_style_or_font(built):
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        for tag in TAGS.finditer(text):
            assert not EXTERNAL.search(tag.group(0)), (page.name, tag.group(0)[:120])
        for style in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S | re.I):
            assert not CSS_EXTERNAL.search(style), page.name
    for css in (built / "assets").glob("*.css"):
        assert not CSS_EXTERNAL.search(css.read_text(encoding="utf-8")), css.name


def test_pages_stay_under_a_megabyte_apart_from_plotly(built):
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        weight = page.stat().st_size
        refs = {m.group(1) for tag in TAGS.finditer(text) for m in LOCAL_REF.finditer(tag.group(0))}
        for ref in refs:
            local = built / ref
            if local.is_file() and local.name != site.PLOTLY_BUNDLE and ' loading="lazy"' not in text.split(ref)[0][-200:]:
                weight += local.stat().st_size
        assert weight < PAGE_LIMIT, (page.name, weight)


def test_largest_script_is_the_partial_plotly_bundle_under_the_limit(built):
    scripts = list(built.rglob("*.js"))
    assert [s.name for s in scripts] == [site.PLOTLY_BUNDLE]
    assert scripts[0].stat().st_size <= SCRIPT_LIMIT
    assert (built / "assets" / site.PLOTLY_LICENSE).read_text(encoding="utf-8").startswith("MIT License")
    import plotly

    bundled = re.search(r"v(\d+\.\d+\.\d+)", (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:400]).group(1)
    assert f"v{bundled}" in scripts[0].read_text(encoding="utf-8")[:200], "partial bundle must match plotly.py's plotly.js version"


def test_every_chart_type_is_in_the_partial_bundle():
    used = set()
    for notebook in runner.notebooks():
        for cell in nbformat.read(site.executed(notebook), as_version=4).cells:
            for output in cell.get("outputs", []):
                figure = output.get("data", {}).get(interactive.PLOTLY_MIMETYPE)
                if figure:
                    used |= {trace.get("type", "scatter") for trace in figure.get("data", [])}
    assert used and used <= site.PLOTLY_TRACE_TYPES, used


def test_notebook_links_point_to_pages(built):
    for page in pages(built):
        assert not re.search(r'href="\d{2}\.\d{2}-[^"]+\.ipynb', page.read_text(encoding="utf-8")), page.name


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.images, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in {"a", "img", "link", "script"}:
                self.refs.append(attrs[name])
        if tag == "img":
            self.images.append(attrs)


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_local_link_and_image_resolves(built):
    missing = []
    for page in pages(built):
        for ref in parse(page).refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith(("#", "//")) or not parts.path:
                continue
            if not (page.parent / unquote(parts.path)).exists():
                missing.append((page.name, ref))
    assert missing == []


def test_every_image_has_a_description(built):
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        assert "No description has been provided" not in text, page.name
        for image in parse(page).images:
            assert len(image.get("alt") or "") > 10, (page.name, image.get("src"))


def test_chapters_read_as_chapters(built):
    for notebook in runner.notebooks()[1:]:
        text = (built / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert "NBVAL_" not in text, notebook.name
        # every code input sits behind a "show code" toggle
        assert 0 < text.count('class="jp-CodeMirrorEditor') == text.count('<details class="show-code">'), notebook.name
    for stem in ("01.00-Arms-Control", "02.00-Sanctions-and-Nonproliferation", "04.00-Trust-and-Distance"):
        text = (built / f"{stem}.html").read_text(encoding="utf-8")
        assert "Question:" in text and "What the data show" in text and "Evidence through" in text, stem
        assert text.index("What the data show") < text.index('class="jp-RenderedImage'), stem  # findings before the first chart
        assert '<details class="sources">' in text and "data-table" in text, stem
        assert "NaN" not in text and "&lt;NA&gt;" not in text, stem


def test_each_chart_appears_once_on_the_site(built):
    text = (built / "01.00-Arms-Control.html").read_text(encoding="utf-8")
    assert text.count('class="plotly-slot"') == 1
    assert "New START" in text and text.count("charts.new_start_panels") == 0


def test_home_shows_findings_verdicts_with_labels_links_and_robustness(built):
    claims = json.loads(FIXTURE_CLAIMS.read_text(encoding="utf-8"))
    text = (built / "index.html").read_text(encoding="utf-8")
    assert "Three findings" in text and text.count("<li>", text.index("Three findings"), text.index("</section>")) == 3
    assert f"Evidence through {claims['evidence_through']}" in text
    for claim in claims["claims"]:
        css = site.VERDICT_SLUGS[claim["verdict"]]
        assert f'<span class="verdict {css}">{claim["verdict"]}</span>' in text, claim["id"]
        assert f'href="{claim["url"]}"' in text
    assert "Partly supported 62.5%; Supported 25%; Not supported 12.5%" in text
    assert "of 1,296 settings" in text
    assert 'class="headline"' in text


def test_every_verdict_slug_has_its_own_colour(built):
    css = (built / "assets" / "site.css").read_text(encoding="utf-8")
    colours = {}
    for slug in site.VERDICT_SLUGS.values():
        rule = re.search(r"^\." + re.escape(slug) + r" \{([^}]*)\}", css, re.M)
        assert rule, slug
        colours[slug] = rule.group(1)
        assert re.search(r"^\." + re.escape(slug) + r"\.verdict::before \{ content:", css, re.M), slug
    assert len(set(colours.values())) == len(colours)


def test_home_reads_the_older_claims_format_too(tmp_path):
    old = {"essay": {}, "claims": [{"id": "C01", "paraphrase": "p", "claim_type": "assessment", "paragraph": 1, "verdict": "Supported", "robustness_pct": 87.5}]}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    read = site.read_claims(path)
    assert read["claims"][0]["shares"] == {"Supported": 87.5} and read["claims"][0]["url"].endswith("#claim-C01")
    assert "Supported 87.5%; another verdict 12.5%" in site.robustness_bar(read["claims"][0])


def test_an_unknown_verdict_is_refused(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": [{"id": "C01", "verdict": "Mostly true"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown verdict"):
        site.read_claims(path)


def test_gallery_captions_are_chart_titles(built):
    text = (built / "gallery.html").read_text(encoding="utf-8")
    for png in sorted(paths.FIGURES.glob("0[124]-*.png")):
        title = site.plotting.png_description(png)["title"]
        assert title and site.safe.html_text(title) in text, png.name


# --- in a real browser ------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(interactive.browser_path() is None, reason="needs Chromium (apt-get install chromium)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(QuietHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def launch(playwright):
    """Debian's Chromium, never a downloaded one."""
    return playwright.chromium.launch(executable_path=interactive.browser_path(), args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def plotly_outputs(notebook: Path) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(interactive.PLOTLY_MIMETYPE in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               and "remove-cell" not in c.metadata.get("tags", []) for o in c.outputs)


# Elements allowed to be wider than a phone: they scroll inside themselves.
SCROLLERS = ".table-scroll, main table, .jp-Cell-inputWrapper, pre, .plotly-graph-div"
OVERFLOW = """(selector) => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest(selector) || e.closest('details:not([open])')) continue;
    const r = e.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 1) out.push(e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, wide: out.slice(0, 5)};
}"""


def visit(browser, url: str, width: int, screenshot: Path, axe=None) -> dict:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")  # every local script, style and image has arrived
    try:  # a loaded machine may take a moment to draw every chart
        page.wait_for_function("[...document.querySelectorAll('.plotly-slot')].every(d => d.querySelector('svg.main-svg'))", timeout=10_000)
    except Exception:
        pass  # the count below reports the undrawn chart
    page.wait_for_timeout(200)
    result = {"errors": errors, "failed": failed,
              "rendered": page.locator(".plotly-slot.plotly-graph-div:has(svg.main-svg)").count(), "divs": page.locator(".plotly-slot").count(),
              **page.evaluate(OVERFLOW, SCROLLERS)}
    if axe is not None:
        violations = axe.run(page).response["violations"]
        result["axe"] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True, type="jpeg", quality=80)  # JPEG: half the time of PNG on long pages
    page.close()
    return result


@needs_browser
def test_every_page_loads_cleanly_fits_a_phone_and_passes_axe(built, server, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    shots = paths.BUILD / "screenshots"
    expected = {p.stem: plotly_outputs(site.executed(p)) for p in runner.notebooks()}
    problems = []
    for page in pages(built):
        for width in WIDTHS:
            result = visit(browser, f"{server}/{page.name}", width, shots / f"{page.stem}-{width}.jpg", axe=axe if width == WIDTHS[0] else None)
            if result["errors"] or result["failed"]:
                problems.append((page.name, width, "errors", result["errors"][:3], result["failed"][:3]))
            if not result["rendered"] == result["divs"] == expected.get(page.stem, 0):
                problems.append((page.name, width, "charts", result["rendered"], result["divs"], expected.get(page.stem, 0)))
            if result["scroll"] > width or result["wide"]:
                problems.append((page.name, width, "wider than the viewport", result["scroll"], result["wide"]))
            if result.get("axe"):
                problems.append((page.name, width, "axe", result["axe"]))
    assert problems == [], "\n".join(map(str, problems))


@needs_browser
def test_charts_draw_from_file_urls_too(built, browser):
    with_chart = next(p for p in runner.notebooks() if plotly_outputs(site.executed(p)))
    result = visit(browser, (built / f"{with_chart.stem}.html").as_uri(), 1280, paths.BUILD / "screenshots" / "file-url.jpg")
    assert result["errors"] == [] and result["rendered"] == result["divs"] > 0, result
