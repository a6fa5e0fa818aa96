"""`{{ note|note_html }}`: a thread note's text, escaped, with the editors it mentions marked."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def note_html(note) -> str:
    text = escape(note.text)
    names = {user.username.lower() for user in note.mentions.all()}
    if not names:
        return mark_safe(text)

    def mark(match: re.Match) -> str:
        if match.group(1).rstrip(".").lower() in names:
            return f'<strong class="mention">{match.group(0)}</strong>'
        return match.group(0)

    # Escaped text keeps @ and username characters as they were.
    return mark_safe(re.sub(r"(?<![\w@.+-])@([\w.+-]+)", mark, text))
