"""The offline site: no external URLs, light pages, and every page clean in a real browser."""
import functools
import http.server
import json
import re
import threading
from pathlib import Path

import nbformat
import pytest

from resetlab import interactive, paths, runner, site

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.I)
TAGS = re.compile(r"<(script|link|img|iframe|source|video|audio)\b[^>]*>", re.I)
LOCAL_REF = re.compile(r"""(?:src|href)\s*=\s*["']([^"'#?]+)["']""", re.I)
PAGE_LIMIT = 1_000_000


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site") / "site"
    site.build(target)
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
            if tag.group(1).lower() == "link" or tag.group(1).lower() != "a":
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
            if local.is_file() and local.name != "plotly.min.js" and ' loading="lazy"' not in text.split(ref)[0][-200:]:
                weight += local.stat().st_size
        assert weight < PAGE_LIMIT, (page.name, weight)


def test_notebook_links_point_to_pages(built):
    for page in pages(built):
        assert not re.search(r'href="\d{2}\.\d{2}-[^"]+\.ipynb', page.read_text(encoding="utf-8")), page.name


# --- in a real browser ------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(interactive.browser_path() is None, reason="needs Chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(QuietHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=interactive.browser_path(), args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def plotly_outputs(notebook: Path) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(interactive.PLOTLY_MIMETYPE in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def visit(browser, url: str, screenshot: Path) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    rendered = page.locator(".plotly-graph-div:has(svg.main-svg)").count()
    divs = page.locator(".plotly-graph-div").count()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=False)
    page.close()
    return {"errors": errors, "failed": failed, "rendered": rendered, "divs": divs}


@needs_browser
def test_every_page_loads_cleanly_and_draws_every_chart(built, server, browser):
    shots = paths.BUILD / "screenshots"
    expected = {p.stem: plotly_outputs(site.executed(p)) for p in runner.notebooks()}
    for page in pages(built):
        result = visit(browser, f"{server}/{page.name}", shots / f"{page.stem}.png")
        assert result["errors"] == [] and result["failed"] == [], (page.name, result)
        assert result["rendered"] == result["divs"] == expected.get(page.stem, 0), (page.name, result)


@needs_browser
def test_charts_draw_from_file_urls_too(built, browser):
    with_chart = next(p for p in runner.notebooks() if plotly_outputs(site.executed(p)))
    result = visit(browser, (built / f"{with_chart.stem}.html").as_uri(), paths.BUILD / "screenshots" / "file-url.png")
    assert result["errors"] == [] and result["rendered"] == result["divs"] > 0, result
