"""
Archived pages made safe to show: the snapshot's bytes as sanitized HTML or as plain text.

The raw bytes stay in the Snapshot as evidence. What a reader sees is rebuilt by nh3 (Rust's
ammonia) from an allowlist: text structure, links and images only; no scripts, styles, forms,
frames, event handlers, inline styles or htmx attributes (hx-*, data-hx-*), and links only to
http(s). A page that shows it should still wrap it in an element with `hx-disable`.
"""

import re

import nh3
from bs4 import BeautifulSoup

from .extract import ExtractError, decode

ALLOWED_TAGS = {
    "a", "abbr", "article", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "li", "main", "mark", "ol", "p", "pre", "q", "s", "section", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# Their content goes too, not only the tags.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "svg"}


def sanitized_html(content: bytes, *, charset: str = "") -> str:
    """The page's <body> as safe HTML (see the module docstring for what is kept)."""
    text = decode(content, charset)
    # Work on the body only: the head holds nothing a reader should see.
    match = re.search(r"<body[^>]*>(.*)</body\s*>", text, re.I | re.S)
    fragment = match.group(1) if match else text
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(content: bytes, *, charset: str = "") -> str:
    """The page's visible text, paragraphs on their own lines; escape it when showing it."""
    try:
        text = decode(content, charset)
    except ExtractError:
        return ""
    soup = BeautifulSoup(text, "lxml")
    for node in soup([*DROPPED_WITH_CONTENT, "head"]):
        node.decompose()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in soup.get_text("\n").split("\n"))
    return "\n".join(line for line in lines if line)
