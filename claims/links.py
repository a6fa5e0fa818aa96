"""
Paths of reader pages for lists and feeds, the same as reverse() gives, built cheaply.

reverse() costs tens of microseconds (namespaces, converters, quoting), and a list or a feed
called it once or twice per row: a millisecond or two of every uncached page. Here each URL
name is reversed once per URLconf and script prefix; a page addressed by a slug is reversed
with a marker in the slug's place, and rows fill their own slug in. Slugs are letters, digits,
hyphens and underscores, which reverse() would not quote either. (No reader URL depends on
the active language, so the language is not part of the key.)
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.resolvers import get_resolver

_SLUG = "slug-marker-slug"


@lru_cache(maxsize=128)
def _reversed(viewname: str, resolver, prefix: str, with_slug: bool) -> tuple[str, ...]:
    # `resolver` and `prefix` are only keys: a test's URLconf or a new SCRIPT_NAME gets its
    # own entry.
    if with_slug:
        return tuple(reverse(viewname, args=[_SLUG]).split(_SLUG))
    return (reverse(viewname),)


def _key() -> tuple:
    return get_resolver(get_urlconf()), get_script_prefix()


def page_path(viewname: str) -> str:
    """reverse(viewname) for a page without arguments (the claim list, a feed)."""
    return _reversed(viewname, *_key(), False)[0]


def slug_path(viewname: str, slug: str) -> str:
    """reverse(viewname, args=[slug]) for a page addressed by a slug (claim, actor, tag…)."""
    before, after = _reversed(viewname, *_key(), True)
    return f"{before}{slug}{after}"
