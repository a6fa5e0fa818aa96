"""Each editor's email preferences: which desk notifications they get, and in which language."""

from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from claims.models import NotificationKind, NotificationPreference
from claims.roles import editor_required

from .forms import DeskForm


class NotificationForm(DeskForm):
    wanted = forms.MultipleChoiceField(
        label=_("Email me when"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the emails"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The site's language")), *settings.LANGUAGES]


@require_http_methods(["GET", "POST"])
@editor_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    pref = NotificationPreference.objects.filter(user=request.user).first()
    if pref is None:
        pref = NotificationPreference(user=request.user)
    wanted = [kind for kind in NotificationKind.values if pref.wants(kind)]
    form = NotificationForm(
        request.POST or None, initial={"wanted": wanted, "language": pref.language}
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["wanted"])
        pref.muted = [kind for kind in NotificationKind.values if kind not in chosen]
        pref.language = form.cleaned_data["language"]
        pref.save()
        messages.success(request, gettext("Your email choices are saved."))
        return HttpResponseRedirect(reverse("desk:notification_settings"))
    status = HTTPStatus.UNPROCESSABLE_ENTITY if request.method == "POST" else HTTPStatus.OK
    email = request.user.email
    return render(
        request,
        "claims/desk/notification_settings.html",
        {"form": form, "email": email},
        status=status,
    )
