"""Desk forms: start an import, and confirm what it found."""

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from claims.ids import IdChoiceField
from claims.models import Attribution, CarriageRole, Claim, PublishedPrecision, Stance

from .fetch import FetchRefused, check_url
from .pipeline import REPORT_FIELDS, Confirmation


class ImportForm(forms.Form):
    url = forms.URLField(
        label=_("Article URL"), required=False, max_length=1000, assume_scheme="https"
    )
    html = forms.CharField(
        label=_("…or paste the page's HTML"),
        required=False,
        strip=False,  # archived exactly as pasted
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    file = forms.FileField(label=_("…or upload a saved page"), required=False)
    page_url = forms.URLField(
        label=_("The page's address (for pasted or uploaded HTML)"),
        required=False,
        max_length=1000,
        assume_scheme="https",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widen(self)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if url:
            try:
                check_url(url, resolve=False)
            except FetchRefused as error:
                raise forms.ValidationError(str(error.notice)) from None
        return url

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "IMPORTER_MAX_BYTES", 5 * 1024 * 1024)
        if upload and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)d MB.")
                % {"megabytes": limit // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        given = [name for name in ("url", "html", "file") if data.get(name)]
        if not given and not self.errors:
            raise forms.ValidationError(_("Give a URL, paste the HTML or upload a file."))
        if len(given) > 1:
            raise forms.ValidationError(_("Give only one of a URL, pasted HTML or a file."))
        return data

    def source_bytes(self) -> bytes:
        if self.cleaned_data.get("file"):
            return self.cleaned_data["file"].read()
        return (self.cleaned_data.get("html") or "").encode("utf-8")


def widen(form: forms.Form) -> None:
    """Room to read long titles and URLs without CSS: size and cols on the widgets."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            widget.attrs["cols"] = 80
        elif isinstance(widget, (forms.TextInput, forms.URLInput)):
            widget.attrs.setdefault("size", 80)


def blank(choices) -> list:
    return [("", "—"), *choices]


class ConfirmForm(forms.Form):
    # The report
    outlet_name = forms.CharField(label=_("Outlet"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=500)
    url = forms.URLField(label=_("URL"), required=False, max_length=1000, assume_scheme="https")
    canonical_url = forms.URLField(
        label=_("Canonical URL"), required=False, max_length=1000, assume_scheme="https"
    )
    published_at = forms.CharField(
        label=_("Published (ISO 8601 with offset)"), required=False, max_length=40
    )
    byline = forms.CharField(label=_("Byline"), required=False, max_length=300)
    language = forms.CharField(label=_("Language"), required=False, max_length=10)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Comma-separated."), max_length=2000
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    update_fields = forms.MultipleChoiceField(
        label=_("Take these changes from the page"),
        required=False,
        choices=[(name, name.replace("_", " ")) for name in REPORT_FIELDS],
        widget=forms.CheckboxSelectMultiple,
    )
    # The claim
    existing_claim = IdChoiceField(
        label=_("Same as an existing claim"),
        queryset=Claim.objects.visible(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("No: a new claim"),
    )
    claim_text = forms.CharField(label=_("Claim"), required=False, max_length=500)
    claimant = forms.CharField(label=_("Claimant"), required=False, max_length=200)
    carriage_role = forms.ChoiceField(
        label=_("How this report carries the claim"),
        choices=CarriageRole.choices,
        initial=CarriageRole.MENTION,
    )
    wording = forms.CharField(
        label=_("Wording as carried"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The response
    responder = forms.CharField(label=_("Responder"), required=False, max_length=200)
    stance = forms.ChoiceField(label=_("Stance"), required=False, choices=blank(Stance.choices))
    attribution = forms.ChoiceField(
        label=_("Attribution"), required=False, choices=blank(Attribution.choices)
    )
    speaker_name = forms.CharField(label=_("Speaker (if named)"), required=False, max_length=200)
    quote = forms.CharField(
        label=_("Quote"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Other fact-checkers' reviews found on the page, by their place in the page's list.
    external_reviews = forms.TypedMultipleChoiceField(
        label=_("Link these checks by other fact-checkers to the claim"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, similar=(), reviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [claim.pk for claim in similar]
        field = self.fields["existing_claim"]
        field.queryset = Claim.objects.filter(pk__in=ids) if ids else Claim.objects.none()
        self.reviews = list(reviews)
        self.fields["external_reviews"].choices = [
            (i, review.get("author") or "?") for i, review in enumerate(self.reviews)
        ]
        widen(self)

    def clean_published_at(self):
        value = (self.cleaned_data["published_at"] or "").strip()
        self.published_precision = PublishedPrecision.TIME
        if not value:
            return None
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            # The page printed only the day: keep it as a day, not as midnight.
            self.published_precision = PublishedPrecision.DAY
            return timezone.make_aware(datetime.combine(day, time()))
        moment = parse_datetime(value.replace(" ", "T", 1))
        if moment is None:
            raise forms.ValidationError(
                _("Use a date and time like 2025-11-17T17:55:00+02:00, or a day like 2025-11-17.")
            )
        if moment.tzinfo is None:
            raise forms.ValidationError(_("Give the time's UTC offset, like +02:00."))
        return moment

    def clean(self):
        data = super().clean()
        has_claim = bool(data.get("existing_claim") or (data.get("claim_text") or "").strip())
        if (data.get("responder") or "").strip():
            if not has_claim:
                self.add_error("claim_text", _("A response needs a claim to respond to."))
            for name in ("stance", "attribution"):
                if not data.get(name):
                    self.add_error(name, _("Choose one for the response."))
        elif data.get("stance"):
            self.add_error("responder", _("Who responded?"))
        if (
            data.get("attribution") == Attribution.NAMED_OFFICIAL
            and not (data.get("speaker_name") or "").strip()
        ):
            self.add_error("speaker_name", _("A named official needs a name."))
        return data

    def confirmation(self) -> Confirmation:
        data = self.cleaned_data
        return Confirmation(
            outlet_name=data["outlet_name"],
            title=data["title"],
            url=data.get("url") or "",
            canonical_url=data.get("canonical_url") or "",
            published_at=data.get("published_at"),
            byline=data.get("byline") or "",
            language=data.get("language") or "",
            body=data.get("body") or "",
            tags=[t.strip() for t in (data.get("tags") or "").split(",") if t.strip()],
            update_fields=list(data.get("update_fields") or []),
            claim_text=data.get("claim_text") or "",
            existing_claim=data.get("existing_claim"),
            claimant=data.get("claimant") or "",
            carriage_role=data.get("carriage_role") or CarriageRole.MENTION,
            wording=data.get("wording") or "",
            responder=data.get("responder") or "",
            stance=data.get("stance") or "",
            attribution=data.get("attribution") or "",
            speaker_name=data.get("speaker_name") or "",
            quote=data.get("quote") or "",
            published_precision=getattr(self, "published_precision", PublishedPrecision.TIME),
            external_reviews=[
                self.reviews[i] for i in data.get("external_reviews") or [] if i < len(self.reviews)
            ],
        )


def initial_from_result(result: dict, outlet_name: str = "") -> dict:
    """The confirm form's starting values: the extracted article and the suggestion."""
    article = result.get("article") or {}
    suggestion = result.get("suggestion") or {}
    evidence = suggestion.get("evidence", "")
    return {
        "outlet_name": outlet_name or article.get("outlet", ""),
        "title": article.get("title", ""),
        "url": article.get("url", ""),
        "canonical_url": article.get("canonical_url", ""),
        "published_at": (
            (article.get("published") or "")[:10]
            if article.get("published_precision") == "day"
            else article.get("published") or ""
        ),
        "byline": article.get("byline", ""),
        "language": article.get("language", ""),
        "tags": ", ".join(article.get("tags") or []),
        "body": article.get("body", ""),
        "claim_text": suggestion.get("claim", ""),
        "claimant": suggestion.get("claimant", ""),
        "wording": evidence,
        "responder": suggestion.get("responder", ""),
        "stance": suggestion.get("stance", ""),
        "attribution": suggestion.get("attribution", ""),
        "speaker_name": suggestion.get("speaker_name", ""),
        "quote": suggestion.get("quote", ""),
    }
