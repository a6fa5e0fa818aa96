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

from claims.models import HistoryEntry, Translation, writing

# Presenting values for conflict pages and the history page.


def display(value) -> str:
    """A value as an editor reads it: names for objects, local time for datetimes."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
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
        label = str(field.verbose_name) if field is not None else name
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
