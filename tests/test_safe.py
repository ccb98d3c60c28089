"""The escaping helpers keep data text inert in Markdown and HTML."""
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from resetlab import safe

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "**bold** _it_ `code` # head\n- item | pipe",
]


def test_md_renders_no_markup():
    for payload in PAYLOADS:
        rendered = markdown2html_mistune(safe.md(payload))
        assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
        assert "<strong>" not in rendered and "<em>" not in rendered and "<code>" not in rendered


def test_url_refuses_scripts_and_escapes():
    assert safe.url("javascript:alert(1)") == ""
    assert safe.url(" JaVaScRiPt:alert(1)") == ""
    assert safe.url("https://example.org/?a=1&b=2") == "https://example.org/?a=1&amp;b=2"
    assert safe.url("data/events.csv") == "data/events.csv"


def test_html_text_escapes_quotes():
    assert safe.html_text('"><b>') == "&quot;&gt;&lt;b&gt;"


def test_md_round_trips_ordinary_text():
    import html

    text = 'Russia\'s "deal" & <treaty> (2013) #1 - a.b'
    rendered = markdown2html_mistune(safe.md(text))
    assert html.unescape(rendered.replace("<p>", "").replace("</p>", "")).strip() == text
