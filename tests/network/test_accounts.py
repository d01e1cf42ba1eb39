"""Accounts through allauth: login by email, verification required, password reset, rate limit, MFA."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.urls import reverse

from casm.testing import deliver_mail
from tests.network.factories import MemberFactory, UserFactory

PASSWORD = "correct horse battery staple"


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_login_page_uses_the_portal_layout(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "casm/portal.css" in html
    assert 'id="main"' in html
    assert "Join the network" in html


@pytest.mark.django_db
def test_member_logs_in_with_email(client, member):
    response = log_in(client, member.user.email.upper())

    assert response.status_code == 302
    assert response.url == reverse("network:me")
    assert client.get(reverse("network:me")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused(client, member):
    response = log_in(client, member.user.email, "wrong password")

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("network:me")).status_code == 302


@pytest.mark.django_db
def test_unverified_address_cannot_log_in(client, sector):
    user = UserFactory(email="new@example.org", verified=False)
    MemberFactory(user=user, sector=sector)

    response = log_in(client, "new@example.org")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("network:me")).status_code == 302  # not logged in
    assert "Confirm" in deliver_mail()[-1].subject


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.user.email})

    assert response.status_code == 302
    assert len(deliver_mail()) == 1
    message = mail.outbox[0]
    assert message.to == [member.user.email]
    assert "/accounts/password/reset/key/" in message.body
    link = next(word for word in message.body.split() if "/password/reset/key/" in word)
    path = link.split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    new = "a brand new Passphrase 7"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password(new)


@pytest.mark.django_db
def test_failed_logins_are_rate_limited_with_a_clear_message(client, member):
    for _attempt in range(5):
        log_in(client, member.user.email, "wrong password")

    response = log_in(client, member.user.email)  # even the right password is refused for now

    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("network:me")).status_code == 302


@pytest.mark.django_db
def test_member_activates_totp(client, member):
    log_in(client, member.user.email)
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith(reverse("account_reauthenticate"))  # sensitive: confirm the password
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if code != "000000" else "111111"})
    response = client.post(reverse("mfa_activate_totp"), {"code": code})

    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member.user, type=Authenticator.Type.TOTP).exists()
    # Next login asks for the code.
    client.logout()
    second = log_in(client, member.user.email)
    assert second.url == reverse("mfa_authenticate")


@pytest.mark.django_db
def test_visitor_cannot_open_mfa_settings(client):
    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index"])
def test_account_pages_use_the_portal_layout(client, member, name):
    client.force_login(member.user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "casm/portal.css" in response.content.decode()
