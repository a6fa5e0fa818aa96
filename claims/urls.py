"""URLs of the reader site."""

from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim_detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("outlets/<slug:slug>/", views.outlet_detail, name="outlet_detail"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag_detail"),
]
