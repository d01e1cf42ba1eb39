"""The bodies' notices in the outbox: one per survey and kind of mail (and reminder offset)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casm.outbox.kinds import register_kind


def notice_of(survey, kind: str, **params) -> dict:
    """The outbox notice arguments (kind, scope, params) of ``kind`` mail about ``survey``."""
    scope = ":".join([str(survey.pk), *(str(v) for v in params.values())])
    return {"kind": kind, "scope": scope, "params": {"body": str(survey.body), **params}}


def _reminder(p: dict) -> str:
    days = int(p["days"])
    if days == 0:
        return _("Survey of continued service, %(body)s: reminder sent by staff") % p
    return ngettext(
        "Survey of continued service, %(body)s: reminder %(days)s day before the deadline",
        "Survey of continued service, %(body)s: reminder %(days)s days before the deadline",
        days,
    ) % {"body": p["body"], "days": days}


def register() -> None:
    register_kind("bodies.survey", lambda p: _("Survey of continued service, %(body)s") % p)
    register_kind("bodies.survey_reminder", _reminder)
