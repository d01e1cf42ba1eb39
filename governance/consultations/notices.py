"""The consultations' notices in the outbox: one per consultation and kind of mail (and reminder offset)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casm.outbox.kinds import register_kind


def notice_of(consultation, kind: str, **params) -> dict:
    """The outbox notice arguments (kind, scope, params) of ``kind`` mail about ``consultation``."""
    scope = ":".join([str(consultation.pk), *(str(v) for v in params.values())])
    return {"kind": kind, "scope": scope, "params": {"title": consultation.title, **params}}


def _reminder(p: dict) -> str:
    return ngettext(
        "“%(title)s”: reminder %(days)s day before the deadline",
        "“%(title)s”: reminder %(days)s days before the deadline",
        int(p["days"]),
    ) % {"title": p["title"], "days": p["days"]}


def register() -> None:
    register_kind("consultations.published", lambda p: _("“%(title)s”: publication notice") % p)
    register_kind("consultations.reminder", _reminder)
    register_kind(
        "consultations.response_copy", lambda p: _("“%(title)s”: copies of submitted responses") % p
    )
    register_kind(
        "consultations.extension_answer", lambda p: _("“%(title)s”: answers to requests for more time") % p
    )
