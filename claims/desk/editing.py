"""
Presenting desk edits: values as an editor reads them, conflict rows and history rows.

Writing is models/writing.py's job (the one write path, with the review gate).
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

from claims.models import HistoryEntry, Translation, writing

# Presenting values for conflict pages and the history page.

# Field names as the desk shows them in diffs and history, in the interface's language (the
# models' own verbose names are English: translating them there would need a migration).
FIELD_LABELS = {
    "actor": pgettext_lazy("field", "actor"),
    "approved_at": pgettext_lazy("field", "approved at"),
    "approved_by": pgettext_lazy("field", "approved by"),
    "attribution": pgettext_lazy("field", "attribution"),
    "author": pgettext_lazy("field", "author"),
    "body": pgettext_lazy("field", "body"),
    "byline": pgettext_lazy("field", "byline"),
    "canonical_url": pgettext_lazy("field", "canonical URL"),
    "cites": pgettext_lazy("field", "cites"),
    "claim": pgettext_lazy("field", "claim"),
    "claimant": pgettext_lazy("field", "claimant"),
    "context": pgettext_lazy("field", "context"),
    "country": pgettext_lazy("field", "country"),
    "created_at": pgettext_lazy("field", "created at"),
    "created_by": pgettext_lazy("field", "created by"),
    "description": pgettext_lazy("field", "description"),
    "duplicate_of": pgettext_lazy("field", "duplicate of"),
    "first_seen_at": pgettext_lazy("field", "first seen at"),
    "homepage": pgettext_lazy("field", "homepage"),
    "kind": pgettext_lazy("field", "kind"),
    "language": pgettext_lazy("field", "language"),
    "name": pgettext_lazy("field", "name"),
    "official_position": pgettext_lazy("field", "official position"),
    "outlet": pgettext_lazy("field", "outlet"),
    "parent": pgettext_lazy("field", "part of"),
    "previous_rating": pgettext_lazy("field", "previous rating"),
    "published_at": pgettext_lazy("field", "published at"),
    "published_rating": pgettext_lazy("field", "published rating"),
    "quote": pgettext_lazy("field", "quote"),
    "rating": pgettext_lazy("field", "rating"),
    "rationale": pgettext_lazy("field", "rationale"),
    "report": pgettext_lazy("field", "report"),
    "responded_at": pgettext_lazy("field", "responded at"),
    "responder": pgettext_lazy("field", "responder"),
    "review_note": pgettext_lazy("field", "review note"),
    "reviewer": pgettext_lazy("field", "reviewer"),
    "role": pgettext_lazy("field", "role"),
    "same_as": pgettext_lazy("field", "same as"),
    "search_document": pgettext_lazy("field", "search document"),
    "search_terms": pgettext_lazy("field", "search terms"),
    "slug": pgettext_lazy("field", "slug"),
    "speaker_name": pgettext_lazy("field", "speaker name"),
    "stance": pgettext_lazy("field", "stance"),
    "state": pgettext_lazy("field", "state"),
    "subjects": pgettext_lazy("field", "subjects"),
    "submitted_at": pgettext_lazy("field", "submitted at"),
    "summary": pgettext_lazy("field", "summary"),
    "tags": pgettext_lazy("field", "tags"),
    "text": pgettext_lazy("field", "text"),
    "time_zone": pgettext_lazy("field", "time zone"),
    "title": pgettext_lazy("field", "title"),
    "updated_at": pgettext_lazy("field", "updated at"),
    "url": pgettext_lazy("field", "URL"),
    "verdict": pgettext_lazy("field", "verdict"),
    "version": pgettext_lazy("field", "version"),
    "withdrawn_at": pgettext_lazy("field", "withdrawn at"),
    "withdrawn_reason": pgettext_lazy("field", "withdrawn reason"),
    "wording": pgettext_lazy("field", "wording"),
}


def display(value) -> str:
    """A value as an editor reads it: names for objects, local time for datetimes."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return ", ".join(sorted(display(item) for item in value)) or "—"
    return str(value)


def current_value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(obj, name).all())
    if field.choices and not field.is_relation:
        return getattr(obj, f"get_{name}_display")()
    return getattr(obj, name)


def conflict_rows(form, current: models.Model) -> list[dict]:
    """The fields where the editor's submitted values differ from the saved ones."""
    saved_fields = {field.name for field in current._meta.get_fields()}
    rows = []
    for name, yours in form.cleaned_data.items():
        if name == "version" or name not in saved_fields:
            continue  # form-only fields (a new report's title) have no saved value
        theirs = current_value(current, name)
        field = current._meta.get_field(name)
        if field.choices and not field.is_relation:
            yours = dict(field.flatchoices).get(yours, yours)
        if display(yours) != display(theirs):
            rows.append(
                {
                    "label": form[name].label,
                    "yours": display(yours),
                    "theirs": display(theirs),
                }
            )
    return rows


def describe(entry: HistoryEntry) -> list[dict]:
    """An entry's changes as rows of field label, old value and new value, with names for ids."""
    return describe_values(entry.content_type.model_class(), entry.changes)


def describe_values(model, changes: dict) -> list[dict]:
    """{"field": [old, new]} as rows of field label, old value and new value."""
    rows = []
    for name, (old, new) in sorted(changes.items()):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:  # a field since removed keeps its raw name
            field = None
        label = str(FIELD_LABELS.get(name) or (field.verbose_name if field is not None else name))
        rows.append(
            {
                "field": name,
                "label": label[:1].upper() + label[1:],
                "old": _describe_value(field, old),
                "new": _describe_value(field, new),
            }
        )
    return rows


def _describe_value(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field is not None and field.is_relation:
        ids: Iterable = value if isinstance(value, list) else [value]
        found = field.related_model._default_manager.in_bulk(list(ids))
        return ", ".join(str(found.get(pk, f"#{pk}")) for pk in ids)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and isinstance(field, models.DateTimeField):
        try:
            return display(datetime.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)


# Translations on the desk


def desk_translations(source: models.Model) -> list[dict]:
    """A text's translations as the desk sees them (waiting changes applied), each with
    whether it is stale: stored so (the original changed), or made from another text than
    the original now on the desk (an edit of it waits for review)."""
    original = writing.with_pending(source) if hasattr(source, "approved_at") else source
    rows = []
    translations = Translation.objects.of(source).select_related("translator").order_by("pk")
    for stored in translations:
        translation = writing.with_pending(stored)
        rows.append(
            {
                "translation": translation,
                "public": stored.approved_at is not None,
                "pending": stored.approved_at is None or getattr(translation, "has_pending", False),
                "stale": translation.withdrawn_at is None
                and (
                    translation.is_stale
                    or translation.source_text != translation.source_text_now(original)
                ),
                "version": writing.desk_version(stored),
            }
        )
    return rows
