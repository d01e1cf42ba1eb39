"""The endorsement windows' notices in the outbox: one per window and kind of mail (and reminder offset)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casm.outbox.kinds import register_kind


def notice_of(window, kind: str, **params) -> dict:
    """The outbox notice arguments (kind, scope, params) of ``kind`` mail about ``window``."""
    scope = ":".join([str(window.pk), *(str(v) for v in params.values())])
    return {"kind": kind, "scope": scope, "params": {"slate": str(window.slate), **params}}


def _reminder(p: dict) -> str:
    days = int(p["days"])
    return ngettext(
        "Endorsement of %(slate)s: reminder %(days)s day before the close",
        "Endorsement of %(slate)s: reminder %(days)s days before the close",
        days,
    ) % {"slate": p["slate"], "days": days}


def register() -> None:
    register_kind("slates.endorsement", lambda p: _("Endorsement of %(slate)s: invitation") % p)
    register_kind("slates.endorsement_reminder", _reminder)
    register_kind("slates.endorsement_outcome", lambda p: _("Endorsement of %(slate)s: outcome") % p)
