"""
Desk forms: the claim chain, verdicts, withdrawals and inline creation of names.

Actors, outlets and tags are typed by name into text inputs backed by a `<datalist>`, so
they autocomplete in any browser; htmx refreshes the datalist from the server as the editor
types. A name the desk does not know is an error pointing to the "new name" forms.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from claims.ids import BoundedIntegerField, IdChoiceField, as_id
from claims.locale import thing
from claims.models import (
    Actor,
    Carriage,
    Claim,
    Narrative,
    Outlet,
    Rating,
    Report,
    Response,
    Tag,
    TranslatedPart,
    TranslatorKind,
    Verdict,
    writing,
)
from claims.models.sources import unique_slug

DATALIST_SIZE = 200
MAX_NAMES_LENGTH = 2000  # a comma-separated list of actors or tags
MAX_FINDER_LENGTH = 500  # as long as a claim's text
LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"


def local_datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_TIME_FORMAT)


def longest_name(queryset: QuerySet) -> int:
    return queryset.model._meta.get_field("name").max_length


def find_by_name(queryset: QuerySet, name: str, noun: str) -> Model:
    """The one row called `name` (ignoring case) or with that slug, by the write path's rule
    for names (the desk never creates one while saving a form). `noun` is the kind's code
    ("actor", "outlet", "tag"), named in the message in the interface language."""
    words = {"thing": thing(noun), "name": name, "limit": longest_name(queryset)}
    # Longer than any name, it names nothing; on SQLite, far longer is a LIKE pattern refused.
    if len(name) > longest_name(queryset):
        raise ValidationError(
            _t("No %(thing)s has a name that long (at most %(limit)d characters).") % words,
            code="max_length",
        )
    try:
        return writing.resolve_name(queryset.model, name, by=None)[0]
    except writing.AmbiguousName as error:
        raise ValidationError(str(error), code="ambiguous") from None
    except writing.UnknownName as error:
        raise ValidationError(str(error), code="unknown") from None


class NameInput(forms.TextInput):
    """A text input with a `<datalist>` of names, refreshed by htmx as the editor types."""

    def __init__(self, *, kind: str, queryset: QuerySet, multiple: bool = False) -> None:
        self.kind = kind
        self.queryset = queryset
        self.multiple = multiple
        super().__init__(attrs={"autocomplete": "off"})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-names"
        url = reverse_lazy("desk:autocomplete", args=[self.kind])
        context["widget"]["attrs"].update(
            {
                "list": list_id,
                "hx-get": f"{url}?field={name}&multiple={int(self.multiple)}",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        context["widget"]["list_id"] = list_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        names = self.queryset.order_by("name").values_list("name", flat=True)[:DATALIST_SIZE]
        options = format_html_join("", '<option value="{}"></option>', ((n,) for n in names))
        return format_html(
            '{}<datalist id="{}">{}</datalist>', html, context["widget"]["list_id"], options
        )


class TypedNamesField(forms.CharField):
    """Text that names rows: its length is checked as typed, before any lookup."""

    def typed(self, value) -> str:
        text = super().to_python(value) or ""
        self.run_validators(text)
        return text

    def run_validators(self, value):
        if isinstance(value, str):  # not again on the rows the text was found to name
            super().run_validators(value)


class NameField(TypedNamesField):
    """One actor, outlet or tag, typed by name."""

    def __init__(self, *, kind: str, queryset: QuerySet, noun: str, **kwargs) -> None:
        self.queryset, self.noun = queryset, noun
        kwargs.setdefault("widget", NameInput(kind=kind, queryset=queryset))
        kwargs.setdefault("max_length", longest_name(queryset))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            value = self.queryset.filter(pk=value).first()
        return value.name if isinstance(value, Model) else value

    def to_python(self, value):
        name = self.typed(value).strip()
        return find_by_name(self.queryset, name, self.noun) if name else None


class NamesField(TypedNamesField):
    """Several actors or tags, typed as names separated by commas."""

    def __init__(self, *, kind: str, queryset: QuerySet, noun: str, **kwargs) -> None:
        self.queryset, self.noun = queryset, noun
        kwargs.setdefault("widget", NameInput(kind=kind, queryset=queryset, multiple=True))
        kwargs.setdefault("help_text", _("Separate the names with commas."))
        kwargs.setdefault("max_length", MAX_NAMES_LENGTH)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple, QuerySet)):
            rows = [
                item if isinstance(item, Model) else self.queryset.filter(pk=item).first()
                for item in value
            ]
            return ", ".join(row.name for row in rows if row is not None)
        return value

    def to_python(self, value):
        names = [part.strip() for part in self.typed(value).split(",")]
        found, errors = [], []
        for name in dict.fromkeys(n for n in names if n):
            try:
                found.append(find_by_name(self.queryset, name, self.noun))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return found


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, so a stale save can be refused."""

    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            # A public row's many-to-many values still waiting for review (writing.with_pending).
            for name, ids in getattr(self.instance, "pending_m2m", {}).items():
                if name in self.fields:
                    self.initial[name] = self.fields[name].queryset.filter(pk__in=ids)

    def clean_version(self) -> int | None:
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise ValidationError(_("This form has lost its version; reload the page."))
        return version

    def values(self) -> dict:
        """The model fields this form edits, as cleaned."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ClaimForm(VersionedForm):
    subjects = NamesField(
        kind="actors",
        queryset=Actor.objects.all(),
        noun="actor",
        required=False,
        label=_("Subjects"),
    )
    claimant = NameField(
        kind="actors",
        queryset=Actor.objects.all(),
        noun="actor",
        required=False,
        label=_("Claimant"),
        help_text=_("Who made the claim."),
    )
    tags = NamesField(
        kind="tags", queryset=Tag.objects.all(), noun="tag", required=False, label=_("Tags")
    )

    class Meta:
        model = Claim
        fields = ["text", "subjects", "claimant", "first_seen_at", "tags", "language", "context"]
        labels = {
            "text": _("Text"),
            "first_seen_at": _("First seen (Kyiv time)"),
            "language": _("Language"),
            "context": _("Context"),
        }
        widgets = {
            "first_seen_at": local_datetime_input(),
            "context": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Claims like the one being typed, shown as the editor types (a new claim only).
        self.similar = []
        if self.instance.pk is None:
            from claims.duplicates import VERY_SIMILAR

            self.very_similar = VERY_SIMILAR
            from .chain import similar_text_attrs

            self.fields["text"].widget.attrs.update(similar_text_attrs(self.add_prefix("text")))
            self.fields["new_anyway"] = forms.BooleanField(
                label=_("Log as a new claim anyway"),
                required=False,
                help_text=_("Only when a very similar claim on file is not the same claim."),
            )

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk is None and data.get("text"):
            from claims.duplicates import very_similar
            from claims.importer.similar import similar_claims

            self.similar = similar_claims(data["text"], limit=5)
            same = very_similar(self.similar)
            if same is not None and not data.get("new_anyway"):
                self.add_error(
                    "new_anyway",
                    gettext(
                        "“%(text)s” is on file (similarity %(score).2f): add your report to "
                        "it, or tick “log as a new claim anyway”."
                    )
                    % {"text": same.text, "score": same.similarity},
                )
        return data


def report_choices() -> QuerySet:
    return Report.objects.select_related("outlet").order_by("outlet__name", "-published_at", "-pk")


class ReportForm(VersionedForm):
    """A report's own facts, shared by every claim it carries."""

    outlet = NameField(
        kind="outlets", queryset=Outlet.objects.all(), noun="outlet", label=_("Outlet")
    )
    tags = NamesField(
        kind="tags", queryset=Tag.objects.all(), noun="tag", required=False, label=_("Tags")
    )

    class Meta:
        model = Report
        fields = ["outlet", "url", "title", "published_at", "byline", "language", "tags"]
        labels = {
            "url": _("URL"),
            "title": _("Title"),
            "published_at": _("Published (Kyiv time)"),
            "byline": _("Byline"),
            "language": _("Language"),
        }
        widgets = {"published_at": local_datetime_input()}


# How many of the most recently added reports a report <select> offers.
OFFERED_REPORTS = 50


class OfferedReports(ModelChoiceIterator):
    """Iterates the reports a field offers, not every report it accepts."""

    def __init__(self, field: "ReportChoiceField") -> None:
        super().__init__(field)
        self.queryset = field.offered


class ReportChoiceField(IdChoiceField):
    """Accepts any report by id, but offers a bounded list: the reports added most recently,
    the claim's own, and the one chosen (a <select> of every report cannot work with millions
    of them). An older report is found by its URL in the new-report fields."""

    iterator = OfferedReports

    def __init__(self, *args, **kwargs) -> None:
        self.offered = Report.objects.none()
        super().__init__(*args, **kwargs)

    def offer(self, *, claim: Claim | None = None, also=()) -> None:
        # Ids first, each from an index: one OR of subqueries would scan every report.
        ids = {as_id(pk) for pk in also if pk is not None} - {None}
        ids.update(Report.objects.order_by("-pk").values_list("pk", flat=True)[:OFFERED_REPORTS])
        if claim is not None:
            ids.update(Carriage.objects.filter(claim=claim).values_list("report_id", flat=True))
        self.offered = self.queryset.filter(pk__in=ids)
        self.widget.choices = self.choices

    def label_from_instance(self, report: Report) -> str:
        when = f" ({localtime(report.published_at):%d.%m.%Y})" if report.published_at else ""
        return f"{report.outlet.name}: {report.title}{when}"


class CarriageForm(VersionedForm):
    """A claim appearing in a report: pick a report, or describe a new one."""

    report = ReportChoiceField(
        queryset=Report.objects.none(),
        required=False,
        empty_label=_("— a new report, described below —"),
        label=_("Report"),
        help_text=_("Pick the report that carried the claim, or leave this empty and describe it."),
    )
    new_report_outlet = NameField(
        kind="outlets",
        queryset=Outlet.objects.all(),
        noun="outlet",
        required=False,
        label=_("Outlet"),
    )
    new_report_url = forms.URLField(
        required=False, label=_("URL"), max_length=1000, assume_scheme="https"
    )
    new_report_title = forms.CharField(required=False, label=_("Title"), max_length=500)
    new_report_published_at = forms.DateTimeField(
        required=False, label=_("Published (Kyiv time)"), widget=local_datetime_input()
    )

    class Meta:
        model = Carriage
        # The report is a form field of its own: it may be described here and not exist yet.
        fields = ["role", "wording", "language", "target_country", "audience_language", "cites"]
        field_classes = {"cites": IdChoiceField}
        widgets = {"wording": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "role": _("Role"),
            "wording": _("Wording"),
            "language": _("Language"),
            "cites": _("Cites"),
        }

    field_order = [
        "report",
        "new_report_outlet",
        "new_report_url",
        "new_report_title",
        "new_report_published_at",
        "role",
        "wording",
        "language",
        "target_country",
        "audience_language",
        "cites",
    ]

    def __init__(self, *args, claim: Claim, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["report"].queryset = report_choices()
        others = claim.carriages.current().select_related("report__outlet")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            if not self.is_bound:
                self.initial["report"] = self.instance.report_id
        self.chosen = [self.initial.get("report"), self.data.get(self.add_prefix("report"))]
        # Its own reports already carry the claim: the newest ones and the chosen one suffice.
        self.fields["report"].offer(also=self.chosen)
        self.fields["cites"].queryset = others
        self.fields["cites"].empty_label = _("— cites no other carriage —")

    def clean(self) -> dict:
        data = super().clean()
        report, title = data.get("report"), data.get("new_report_title", "").strip()
        if report is not None and title:
            raise ValidationError(_("Pick an existing report or describe a new one, not both."))
        if report is None and not title:
            self.add_error(
                "report", _("Pick the report, or give the new report's outlet and title.")
            )
        if report is None and title and not data.get("new_report_outlet"):
            self.add_error("new_report_outlet", _("A new report needs its outlet."))
        url = data.get("new_report_url")
        if title and url:
            existing = (
                Report.objects.filter(url=url).first()
                or Report.objects.filter(canonical_url=url).first()
            )
            if existing is not None:
                self.fields["report"].offer(also=[*self.chosen, existing.pk])
                self.add_error(
                    "new_report_url",
                    _t("This URL is already logged as “%(report)s”: pick it above.")
                    % {"report": existing},
                )
        if report is not None:
            clash = self.claim.carriages.filter(report=report)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("report", _("This report already carries the claim."))
        return data

    def new_report_values(self) -> dict | None:
        if self.cleaned_data.get("report") is not None:
            return None
        return {
            "outlet": self.cleaned_data["new_report_outlet"],
            "url": self.cleaned_data.get("new_report_url") or "",
            "title": self.cleaned_data["new_report_title"].strip(),
            "published_at": self.cleaned_data.get("new_report_published_at"),
        }


class ResponseForm(VersionedForm):
    responder = NameField(
        kind="actors", queryset=Actor.objects.all(), noun="actor", label=_("Responder")
    )
    report = ReportChoiceField(
        queryset=Report.objects.none(),
        required=False,
        empty_label=_("— not reported / none yet —"),
        label=_("Reported in"),
    )

    class Meta:
        model = Response
        fields = [
            "responder",
            "stance",
            "attribution",
            "speaker_name",
            "quote",
            "language",
            "channel_kind",
            "channel_url",
            "report",
            "responded_at",
        ]
        labels = {
            "stance": _("Stance"),
            "attribution": _("Attribution"),
            "speaker_name": _("Named speaker"),
            "quote": _("Quote"),
            "language": _("Language"),
            "responded_at": _("Responded (Kyiv time)"),
        }
        widgets = {
            "responded_at": local_datetime_input(),
            "quote": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, claim: Claim, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["report"].queryset = report_choices()
        chosen = [self.initial.get("report"), self.data.get(self.add_prefix("report"))]
        self.fields["report"].offer(claim=claim, also=chosen)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("attribution") == "named_official" and not data.get("speaker_name", "").strip():
            self.add_error(
                "speaker_name", _("A named official on record needs the speaker's name.")
            )
        if data.get("channel_url") and not data.get("channel_kind"):
            self.add_error("channel_kind", _("Say what kind of channel this address is."))
        return data


class VerdictForm(VersionedForm):
    class Meta:
        model = Verdict
        fields = ["rating", "summary", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 8})}
        labels = {"rating": _("Rating"), "summary": _("Summary"), "rationale": _("Rationale")}
        help_texts = {"rating": _("Needed before the verdict can be published.")}


class DeskForm(forms.Form):
    """A plain desk form: labels without the trailing colon, like the model forms."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ClaimFinderForm(DeskForm):
    """The dashboard's "find a claim": words the claim's text contains."""

    q = forms.CharField(required=False, max_length=MAX_FINDER_LENGTH, label=_("Find a claim"))
    mine = forms.BooleanField(required=False, label=_("Only my claims"))

    @property
    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""

    @property
    def only_mine(self) -> bool:
        return self.is_valid() and self.cleaned_data["mine"]


class WithdrawForm(DeskForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reason"),
        help_text=_("Readers of the history see this reason."),
    )
    version = BoundedIntegerField(widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason."))
        return reason


class ReturnForm(DeskForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What needs to change"),
        help_text=_("The author sees this note on their desk."),
    )


class CorrectionForm(DeskForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Correction"),
        help_text=_("Published under the verdict, dated, once a second editor approves it."),
    )
    rating = forms.ChoiceField(
        choices=[("", _("Keep the rating")), *Rating.choices],
        required=False,
        label=_("New rating"),
        help_text=_("The old rating stays on the page as superseded."),
    )


class VerdictWithdrawForm(DeskForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class TranslationForm(DeskForm):
    """Add or update a translation of a claim's text, a quote or a verdict's summary. The
    part and its row's id ride along as hidden fields when adding; updating keeps the
    language and carries the version instead."""

    part = forms.ChoiceField(choices=TranslatedPart.choices, widget=forms.HiddenInput)
    source = BoundedIntegerField(widget=forms.HiddenInput)
    language = forms.CharField(
        max_length=10,
        label=_("Language"),
        help_text=_("ISO code of the translation's language, e.g. en or uk."),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, label=_("Translation")
    )
    translator_kind = forms.ChoiceField(
        choices=TranslatorKind.choices,
        initial=TranslatorKind.EDITOR,
        widget=forms.RadioSelect,
        label=_("Translated by"),
        help_text=_("You, or a machine: then name its engine."),
    )
    engine = forms.CharField(
        max_length=100,
        required=False,
        label=_("Engine"),
        help_text=_("For a machine translation, e.g. DeepL or Google Translate."),
    )
    version = BoundedIntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        drop = ["part", "source", "language"] if editing else ["version"]
        for name in drop:
            del self.fields[name]

    def clean_language(self) -> str:
        return self.cleaned_data["language"].strip().lower()

    def clean(self):
        data = super().clean()
        if (
            data.get("translator_kind") == TranslatorKind.MACHINE
            and not (data.get("engine") or "").strip()
        ):
            self.add_error("engine", _("Name the engine that made the machine translation."))
        return data

    def values(self) -> dict:
        """What the write path takes (`add_translation` or `edit_translation`): the part and
        its row's id only find the source."""
        return {k: v for k, v in self.cleaned_data.items() if k not in {"part", "source"}}


class ConfirmTranslationForm(DeskForm):
    version = BoundedIntegerField(widget=forms.HiddenInput)


# Inline creation of the names the chain refers to.


class NewNameForm(forms.ModelForm):
    """Creates a row with a unique slug from its name."""

    noun = ""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self._meta.model._default_manager.filter(name__iexact=name).exists():
            raise ValidationError(str(self.already_named) % {"name": name})
        return name

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self._meta.fields}
        values["slug"] = unique_slug(
            self._meta.model, values["name"], language=values.get("language", "")
        )
        return values


class NewActorForm(NewNameForm):
    noun = "actor"
    already_named = _("There is already an actor called “%(name)s”.")
    name_taken = _("There is already an actor called that.")

    class Meta:
        model = Actor
        fields = ["name", "kind", "role"]
        labels = {"name": _("Name"), "kind": _("Kind"), "role": _("Role")}
        help_texts = {"role": _("e.g. NSDC Secretary.")}


class NewOutletForm(NewNameForm):
    noun = "outlet"
    already_named = _("There is already an outlet called “%(name)s”.")
    name_taken = _("There is already an outlet called that.")

    class Meta:
        model = Outlet
        fields = ["name", "kind", "homepage"]
        labels = {"name": _("Name"), "kind": _("Kind"), "homepage": _("Homepage")}


class NewTagForm(NewNameForm):
    noun = "tag"
    already_named = _("There is already a tag called “%(name)s”.")
    name_taken = _("There is already a tag called that.")

    class Meta:
        model = Tag
        fields = ["name"]
        labels = {"name": _("Name")}


class CodesField(forms.CharField):
    """Codes typed with commas between them ("UA, DE"), kept as a list."""

    def __init__(self, *, pattern: str, upper: bool, **kwargs) -> None:
        self.pattern, self.upper = pattern, upper
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        import re

        text = super().to_python(value) or ""
        codes = [c.strip() for c in text.split(",") if c.strip()]
        codes = [c.upper() if self.upper else c.lower() for c in codes]
        wrong = [c for c in codes if not re.fullmatch(self.pattern, c)]
        if wrong:
            raise ValidationError(
                _("Not a code: %(codes)s."), params={"codes": ", ".join(wrong)}, code="invalid"
            )
        return list(dict.fromkeys(codes))


class NarrativeForm(VersionedForm):
    target_countries = CodesField(
        pattern=r"[A-Z]{2}",
        upper=True,
        label=_("Target countries"),
        help_text=_("ISO codes with commas between them, e.g. UA, DE."),
    )
    audience_languages = CodesField(
        pattern=r"[a-z]{2,3}",
        upper=False,
        label=_("Audience languages"),
        help_text=_("ISO codes with commas between them, e.g. uk, ru."),
    )

    class Meta:
        model = Narrative
        fields = ["title", "summary", "language", "target_countries", "audience_languages"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class AttachNarrativeForm(forms.Form):
    # Chosen by slug, not by id: the choices are the narratives on file when the form is made.
    narrative = forms.ChoiceField(label=_("Narrative"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["narrative"].choices = [
            ("", _("— choose a narrative —")),
            *Narrative.objects.order_by("title").values_list("slug", "title"),
        ]

    def clean_narrative(self) -> Narrative:
        return Narrative.objects.get(slug=self.cleaned_data["narrative"])
