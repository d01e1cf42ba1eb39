"""Endorsement windows for the tests: a slate ready for endorsement, and an audience in chambers."""

import datetime

from django.utils import timezone

from governance.slates.models import Nominee
from governance.slates.services.endorsement import window_open
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MemberFactory, SectorFactory


def ready_slate(**kwargs):
    """A DRAFT slate with one nominee who accepted, for a body without composition rules."""
    slate = SlateFactory(**kwargs)
    NomineeFactory(slate=slate, status=Nominee.Status.ACCEPTED)
    return slate


def audience(per_sector=(2, 1)):
    """Active members in one sector per count (each sector in a chamber of its own)."""
    members = []
    for count in per_sector:
        sector = SectorFactory()
        members += [MemberFactory(sector=sector) for _ in range(count)]
    return members


def open_window(actor, slate=None, *, days=7, now=None, **kwargs):
    """Open the endorsement of ``slate`` (a ready one by default), closing ``days`` from now (UTC)."""
    now = now or timezone.now()
    return window_open(
        actor=actor,
        slate=slate or ready_slate(),
        closes_at=now + datetime.timedelta(days=days),
        time_zone="UTC",
        now=now,
        **kwargs,
    )
