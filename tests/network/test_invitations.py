"""Invitations: staff invite by email; the invitee sets a password and lands in their member record."""

import datetime
import hashlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from network.models import Invitation, Member, Membership, User
from network.services import invitations as invitation_services
from tests.network.factories import MemberFactory, OrganisationFactory

PASSWORD = "a-long Pass phrase 2026"


@pytest.fixture
def send(staff_user, sector, django_capture_on_commit_callbacks):
    """Invite someone as staff and return (invitation, token read from the delivered mail)."""

    def _send(**overrides):
        kwargs = {
            "actor": staff_user,
            "email": "Kofi@Example.org",
            "full_name": "Kofi Boateng",
            "country": "GH",
            "sector": sector,
            "role": "Field officer",
            "languages": ["fr", "en"],
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_services.invitation_send(**kwargs)
        token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
        return invitation, token

    return _send


# ---------------------------------------------------------------- sending


@pytest.mark.django_db
def test_invitation_send_creates_an_active_member_and_mails_a_link(send, staff_user, settings):
    organisation = OrganisationFactory()
    invitation, token = send(organisation=organisation)

    member = invitation.member
    assert member.email == "kofi@example.org"
    assert member.user is None
    assert member.organisation == organisation
    assert member.languages == ["fr", "en"]
    membership = member.membership
    assert membership.status == Membership.Status.ACTIVE
    assert membership.status_reason == "Invited by the secretariat"
    assert membership.term_start == timezone.localdate()
    assert membership.term_end == timezone.localdate() + datetime.timedelta(
        days=settings.MEMBERSHIP_TERM_DAYS
    )
    history = member.history.first()
    assert (history.history_user, history.history_change_reason) == (staff_user, "Invited by the secretariat")
    assert membership.history.first().history_change_reason == "Invited by the secretariat"
    # Only a hash of the token is stored.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.invited_by == staff_user
    message = mail.outbox[0]
    assert message.to == ["kofi@example.org"]
    assert settings.SITE_URL + reverse("network:invitation_accept", args=[token]) in message.body


@pytest.mark.django_db
def test_invitation_mail_waits_for_the_commit(staff_user, sector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation_services.invitation_send(
            actor=staff_user, email="x@example.org", full_name="X", country="GH", sector=sector
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_only_secretariat_staff_may_invite(member, sector):
    with pytest.raises(PermissionDenied):
        invitation_services.invitation_send(
            actor=member.user, email="x@example.org", full_name="X", country="GH", sector=sector
        )
    assert not Member.objects.filter(email="x@example.org").exists()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "account"])
def test_an_address_already_in_the_network_is_refused(staff_user, sector, plain_user, who):
    email = MemberFactory(sector=sector).email if who == "member" else plain_user.email
    members_before = Member.objects.count()

    with pytest.raises(ValidationError, match="already belongs"):
        invitation_services.invitation_send(
            actor=staff_user, email=email.upper(), full_name="X", country="GH", sector=sector
        )

    assert Member.objects.count() == members_before
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_invalid_invitee_details_change_nothing(staff_user, sector):
    with pytest.raises(ValidationError):
        invitation_services.invitation_send(
            actor=staff_user, email="x@example.org", full_name="", country="GH", sector=sector
        )
    assert not Member.objects.filter(email="x@example.org").exists()


# ---------------------------------------------------------------- accepting


@pytest.mark.django_db
def test_invitee_sets_a_password_and_lands_in_their_record(client, send):
    invitation, token = send(full_name="<b>Kofi</b> Boateng")
    url = reverse("network:invitation_accept", args=[token])

    page = client.get(url)
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    assert page.status_code == 200
    assert "&lt;b&gt;Kofi&lt;/b&gt; Boateng" in page.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("network:me")
    user = User.objects.get(email="kofi@example.org")
    assert user.check_password(PASSWORD)
    assert user.preferred_language == "fr"
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    member = invitation.member
    member.refresh_from_db()
    assert member.user == user
    assert member.history.first().history_change_reason == "Accepted the invitation"
    me = client.get(reverse("network:me"))
    assert me.status_code == 200
    assert "Active" in me.content.decode()


@pytest.mark.django_db
def test_accepted_invitee_logs_in_with_email_and_password(client, send):
    _invitation, token = send()
    invitation_services.invitation_accept(token=token, password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "kofi@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("network:me")


@pytest.mark.django_db
def test_link_works_once(client, send):
    _invitation, token = send()
    url = reverse("network:invitation_accept", args=[token])
    client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    again = client.get(url)
    posted = client.post(url, {"password1": "another Pass phrase 99", "password2": "another Pass phrase 99"})

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert posted.status_code == 410
    assert User.objects.get(email="kofi@example.org").check_password(PASSWORD)


@pytest.mark.django_db
def test_expired_link_is_gone_and_changes_nothing(client, send):
    invitation, token = send()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    url = reverse("network:invitation_accept", args=[token])

    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="kofi@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["nope", "x" * 43, "<script>"])
def test_forged_token_is_not_found_and_changes_nothing(client, send, forged):
    send()

    get = client.get(reverse("network:invitation_accept", args=[forged]))
    post = client.post(
        reverse("network:invitation_accept", args=[forged]), {"password1": PASSWORD, "password2": PASSWORD}
    )

    assert get.status_code == post.status_code == 404
    assert "not valid" in get.content.decode()
    assert not User.objects.filter(email="kofi@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (PASSWORD, PASSWORD + "x", "differ"),
        ("short", "short", "too short"),
        ("kofi@example.org", "kofi@example.org", "too similar"),
        ("", "", "required"),
    ],
)
def test_bad_password_is_refused_and_changes_nothing(client, send, first, second, message):
    invitation, token = send()

    response = client.post(
        reverse("network:invitation_accept", args=[token]), {"password1": first, "password2": second}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="kofi@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_service_refuses_a_weak_password(send):
    invitation, token = send()
    with pytest.raises(ValidationError):
        invitation_services.invitation_accept(token=token, password="123")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not User.objects.filter(email="kofi@example.org").exists()


@pytest.mark.django_db
def test_invitation_get_valid_says_why(send):
    invitation, token = send()
    assert invitation_services.invitation_get_valid(token) == invitation
    with pytest.raises(invitation_services.InvitationError) as unknown:
        invitation_services.invitation_get_valid("forged")
    assert unknown.value.code == invitation_services.INVALID
