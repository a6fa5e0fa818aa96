"""
The desk's page for API keys (admins only): issue a key for a partner, see each key's use,
revoke it. A new key is shown once, on the page the POST redirects to, and never again.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from claims.api.access import write_all_uses
from claims.models import ApiKey
from claims.roles import role_required

NEW_KEY_SESSION = "api-keys:new-secret"


def can_manage_keys(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("claims.add_apikey"))


# The desk's own access rule: the login page for strangers, 403 for other desk users.
admin_required = role_required(can_manage_keys)


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["partner", "contact", "requests_per_minute"]
        labels = {
            "partner": gettext_lazy("Partner"),
            "contact": gettext_lazy("Contact"),
            "requests_per_minute": gettext_lazy("Requests a minute"),
        }


@never_cache
@require_GET
@admin_required
def api_keys(request: HttpRequest) -> HttpResponse:
    keys = ApiKey.objects.select_related("created_by")[:200]
    # The uses counted in the cache and not yet in the database, first.
    write_all_uses(keys.values_list("pk", flat=True))
    return render(
        request,
        "claims/desk/api_keys.html",
        {
            "keys": keys,
            "form": ApiKeyForm(),
            # Shown once: taken out of the session as the page renders.
            "new_secret": request.session.pop(NEW_KEY_SESSION, None),
        },
    )


@require_POST
@admin_required
def api_key_create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        context = {"keys": ApiKey.objects.all()[:200], "form": form, "new_secret": None}
        return render(request, "claims/desk/api_keys.html", context, status=422)
    key, secret = ApiKey.issue(by=request.user, **form.cleaned_data)
    request.session[NEW_KEY_SESSION] = {"partner": key.partner, "secret": secret}
    return redirect("desk:api_keys")


@require_POST
@admin_required
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk)
    key.revoke()
    messages.success(
        request,
        _("Revoked the key of %(partner)s; it stops working now.") % {"partner": key.partner},
    )
    return redirect("desk:api_keys")
