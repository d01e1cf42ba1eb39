"""A consultation's state has one definition: ``Consultation.state_at`` in Python and
``ConsultationQuerySet.with_state`` in SQL say the same at every boundary, and every page,
permission and filter asks them."""

import datetime

import pytest
from django.urls import reverse

from governance.consultations.models import Consultation
from governance.consultations.permissions import respond_refusal
from governance.consultations.selectors.responses import consultation_list_public
from governance.consultations.selectors.staff import consultation_list_for_staff
from governance.consultations.services.reminders import consultations_with_reminders_open
from tests.governance.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

State = Consultation.State
MICRO = datetime.timedelta(microseconds=1)
OPENS = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2026, 3, 20, 17, 30, 0, 250000, tzinfo=datetime.UTC)

MOMENTS = [
    ("just before it opens", OPENS - MICRO, State.SCHEDULED),
    ("the moment it opens", OPENS, State.OPEN),
    ("just after it opens", OPENS + MICRO, State.OPEN),
    ("the moment it closes", CLOSES, State.OPEN),
    ("just after it closes", CLOSES + MICRO, State.CLOSED),
]


def _consultation(**kwargs) -> Consultation:
    return ConsultationFactory(opens_at=OPENS, closes_at=CLOSES, **kwargs)


@pytest.mark.parametrize(("moment", "now", "expected"), MOMENTS, ids=[m[0] for m in MOMENTS])
def test_python_and_sql_agree_on_the_state_at_the_boundaries(moment, now, expected):
    consultation = _consultation()

    in_sql = Consultation.objects.with_state(now).get(pk=consultation.pk).annotated_state

    assert consultation.state_at(now) == expected
    assert in_sql == expected
    assert list(Consultation.objects.in_state(expected, now=now)) == [consultation]


@pytest.mark.parametrize("now", [OPENS - MICRO, OPENS, CLOSES, CLOSES + MICRO])
def test_an_unpublished_consultation_is_a_draft_whatever_the_time(now):
    consultation = _consultation(is_published=False)

    assert consultation.state_at(now) == State.DRAFT
    assert Consultation.objects.with_state(now).get(pk=consultation.pk).annotated_state == State.DRAFT


def test_state_on_a_listed_row_is_the_one_the_database_computed():
    consultation = _consultation()
    row = Consultation.objects.with_state(CLOSES + MICRO).get(pk=consultation.pk)

    assert row.state == State.CLOSED  # the list's moment, not the present
    assert row.state_label == "Closed"
    assert consultation.state_label == State(consultation.state_at()).label


@pytest.mark.parametrize(("moment", "now", "expected"), MOMENTS, ids=[m[0] for m in MOMENTS])
def test_respondents_are_refused_exactly_while_the_consultation_has_not_opened(moment, now, expected, member):
    consultation = _consultation()

    refusal = respond_refusal(consultation, member, now=now)

    assert (refusal == "This consultation is not open yet.") == (expected == State.SCHEDULED)


def test_lists_use_the_same_state():
    scheduled = ConsultationFactory(opens_at=OPENS + MICRO, closes_at=CLOSES)
    opened = ConsultationFactory(opens_at=OPENS, closes_at=CLOSES)
    closed = ConsultationFactory(opens_at=OPENS - datetime.timedelta(days=30), closes_at=OPENS - MICRO)
    draft = ConsultationFactory(opens_at=OPENS, closes_at=CLOSES, is_published=False)

    public = list(consultation_list_public(now=OPENS))
    staff = {row.pk: row.state for row in consultation_list_for_staff(now=OPENS)}
    reminded = set(consultations_with_reminders_open(OPENS))

    assert public == [opened, scheduled, closed]  # open first, then scheduled, then closed
    assert [row.state for row in public] == [State.OPEN, State.SCHEDULED, State.CLOSED]
    assert staff == {
        scheduled.pk: State.SCHEDULED,
        opened.pk: State.OPEN,
        closed.pk: State.CLOSED,
        draft.pk: State.DRAFT,
    }
    assert reminded == {opened}


def test_public_and_staff_pages_show_the_state(client, staff_client):
    scheduled = ConsultationFactory(
        opens_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2999, 2, 1, tzinfo=datetime.UTC),
    )

    public = client.get(scheduled.get_absolute_url()).content.decode()
    staff = staff_client.get(
        reverse("consultations:staff_consultation_detail", args=[scheduled.slug])
    ).content.decode()

    assert "Opens soon" in public
    assert "Published, not open yet" in staff
