"""Services of bodies, seats and terms: the happy path, the denial, the history row each leaves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from governance.bodies.models import Body, Seat, Term
from governance.bodies.services.bodies import body_create, body_update
from governance.bodies.services.seats import add_months, seat_appoint, seat_create, term_end
from network.models import Membership
from tests.governance.bodies.factories import BodyFactory, SeatFactory, TermFactory
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


# ---------------------------------------------------------------- bodies


def test_body_create_saves_rules_parent_translations_and_history(staff_user):
    isc = BodyFactory(slug="isc")

    body = body_create(
        actor=staff_user,
        name="ASM issue analysis task group",
        kind=Body.Kind.TASK_GROUP,
        parent=isc,
        description="Considers the PACT analysis.",
        translations={"fr": {"description": "Examine l’analyse de PACT."}, "es": {"description": "  "}},
        min_size=3,
        max_size=5,
        max_per_country=2,
        term_months=12,
        has_vice_chair=True,
    )

    assert body.slug == "asm-issue-analysis-task-group"
    assert body.parent == isc and list(isc.children.all()) == [body]
    assert (body.min_size, body.max_size, body.max_per_country, body.term_months) == (3, 5, 2, 12)
    assert body.translations == {"fr": {"description": "Examine l’analyse de PACT."}}
    row = body.history.get()
    assert row.history_user == staff_user and row.history_change_reason == "Body created"


def test_body_create_accepts_the_language_of_the_original(staff_user):
    body = body_create(
        actor=staff_user,
        name="Comité",
        kind=Body.Kind.BOARD,
        description="Un comité.",
        content_language="fr",
        translations={"en": {"description": "A committee."}},
    )

    assert body.content_language == "fr" and body.translations == {"en": {"description": "A committee."}}


def test_body_create_is_refused_to_anyone_but_the_secretariat(member):
    with pytest.raises(PermissionDenied):
        body_create(actor=member.user, name="Board", kind=Body.Kind.BOARD)
    with pytest.raises(PermissionDenied):
        body_create(actor=None, name="Board", kind=Body.Kind.BOARD)

    assert not Body.objects.exists()


def test_body_rules_refuse_a_minimum_above_the_maximum(staff_user):
    with pytest.raises(ValidationError) as caught:
        body_create(actor=staff_user, name="Board", kind=Body.Kind.BOARD, min_size=9, max_size=7)

    assert "max_size" in caught.value.message_dict
    assert not Body.objects.exists()


def test_body_update_refuses_a_cycle_of_parents(staff_user):
    committee = BodyFactory(slug="isc")
    task_group = BodyFactory(slug="task", parent=committee)
    rows = committee.history.count()

    with pytest.raises(ValidationError) as caught:
        body_update(body=committee, actor=staff_user, parent=task_group, name="ISC")

    assert "parent" in caught.value.message_dict
    committee.refresh_from_db()
    assert committee.parent is None and committee.history.count() == rows


def test_body_update_changes_rules_with_a_history_row(staff_user):
    body = BodyFactory(slug="isc", name="ISC")

    body_update(
        body=body, actor=staff_user, name="Interim Steering Committee", max_per_sector=2, translations={}
    )

    body.refresh_from_db()
    assert body.name == "Interim Steering Committee" and body.max_per_sector == 2 and body.slug == "isc"
    row = body.history.latest()
    assert row.history_user == staff_user and row.history_change_reason == "Body and rules changed"


def test_body_update_refuses_bad_translations_and_changes_nothing(staff_user):
    body = BodyFactory(slug="isc", name="ISC")

    with pytest.raises(ValidationError):
        body_update(body=body, actor=staff_user, name="Changed", translations={"xx": {"description": "?"}})

    body.refresh_from_db()
    assert body.name == "ISC"


def test_body_update_is_refused_to_a_member(member):
    body = BodyFactory(slug="isc", name="ISC")

    with pytest.raises(PermissionDenied):
        body_update(body=body, actor=member.user, name="Taken over")

    body.refresh_from_db()
    assert body.name == "ISC"


# ---------------------------------------------------------------- seats and terms


def test_seat_create_adds_a_vacant_seat_with_history(staff_user, sector):
    body = BodyFactory()

    seat = seat_create(body=body, actor=staff_user, label="Civil society 1", sector=sector)

    assert seat.holder is None and seat.chamber == sector.chamber
    assert seat.history.get().history_user == staff_user


def test_seat_create_is_refused_to_a_member(member):
    with pytest.raises(PermissionDenied):
        seat_create(body=BodyFactory(), actor=member.user, label="Mine")
    assert not Seat.objects.exists()


def test_seat_appoint_records_the_term_and_makes_the_member_the_holder(staff_user, member):
    body = BodyFactory(term_months=24, has_vice_chair=True)
    seat = SeatFactory(body=body)

    term = seat_appoint(seat=seat, actor=staff_user, member=member, starts_on=JAN, role=Seat.Role.VICE_CHAIR)

    seat.refresh_from_db()
    assert seat.holder == member and seat.role == Seat.Role.VICE_CHAIR
    assert (seat.term_start, seat.term_end) == (JAN, datetime.date(2028, 1, 1))
    assert term.ends_on == datetime.date(2028, 1, 1) and term.ended_on is None
    assert term.history.get().history_user == staff_user
    assert seat.history.latest().history_change_reason == "Appointed to the seat"


def test_seat_appoint_refuses_a_held_seat(staff_user, member):
    term = TermFactory(seat=SeatFactory())

    with pytest.raises(ValidationError):
        seat_appoint(seat=term.seat, actor=staff_user, member=member, starts_on=JAN)

    assert Term.objects.count() == 1


def test_seat_appoint_refuses_a_second_chair_and_a_vice_chair_where_there_is_none(staff_user, member):
    body = BodyFactory()
    TermFactory(seat=SeatFactory(body=body), role=Seat.Role.CHAIR)
    seat = SeatFactory(body=body)

    with pytest.raises(ValidationError) as chair:
        seat_appoint(seat=seat, actor=staff_user, member=member, starts_on=JAN, role=Seat.Role.CHAIR)
    with pytest.raises(ValidationError) as vice:
        seat_appoint(seat=seat, actor=staff_user, member=member, starts_on=JAN, role=Seat.Role.VICE_CHAIR)

    assert "role" in chair.value.message_dict and "role" in vice.value.message_dict
    seat.refresh_from_db()
    assert seat.holder is None


def test_seat_appoint_refuses_an_applicant_and_a_second_seat_on_the_same_body(staff_user, applicant, member):
    body = BodyFactory()
    TermFactory(seat=SeatFactory(body=body), member=member)
    seat = SeatFactory(body=body)

    for who in (applicant, member):
        with pytest.raises(ValidationError) as caught:
            seat_appoint(seat=seat, actor=staff_user, member=who, starts_on=JAN)
        assert "member" in caught.value.message_dict
    assert applicant.membership.status == Membership.Status.APPLIED


def test_seat_appoint_refuses_a_term_that_ends_before_it_starts(staff_user, member):
    seat = SeatFactory()

    with pytest.raises(ValidationError) as caught:
        seat_appoint(
            seat=seat, actor=staff_user, member=member, starts_on=JAN, ends_on=JAN - datetime.timedelta(1)
        )

    assert "ends_on" in caught.value.message_dict


def test_seat_appoint_is_refused_to_a_member(member):
    seat = SeatFactory()

    with pytest.raises(PermissionDenied):
        seat_appoint(seat=seat, actor=member.user, member=member, starts_on=JAN)

    assert not Term.objects.exists()


def test_term_end_vacates_the_seat_and_keeps_the_term_as_past(staff_user):
    term = TermFactory(starts_on=JAN, ends_on=datetime.date(2027, 12, 31), role=Seat.Role.CHAIR)

    term_end(term=term, actor=staff_user, ended_on=datetime.date(2026, 2, 1))

    term.refresh_from_db()
    term.seat.refresh_from_db()
    assert term.ended_on == datetime.date(2026, 2, 1) and term.end_reason == Term.EndReason.ENDED_EARLY
    assert term.seat.holder is None and term.seat.role == Seat.Role.MEMBER
    assert term.history.latest().history_user == staff_user
    assert term.seat.history.latest().history_change_reason == "Term ended early"


def test_term_end_refuses_a_future_date_and_an_ended_term(staff_user):
    term = TermFactory(starts_on=JAN)

    with pytest.raises(ValidationError):
        term_end(term=term, actor=staff_user, ended_on=datetime.date(2999, 1, 1))
    term_end(term=term, actor=staff_user)
    with pytest.raises(ValidationError):
        term_end(term=term, actor=staff_user)


def test_term_end_is_refused_to_a_member(member):
    term = TermFactory()

    with pytest.raises(PermissionDenied):
        term_end(term=term, actor=member.user)

    term.refresh_from_db()
    assert term.ended_on is None


def test_a_seat_has_one_running_term_in_the_database():
    term = TermFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(seat=term.seat, member=MemberFactory(), starts_on=JAN)


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 26) == datetime.date(2029, 1, 15)


def test_body_update_keeps_the_parent_unless_told(staff_user):
    committee = BodyFactory(slug="isc")
    task_group = BodyFactory(slug="task", parent=committee)

    body_update(body=task_group, actor=staff_user, max_size=5)
    task_group.refresh_from_db()
    assert task_group.parent == committee and task_group.max_size == 5

    body_update(body=task_group, actor=staff_user, parent=None)
    task_group.refresh_from_db()
    assert task_group.parent is None
