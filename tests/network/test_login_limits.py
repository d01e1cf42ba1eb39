"""Failed logins: the per-address limit is strict; the per-account limit cannot lock the owner out.

Anyone can spend an account's five failures in five minutes. The owner still gets in with the
right password and a second factor (accounts with MFA), or with a password-reset link, which
works during the lock-out (accounts without MFA).
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from casm.testing import deliver_mail, totp_code
from tests.network.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOCKED = "Too many failed login attempts for this account"


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def spend_the_accounts_limit(email, attempts=6):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(attempts):
        log_in(attacker, email, "a wrong guess")


def test_an_account_with_mfa_gets_in_with_the_right_password_and_totp_after_six_failures():
    user = UserFactory(email="owner@example.org")
    TOTP.activate(user, generate_totp_secret())
    spend_the_accounts_limit(user.email)
    owner = Client(REMOTE_ADDR="198.51.100.7")

    first = log_in(owner, user.email)
    second = owner.post(reverse("mfa_authenticate"), {"code": totp_code(user)})

    assert first.status_code == 302 and first["Location"] == reverse("mfa_authenticate")
    assert second.status_code == 302
    assert owner.get(reverse("mfa_index")).status_code == 200  # logged in


def test_during_the_lock_out_a_wrong_password_gets_no_further_even_with_mfa():
    user = UserFactory(email="owner@example.org")
    TOTP.activate(user, generate_totp_secret())
    spend_the_accounts_limit(user.email)

    response = log_in(Client(), user.email, "another wrong guess")

    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_an_account_without_mfa_is_told_to_use_the_reset_link_and_the_link_works(client):
    user = UserFactory(email="owner@example.org")
    spend_the_accounts_limit(user.email)

    refused = log_in(client, user.email)  # the right password: refused, with the way out
    wrong = log_in(Client(), user.email, "a third guess")

    page = refused.content.decode()
    assert refused.status_code == 200 and LOCKED in page
    assert "Forgot your password?" in page and reverse("account_reset_password") in page
    assert LOCKED in wrong.content.decode()  # the same answer: the lock tells nothing of the password
    assert client.get(reverse("mfa_index")).status_code == 302  # not logged in

    client.post(reverse("account_reset_password"), {"email": user.email})
    link = next(word for word in deliver_mail()[-1].body.split() if "/password/reset/key/" in word)
    form_page = client.get(link.split("testserver", 1)[-1], follow=True)
    new = "a brand new Passphrase 7"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302

    after = log_in(client, user.email, new)

    assert after.status_code == 302
    assert client.get(reverse("mfa_index")).status_code == 200


def test_eleven_failures_in_a_minute_from_one_address_block_that_address():
    for n in range(3):
        UserFactory(email=f"user{n}@example.org")
    target = UserFactory(email="target@example.org")
    TOTP.activate(target, generate_totp_secret())
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(10):  # different accounts: no account's limit is reached
        log_in(attacker, f"user{n % 3}@example.org" if n < 3 else f"nobody{n}@example.org", "a wrong guess")

    blocked = log_in(attacker, target.email)  # even the right password, from this address
    elsewhere = log_in(Client(REMOTE_ADDR="198.51.100.7"), target.email)

    assert blocked.status_code in (200, 429)
    assert "Too many failed login attempts from your network" in blocked.content.decode()
    assert elsewhere.status_code == 302 and elsewhere["Location"] == reverse("mfa_authenticate")


def test_the_address_limit_counts_the_client_behind_a_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(10):
        log_in(Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.9"), f"nobody{n}@example.org", "x")
    user = UserFactory(email="owner@example.org")

    blocked = log_in(Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.9"), user.email)
    other = log_in(Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"), user.email)

    assert "Too many failed login attempts from your network" in blocked.content.decode()
    assert other.status_code == 302
