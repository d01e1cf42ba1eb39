"""Where a member sits (sector, chamber, sub-chamber) is said once, without repeating a name."""

import pytest
from django.urls import reverse

from network.templatetags.network_tags import sector_place
from tests.network.factories import ChamberFactory, MemberFactory, SectorFactory, SubChamberFactory


@pytest.mark.django_db
def test_sector_place_leaves_out_a_chamber_that_bears_the_sectors_name():
    civil = SectorFactory(name="Civil society", chamber=ChamberFactory(name="Civil society"))
    producers = ChamberFactory(name="Producers")
    miners = SectorFactory(name="Small-scale miners", chamber=producers)
    north = SubChamberFactory(chamber=producers, name="North")

    assert sector_place(civil) == "Civil society"
    assert sector_place(MemberFactory(sector=civil)) == "Civil society"
    assert sector_place(miners) == "Small-scale miners / Producers"
    assert (
        sector_place(MemberFactory(sector=miners, sub_chamber=north))
        == "Small-scale miners / Producers / North"
    )
    assert sector_place(None) == ""


@pytest.mark.django_db
def test_staff_pages_and_the_directory_do_not_repeat_the_sector_as_its_chamber(staff_client, member_client):
    civil = SectorFactory(
        code="civil-society", name="Civil society", chamber=ChamberFactory(name="Civil society")
    )
    applicant = MemberFactory(sector=civil, status="applied", full_name="Abena Applicant")
    MemberFactory(sector=civil, full_name="Kofi Listed", listed_in_directory=True)

    pages = [
        staff_client.get(reverse("network:staff_applications")),
        staff_client.get(reverse("network:staff_organisation_detail", args=[applicant.organisation_id])),
        member_client.get(reverse("network:directory")),
    ]

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "Civil society" in html
        assert "Civil society (Civil society)" not in html
        assert "Civil society / Civil society" not in html
