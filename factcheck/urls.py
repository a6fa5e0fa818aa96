"""Top-level URLs: the admin and the claims app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/", include("claims.importer.urls")),
    path("", include("claims.urls")),
]
