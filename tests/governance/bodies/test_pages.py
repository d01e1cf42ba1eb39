import pytest
from django.urls import reverse

from tests.governance.bodies.factories import BodyFactory, SeatFactory
from tests.network.factories import MemberFactory


@pytest.mark.django_db
def test_body_pages_show_seats_and_holders_to_visitors(client):
    body = BodyFactory(name="Strategic Management Advisory Group", short_name="SMAG", slug="smag")
    holder = MemberFactory(full_name="Ama Mensah")
    SeatFactory(body=body, holder=holder, label="Civil society seat")
    SeatFactory(body=body, label="Vacant seat")

    listing = client.get(reverse("bodies:body_list"))
    detail = client.get(reverse("bodies:body_detail", args=["smag"]))

    assert listing.status_code == 200
    assert "1 of 2 seats filled" in listing.content.decode()
    assert detail.status_code == 200
    assert "Ama Mensah" in detail.content.decode()
    assert "vacant" in detail.content.decode()


@pytest.mark.django_db
def test_inactive_or_unknown_body_is_404(client):
    BodyFactory(slug="old", is_active=False)
    assert client.get(reverse("bodies:body_detail", args=["old"])).status_code == 404
    assert client.get(reverse("bodies:body_detail", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_body_detail_queries_do_not_grow_with_seats(client, django_assert_max_num_queries):
    """Queries: session-less visitor → the body with its parent, its seats with holders and
    organisations, their running terms, its children, its past terms, the terms ending soon."""
    body = BodyFactory(slug="isc")
    for _ in range(30):
        SeatFactory(body=body, holder=MemberFactory())
    with django_assert_max_num_queries(6):
        assert client.get(reverse("bodies:body_detail", args=["isc"])).status_code == 200


@pytest.mark.django_db
def test_a_body_without_seats_says_no_seats_yet_not_zero_of_zero(client):
    BodyFactory(name="Task group", slug="task", description="")

    html = client.get(reverse("bodies:body_list")).content.decode()

    assert "No seats yet" in html
    assert "0 of 0" not in html
    assert "<p></p>" not in html  # no empty paragraph for a body without a description


@pytest.mark.django_db
def test_a_seat_of_a_sector_whose_chamber_bears_its_name_does_not_repeat_it(client):
    from tests.network.factories import ChamberFactory, SectorFactory

    chamber = ChamberFactory(code="civil", name="Civil society")
    sector = SectorFactory(code="civil-society", name="Civil society", chamber=chamber)
    body = BodyFactory(slug="isc")
    SeatFactory(body=body, chamber=None, sector=sector, label="Seat 1")
    other = SectorFactory(code="miners", name="Small-scale miners", chamber=ChamberFactory(name="Producers"))
    SeatFactory(body=body, chamber=None, sector=other, label="Seat 2")

    html = client.get(reverse("bodies:body_detail", args=["isc"])).content.decode()

    assert "Civil society (Civil society)" not in html
    assert "<td>Civil society</td>" in html
    assert "<td>Small-scale miners / Producers</td>" in html


# ---------------------------------------------------------------- members, vacancies, past terms


def _isc_with_terms():
    """A committee under the SMAG with a task group under it: a chair whose term ends in 30 days,
    a member with no set end, a vacant seat, and two past members of the 2008–2010 term."""
    import datetime

    from django.utils import timezone

    from governance.bodies.models import Seat, Term
    from tests.governance.bodies.factories import TermFactory
    from tests.network.factories import OrganisationFactory, SectorFactory

    today = timezone.localdate()
    smag = BodyFactory(slug="smag", name="Strategic Management Advisory Group")
    isc = BodyFactory(slug="isc", name="Interim Steering Committee", parent=smag)
    BodyFactory(slug="task", name="ASM issue analysis task group", parent=isc)
    miners = SectorFactory(code="miners", name="Small-scale miners")
    chair = MemberFactory(
        full_name="Ama Mensah", sector=miners, organisation=OrganisationFactory(name="Tarkwa Co-op")
    )
    TermFactory(
        seat=SeatFactory(body=isc, label="Miners 1", chamber=None, sector=miners),
        member=chair,
        role=Seat.Role.CHAIR,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=today + datetime.timedelta(days=30),
    )
    TermFactory(seat=SeatFactory(body=isc, label="Miners 2"), member=MemberFactory(full_name="Jorge Salas"))
    SeatFactory(body=isc, label="Other governments 1")
    old_seat = SeatFactory(body=isc, label="Old seat")
    for name in ("Nadia Haddad", "Pierre Kabila"):
        TermFactory(
            seat=old_seat if name == "Nadia Haddad" else SeatFactory(body=isc, label="Old seat 2"),
            member=MemberFactory(full_name=name),
            starts_on=datetime.date(2008, 1, 1),
            ends_on=datetime.date(2010, 6, 30),
            ended_on=datetime.date(2010, 6, 30),
            end_reason=Term.EndReason.EXPIRED,
        )
    return isc


@pytest.mark.django_db
def test_body_page_shows_current_members_vacancies_past_terms_relations_and_seats_falling_vacant(client):
    _isc_with_terms()

    html = client.get(reverse("bodies:body_detail", args=["isc"])).content.decode()

    current = html.split('id="members"')[1].split('id="vacancies"')[0]
    assert "Ama Mensah, Tarkwa Co-op" in current and "Chair" in current and "Small-scale miners" in current
    assert "Jorge Salas" in current and "since 1 January 2025" in current
    vacancies = html.split('id="vacancies"')[1].split('id="ending-soon"')[0]
    assert "Other governments 1" in vacancies and "Old seat" in vacancies and "Ama Mensah" not in vacancies
    soon = html.split('id="ending-soon"')[1].split('id="children"')[0]
    assert "Seats falling vacant in the next 90 days" in soon and "Ama Mensah" in soon and "Jorge" not in soon
    assert "Reports to" in html and "Strategic Management Advisory Group" in html
    assert "ASM issue analysis task group" in html.split('id="children"')[1]
    past = html.split('id="past"')[1]
    assert "Term from 1 January 2008 to 30 June 2010" in past
    assert "Nadia Haddad" in past and "Pierre Kabila" in past and "Ama Mensah" not in past


@pytest.mark.django_db
def test_body_page_of_an_empty_body_says_so(client):
    BodyFactory(slug="board")

    html = client.get(reverse("bodies:body_detail", args=["board"])).content.decode()

    assert "No one sits on this body at present." in html
    assert "No term ends in this time." in html and "No past members recorded yet." in html


@pytest.mark.django_db
def test_body_page_queries_are_the_same_with_one_term_or_many(client, django_assert_max_num_queries):
    """Queries: the body with its parent; its seats with holders; their running terms; its children;
    its past terms; the terms ending soon — whatever the number of seats, members and terms."""
    import datetime

    from tests.governance.bodies.factories import TermFactory

    body = BodyFactory(slug="isc")
    TermFactory(seat=SeatFactory(body=body))
    url = reverse("bodies:body_detail", args=["isc"])
    with django_assert_max_num_queries(6) as one:
        assert client.get(url).status_code == 200
    for n in range(20):
        TermFactory(seat=SeatFactory(body=body), ends_on=datetime.date(2099, 1, 1))
        TermFactory(
            seat=SeatFactory(body=body),
            starts_on=datetime.date(2000 + n % 3, 1, 1),
            ended_on=datetime.date(2010, 1, 1),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_body_list_queries_are_the_same_with_one_body_or_many(client, django_assert_max_num_queries):
    BodyFactory()
    url = reverse("bodies:body_list")
    with django_assert_max_num_queries(1) as one:
        client.get(url)
    for _ in range(30):
        SeatFactory(body=BodyFactory(), holder=MemberFactory())
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
