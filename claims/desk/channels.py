"""
An actor's official channels on the desk: editors file the Telegram channel, X account or
site an official speaks on; a reviewer verifies it with the proof (where the actor names it as
theirs). Responses made on a channel that is not verified are flagged to readers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from claims.models import Actor, ActorChannel, ChannelKind, writing
from claims.roles import editor_required, is_reviewer, reviewer_required

TEMPLATE = "claims/desk/actor_channels.html"


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ChannelKind.choices)
    url = forms.URLField(label=gettext_lazy("Address"), max_length=500, assume_scheme="https")
    proof = forms.URLField(
        label=gettext_lazy("Proof (optional)"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=gettext_lazy("A page where the actor names this channel as theirs."),
    )


class VerifyForm(forms.Form):
    proof = forms.URLField(
        label=gettext_lazy("Proof"),
        max_length=1000,
        assume_scheme="https",
        help_text=gettext_lazy("A page where the actor names this channel as theirs."),
    )


class UnverifyForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=1000)


def page(request: HttpRequest, actor: Actor, *, form=None, status: int = 200) -> HttpResponse:
    context = {
        "actor": actor,
        "channels": actor.channels.select_related("verified_by"),
        "form": form or ChannelForm(),
        "can_verify": is_reviewer(request.user),
    }
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_GET
@editor_required
def actor_channels(request: HttpRequest, slug: str) -> HttpResponse:
    return page(request, get_object_or_404(Actor, slug=slug))


@require_POST
@editor_required
def channel_add(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    form = ChannelForm(request.POST)
    if not form.is_valid():
        return page(request, actor, form=form, status=422)
    try:
        writing.add_channel(actor, by=request.user, **form.cleaned_data)
    except ValidationError:
        form.add_error(
            "url", _("This channel is already on file for %(actor)s.") % {"actor": actor}
        )
        return page(request, actor, form=form, status=422)
    messages.success(request, _("Channel filed. A reviewer verifies it with the proof."))
    return redirect("desk:actor_channels", slug=actor.slug)


# A reviewer's two decisions on a channel: each with its form, its write, and what it says.
@dataclass(frozen=True)
class ChannelReview:
    form: type[forms.Form]
    write: Callable[..., ActorChannel]
    refused: str
    done: str


CHANNEL_REVIEWS = {
    "verify": ChannelReview(
        VerifyForm,
        writing.verify_channel,
        gettext_lazy("Verifying a channel needs the proof: a web address."),
        gettext_lazy("Channel verified."),
    ),
    "unverify": ChannelReview(
        UnverifyForm,
        writing.unverify_channel,
        gettext_lazy("Say why the channel is no longer taken as verified."),
        gettext_lazy("Channel no longer verified; its responses are flagged again."),
    ),
}


@require_POST
@reviewer_required
def channel_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Verify a channel with its proof, or take the verification back with the reason."""
    review = CHANNEL_REVIEWS[action]
    channel = get_object_or_404(ActorChannel.objects.select_related("actor"), pk=pk)
    form = review.form(request.POST)
    if not form.is_valid():
        messages.error(request, review.refused)
        return page(request, channel.actor, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    review.write(channel, by=request.user, **form.cleaned_data)
    messages.success(request, review.done)
    return redirect("desk:actor_channels", slug=channel.actor.slug)
