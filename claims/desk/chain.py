"""
Log a whole chain on one page: the claim, the reports that carried it and the official
responses, saved in one transaction through the write path (models/writing.py), or not at all.

Names (actors, outlets, tags) are typed. A name not on file is listed back on the same form,
each with a checkbox to create it and its kind; the ticked ones are created in the same
transaction as the chain, so one more submit logs everything, with or without JavaScript.

A claim very like one on file (claims.duplicates.VERY_SIMILAR) is logged as a new claim only
when the editor ticks "log as a new claim anyway"; "this is the same claim" links open this
page for the claim on file, and the reports and responses are added to it.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from claims.duplicates import VERY_SIMILAR, very_similar
from claims.importer.similar import similar_claims
from claims.models import (
    Actor,
    ActorKind,
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    Outlet,
    OutletKind,
    Report,
    Response,
    Stance,
    Tag,
    writing,
)
from claims.models.sources import language_code, unique_slug
from claims.roles import editor_required

from .forms import MAX_NAMES_LENGTH, DeskForm, NameInput, find_by_name, local_datetime_input
from .views import done

# How many reports and responses one page holds at most ("+ another" adds one at a time).
MAX_REPORTS = 10
MAX_RESPONSES = 10
# A claim's text shorter than this finds nothing similar worth showing.
SIMILAR_MIN_LENGTH = 3

NAME_MODELS = {"actors": Actor, "outlets": Outlet, "tags": Tag}
NAME_KIND_CHOICES = {"actors": ActorKind.choices, "outlets": OutletKind.choices, "tags": []}
NOUNS = {"actors": _("actor"), "outlets": _("outlet"), "tags": _("tag")}


def similar_text_attrs(field_name: str) -> dict:
    """htmx attributes that show claims like the text as the editor types it."""
    url = reverse("desk:similar_claims")
    return {
        "hx-get": f"{url}?field={field_name}",
        "hx-trigger": "input changed delay:300ms",
        "hx-target": "#similar-claims",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "aria-describedby": "similar-claims",
    }


def typed_names(kind: str, *, label, multiple: bool = False, help_text="") -> forms.CharField:
    """An optional text input naming one row of `kind` (or, `multiple`, several separated by
    commas), with the names on file as its datalist; the names are looked up on save."""
    model = NAME_MODELS[kind]
    return forms.CharField(
        label=label,
        max_length=MAX_NAMES_LENGTH if multiple else model._meta.get_field("name").max_length,
        required=False,
        widget=NameInput(kind=kind, queryset=model.objects.all(), multiple=multiple),
        help_text=help_text,
    )


def split_names(text: str) -> list[str]:
    return list(dict.fromkeys(" ".join(part.split()) for part in text.split(",") if part.strip()))


# The three parts of the page


class ClaimPart(DeskForm):
    text = forms.CharField(label=_("Claim"), max_length=500, required=False)
    language = forms.CharField(
        label=_("Language of the claim"),
        max_length=10,
        required=False,
        validators=[language_code],
        help_text=_("e.g. uk, en, ru."),
    )
    claimant = typed_names("actors", label=_("Claimant"), help_text=_("Who made the claim."))
    subjects = typed_names(
        "actors",
        label=_("Subjects"),
        multiple=True,
        help_text=_("Who the claim is about; separate names with commas."),
    )
    tags = typed_names(
        "tags", label=_("Tags"), multiple=True, help_text=_("Separate tags with commas.")
    )
    first_seen_at = forms.DateTimeField(
        label=_("First seen (Kyiv time)"),
        required=False,
        widget=local_datetime_input(),
        help_text=_("Left empty: the earliest report's time."),
    )
    context = forms.CharField(
        label=_("Context"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_anyway = forms.BooleanField(
        label=_("Log as a new claim anyway"),
        required=False,
        help_text=_("Only when a very similar claim on file is not the same claim."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="claim", **kwargs)
        self.fields["text"].widget.attrs.update(similar_text_attrs(self.add_prefix("text")))


class ReportPart(DeskForm):
    outlet = typed_names("outlets", label=_("Outlet"))
    url = forms.URLField(label=_("URL"), required=False, max_length=1000, assume_scheme="https")
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    published_at = forms.DateTimeField(
        label=_("Published (Kyiv time)"), required=False, widget=local_datetime_input()
    )
    language = forms.CharField(
        label=_("Language of the report"),
        max_length=10,
        required=False,
        validators=[language_code],
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=CarriageRole.choices,
        initial=CarriageRole.REPEAT,
        required=False,  # an empty report on the page needs none
    )
    wording = forms.CharField(
        label=_("Wording"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The claim in the report's own words."),
    )
    cites = forms.ChoiceField(label=_("Cites"), required=False)

    def is_empty(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) for name in ("outlet", "url", "title", "wording"))

    def clean(self) -> dict:
        data = super().clean()
        if self.is_empty():
            return data
        if not data.get("outlet", "").strip():
            self.add_error("outlet", gettext("Whose report is it? Give its outlet."))
        if not data.get("title", "").strip() and not self.report_on_file():
            self.add_error("title", gettext("Give the report's title."))
        return data

    def report_on_file(self) -> Report | None:
        url = self.cleaned_data.get("url")
        if not url:
            return None
        return (
            Report.objects.filter(url=url).order_by("pk").first()
            or Report.objects.filter(canonical_url=url).first()
        )


class ResponsePart(DeskForm):
    responder = typed_names("actors", label=_("Responder"))
    stance = forms.ChoiceField(
        label=_("Stance"), required=False, choices=[("", "—"), *Stance.choices]
    )
    attribution = forms.ChoiceField(
        label=_("Attribution"), required=False, choices=[("", "—"), *Attribution.choices]
    )
    speaker_name = forms.CharField(label=_("Named speaker"), required=False, max_length=200)
    quote = forms.CharField(
        label=_("Quote"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    language = forms.CharField(
        label=_("Language of the quote"),
        max_length=10,
        required=False,
        validators=[language_code],
    )
    reported_in = forms.ChoiceField(label=_("Reported in"), required=False)
    responded_at = forms.DateTimeField(
        label=_("Responded (Kyiv time)"),
        required=False,
        widget=local_datetime_input(),
        help_text=_("Left empty: when the report it was reported in was published."),
    )

    def is_empty(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) for name in ("responder", "stance", "quote", "speaker_name"))

    def clean(self) -> dict:
        data = super().clean()
        if self.is_empty():
            return data
        if not data.get("responder", "").strip():
            self.add_error("responder", gettext("Who responded?"))
        for name in ("stance", "attribution"):
            if not data.get(name):
                self.add_error(name, gettext("Choose one for the response."))
        if (
            data.get("attribution") == Attribution.NAMED_OFFICIAL
            and not data.get("speaker_name", "").strip()
        ):
            self.add_error(
                "speaker_name", gettext("A named official on record needs the speaker's name.")
            )
        return data


def _count(data, prefix: str, default: int, most: int) -> int:
    if data is None:
        return default
    text = str(data.get(f"{prefix}-count", "")).strip()
    count = int(text) if text.isascii() and text.isdigit() else default
    return max(1, min(count, most))


# Names the page refers to


@dataclass
class NewName:
    """A name typed on the page that is not on file: created with the chain if ticked."""

    kind: str
    name: str
    kind_choice: str
    create: bool

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.name}"

    @property
    def noun(self) -> str:
        return NOUNS[self.kind]

    @property
    def kind_choices(self) -> list:
        return NAME_KIND_CHOICES[self.kind]


class ChainPage:
    """The claim, the reports and the responses typed on one page, and the names they use."""

    def __init__(self, data: QueryDict | None = None, *, existing: Claim | None = None) -> None:
        self.data = data
        self.existing = existing
        self.report_count = _count(data, "report", 2, MAX_REPORTS)
        self.response_count = _count(data, "response", 1, MAX_RESPONSES)
        if data is not None and data.get("more") == "report":
            self.report_count = min(self.report_count + 1, MAX_REPORTS)
        if data is not None and data.get("more") == "response":
            self.response_count = min(self.response_count + 1, MAX_RESPONSES)
        self.claim = ClaimPart(data)
        self.reports = [ReportPart(data, prefix=f"report-{i}") for i in range(self.report_count)]
        self.responses = [
            ResponsePart(data, prefix=f"response-{i}") for i in range(self.response_count)
        ]
        labels = [("", gettext("— none —"))] + [
            (str(i), gettext("Report %(n)s") % {"n": i + 1}) for i in range(self.report_count)
        ]
        for i, form in enumerate(self.reports):
            form.fields["cites"].choices = [c for c in labels if c[0] != str(i)]
            form.fields["cites"].help_text = gettext("The report on this page it cites.")
            if i == 0:
                form.fields["role"].initial = CarriageRole.ORIGIN
        for form in self.responses:
            form.fields["reported_in"].choices = labels
        self.errors: list[str] = []
        self.new_names: list[NewName] = []
        self.found: dict[tuple[str, str], object] = {}
        self.similar: list[Claim] = []

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    # Validation

    def is_valid(self) -> bool:
        parts = [self.claim, *self.reports, *self.responses]
        valid = all(form.is_valid() for form in parts)  # every form cleaned, errors and all
        if not self.claim.is_valid():
            return False
        self._check_claim()
        # Names are listed back even while other fields need fixing: one round fixes all.
        self._check_cites()
        self._check_names()
        return valid and not self.errors and not any(form.errors for form in parts)

    def _check_claim(self) -> None:
        text = self.claim.cleaned_data.get("text", "").strip()
        if self.existing is not None:
            return
        if not text:
            self.claim.add_error("text", gettext("What is the claim? Type it here."))
            return
        self.similar = similar_claims(text, limit=5)
        same = very_similar(self.similar)
        if same is not None and not self.claim.cleaned_data.get("new_anyway"):
            self.claim.add_error(
                "new_anyway",
                gettext(
                    "“%(text)s” is on file (similarity %(score).2f): add your report to it, "
                    "or tick “log as a new claim anyway”."
                )
                % {"text": same.text, "score": same.similarity},
            )

    def filled_reports(self) -> list[tuple[int, ReportPart]]:
        return [(i, form) for i, form in enumerate(self.reports) if not form.is_empty()]

    def filled_responses(self) -> list[ResponsePart]:
        return [form for form in self.responses if not form.is_empty()]

    def _check_cites(self) -> None:
        filled = dict(self.filled_reports())
        for form in filled.values():
            cited = form.cleaned_data.get("cites")
            if cited and int(cited) not in filled:
                form.add_error("cites", gettext("That report on this page is empty."))
        for i in filled:  # a report cannot cite its way back to itself
            seen, at = set(), i
            while at is not None and at not in seen:
                seen.add(at)
                cited = filled[at].cleaned_data.get("cites") if at in filled else None
                at = int(cited) if cited else None
            if at is not None:
                filled[i].add_error("cites", gettext("These reports cite each other in a circle."))
                return
        for form in self.filled_responses():
            reported = form.cleaned_data.get("reported_in")
            if reported and int(reported) not in filled:
                form.add_error("reported_in", gettext("That report on this page is empty."))

    def typed_names(self) -> list[tuple[str, str, str, forms.Form, str]]:
        """(kind, name, default kind of row, form, field) for every name typed on the page."""
        names = []
        if self.existing is None:
            claim = self.claim.cleaned_data
            if claim.get("claimant", "").strip():
                names.append(
                    ("actors", claim["claimant"], ActorKind.ORGANISATION, self.claim, "claimant")
                )
            for name in split_names(claim.get("subjects", "")):
                names.append(("actors", name, ActorKind.PERSON, self.claim, "subjects"))
            for name in split_names(claim.get("tags", "")):
                names.append(("tags", name, "", self.claim, "tags"))
        for _index, form in self.filled_reports():
            if form.cleaned_data.get("outlet", "").strip():
                names.append(
                    ("outlets", form.cleaned_data["outlet"], OutletKind.ONLINE, form, "outlet")
                )
        for form in self.filled_responses():
            if form.cleaned_data.get("responder", "").strip():
                names.append(
                    (
                        "actors",
                        form.cleaned_data["responder"],
                        ActorKind.ORGANISATION,
                        form,
                        "responder",
                    )
                )
        return [
            (kind, " ".join(name.split()), default, form, field)
            for kind, name, default, form, field in names
        ]

    def _check_names(self) -> None:
        ticked = set(self.data.getlist("create"))
        new: dict[str, NewName] = {}
        for kind, name, default, form, field in self.typed_names():
            key = (kind, name.casefold())
            if key in self.found or f"{kind}|{name}".casefold() in {k.casefold() for k in new}:
                continue
            try:
                self.found[key] = find_by_name(
                    NAME_MODELS[kind].objects.all(), name, str(NOUNS[kind])
                )
            except ValidationError as error:
                if error.code != "unknown":
                    form.add_error(field, error)
                    continue
                item = NewName(kind=kind, name=name, kind_choice=default, create=False)
                chosen = self.data.get(f"kind|{item.key}", "")
                if chosen in dict(item.kind_choices):
                    item.kind_choice = chosen
                item.create = item.key in ticked
                new[item.key] = item
        self.new_names = list(new.values())
        missing = [item for item in self.new_names if not item.create]
        if missing:
            self.errors.append(
                gettext(
                    "Not on file yet: %(names)s. Tick the names to create with the chain "
                    "(check the spelling first), then log it again."
                )
                % {"names": ", ".join(item.name for item in missing)}
            )

    # Saving

    def save(self, *, by) -> Claim:
        """Everything in one transaction: the new names, the claim, reports, carriages and
        responses (each through the write path); an error leaves nothing behind."""
        with transaction.atomic():
            for item in self.new_names:
                self.found[(item.kind, item.name.casefold())] = self._create_name(item, by=by)
            claim = self.existing or self._create_claim(by=by)
            reports = {i: self._report(form, claim, by=by) for i, form in self.filled_reports()}
            carriages: dict[int, Carriage] = {}
            for i, _form in self.filled_reports():
                self._carriage(i, claim, reports, carriages, by=by)
            for form in self.filled_responses():
                data = form.cleaned_data
                report = reports.get(int(data["reported_in"])) if data.get("reported_in") else None
                writing.create(
                    Response,
                    by=by,
                    values={
                        "claim": claim,
                        "responder": self._name("actors", data["responder"]),
                        "stance": data["stance"],
                        "attribution": data["attribution"],
                        "speaker_name": data.get("speaker_name", "").strip(),
                        "quote": data.get("quote", "").strip(),
                        "language": data.get("language", ""),
                        "report": report,
                        "responded_at": data.get("responded_at")
                        or (report.published_at if report else None)
                        or timezone.now(),
                    },
                )
        return claim

    def _name(self, kind: str, name: str):
        return self.found[(kind, " ".join(name.split()).casefold())]

    def _create_name(self, item: NewName, *, by):
        if item.kind == "actors":
            return writing.resolve_actor(item.name, by=by, create=True, kind=item.kind_choice)[0]
        if item.kind == "outlets":
            return writing.resolve_outlet(item.name, by=by, create=True, kind=item.kind_choice)[0]
        return writing.resolve_tags([item.name], by=by, create=True)[0][0]

    def _create_claim(self, *, by) -> Claim:
        data = self.claim.cleaned_data
        text = data["text"].strip()
        dated = [
            f.cleaned_data["published_at"]
            for _index, f in self.filled_reports()
            if f.cleaned_data.get("published_at")
        ]
        return writing.create(
            Claim,
            by=by,
            values={
                "text": text,
                "language": data.get("language", ""),
                "claimant": self._name("actors", data["claimant"])
                if data.get("claimant", "").strip()
                else None,
                "subjects": [
                    self._name("actors", n) for n in split_names(data.get("subjects", ""))
                ],
                "tags": [self._name("tags", n) for n in split_names(data.get("tags", ""))],
                "first_seen_at": data.get("first_seen_at") or (min(dated) if dated else None),
                "context": data.get("context", "").strip(),
            },
            slug=unique_slug(Claim, text, language=data.get("language", "")),
        )

    def _report(self, form: ReportPart, claim: Claim, *, by) -> Report:
        on_file = form.report_on_file()
        if on_file is not None:
            return on_file
        data = form.cleaned_data
        return writing.create(
            Report,
            by=by,
            values={
                "outlet": self._name("outlets", data["outlet"]),
                "url": data.get("url") or "",
                "title": data["title"].strip(),
                "published_at": data.get("published_at"),
                "language": data.get("language", ""),
            },
            history_claim=claim,
        )

    def _carriage(self, i: int, claim: Claim, reports: dict, carriages: dict, *, by) -> Carriage:
        """The carriage of report `i`, after the one it cites (no circles: see _check_cites)."""
        if i in carriages:
            return carriages[i]
        data = dict(self.filled_reports())[i].cleaned_data
        cites = (
            self._carriage(int(data["cites"]), claim, reports, carriages, by=by)
            if data.get("cites")
            else None
        )
        on_file = Carriage.objects.filter(claim=claim, report=reports[i]).first()
        carriages[i] = on_file or writing.create(
            Carriage,
            by=by,
            values={
                "claim": claim,
                "report": reports[i],
                "role": data.get("role") or CarriageRole.REPEAT,
                "wording": data.get("wording", "").strip(),
                "cites": cites,
            },
        )
        return carriages[i]


# Views


def _page(request: HttpRequest, page: ChainPage, status: int = HTTPStatus.OK) -> HttpResponse:
    if page.is_bound and not page.similar and page.existing is None and page.claim.is_valid():
        text = page.claim.cleaned_data.get("text", "").strip()
        page.similar = similar_claims(text, limit=5) if len(text) >= SIMILAR_MIN_LENGTH else []
    context = {"page": page, "similar": page.similar, "very_similar": VERY_SIMILAR}
    template = "claims/desk/chain_new.html"
    return render(
        request, f"{template}#chain-form" if request.htmx else template, context, status=status
    )


@require_http_methods(["GET", "POST"])
@editor_required
def chain_new(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("claim-existing") or request.GET.get("claim", "")
    existing = get_object_or_404(Claim.objects.visible(), slug=slug) if slug else None
    if request.method == "GET":
        return _page(request, ChainPage(existing=existing))
    page = ChainPage(request.POST, existing=existing)
    if request.POST.get("more") or not page.is_valid():
        status = HTTPStatus.OK if request.POST.get("more") else HTTPStatus.UNPROCESSABLE_ENTITY
        if request.POST.get("more"):
            page.is_valid()  # show the names not on file yet, and what needs fixing
        return _page(request, page, status)
    try:
        claim = page.save(by=request.user)
    except IntegrityError:
        # Another editor took the same slug or logged the same carriage meanwhile.
        page.errors.append(gettext("Someone saved part of this chain meanwhile: log it again."))
        return _page(request, page, HTTPStatus.CONFLICT)
    if existing is not None:
        messages.success(request, gettext("Reports and responses added to the claim."))
    else:
        messages.success(
            request, gettext("Chain logged: a second editor approves it in the review queue.")
        )
    return done(request, reverse("desk:claim_edit", args=[claim.slug]))


@require_GET
@editor_required
def similar(request: HttpRequest) -> HttpResponse:
    """Claims like the text being typed (htmx, as the editor types), most alike first."""
    field = request.GET.get("field", "text")
    text = request.GET.get(field, "").strip()[:500]
    found = similar_claims(text, limit=5) if len(text) >= SIMILAR_MIN_LENGTH else []
    context = {"similar": found, "very_similar": VERY_SIMILAR, "typed": bool(text)}
    return render(request, "claims/desk/_similar_claims.html", context)
