"""Stored XSS: markup in any free-text field of any table reaches the site only as text.

Every free-text field of every table (and the table descriptions, the codebook, the teaching notes
and the claims file) gets script-bearing payloads appended; the chapters that print data text are
executed on that copy, the site is built from it, and every page is opened in Chromium: no dialog may
fire and no payload may become an element.
"""
import csv
import html.parser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import launch_chromium, needs_browser
from resetlab import data, paths, site

PROBE = "xss-probe"
PAYLOADS = (
    f'<img src=x onerror="alert(\'{PROBE}-img\')">',
    f"<script>alert('{PROBE}-script')</script>",
    f"[{PROBE}-md](javascript:alert('{PROBE}-md'))",
    f'<a href="javascript:alert(\'{PROBE}-a\')">{PROBE}-a</a>',
    f"<svg onload=alert('{PROBE}-svg')>",
)
PAYLOAD = " " + " ".join(PAYLOADS)
CHAPTERS = ("01.00", "02.00", "04.00")  # the chapters that print text from the tables


def free_text_fields(resource: dict) -> list[str]:
    """String fields the analysis never matches on: no enum or pattern, not part of a key."""
    schema = resource["schema"]
    keys = set(schema.get("primaryKey", [])) | {f for fk in schema.get("foreignKeys", []) for f in fk["fields"]}
    return [f["name"] for f in schema["fields"] if f["type"] == "string" and f["name"] not in keys
            and not {"enum", "pattern"} & set(f.get("constraints", {})) and not f["name"].endswith(("_id", "_ids"))]


def poison(root: Path) -> int:
    """Append the payloads to every free-text cell of every table; return how many cells were changed."""
    changed = 0
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        fields = free_text_fields(resource)
        resource["description"] = resource.get("description", "") + PAYLOAD
        path = root / "data" / resource["path"]
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = list(rows[0].keys()) if rows else []
        for row in rows:
            for name in fields:
                if name in ("unit", "ended_by") and not row[name]:
                    continue  # validation ties a unit to a value and an end to its date: leave those empty
                row[name] = (row[name] or PROBE) + PAYLOAD
                changed += 1
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    (root / "data" / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    for doc in [root / "data" / "README.md", *sorted((root / "teaching").glob("*.md"))]:
        doc.write_text(doc.read_text(encoding="utf-8") + "\n\n" + PAYLOAD + "\n", encoding="utf-8")
    claims = json.loads((Path(__file__).parent / "fixtures" / "claims_contract.json").read_text(encoding="utf-8"))
    for claim in claims["claims"]:
        claim["quote"] += PAYLOAD
        claim["explanation"] += PAYLOAD
        claim["url"] = f"javascript:alert('{PROBE}-url')"
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    return changed


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("poisoned")
    for name in ("data", "notebooks", "teaching", "figures"):
        shutil.copytree(paths.ROOT / name, root / name)
    shutil.copyfile(paths.ROOT / "LICENSE", root / "LICENSE")
    assert poison(root) > 500
    env = {**os.environ, "RESETLAB_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    run = subprocess.run([sys.executable, "-m", "resetlab", "run", *CHAPTERS, "--jobs", "2"], env=env, cwd=root,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    build = subprocess.run([sys.executable, "-m", "resetlab", "site"], env=env, cwd=root, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    return root / "build" / "site"


def test_every_free_text_field_is_poisoned(tmp_path):
    shutil.copytree(paths.DATA, tmp_path / "data")
    (tmp_path / "teaching").mkdir()
    poison(tmp_path)
    for name in data.resource_names(tmp_path / "data"):
        frame = data.load(name, tmp_path / "data")
        for field in free_text_fields(data.resource(name, tmp_path / "data")):
            if field != "unit":
                assert frame[field].str.contains(PROBE, regex=False).all(), (name, field)


RAW_TAGS = ("<img", "<svg", "<script", "<a ", "\\u003cimg", "\\u003csvg", "\\u003cscript", "\\u003ca ")


class LiveMarkup(html.parser.HTMLParser):
    """Elements a payload could have become: event handlers, script URLs, scripts that mention the probe, svg."""

    def __init__(self):
        super().__init__()
        self.found, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append((tag, name, value))
        if tag == "svg" or (tag == "img" and dict(attrs).get("src") == "x"):
            self.found.append((tag, attrs))
        self.in_script = tag == "script"

    def handle_data(self, text):
        if self.in_script and PROBE in text and any(tag in text.lower() for tag in RAW_TAGS):
            self.found.append(("script", text[:80]))  # a payload inside a script must stay inert JSON text

    def handle_endtag(self, tag):
        self.in_script = False


def test_payloads_reach_the_pages_only_as_text(poisoned_site):
    pages = sorted(poisoned_site.glob("*.html"))
    shown = [p.name for p in pages if PROBE in p.read_text(encoding="utf-8")]
    for expected in ("index.html", "data.html", "teaching.html", "01.00-Arms-Control.html", "02.00-Sanctions-and-Nonproliferation.html",
                     "04.00-Trust-and-Distance.html"):
        assert expected in shown, expected
    for page in pages:
        parser = LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], (page.name, parser.found[:3])


@needs_browser
def test_no_dialog_fires_in_chromium(poisoned_site):
    from playwright.sync_api import sync_playwright

    dialogs = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context()  # one cache for every page: plotly.js is compiled once
        for page_path in sorted(poisoned_site.glob("*.html")):
            page = context.new_page()
            page.on("dialog", lambda d, name=page_path.name: (dialogs.append((name, d.message)), d.dismiss()))
            page.goto(page_path.as_uri(), wait_until="load")
            for link in page.locator("a[href^='javascript']").all():
                dialogs.append((page_path.name, "javascript link " + (link.get_attribute("href") or "")))
            page.wait_for_timeout(100)  # payloads fire while the page parses and loads
            page.close()
        context.close()
        browser.close()
    assert dialogs == []


def test_sanitiser_keeps_anchors_and_structure_and_drops_everything_live():
    from resetlab import site

    dirty = ('<h3 id="claim-C01">C01</h3><a id="claim-C01"></a><a href="#x" onclick="alert(1)">x</a>'
             '<img src="a.png" alt="chart" onerror="alert(1)"><script>alert(1)</script><style>body{}</style>'
             '<a href="javascript:alert(1)">j</a><iframe src="https://example.org"></iframe><svg onload="alert(1)"></svg>'
             '<details class="show-code"><summary>show code</summary><pre>x</pre></details><table><tr><td>1</td></tr></table>')
    clean = site.sanitise(dirty)
    for kept in ('<h3 id="claim-C01">', '<a id="claim-C01">', '<img src="a.png" alt="chart">', '<details class="show-code">', '<table tabindex="0">'):
        assert kept in clean, kept
    for dropped in ("onclick", "onerror", "<script", "<style", "javascript:", "<iframe", "<svg", "onload"):
        assert dropped not in clean, dropped


def test_plotly_figure_json_cannot_close_its_script():
    from resetlab import site

    script = site.plotly_script({"div": "plotly-x", "figure": {"data": [{"type": "scatter", "text": ["</script><script>alert(1)</script>"]}], "layout": {}}, "alt": ""})
    assert script.count("</script>") == 1 and "<script>alert" not in script
