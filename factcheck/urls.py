"""Top-level URLs. Pages for people (the reader site, feeds, the desk, the importer, logging in)
live under a language prefix, /uk/… or /en/…; the API, the admin and static files do not (the
API is language-neutral). An address without a prefix redirects (claims/locale.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from claims.desk import views as desk_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    *i18n_patterns(
        path("accounts/login/", desk_views.login, name="login"),
        path("accounts/logout/", desk_views.logout, name="logout"),
        path("desk/", include("claims.importer.urls")),
        path("desk/", include("claims.desk.urls")),
        path("", include("claims.urls")),
    ),
]

handler500 = "claims.errors.server_error"
