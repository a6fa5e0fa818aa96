"""
Find markup in a rendered page that could run script.

`script_hazards(html, allowed_hx=...)` parses the page with lxml's HTML parser (as forgiving as
a browser) and lists every element or attribute that could execute: scripts that are not the
app's own, event-handler attributes, javascript:/vbscript:/data:text/html URLs, htmx attributes
the app did not write, and elements that load or redirect to other documents.

The app's own htmx attributes are learnt by rendering the same page with harmless text
(`hx_attributes(html)`), so a payload that adds `hx-on:click` or a second `hx-get` is caught.
"""

import contextlib
import json
import re

import lxml.html
from django.urls import Resolver404, resolve

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "srcdoc",
    "codebase",
    "cite",
    "ping",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "base", "applet", "portal"}
_SCRIPT_URL = re.compile(r"^(javascript|vbscript|livescript):|^data:\s*text/html", re.I)
# A start tag as the tokenizer reads it: quoted values may hold ">".
_RAW_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>?""")
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=", re.I)
# Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def _is_script_url(value: str) -> bool:
    return bool(_SCRIPT_URL.match(_URL_NOISE.sub("", value)))


def _raw_handlers(html: str) -> list[str]:
    """on* attributes of every tag in the source text, quoted values set aside."""
    found = []
    for tag in _RAW_TAG.finditer(html):
        unquoted = _QUOTED.sub('""', tag.group())
        if _HANDLER.search(unquoted):
            found.append(tag.group()[:200])
    return found


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _is_htmx(name: str) -> bool:
    return name.startswith(("hx-", "data-hx-"))


def _parse(html: str):
    if not html.strip():  # an empty fragment (an autocomplete with no match)
        html = "<html></html>"
    return lxml.html.document_fromstring(html)


def hx_attributes(html: str) -> set[tuple[str, str, str]]:
    """(tag, attribute, value) of every htmx attribute on the page: the app's own."""
    found = set()
    for element in _parse(html).iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if _is_htmx(name.lower()):
                found.add((element.tag.lower(), name.lower(), _normalise_hx(value)))
    return found


def _normalise_hx(value: str) -> str:
    # Slugs, pks, CSRF tokens and queries differ between renders: which view it calls matters.
    value = value.strip()
    if value.startswith(("/", "?")):
        path, query = value.split("?", 1) if "?" in value else (value, None)
        if path:
            with contextlib.suppress(Resolver404):
                path = "view:" + resolve(path).view_name
        value = path + ("" if query is None else "?Q")
    value = re.sub(r"[A-Za-z0-9_-]{32,}", "T", value)
    return re.sub(r"\d+", "N", value)


def script_hazards(html: str, *, allowed_hx: set | None = None) -> list[str]:
    """Every place in `html` that could run script, as short descriptions (empty: inert)."""
    problems = []
    allowed_hx = allowed_hx or set()
    # What a parse tree hides: a browser copies a stray <body onload>'s handler onto the body,
    # and runs markup lxml reads as <style> text inside MathML or SVG. In the raw text, a tag
    # with an event handler is never the app's (it writes none) and never escaped content.
    problems += [f"raw markup with an event handler: {m!r}" for m in _raw_handlers(html)]
    for element in _parse(html).iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        tag = element.tag.lower()
        where = f"<{tag}>"
        if tag == "script":
            kind = (element.get("type") or "").strip().lower()
            src = element.get("src") or ""
            own_src = src.startswith("/static/") and not (element.text or "").strip()
            if not (own_src or kind == "application/ld+json"):
                problems.append(
                    f"{where} script not the app's own: {lxml.html.tostring(element)!r}"
                )
            if kind == "application/ld+json" and not _is_json(element.text or ""):
                problems.append(f"{where} JSON-LD does not parse (cut short by a </script?)")
        if tag == "style" and re.search(r"javascript:|expression\(", element.text or "", re.I):
            problems.append(f"{where} script in a stylesheet")
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"{where} element from content")
        if tag == "meta" and (element.get("http-equiv") or "").strip().lower() == "refresh":
            problems.append(f"{where} meta refresh")
        if tag == "link" and (element.get("rel") or "").lower() in {"import", "preload"}:
            problems.append(f"{where} link rel={element.get('rel')}")
        for name, value in element.attrib.items():
            attr = name.lower()
            if attr.startswith("on"):
                problems.append(f"{where} event handler {attr}={value!r}")
            elif attr in URL_ATTRIBUTES and _is_script_url(value):
                problems.append(f"{where} script URL {attr}={value!r}")
            elif _is_htmx(attr) and (tag, attr, _normalise_hx(value)) not in allowed_hx:
                problems.append(f"{where} htmx attribute not the app's own {attr}={value!r}")
            elif attr == "style" and re.search(r"javascript:|expression\(", value, re.I):
                problems.append(f"{where} script in style {value!r}")
    return problems
