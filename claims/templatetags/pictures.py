"""The claim page's pictures: the timeline, who copied whom (claims/source_graph.py), short
addresses."""

import re

from django import template

from claims.source_graph import SourceGraph
from claims.source_graph import source_graph as build_source_graph

register = template.Library()


@register.simple_tag
def source_graph(carriages) -> SourceGraph:
    return build_source_graph(list(carriages))


@register.filter
def bare_url(url: str) -> str:
    """ "https://www.t.me/mod_ua/" as "t.me/mod_ua": how people write a channel's address."""
    return re.sub(r"^https?://(?:www\.)?", "", url or "").rstrip("/")


@register.filter
def dated_last(events: list):
    """The latest dated timeline event (undated ones come after the dated)."""
    dated = [event for event in events if event.at]
    return dated[-1] if dated else None
