"""Top-level URLs: the admin and the claims app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
]

handler500 = "claims.errors.server_error"
