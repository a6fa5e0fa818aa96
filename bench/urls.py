"""The app's URLs plus /bench/floor/: a bare Django view rendering a 25-row template.

The floor is what Django itself costs on this machine (routing, middleware, template
rendering) with no database work; the benchmark reports each page as a ratio to it.
"""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from factcheck.urls import urlpatterns as app_urlpatterns

ROWS = [{"n": n, "title": f"Row {n}: a claim-sized line of text for the floor"} for n in range(25)]


@require_GET
def floor(request):
    return render(request, "floor.html", {"rows": ROWS})


urlpatterns = [path("bench/floor/", floor), *app_urlpatterns]
