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
