"""Reminders before a deadline, shared by every app that sends them (consultations, bodies' surveys).

Offsets are whole days before a deadline. At each run of the beat task a person is due at the
NEAREST offset that has passed (``nearest_due_offset``): someone added late, or a deadline set two
days ahead, gets one mail saying "one day left", not two in a row. Each app claims a reminder once
per person and offset (its own model, unique on the three, written with its outbox message by
``casm.outbox.services.claims.claims_queue``).
"""

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MAX_REMINDER_OFFSET_DAYS = 365
DEFAULT_REMINDER_OFFSETS = (7, 1)


def clean_reminder_offsets(
    offsets: Iterable | None, *, default: Iterable[int] = DEFAULT_REMINDER_OFFSETS
) -> list[int]:
    """Positive whole days before the deadline, each once, largest first; None gives ``default``."""
    if offsets is None:
        return sorted(set(default), reverse=True)
    cleaned = set()
    for offset in offsets:
        if (
            isinstance(offset, bool)
            or not isinstance(offset, int)
            or not 1 <= offset <= MAX_REMINDER_OFFSET_DAYS
        ):
            raise ValidationError(
                {
                    "reminder_offsets": gettext(
                        "Reminder offsets are whole numbers of days between 1 and %(max)s."
                    )
                    % {"max": MAX_REMINDER_OFFSET_DAYS}
                }
            )
        cleaned.add(offset)
    return sorted(cleaned, reverse=True)


def offsets_from_text(text: str) -> list[int]:
    """ "7, 1" → [7, 1]: what staff type in a form; ValidationError names a part that is not a day count."""
    offsets = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        # ASCII digits only: "²".isdigit() is true, but int("²") fails.
        if not re.fullmatch(r"[0-9]+", part) or not 1 <= int(part) <= MAX_REMINDER_OFFSET_DAYS:
            raise ValidationError(
                gettext("“%(value)s” is not a whole number of days between 1 and %(max)s.")
                % {"value": part, "max": MAX_REMINDER_OFFSET_DAYS}
            )
        offsets.append(int(part))
    return offsets


def reminder_offsets_of(values: Iterable | None) -> list[int]:
    """Stored offsets as distinct positive whole days, largest first (bad entries ignored)."""
    offsets = set()
    for value in values or []:
        try:
            days = int(value)
        except (TypeError, ValueError):
            continue
        if days > 0:
            offsets.add(days)
    return sorted(offsets, reverse=True)


def nearest_due_offset(offsets: list[int], deadline: datetime.datetime, now: datetime.datetime) -> int | None:
    """The smallest offset whose moment (``deadline − offset days``) has come; None after the deadline."""
    if now >= deadline:
        return None
    passed = [days for days in offsets if deadline - datetime.timedelta(days=days) <= now]
    return min(passed) if passed else None
