"""
The interface language: Ukrainian or English, chosen by the address.

Pages for people live under /uk/… and /en/… (factcheck/urls.py). An address without a prefix
(an old bookmark, a link from before the prefixes) redirects: a page to the language the
browser asks for (its cookie or Accept-Language, else the site's LANGUAGE_CODE), temporarily;
a feed permanently to the site's default language, because feed readers store the address they
are told and send no useful Accept-Language. A form posted to an address without a prefix is
redirected with its method and data (307), so the save is not lost. The API answers in English
whatever the request asks: it is language-neutral, so its labels must not change with a
partner's browser.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, is_valid_path, reverse, translate_url
from django.utils import translation
from django.utils.translation import pgettext_lazy

API_PREFIX = "/api/"
FEED_PREFIX = "/feeds/"


class InterfaceLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(API_PREFIX):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
            return
        super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return response
        if response.status_code == 404 and request.path_info.startswith(FEED_PREFIX):
            moved = f"/{settings.LANGUAGE_CODE}{request.path_info}"
            if is_valid_path(moved, getattr(request, "urlconf", None)):
                script_prefix = request.path.removesuffix(request.path_info)
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    script_prefix + moved + (f"?{query}" if query else "")
                )
        answer = super().process_response(request, response)
        if answer is not response and request.method not in {"GET", "HEAD"}:
            # The redirect to the prefixed address: a 302 turns a form posted to an old
            # address into a GET and loses its data; a 307 sends the same POST there.
            answer.status_code = answer.status_code_preserve_request
        return answer


def alternates(request: HttpRequest) -> list[dict]:
    """The page in each interface language: code, name (in its own language), absolute URL,
    and whether it is the page being shown. The query string is kept."""
    here = request.get_full_path()
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": request.build_absolute_uri(in_language(request, here, code)),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def in_language(request: HttpRequest, here: str, code: str) -> str:
    """`translate_url(here, code)` from the URL the request already resolved to (every reader
    page shows three of these: resolving the path again for each cost a tenth of a page)."""
    match = request.resolver_match
    if match is None or match.url_name is None:
        return translate_url(here, code)
    _, mark, query = here.partition("?")
    with translation.override(code):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return here
    return f"{path}{mark}{query}"


def unprefixed(path: str) -> str:
    """`path` without its language prefix: the address that picks a language (x-default)."""
    for code, _ in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


# The things the desk names, by model or kind code, in the nominative.
THINGS = {
    "claim": pgettext_lazy("thing", "claim"),
    "carriage": pgettext_lazy("thing", "carriage"),
    "response": pgettext_lazy("thing", "response"),
    "report": pgettext_lazy("thing", "report"),
    "verdict": pgettext_lazy("thing", "verdict"),
    "correction": pgettext_lazy("thing", "correction"),
    "actor": pgettext_lazy("thing", "actor"),
    "outlet": pgettext_lazy("thing", "outlet"),
    "tag": pgettext_lazy("thing", "tag"),
    "snapshot": pgettext_lazy("thing", "archived copy"),
    "narrative": pgettext_lazy("thing", "narrative"),
}
# The desk's URLs name kinds of name in the plural (/desk/names/actors/).
THINGS |= {"actors": THINGS["actor"], "outlets": THINGS["outlet"], "tags": THINGS["tag"]}


def thing(code: str) -> str:
    """The word for a model or kind code ("carriage", "actors"); an unknown code as it is."""
    return str(THINGS.get(code, code))
