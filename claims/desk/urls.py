"""URLs of the editor desk, under /desk/."""

from django.urls import path, register_converter

from claims.api import desk_views as api_desk_views

from . import (
    chain,
    channels,
    feeds,
    merging,
    notification_settings,
    similarity,
    sources,
    stats,
    threads,
    views,
)


class WithdrawableConverter:
    """What the desk withdraws rather than deletes (verdicts have their own workflow)."""

    regex = "claim|carriage|response|external-review|membership|translation"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class NameKindConverter(WithdrawableConverter):
    """The kinds of name that autocomplete and can be created inline."""

    regex = "actors|outlets|tags"


register_converter(WithdrawableConverter, "withdrawable")
register_converter(NameKindConverter, "name_kind")

app_name = "desk"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("chains/new/", chain.chain_new, name="chain_new"),
    path("similar-claims/", chain.similar, name="similar_claims"),
    path("claims/<slug:slug>/", views.claim_edit, name="claim_edit"),
    path("claims/<slug:slug>/history/", views.claim_history, name="claim_history"),
    path("claims/<slug:slug>/merge/", merging.merge_propose, name="merge_propose"),
    path("claims/<slug:slug>/merge/withdraw/", merging.merge_withdraw, name="merge_withdraw"),
    path("claims/<slug:slug>/carriages/new/", views.carriage_create, name="carriage_create"),
    path("claims/<slug:slug>/responses/new/", views.response_create, name="response_create"),
    path("claims/<slug:slug>/verdict/new/", views.verdict_create, name="verdict_create"),
    path("claims/<slug:slug>/narratives/", views.narrative_attach, name="narrative_attach"),
    path(
        "claims/<slug:slug>/narratives/suggested/",
        views.narrative_suggestions,
        name="narrative_suggestions",
    ),
    path("narratives/new/", views.narrative_create, name="narrative_create"),
    path("narratives/<slug:slug>/", views.narrative_edit, name="narrative_edit"),
    path("carriages/<id:pk>/", views.carriage_edit, name="carriage_edit"),
    path("responses/<id:pk>/", views.response_edit, name="response_edit"),
    path("reports/<id:pk>/", views.report_edit, name="report_edit"),
    path(
        "claims/<slug:slug>/translations/new/",
        views.translation_create,
        name="translation_create",
    ),
    path("translations/<id:pk>/", views.translation_edit, name="translation_edit"),
    path("translations/<id:pk>/confirm/", views.translation_confirm, name="translation_confirm"),
    path("reports/<id:pk>/archive/", sources.report_archive, name="report_archive"),
    path("withdraw/<withdrawable:kind>/<id:pk>/", views.withdraw, name="withdraw"),
    path("verdicts/<id:pk>/", views.verdict_edit, name="verdict_edit"),
    path("verdicts/<id:pk>/submit/", views.verdict_submit, name="verdict_submit"),
    path("verdicts/<id:pk>/publish/", views.verdict_publish, name="verdict_publish"),
    path("verdicts/<id:pk>/return/", views.verdict_return, name="verdict_return"),
    path("verdicts/<id:pk>/correct/", views.verdict_correct, name="verdict_correct"),
    path("verdicts/<id:pk>/withdraw/", views.verdict_withdraw, name="verdict_withdraw"),
    path("claims/<slug:slug>/similar/", similarity.claim_similar, name="claim_similar"),
    path("similar/", similarity.typed_similar, name="typed_similar"),
    path("similar/decide/", similarity.decide, name="similar_decide"),
    path("similarity/", similarity.similarity_report, name="similarity_report"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<slug:slug>/", views.review_claim, name="review_claim"),
    path("review/<slug:slug>/approve/", views.review_approve, name="review_approve"),
    path("review/<slug:slug>/return/", views.review_return, name="review_return"),
    path("review/<slug:slug>/resubmit/", views.review_resubmit, name="review_resubmit"),
    path("names/<name_kind:kind>/", views.autocomplete, name="autocomplete"),
    path("names/<name_kind:kind>/new/", views.name_create, name="name_create"),
    path("actors/<slug:slug>/channels/", channels.actor_channels, name="actor_channels"),
    path("actors/<slug:slug>/channels/new/", channels.channel_add, name="channel_add"),
    path(
        "channels/<id:pk>/verify/",
        channels.channel_review,
        {"action": "verify"},
        name="channel_verify",
    ),
    path(
        "channels/<id:pk>/unverify/",
        channels.channel_review,
        {"action": "unverify"},
        name="channel_unverify",
    ),
    path("claims/<slug:slug>/notes/", threads.note_create, name="note_create"),
    path("claims/<slug:slug>/assign/", threads.claim_assign, name="claim_assign"),
    path("claims/<slug:slug>/unassign/", threads.claim_unassign, name="claim_unassign"),
    path("leads/<id:pk>/assign/", threads.lead_assign, name="lead_assign"),
    path("leads/<id:pk>/unassign/", threads.lead_unassign, name="lead_unassign"),
    path(
        "notifications/", notification_settings.notification_settings, name="notification_settings"
    ),
    path("stats/", stats.stats, name="stats"),
    path("feeds/", feeds.feed_list, name="feed_list"),
    path("feeds/new/", feeds.feed_create, name="feed_create"),
    path("feeds/<id:pk>/", feeds.feed_edit, name="feed_edit"),
    path("feeds/<id:pk>/toggle/", feeds.feed_toggle, name="feed_toggle"),
    path("api-keys/", api_desk_views.api_keys, name="api_keys"),
    path("api-keys/new/", api_desk_views.api_key_create, name="api_key_create"),
    path("api-keys/<id:pk>/revoke/", api_desk_views.api_key_revoke, name="api_key_revoke"),
]
