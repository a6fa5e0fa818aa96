"""Top-level URLs: the admin, accounts, the editor desk, the API and the claims app."""

from django.contrib import admin
from django.urls import include, path

from claims.desk import views as desk_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", desk_views.login, name="login"),
    path("accounts/logout/", desk_views.logout, name="logout"),
    path("desk/", include("claims.importer.urls")),
    path("desk/", include("claims.desk.urls")),
    path("api/", include("claims.api.urls")),
    path("", include("claims.urls")),
]

handler500 = "claims.errors.server_error"
