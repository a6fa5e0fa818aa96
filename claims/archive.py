"""
Showing an archived copy (Snapshot) of a report's page without trusting it.

The raw bytes stay in the Snapshot as evidence. What a reader sees is rebuilt by nh3 (Rust's
ammonia) from the page's <body> against a small allowlist: text structure and http(s) links
only; no scripts, styles, forms, frames, images (they would load from the original site),
event handlers or htmx attributes (only the attributes listed below survive). The view also
wraps the result in an element with `hx-disable`.
"""

import re

import nh3
from bs4 import BeautifulSoup

from .importer.extract import ExtractError
from .importer.extract import decode as decode_bytes

ALLOWED_TAGS = {
    "a", "abbr", "article", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "ins", "li", "main", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
# Their content goes too, not only the tags.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "svg"}
MAX_BYTES = 5_000_000


def decode(content: bytes, content_type: str = "") -> str:
    """The page's text: BOM, declared charset, <meta charset>, then sniffing."""
    charset = ""
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    try:
        return decode_bytes(content[:MAX_BYTES], charset)
    except ExtractError:
        return content[:MAX_BYTES].decode("utf-8", errors="replace")


def is_html(content_type: str, text: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    if kind:
        return kind in {"text/html", "application/xhtml+xml"}
    return "<html" in text[:2000].lower()


def sanitised_html(text: str) -> str:
    """The page's <body> as safe HTML (see the module docstring for what is kept)."""
    match = re.search(r"<body[^>]*>(.*)</body\s*>", text, re.I | re.S)
    return nh3.clean(
        (match.group(1) if match else text).replace("\x00", ""),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The page's visible text, paragraphs on their own lines; escape it when showing it."""
    soup = BeautifulSoup(text, "lxml")
    for node in soup([*DROPPED_WITH_CONTENT, "head"]):
        node.decompose()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in soup.get_text("\n").split("\n"))
    return "\n".join(line for line in lines if line)
