"""Every page of the offline site in a real browser (Debian's Chromium): no console error or failed
request, every chart drawn, nothing wider than a phone, no serious axe-core finding, at 390 and 1280 px
(the home page also at 360 px); screenshots at 390 and 1280 px (the top 5,000 px of each page) go to
build/screenshots/."""
import functools
import http.server
import threading
from pathlib import Path

import nbformat
import pytest

from conftest import launch_chromium, needs_browser
from resetlab import interactive, paths, runner, site

# Every page is checked at a phone's 390 px (axe runs there) and a laptop's 1280 px, and screenshot at
# both; the home page also at 360 px, checked but not photographed.
WIDTHS = (390, 1280)
HOME_WIDTHS = (390, 360, 1280)
SCREENSHOT_WIDTHS = (390, 1280)
SCREENSHOT_HEIGHT = 5000
PAGES = sorted(["index.html", "gallery.html", "data.html", "teaching.html", *(f"{p.stem}.html" for p in runner.notebooks())])



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


@pytest.fixture(scope="module")
def browser():
    """One browser context per worker: pages share its cache, so plotly.js is fetched and compiled once."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        context = chromium.new_context()
        yield context
        context.close()
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


def visit(browser, url: str, width: int, screenshot: Path | None, axe=None) -> dict:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
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
    page.wait_for_timeout(50)  # a last console message, after the charts are drawn
    result = {"errors": errors, "failed": failed,
              "rendered": page.locator(".plotly-slot.plotly-graph-div:has(svg.main-svg)").count(), "divs": page.locator(".plotly-slot").count(),
              **page.evaluate(OVERFLOW, SCROLLERS)}
    if axe is not None:
        violations = axe.run(page).response["violations"]
        result["axe"] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        # The page from the top, at most SCREENSHOT_HEIGHT px of it (the longest pages run to 45,000 px at
        # phone width, and Chromium's time goes in painting them); JPEG takes half the time of PNG.
        height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_HEIGHT)
        page.screenshot(path=str(screenshot), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height},
                        type="jpeg", quality=80)
    page.close()
    return result


def test_the_browser_visits_every_page(built):
    assert sorted(p.name for p in built.glob("*.html")) == PAGES


def check_page(name: str, built: Path, server: str, browser) -> None:
    from axe_playwright_python.sync_playwright import Axe

    stem = Path(name).stem
    notebook = next((p for p in runner.notebooks() if p.stem == stem), None)
    expected = plotly_outputs(site.executed(notebook)) if notebook else 0
    problems = []
    for width in HOME_WIDTHS if name == "index.html" else WIDTHS:
        shot = paths.BUILD / "screenshots" / f"{stem}-{width}.jpg" if width in SCREENSHOT_WIDTHS else None
        result = visit(browser, f"{server}/{name}", width, shot, axe=Axe() if width == WIDTHS[0] else None)
        if result["errors"] or result["failed"]:
            problems.append((width, "errors", result["errors"][:3], result["failed"][:3]))
        if not result["rendered"] == result["divs"] == expected:
            problems.append((width, "charts", result["rendered"], result["divs"], expected))
        if result["scroll"] > width or result["wide"]:
            problems.append((width, "wider than the viewport", result["scroll"], result["wide"]))
        if result.get("axe"):
            problems.append((width, "axe", result["axe"]))
    assert problems == [], "\n".join(map(str, problems))


# The pages in two halves, one class each: `make test` runs `--dist loadscope`, which hands a class
# to one worker, so both workers visit pages at once (each builds the site and starts Chromium once).
@needs_browser
class TestFirstHalfOfThePages:
    @pytest.mark.parametrize("name", PAGES[0::2])
    def test_page_loads_cleanly_fits_a_phone_and_passes_axe(self, name, built, server, browser):
        check_page(name, built, server, browser)


@needs_browser
class TestSecondHalfOfThePages:
    @pytest.mark.parametrize("name", PAGES[1::2])
    def test_page_loads_cleanly_fits_a_phone_and_passes_axe(self, name, built, server, browser):
        check_page(name, built, server, browser)


@needs_browser
def test_charts_draw_from_file_urls_too(built, browser):
    with_chart = next(p for p in runner.notebooks() if plotly_outputs(site.executed(p)))
    result = visit(browser, (built / f"{with_chart.stem}.html").as_uri(), 1280, paths.BUILD / "screenshots" / "file-url.jpg")
    assert result["errors"] == [] and result["rendered"] == result["divs"] > 0, result
