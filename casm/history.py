"""Helpers so that every service records who made a change and why (django-simple-history)."""

from django.db import models


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


def history_rows(*objects, limit: int = 200) -> list:
    """The history of several records, newest first, with the field-level changes of each row."""
    rows = []
    for obj in objects:
        if obj is None:
            continue
        records = list(obj.history.select_related("history_user").order_by("-history_date")[: limit + 1])
        for newer, older in zip(records, [*records[1:], None], strict=False):
            changes = []
            if older is not None:
                delta = newer.diff_against(older)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            rows.append(
                {
                    "record": obj._meta.verbose_name,
                    "date": newer.history_date,
                    "user": newer.history_user,
                    "type": newer.get_history_type_display(),
                    "reason": newer.history_change_reason or "",
                    "changes": changes,
                }
            )
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows[:limit]
