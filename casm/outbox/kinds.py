"""What each kind of notice is called, for staff: registered by the app that sends it.

A kind's label is a function of the notice's ``params`` returning text in the active language,
so the mail page reads "“Options paper”: reminder one day before the deadline" in French for a
French-speaking member of staff. An unregistered kind shows its code.
"""

from collections.abc import Callable

_labels: dict[str, Callable[[dict], str]] = {}


def register_kind(kind: str, label: Callable[[dict], str]) -> None:
    """Name the notices of ``kind``; an app calls this from its ``ready()``."""
    _labels[kind] = label


def notice_label(notice) -> str:
    label = _labels.get(notice.kind)
    if label is None:
        return notice.kind
    try:
        return str(label(notice.params or {}))
    except (KeyError, TypeError, ValueError):
        return notice.kind
