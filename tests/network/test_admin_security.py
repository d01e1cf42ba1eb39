"""The Django admin: staff with a second factor passed in this session; rights changed by superusers only."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from casm import roles
from casm.testing import log_in_with_second_factor, totp_code
from network.models import AccountRoleChange
from network.services.accounts import account_roles_set
from tests.network.factories import UserFactory, make_staff, make_superuser

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SETUP = reverse("mfa_activate_totp")


def password_login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def secretariat_admin(**kwargs):
    """A secretariat account with the admin's ``is_staff`` flag (the case the issue reports)."""
    return make_staff(is_staff=True, **kwargs)


# ---------------------------------------------------------------- the second factor


def test_staff_without_a_second_factor_logging_in_with_a_password_is_sent_to_set_one_up():
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    assert password_login(client, user).status_code == 302

    response = client.get("/admin/")
    follow = client.get("/admin/network/user/")

    assert response.status_code == 302 and response["Location"] == SETUP
    assert follow.status_code == 302 and follow["Location"] == SETUP
    page = client.get(SETUP, follow=True)
    assert "two-factor authentication before using the administration" in page.content.decode()


def test_recovery_codes_alone_are_not_a_second_factor_for_the_admin():
    user = UserFactory(is_staff=True, is_superuser=True)
    RecoveryCodes.activate(user)
    client = Client()
    log_in_with_second_factor(client, user)

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"] == SETUP


def test_staff_whose_session_did_not_pass_the_second_factor_confirm_it_first():
    user = make_superuser()
    client = Client()
    client.force_login(user)  # as a session that predates the account's TOTP

    asked = client.get("/admin/network/user/")
    wrong = client.post(asked["Location"], {"code": "000000" if totp_code(user) != "000000" else "111111"})
    confirmed = client.post(asked["Location"], {"code": totp_code(user)})

    assert asked.status_code == 302
    assert asked["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Fnetwork%2Fuser%2F"
    assert wrong.status_code == 200
    assert confirmed.status_code == 302 and confirmed["Location"] == "/admin/network/user/"
    assert client.get("/admin/network/user/").status_code == 200


def test_staff_logging_in_with_password_and_totp_open_the_admin():
    user = make_superuser()
    client = Client()
    first = password_login(client, user)
    assert first["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})

    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_sends_signed_in_staff_through_the_same_gate():
    user = UserFactory(is_staff=True)
    client = Client()
    client.force_login(user)

    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302 and response["Location"] == SETUP


def test_accounts_without_is_staff_get_403_and_visitors_log_in():
    member = UserFactory()
    client = Client()
    log_in_with_second_factor(client, member)

    assert client.get("/admin/").status_code == 403
    visitor = Client().get("/admin/network/user/")
    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login") + "?next=")


# ---------------------------------------------------------------- who changes rights


def user_form_data(client, account, **changes) -> dict:
    response = client.get(f"/admin/network/user/{account.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or bound.name == "password":
            continue
        if isinstance(value, datetime.datetime):  # a split date and time widget
            data[f"{bound.html_name}_0"], data[f"{bound.html_name}_1"] = (
                f"{value:%Y-%m-%d}",
                f"{value:%H:%M:%S}",
            )
            continue
        data[bound.html_name] = value if not isinstance(value, bool) else "on"
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({bound.html_name: bound.value() for bound in management})
    data.update(changes)
    return data


def test_secretariat_staff_cannot_make_themselves_superuser_through_the_admin():
    clerk = secretariat_admin()
    client = Client()
    log_in_with_second_factor(client, clerk)
    other = UserFactory(first_name="Ama")

    page = client.get(f"/admin/network/user/{other.pk}/change/")
    form = page.context["adminform"].form
    own = client.get(f"/admin/network/user/{clerk.pk}/change/")

    assert not {"is_staff", "is_superuser", "groups", "user_permissions"} & set(form.fields)
    # An account with rights (their own too) is a superuser's to change: they may only look at it.
    assert own.status_code == 200 and not own.context["has_change_permission"]
    assert client.post(f"/admin/network/user/{clerk.pk}/change/", {"is_superuser": "on"}).status_code == 403
    posted = client.post(
        f"/admin/network/user/{other.pk}/change/",
        {**user_form_data(client, other), "is_superuser": "on", "is_staff": "on", "groups": [1]},
    )
    assert posted.status_code == 302
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser and not other.groups.exists()
    assert not AccountRoleChange.objects.exists()


def test_secretariat_staff_cannot_change_or_delete_a_superuser_account():
    client = Client()
    log_in_with_second_factor(client, secretariat_admin())
    boss = make_superuser()

    assert not client.get(f"/admin/network/user/{boss.pk}/change/").context["has_change_permission"]
    assert (
        client.post(f"/admin/network/user/{boss.pk}/change/", {"email": "me@example.org"}).status_code == 403
    )
    assert client.get(f"/admin/network/user/{boss.pk}/password/").status_code == 403
    assert client.post(f"/admin/network/user/{boss.pk}/delete/", {"post": "yes"}).status_code == 403
    boss.refresh_from_db()
    assert boss.email != "me@example.org"


def test_the_secretariat_group_holds_no_right_over_groups_permissions_or_the_rights_record():
    group = Group.objects.get(name=roles.SECRETARIAT)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert not {app for app, _codename in held} & {"auth"}
    assert ("network", "change_accountrolechange") not in held
    assert ("network", "view_accountrolechange") in held
    assert Permission.objects.filter(codename="change_accountrolechange").exists()


def test_a_superuser_grants_rights_through_the_admin_and_the_change_is_recorded():
    boss = make_superuser(email="boss@example.org")
    client = Client()
    log_in_with_second_factor(client, boss)
    clerk = UserFactory(email="clerk@example.org")
    secretariat = Group.objects.get(name=roles.SECRETARIAT)

    response = client.post(
        f"/admin/network/user/{clerk.pk}/change/",
        {**user_form_data(client, clerk), "is_staff": "on", "groups": [secretariat.pk]},
    )

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_staff and not clerk.is_superuser
    assert list(clerk.groups.values_list("name", flat=True)) == [roles.SECRETARIAT]
    change = AccountRoleChange.objects.get(user=clerk)
    assert change.changed_by == boss
    assert change.before == {"is_staff": False, "is_superuser": False, "groups": []}
    assert change.after == {"is_staff": True, "is_superuser": False, "groups": [roles.SECRETARIAT]}
    page = client.get(f"/admin/network/user/{clerk.pk}/change/").content.decode()
    assert "boss@example.org" in page and "Changed in the admin" in page


def test_account_roles_set_refuses_anyone_but_a_superuser_and_changes_nothing():
    clerk = make_staff(is_staff=True)
    other = UserFactory()

    with pytest.raises(PermissionDenied):
        account_roles_set(actor=clerk, user=clerk, is_staff=True, is_superuser=True, groups=[])

    clerk.refresh_from_db()
    assert not clerk.is_superuser and clerk.groups.exists()
    with pytest.raises(PermissionDenied):
        account_roles_set(actor=other, user=other, is_staff=True, is_superuser=False, groups=[])
    assert not AccountRoleChange.objects.exists()


def test_account_roles_set_records_who_when_and_what_and_skips_no_change():
    boss = make_superuser()
    clerk = UserFactory()
    committee = Group.objects.get(name=roles.COMMITTEE)

    change = account_roles_set(
        actor=boss, user=clerk, is_staff=False, is_superuser=False, groups=[committee], reason="Elected"
    )
    again = account_roles_set(actor=boss, user=clerk, is_staff=False, is_superuser=False, groups=[committee])

    assert change.changed_by == boss and change.reason == "Elected" and change.changed_at
    assert change.after["groups"] == [roles.COMMITTEE]
    assert again is None
    assert AccountRoleChange.objects.count() == 1


def test_totp_is_what_has_mfa_counts():
    user = UserFactory(is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    log_in_with_second_factor(client, user)

    assert Authenticator.objects.filter(user=user).count() == 1
    assert client.get("/admin/").status_code == 200
