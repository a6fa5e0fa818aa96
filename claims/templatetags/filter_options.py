"""
The claim list's filter selects: `<option>` elements built in one pass in Python, and kept.

The template loop this replaces compared every option with the chosen value in the template
language: ~5 ms of every list page for the ~400 options at 1M claims; escaping them in one
pass took ~1 ms. The options change only when the cached choices do (every few minutes), so
each select's options are escaped once per process and choices, and a page joins them with
the chosen one marked.
"""

from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@lru_cache(maxsize=32)
def _escaped(pairs: tuple) -> tuple[str, dict]:
    """The options, none selected, and where ` selected` goes for each value."""
    parts, places, length = [], {}, 0
    for value, label in pairs:
        # Every value and label is escaped as {{ }} would; format_html_join took twice as long.
        start = f'<option value="{conditional_escape(value)}"'
        places.setdefault(value, length + len(start))
        option = f"{start}>{conditional_escape(label)}</option>"
        parts.append(option)
        length += len(option)
    return "".join(parts), places


@register.simple_tag
def select_options(choices: Iterable, selected: object = None) -> SafeString:
    """`<option>`s for (value, label) pairs, or for values that are their own labels
    (language codes); the one whose value equals `selected` is marked selected."""
    pairs = tuple(
        (choice, choice) if isinstance(choice, str) else tuple(choice) for choice in choices
    )
    options, places = _escaped(pairs)
    place = places.get(selected) if selected is not None else None
    if place is not None:
        options = f"{options[:place]} selected{options[place:]}"
    return mark_safe(options)
