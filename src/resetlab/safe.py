"""Text from the data tables is untrusted: every place it becomes Markdown or HTML goes through here.

`md` escapes a value for Markdown that Jupyter and nbconvert render (Markdown passes raw HTML through,
so HTML metacharacters are escaped as entities and Markdown's own syntax characters with a
backslash). `html_text` escapes a value for an HTML text node or a quoted attribute. `url` accepts
only http(s) and relative addresses, so a `javascript:` link from the data cannot reach a page.
"""
from __future__ import annotations

import html
import re

# Markdown characters that could start emphasis, links, code, headings, lists, tables or autolinks.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def html_text(value: object) -> str:
    """Escape a value for an HTML text node or a double- or single-quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def md(value: object) -> str:
    """Escape a value so it renders as literal text inside Markdown (inline, one line)."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # a newline from the data must not start a block
    # Quotes are harmless in Markdown text, so only <, > and & become entities.
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def url(value: object) -> str:
    """A link target from the data: http(s) or relative only, HTML-escaped; anything else gives ''."""
    text = "" if value is None else str(value).strip()
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", text)
    if scheme and scheme.group(1).lower() not in {"http", "https"}:
        return ""
    return html.escape(text, quote=True)
