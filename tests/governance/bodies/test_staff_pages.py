"""The secretariat's body pages, driven as a user: create and edit a body with its rules, add seats,
appoint and end terms; bad input gives form errors and changes nothing; the dashboard panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.bodies.models import Body, Seat, Term
from tests.governance.bodies.factories import BodyFactory, SeatFactory, TermFactory
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db

BODY = {
    "name": "ASM issue analysis task group",
    "short_name": "",
    "slug": "",
    "kind": Body.Kind.TASK_GROUP,
    "description": "Considers the PACT analysis.",
    "is_active": "on",
    "order": "3",
    "min_size": "3",
    "max_size": "5",
    "max_per_country": "2",
    "term_months": "12",
    "has_chair": "on",
    "translation-fr-description": "Examine l’analyse de PACT.",
}


def _state():
    return (
        list(Body.objects.order_by("pk").values()),
        list(Seat.objects.order_by("pk").values()),
        list(Term.objects.order_by("pk").values()),
        Body.history.count() + Seat.history.count() + Term.history.count(),
    )


def test_staff_create_a_body_with_rules_parent_and_translations(staff_client, staff_user):
    isc = BodyFactory(slug="isc", name="Interim Steering Committee")
    url = reverse("bodies:staff_body_new")
    assert "Composition rules" in staff_client.get(url).content.decode()

    response = staff_client.post(url, {**BODY, "parent": isc.pk})

    body = Body.objects.get(slug="asm-issue-analysis-task-group")
    assert response.status_code == 302 and response["Location"] == reverse(
        "bodies:staff_body_detail", args=[body.slug]
    )
    assert body.parent == isc and (body.min_size, body.max_size, body.max_per_country) == (3, 5, 2)
    assert body.translations == {"fr": {"description": "Examine l’analyse de PACT."}}
    assert body.history.get().history_user == staff_user


def test_staff_body_form_with_bad_rules_shows_errors_and_changes_nothing(staff_client):
    before = _state()

    response = staff_client.post(reverse("bodies:staff_body_new"), {**BODY, "min_size": "9", "max_size": "7"})
    negative = staff_client.post(reverse("bodies:staff_body_new"), {**BODY, "max_per_country": "-1"})

    assert (
        response.status_code == 200
        and "The maximum cannot be smaller than the minimum." in response.content.decode()
    )
    assert negative.status_code == 200 and negative.context["form"].errors["max_per_country"]
    assert _state() == before


def test_staff_edit_a_body_refuses_a_parent_under_it(staff_client):
    committee = BodyFactory(slug="isc", name="ISC")
    task_group = BodyFactory(slug="task", parent=committee)
    url = reverse("bodies:staff_body_edit", args=["isc"])
    assert staff_client.get(url).status_code == 200
    before = _state()

    response = staff_client.post(url, {**BODY, "name": "ISC", "parent": task_group.pk})

    assert response.status_code == 200 and response.context["form"].errors["parent"]
    assert _state() == before

    response = staff_client.post(url, {**BODY, "name": "Interim Steering Committee", "max_per_sector": "2"})
    committee.refresh_from_db()
    assert response.status_code == 302 and committee.max_per_sector == 2 and committee.slug == "isc"


def test_staff_add_a_seat_appoint_a_member_and_end_the_term(staff_client, staff_user, sector):
    body = BodyFactory(slug="isc", term_months=24, has_vice_chair=True)
    member = MemberFactory(email="ama@example.org", sector=sector)

    response = staff_client.post(
        reverse("bodies:staff_seat_new", args=["isc"]),
        {"label": "Civil society 1", "sector": sector.pk, "role": "member"},
    )
    seat = body.seats.get()
    assert response.status_code == 302 and seat.chamber == sector.chamber

    appoint = reverse("bodies:staff_seat_appoint", args=["isc", seat.pk])
    assert staff_client.get(appoint).status_code == 200
    response = staff_client.post(
        appoint, {"email": "AMA@example.org", "role": "vice_chair", "starts_on": "2026-01-01"}
    )
    seat.refresh_from_db()
    term = seat.terms.get()
    assert response.status_code == 302
    assert seat.holder == member and term.ends_on == datetime.date(2028, 1, 1) and term.role == "vice_chair"
    assert term.history.get().history_user == staff_user
    detail = staff_client.get(reverse("bodies:staff_body_detail", args=["isc"])).content.decode()
    assert member.full_name in detail and "End the term" in detail

    end = reverse("bodies:staff_term_end", args=["isc", term.pk])
    assert staff_client.get(end).status_code == 200
    response = staff_client.post(end, {"ended_on": timezone.localdate().isoformat()})
    term.refresh_from_db()
    seat.refresh_from_db()
    assert response.status_code == 302 and term.ended_on == timezone.localdate() and seat.holder is None


def test_staff_appoint_with_bad_input_shows_errors_and_changes_nothing(staff_client, applicant):
    seat = SeatFactory(body=BodyFactory(slug="isc"))
    url = reverse("bodies:staff_seat_appoint", args=["isc", seat.pk])
    before = _state()

    unknown = staff_client.post(
        url, {"email": "nobody@example.org", "role": "member", "starts_on": "2026-01-01"}
    )
    not_active = staff_client.post(
        url, {"email": applicant.email, "role": "member", "starts_on": "2026-01-01"}
    )
    backwards = staff_client.post(
        url, {"email": applicant.email, "role": "member", "starts_on": "2026-01-01", "ends_on": "2025-01-01"}
    )
    no_date = staff_client.post(url, {"email": applicant.email, "role": "member", "starts_on": "not a date"})

    assert unknown.context["form"].errors["email"]
    assert "Only active members" in not_active.context["form"].errors["email"][0]
    assert backwards.status_code == 200 and no_date.context["form"].errors["starts_on"]
    assert _state() == before


def test_staff_end_a_term_in_the_future_shows_an_error_and_changes_nothing(staff_client):
    term = TermFactory(seat=SeatFactory(body=BodyFactory(slug="isc")))
    before = _state()

    response = staff_client.post(
        reverse("bodies:staff_term_end", args=["isc", term.pk]), {"ended_on": "2999-01-01"}
    )

    assert response.status_code == 200 and response.context["form"].errors["ended_on"]
    assert _state() == before


def test_a_seat_or_term_of_another_body_is_404(staff_client):
    BodyFactory(slug="isc")
    other = TermFactory()

    assert (
        staff_client.get(reverse("bodies:staff_seat_appoint", args=["isc", other.seat_id])).status_code == 404
    )
    assert staff_client.get(reverse("bodies:staff_term_end", args=["isc", other.pk])).status_code == 404


def test_staff_detail_names_the_rules_the_current_members_fail(staff_client):
    body = BodyFactory(slug="isc", min_size=7)
    TermFactory(seat=SeatFactory(body=body))

    html = staff_client.get(reverse("bodies:staff_body_detail", args=["isc"])).content.decode()

    assert "1 member, at least 7" in html


def test_staff_dashboard_and_body_list_show_seats_falling_vacant_across_bodies(staff_client):
    today = timezone.localdate()
    TermFactory(
        seat=SeatFactory(body=BodyFactory(name="SMAG")),
        member=MemberFactory(full_name="Ama Mensah"),
        ends_on=today + datetime.timedelta(days=89),
    )
    TermFactory(member=MemberFactory(full_name="Later Person"), ends_on=today + datetime.timedelta(days=120))

    for url in (reverse("network:staff_home"), reverse("bodies:staff_body_list")):
        html = staff_client.get(url).content.decode()
        assert "Seats falling vacant in the next 90 days" in html
        assert "Ama Mensah" in html and "SMAG" in html and "Later Person" not in html


def test_staff_body_list_queries_are_the_same_with_one_body_or_many(
    staff_client, django_assert_max_num_queries
):
    """Queries: session, user, groups, MFA; the bodies with parents and counts; the terms ending soon."""
    url = reverse("bodies:staff_body_list")
    today = timezone.localdate()
    TermFactory(seat=SeatFactory(body=BodyFactory()), ends_on=today)
    staff_client.get(url)
    with django_assert_max_num_queries(8) as one:
        assert staff_client.get(url).status_code == 200
    for _ in range(30):
        TermFactory(seat=SeatFactory(body=BodyFactory(parent=BodyFactory())), ends_on=today)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert staff_client.get(url).status_code == 200


def test_staff_body_detail_queries_are_the_same_with_one_seat_or_many(
    staff_client, django_assert_max_num_queries
):
    body = BodyFactory(slug="isc", min_per_sector=1, max_per_organisation=1)
    TermFactory(seat=SeatFactory(body=body))
    url = reverse("bodies:staff_body_detail", args=["isc"])
    staff_client.get(url)
    with django_assert_max_num_queries(12) as one:
        assert staff_client.get(url).status_code == 200
    for _ in range(20):
        TermFactory(seat=SeatFactory(body=body))
        TermFactory(seat=SeatFactory(body=body), ended_on=datetime.date(2025, 6, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert staff_client.get(url).status_code == 200


def test_staff_home_queries_do_not_grow_with_terms_ending_soon(staff_client, django_assert_max_num_queries):
    url = reverse("network:staff_home")
    today = timezone.localdate()
    TermFactory(ends_on=today)
    staff_client.get(url)
    with django_assert_max_num_queries(30) as one:
        staff_client.get(url)
    for _ in range(20):
        TermFactory(ends_on=today)
    with django_assert_max_num_queries(len(one.captured_queries)):
        staff_client.get(url)


def test_staff_history_shows_who_changed_the_body_its_seats_and_terms(staff_client, staff_user, member):
    from governance.bodies.services.seats import seat_appoint, seat_create

    body = BodyFactory(slug="isc")
    seat = seat_create(body=body, actor=staff_user, label="Civil society 1")
    seat_appoint(seat=seat, actor=staff_user, member=member, starts_on=datetime.date(2026, 1, 1))

    html = staff_client.get(reverse("bodies:staff_body_history", args=["isc"])).content.decode()

    assert "Appointed to the seat" in html and "Seat added" in html and member.full_name in html
    assert staff_user.email in html
