"""Joining: the application form (allauth sign-up plus our fields), then email verification."""

import re
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from casm.testing import deliver_mail
from network.models import Member, Membership, Organisation, User
from network.services.notify import send_email
from tests.network.factories import (
    ChamberFactory,
    MemberFactory,
    OrganisationFactory,
    SubChamberFactory,
    UserFactory,
)

PASSWORD = "a-long Pass phrase 2026"


def join_data(sector, /, **overrides):
    data = {
        "email": "ama@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Ama Mensah",
        "country": "GH",
        "languages": ["en", "fr"],
        "preferred_language": "fr",
        "organisation": "",
        "new_organisation_name": "",
        "new_organisation_type": "",
        "new_organisation_size": "",
        "new_organisation_country": "",
        "sector": sector.pk,
        "sub_chamber": "",
        "role": "Coordinator",
        "listed_in_directory": "on",
    }
    data.update(overrides)
    return data


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_join_link_leads_to_the_grouped_application_form(client):
    response = client.get(reverse("network:join"), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("account_signup")
    for legend in ["Your account", "About you", "Your organisation", "Your place in the network"]:
        assert f"<legend>{legend}</legend>" in html
    assert 'for="id_full_name"' in html
    assert 'name="new_organisation_name"' in html
    assert "List me in the members&#x27; directory" in html


@pytest.mark.django_db
def test_join_as_individual_creates_an_application_and_sends_verification(client, sector):
    response = client.post(reverse("account_signup"), join_data(sector))

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    member = Member.objects.get(email="ama@example.org")
    assert member.organisation is None
    assert member.languages == ["en", "fr"]
    assert member.role == "Coordinator"
    assert member.listed_in_directory is True
    assert member.membership.status == Membership.Status.APPLIED
    assert member.user.preferred_language == "fr"
    assert (member.user.first_name, member.user.last_name) == ("Ama", "Mensah")
    assert member.history.first().history_change_reason == "Applied to join"
    assert not EmailAddress.objects.get(email="ama@example.org").verified
    assert len(deliver_mail()) == 1
    assert "Confirm" in mail.outbox[0].subject


@pytest.mark.django_db
def test_join_with_a_new_organisation_gives_it_the_persons_country(client, sector):
    data = join_data(
        sector,
        new_organisation_name="Tarkwa Miners Union",
        new_organisation_type=Organisation.Type.MINERS_GROUP,
        new_organisation_size=Organisation.Size.MEDIUM,
    )

    client.post(reverse("account_signup"), data)

    organisation = Member.objects.get(email="ama@example.org").organisation
    assert organisation.name == "Tarkwa Miners Union"
    assert organisation.country.code == "GH"
    assert organisation.size == Organisation.Size.MEDIUM


@pytest.mark.django_db
def test_join_with_an_existing_organisation(client, sector):
    organisation = OrganisationFactory(name="Global Witness Demo")

    client.post(reverse("account_signup"), join_data(sector, organisation=organisation.pk))

    assert Member.objects.get(email="ama@example.org").organisation == organisation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "new_organisation_name": "New Co",
                "new_organisation_type": "other",
                "new_organisation_size": "small",
            },
            "new_organisation_name",
            "not both",
        ),
        (
            {"new_organisation_name": "New Co", "new_organisation_size": "small"},
            "new_organisation_type",
            "type",
        ),
        (
            {"new_organisation_name": "New Co", "new_organisation_type": "other"},
            "new_organisation_size",
            "large",
        ),
        ({"languages": []}, "languages", "required"),
        ({"country": ""}, "country", "required"),
        ({"sector": ""}, "sector", "required"),
    ],
)
def test_bad_application_is_refused_with_a_message_and_changes_nothing(
    client, sector, overrides, field, message
):
    existing = OrganisationFactory()
    if field == "new_organisation_name":
        overrides = {**overrides, "organisation": existing.pk}

    response = client.post(reverse("account_signup"), join_data(sector, **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.exists()
    assert not Member.objects.exists()
    assert Organisation.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_sub_chamber_must_belong_to_the_sectors_chamber(client, sector):
    other = SubChamberFactory(chamber=ChamberFactory(name="Donor chamber"))
    right = SubChamberFactory(chamber=sector.chamber)

    refused = client.post(reverse("account_signup"), join_data(sector, sub_chamber=other.pk))
    accepted = client.post(reverse("account_signup"), join_data(sector, sub_chamber=right.pk))

    assert "Donor chamber" in refused.context["form"].errors["sub_chamber"][0]
    assert accepted.status_code == 302
    assert Member.objects.get().sub_chamber == right


def _signup_answers(client, sector, email):
    response = client.post(reverse("account_signup"), join_data(sector, email=email))
    page = re.sub(r'value="[A-Za-z0-9]{64}"', "", client.get(response.url).content.decode())  # CSRF tokens
    return (
        response.status_code,
        response.url,
        page.replace(email, "the address").replace(email.lower(), "the address"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("has_account", [False, True], ids=["member-record-only", "member-with-account"])
def test_an_address_already_in_the_network_gets_the_same_answer_as_a_new_one(
    client, sector, has_account, django_capture_on_commit_callbacks
):
    """No enumeration of members: the page is the same; the owner is told by mail; nothing is created."""
    if has_account:
        known = MemberFactory(
            user=UserFactory(email="kofi@example.org", preferred_language="pt"), sector=sector
        )
    else:
        known = MemberFactory(user=None, email="kofi@example.org", sector=sector, languages=["pt"])
    users, members = User.objects.count(), Member.objects.count()

    with (
        mock.patch("network.services.accounts.send_email", wraps=send_email) as sent,
        django_capture_on_commit_callbacks(execute=True),
    ):
        taken = _signup_answers(client, sector, "Kofi@Example.org")
    client.logout()
    new = _signup_answers(Client(), sector, "new@example.org")

    assert taken[:2] == new[:2] == (302, reverse("account_email_verification_sent"))
    assert taken[2] == new[2]
    assert "already belongs" not in taken[2]
    assert (User.objects.count(), Member.objects.count()) == (users + 1, members + 1)  # the new address only
    assert not Member.objects.filter(email__iexact="kofi@example.org").exclude(pk=known.pk).exists()
    owner_mail = [message for message in mail.outbox if message.to == ["kofi@example.org"]]
    assert len(owner_mail) == 1
    # In the owner's language (Portuguese here).
    assert "Alguém tentou se cadastrar" in owner_mail[0].body
    assert (
        "entre, ou redefina a sua senha" in owner_mail[0].body
        if has_account
        else "convite do secretariado" in owner_mail[0].body
    )
    assert sent.call_args.kwargs["language"] == "pt"
    assert "/accounts/confirm-email/" not in owner_mail[0].body


@pytest.mark.django_db
def test_markup_in_the_application_is_shown_escaped(client, sector, pledges):
    data = join_data(sector, full_name="<script>alert(1)</script> Ama", role="<b>boss</b>")
    client.post(reverse("account_signup"), data)
    user = User.objects.get()
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.force_login(user)

    html = client.get(reverse("network:me")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ama" in html
    assert "&lt;b&gt;boss&lt;/b&gt;" in html


@pytest.mark.django_db
def test_verifying_the_address_logs_in_and_asks_for_the_pledges(client, sector, pledges):
    client.post(reverse("account_signup"), join_data(sector))
    link = confirmation_link(deliver_mail()[0])

    page = client.get(link)
    confirmed = client.post(link)

    assert page.status_code == 200
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("network:pledges")
    assert EmailAddress.objects.get(email="ama@example.org").verified
    pledge_page = client.get(confirmed.url)
    assert pledges["participation"].text in pledge_page.content.decode()


@pytest.mark.django_db
def test_miners_sector_applicant_must_affirm_both_pledges(client, mining_sector, pledges):
    client.post(reverse("account_signup"), join_data(mining_sector))
    client.post(confirmation_link(deliver_mail()[0]))

    response = client.get(reverse("network:pledges"))

    assert [p.kind for p in response.context["pending"]] == ["participation", "responsible_mining"]


@pytest.mark.django_db
def test_logged_in_user_is_not_shown_the_form_again(member_client):
    response = member_client.get(reverse("account_signup"))

    assert response.status_code == 302
