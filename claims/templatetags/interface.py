"""Names of the things the desk talks about ("claim", "carriage"…), in the interface language.

Templates get a model's name (`content_type.model`) or a URL's kind ("actors") as a code; this
turns it into the word a reader of that language expects, in the nominative.
"""

from django import template

from claims.locale import thing as thing_word

register = template.Library()


@register.filter
def thing(code: str) -> str:
    """The word for a model or kind code; an unknown code as it is."""
    return thing_word(code)
