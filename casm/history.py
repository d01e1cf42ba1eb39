"""Helpers so that every service records who made a change and why (django-simple-history)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

# Bookkeeping fields every record has: a change to them alone is not news.
IGNORED_FIELDS = ["created_at", "updated_at"]


def stamp(obj: models.Model, *, actor, reason: str) -> models.Model:
    """Mark the next save of ``obj`` with its author and reason, also outside a request."""
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    obj._change_reason = reason[:100]
    return obj


def save_with_history(obj: models.Model, *, actor, reason: str, validate: bool = True) -> models.Model:
    """Validate, stamp and save ``obj`` in one call."""
    if validate:
        obj.full_clean()
    stamp(obj, actor=actor, reason=reason)
    obj.save()
    return obj


@dataclass
class HistorySource:
    """The historical rows of one model to show, and how to name each record and each value.

    ``rows`` are simple-history rows of ``model``, oldest first (deleted records keep theirs).
    ``describe(row)`` gives the record's name; ``value(field, raw)`` shows one value.
    """

    model: type[models.Model]
    rows: Iterable
    describe: Callable | None = None
    value: Callable | None = None
    extra_labels: dict = field(default_factory=dict)


def shown_value(field_name, raw):
    """A value as the history shows it: yes / no for booleans, a dash for nothing."""
    if isinstance(raw, bool):
        return _("yes") if raw else _("no")
    return "—" if raw is None or raw == "" else raw


def history_entries(*sources: HistorySource, limit: int = 200) -> list[dict]:
    """The one history renderer: who changed what and when, newest first, fields named by label.

    Each entry has ``record`` (the model's name), ``name`` (the record's), ``date``, ``user``,
    ``type``, ``reason`` and ``changes`` as (label, old, new), compared with the same record's
    previous row.
    """
    entries = []
    for source in sources:
        meta = source.model._meta
        labels = {f.name: f.verbose_name for f in meta.concrete_fields} | source.extra_labels
        value = source.value or shown_value
        previous = {}
        for row in source.rows:
            older = previous.get(row.id)
            changes = []
            if older is not None and row.history_type == "~":
                delta = row.diff_against(older, excluded_fields=IGNORED_FIELDS)
                changes = [
                    (labels.get(c.field, c.field), value(c.field, c.old), value(c.field, c.new))
                    for c in delta.changes
                ]
            previous[row.id] = row
            entries.append(
                {
                    "record": meta.verbose_name,
                    "name": source.describe(row) if source.describe else "",
                    "date": row.history_date,
                    "user": row.history_user,
                    "type": row.get_history_type_display(),
                    "reason": row.history_change_reason or "",
                    "changes": changes,
                }
            )
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries[:limit]


def history_rows(*objects, limit: int = 200) -> list:
    """The history of several records, newest first (``history_entries`` of each record's rows)."""
    sources = []
    for obj in objects:
        if obj is None:
            continue
        newest = obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
        sources.append(HistorySource(model=type(obj), rows=reversed(list(newest))))
    return history_entries(*sources, limit=limit)
