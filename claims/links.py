"""
Paths of reader pages for lists and feeds, the same as reverse() gives, built cheaply.

reverse() costs tens of microseconds (namespaces, converters, quoting), and a list or a feed
called it once or twice per row: a millisecond or two of every uncached page. Here each URL
name is reversed once per URLconf and script prefix; a page addressed by a slug is reversed
with a marker in the slug's place, and rows fill their own slug in. Slugs are letters, digits,
hyphens and underscores, which reverse() would not quote either. Paths start with the
interface language's prefix (/uk/, /en/), so the active language is part of the key.
"""

from functools import lru_cache, wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.resolvers import get_resolver
from django.utils.translation import get_language

_SLUG = "slug-marker-slug"


@lru_cache(maxsize=128)
def _reversed(
    viewname: str, resolver, prefix: str, language: str, with_slug: bool
) -> tuple[str, ...]:
    # `resolver`, `prefix` and `language` are only keys: a test's URLconf, a new SCRIPT_NAME
    # or the other language gets its own entry.
    if with_slug:
        return tuple(reverse(viewname, args=[_SLUG]).split(_SLUG))
    return (reverse(viewname),)


def _key() -> tuple:
    return get_resolver(get_urlconf()), get_script_prefix(), get_language()


def page_path(viewname: str) -> str:
    """reverse(viewname) for a page without arguments (the claim list, a feed)."""
    return _reversed(viewname, *_key(), False)[0]


def slug_path(viewname: str, slug: str) -> str:
    """reverse(viewname, args=[slug]) for a page addressed by a slug (claim, actor, tag…)."""
    before, after = _reversed(viewname, *_key(), True)
    return f"{before}{slug}{after}"


def follow_old_slug(model, view):
    """`view` (a page or feed addressed by a slug of `model`) that answers a slug the row had
    before with 301 to the same page under its current slug (see SlugAlias). The alias is
    looked up only when the view found nothing, so live pages pay nothing for it."""
    from claims.models import SlugAlias

    @wraps(view)
    def wrapped(request: HttpRequest, *args, slug: str, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, slug=slug, **kwargs)
        except Http404:
            current = SlugAlias.current_slug(model, slug)
            if current is None or current == slug:
                raise
        before, _, after = request.path.rpartition(f"/{slug}/")
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(
            f"{before}/{current}/{after}" + (f"?{query}" if query else "")
        )

    return wrapped
