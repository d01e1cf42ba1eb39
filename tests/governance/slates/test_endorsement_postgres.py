"""One answer per member per window, under concurrent answers on PostgreSQL (threads, own connections)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from casm.testing import need, race
from governance.slates.models import EndorsementAnswer, EndorsementInvitation
from governance.slates.services import endorsement as services
from tests.governance.slates.endorsement_factories import audience, open_window
from tests.network.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _staff():
    # A superuser counts as secretariat without the role group (which a flushed database may lack).
    return UserFactory(email="opener@example.org", is_superuser=True)


def _token(window, member):
    return services.window_link_token(EndorsementInvitation.objects.get(window=window, member=member))


@pytest.mark.parametrize("can_change", [False, True])
def test_concurrent_answers_of_one_member_leave_one_answer(can_change):
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    staff = _staff()
    member = audience((1,))[0]
    window = open_window(staff, answers_can_change=can_change)
    token = _token(window, member)
    choices = ["endorse", "object", "abstain", "endorse"]

    results = race(lambda i: services.window_answer_by_link(token=token, choice=choices[i]), n=4)

    assert EndorsementAnswer.objects.filter(window=window, member=member).count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected
    assert len(refused) == (0 if can_change else 3)


def test_concurrent_answers_of_many_members_are_all_recorded():
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    staff = _staff()
    members = audience((8,))
    window = open_window(staff)
    tokens = [_token(window, m) for m in members]

    results = race(lambda i: services.window_answer_by_link(token=tokens[i], choice="endorse"), n=8)

    assert not [r for r in results if isinstance(r, Exception)]
    assert EndorsementAnswer.objects.filter(window=window).count() == 8
