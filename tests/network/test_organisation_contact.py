import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from network.models import Membership, Organisation
from network.services.organisations import organisation_set_contact
from tests.network.factories import MemberFactory, OrganisationFactory


@pytest.mark.django_db
def test_staff_name_an_organisations_official_contact_on_its_page(staff_client, staff_user):
    organisation = OrganisationFactory()
    member = MemberFactory(organisation=organisation, full_name="Ama <b>Mensah</b>")
    url = reverse("network:staff_organisation_detail", args=[organisation.pk])

    page = staff_client.get(url).content.decode()
    assert "Ama &lt;b&gt;Mensah&lt;/b&gt;" in page  # offered in the list, escaped

    response = staff_client.post(
        reverse("network:staff_organisation_contact", args=[organisation.pk]), {"contact-contact": member.pk}
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.contact == member
    last = organisation.history.first()
    assert last.history_user == staff_user
    assert last.history_change_reason.startswith("Official contact")


@pytest.mark.django_db
def test_contact_must_be_an_active_member_of_the_organisation(staff_client, staff_user):
    organisation = OrganisationFactory()
    outsider = MemberFactory()  # another organisation
    applicant = MemberFactory(organisation=organisation, status=Membership.Status.APPLIED)

    for member in (outsider, applicant):
        with pytest.raises(ValidationError):
            organisation_set_contact(organisation=organisation, member=member, actor=staff_user)
    # Through the page: an id not offered is refused with a message, nothing changed.
    response = staff_client.post(
        reverse("network:staff_organisation_contact", args=[organisation.pk]),
        {"contact-contact": outsider.pk},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).contact is None


@pytest.mark.django_db
def test_only_staff_name_contacts(member):
    with pytest.raises(PermissionDenied):
        organisation_set_contact(organisation=member.organisation, member=member, actor=member.user)
    assert Organisation.objects.get(pk=member.organisation_id).contact is None


@pytest.mark.django_db
def test_staff_can_clear_the_contact(staff_client, staff_user):
    organisation = OrganisationFactory()
    member = MemberFactory(organisation=organisation)
    organisation_set_contact(organisation=organisation, member=member, actor=staff_user)

    staff_client.post(
        reverse("network:staff_organisation_contact", args=[organisation.pk]), {"contact-contact": ""}
    )

    assert Organisation.objects.get(pk=organisation.pk).contact is None
