"""
Outlets' feeds on the desk: the watcher (claims/importer/watch.py) polls each active feed and
puts items that read like denials in the inbox. Editors list, add, edit, pause and resume
feeds here, and see when each was last polled, its last error and the leads it brought.
Feeds are the watcher's settings, not a chain: they are saved directly.
"""

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.importer.fetch import FetchRefused, check_url
from claims.models import LeadState, Outlet, OutletFeed
from claims.roles import editor_required

from .forms import NameField
from .views import done, with_names

# A feed's page lists this many of its newest leads.
FEED_LEADS = 30


class FeedForm(forms.ModelForm):
    outlet = NameField(kind="outlets", queryset=Outlet.objects.all(), noun="outlet")

    class Meta:
        model = OutletFeed
        fields = ["outlet", "url", "active"]
        labels = {"url": _("Feed URL"), "active": _("Poll this feed")}
        help_texts = {
            "url": _("An RSS, Atom or JSON feed, or a public Telegram channel (t.me/s/…)."),
            "active": _("Untick to pause polling without losing the feed's history."),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            # What the address itself says; the watcher checks DNS again on every poll.
            check_url(url, resolve=False)
        except FetchRefused as error:
            raise ValidationError(str(error.notice)) from None
        return url


def feeds_with_counts():
    return OutletFeed.objects.select_related("outlet").annotate(
        leads_count=Count("items__lead"),
        open_leads=Count("items__lead", filter=Q(items__lead__state=LeadState.NEW)),
    )


@require_GET
@editor_required
def feed_list(request: HttpRequest) -> HttpResponse:
    feeds = feeds_with_counts().order_by("outlet__name", "url")
    return render(request, "claims/desk/feed_list.html", {"outlet_feeds": feeds})


def _feed_form(request: HttpRequest, feed: OutletFeed | None) -> HttpResponse:
    """Add or edit a feed: one form, two entry points."""
    form = FeedForm(request.POST or None, instance=feed)
    context = with_names(request, {"form": form, "feed": feed}, "outlets")
    if feed is not None:
        context["leads"] = (
            feed.items.filter(lead__isnull=False)
            .select_related("lead")
            .order_by("-seen_at", "-pk")[:FEED_LEADS]
        )
        context["counts"] = feeds_with_counts().get(pk=feed.pk)
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            messages.success(request, gettext("Feed saved."))
            return done(request, reverse("desk:feed_edit", args=[saved.pk]))
        return render(
            request,
            "claims/desk/feed_form.html",
            context,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    return render(request, "claims/desk/feed_form.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def feed_create(request: HttpRequest) -> HttpResponse:
    return _feed_form(request, None)


@require_http_methods(["GET", "POST"])
@editor_required
def feed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _feed_form(
        request, get_object_or_404(OutletFeed.objects.select_related("outlet"), pk=pk)
    )


@require_POST
@editor_required
def feed_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause a feed (`active=0`) or resume it (`active=1`); asking twice changes nothing."""
    feed = get_object_or_404(OutletFeed, pk=pk)
    active = request.POST.get("active") == "1"
    OutletFeed.objects.filter(pk=feed.pk).update(active=active)
    if active:
        messages.success(request, gettext("Feed resumed: the watcher polls it again."))
    else:
        messages.success(request, gettext("Feed paused: the watcher skips it."))
    return done(request, reverse("desk:feed_list"))
