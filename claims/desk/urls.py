"""URLs of the editor desk, under /desk/."""

from django.urls import path, register_converter

from claims.api import desk_views as api_desk_views

from . import similarity, views


class WithdrawableConverter:
    """What the desk withdraws rather than deletes (verdicts have their own workflow)."""

    regex = "claim|carriage|response"

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
    path("claims/<slug:slug>/", views.claim_edit, name="claim_edit"),
    path("claims/<slug:slug>/history/", views.claim_history, name="claim_history"),
    path("claims/<slug:slug>/carriages/new/", views.carriage_create, name="carriage_create"),
    path("claims/<slug:slug>/responses/new/", views.response_create, name="response_create"),
    path("claims/<slug:slug>/verdict/new/", views.verdict_create, name="verdict_create"),
    path("carriages/<id:pk>/", views.carriage_edit, name="carriage_edit"),
    path("responses/<id:pk>/", views.response_edit, name="response_edit"),
    path("reports/<id:pk>/", views.report_edit, name="report_edit"),
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
    path("api-keys/", api_desk_views.api_keys, name="api_keys"),
    path("api-keys/new/", api_desk_views.api_key_create, name="api_key_create"),
    path("api-keys/<id:pk>/revoke/", api_desk_views.api_key_revoke, name="api_key_revoke"),
]
