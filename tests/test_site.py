"""The offline site: no external URLs, light pages, readable chapters (the pages in a real browser are
in test_site_browser.py)."""
import html.parser
import json
import re
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


def test_home_shows_findings_verdicts_with_labels_links_and_robustness(built, claims_contract):
    claims = json.loads(claims_contract.read_text(encoding="utf-8"))
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
