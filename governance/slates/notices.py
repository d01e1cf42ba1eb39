"""The slates' notices in the outbox: one per slate and kind of mail."""

from django.utils.translation import gettext as _

from casm.outbox.kinds import register_kind


def notice_of(slate, kind: str) -> dict:
    """The outbox notice arguments (kind, scope, params) of ``kind`` mail about ``slate``."""
    return {"kind": kind, "scope": str(slate.pk), "params": {"slate": str(slate), "body": str(slate.body)}}


def register() -> None:
    register_kind("slates.nominee", lambda p: _("Nominees of the slate %(slate)s asked to accept") % p)
