"""URLs of the reader site."""

from django.urls import path

from . import feeds, views
from .caching import cache_for_readers, on_feed, on_object_feed
from .links import follow_old_slug
from .models import Actor, Claim, Narrative, Outlet, Tag
from .models.reader_versions import DENIAL_FEED, VERDICT_FEED

app_name = "claims"
# Feed readers poll often: serve them from the reader cache (dropped when what they list
# changes: a site-wide feed when its newest items do, a scoped feed with any claim it can
# list, and with its actor, outlet or tag).
denial_feed = cache_for_readers(on_feed(DENIAL_FEED))
verdict_feed = cache_for_readers(on_feed(VERDICT_FEED))
actor_feed = cache_for_readers(on_object_feed("actor"))
outlet_feed = cache_for_readers(on_object_feed("outlet"))
tag_feed = cache_for_readers(on_object_feed("tag"))
narrative_feed = cache_for_readers(on_object_feed("narrative"))

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/export.csv", views.claim_export_csv, name="claim_export_csv"),
    path("claims/export.json", views.claim_export_json, name="claim_export_json"),
    path("claims/<slug:slug>/", follow_old_slug(Claim, views.claim_detail), name="claim_detail"),
    path("actors/<slug:slug>/", follow_old_slug(Actor, views.actor_detail), name="actor_detail"),
    path(
        "outlets/<slug:slug>/", follow_old_slug(Outlet, views.outlet_detail), name="outlet_detail"
    ),
    path("tags/<slug:slug>/", follow_old_slug(Tag, views.tag_detail), name="tag_detail"),
    path("narratives/", views.narrative_list, name="narrative_list"),
    path(
        "narratives/<slug:slug>/",
        follow_old_slug(Narrative, views.narrative_detail),
        name="narrative_detail",
    ),
    path("methodology/", views.methodology, name="methodology"),
    path("archive/<id:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("feeds/denied.rss", denial_feed(feeds.DeniedFeed()), name="denied_rss"),
    path("feeds/denied.atom", denial_feed(feeds.DeniedAtomFeed()), name="denied_atom"),
    path("feeds/verdicts.rss", verdict_feed(feeds.VerdictFeed()), name="verdicts_rss"),
    path("feeds/verdicts.atom", verdict_feed(feeds.VerdictAtomFeed()), name="verdicts_atom"),
    path(
        "feeds/actors/<slug:slug>/denied.rss",
        follow_old_slug(Actor, actor_feed(feeds.ActorDeniedFeed())),
        name="actor_denied_rss",
    ),
    path(
        "feeds/actors/<slug:slug>/denied.atom",
        follow_old_slug(Actor, actor_feed(feeds.ActorDeniedAtomFeed())),
        name="actor_denied_atom",
    ),
    path(
        "feeds/outlets/<slug:slug>/denied.rss",
        follow_old_slug(Outlet, outlet_feed(feeds.OutletDeniedFeed())),
        name="outlet_denied_rss",
    ),
    path(
        "feeds/outlets/<slug:slug>/denied.atom",
        follow_old_slug(Outlet, outlet_feed(feeds.OutletDeniedAtomFeed())),
        name="outlet_denied_atom",
    ),
    path(
        "feeds/tags/<slug:slug>/denied.rss",
        follow_old_slug(Tag, tag_feed(feeds.TagDeniedFeed())),
        name="tag_denied_rss",
    ),
    path(
        "feeds/tags/<slug:slug>/denied.atom",
        follow_old_slug(Tag, tag_feed(feeds.TagDeniedAtomFeed())),
        name="tag_denied_atom",
    ),
    path(
        "feeds/narratives/<slug:slug>/denied.rss",
        follow_old_slug(Narrative, narrative_feed(feeds.NarrativeDeniedFeed())),
        name="narrative_denied_rss",
    ),
    path(
        "feeds/narratives/<slug:slug>/denied.atom",
        follow_old_slug(Narrative, narrative_feed(feeds.NarrativeDeniedAtomFeed())),
        name="narrative_denied_atom",
    ),
]
