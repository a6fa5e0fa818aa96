"""
Showing an archived copy (Snapshot) of a report's page without trusting it.

The stored HTML is sanitised with nh3 against a small allowlist: no scripts, styles, forms,
frames, images or event handlers, and no htmx attributes (only the attributes listed below
survive). The view also wraps the result in an element with `hx-disable`.
"""

import nh3
from charset_normalizer import from_bytes

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins",
    "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
MAX_BYTES = 5_000_000


def decode(content: bytes, content_type: str = "") -> str:
    """The page's text, using the declared charset when it works, else a detected one."""
    content = content[:MAX_BYTES]
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
        try:
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(content).best()
    return str(best) if best is not None else content.decode("utf-8", errors="replace")


def is_html(content_type: str, text: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    if kind:
        return kind in {"text/html", "application/xhtml+xml"}
    return "<html" in text[:2000].lower()


def sanitised_html(text: str) -> str:
    return nh3.clean(
        text.replace("\x00", ""),
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
