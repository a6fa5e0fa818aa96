"""Desk URLs of the importer, included under /desk/ (see factcheck/urls.py)."""

from django.urls import path

from . import views

app_name = "importer"

urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/<id:pk>/", views.job_detail, name="job_detail"),
    path("import/<id:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("import/<id:pk>/retry/", views.job_retry, name="job_retry"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<id:pk>/import/", views.lead_import, name="lead_import"),
    path("inbox/<id:pk>/dismiss/", views.lead_dismiss, name="lead_dismiss"),
]
