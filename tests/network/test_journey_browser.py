"""A person joins through the browser, verifies their address, affirms the pledges, and is approved."""

import re

import pytest
from django.contrib.sites.models import Site

from casm.testing import totp_code
from network.models import Member, Pledge
from tests.network.factories import PledgeFactory, SectorFactory, make_staff

EMAIL = "adjoa.miner@example.org"
PASSWORD = "Gold pan and 3 sluices"
STAFF_PASSWORD = "correct horse battery staple"


def log_in(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    main = page.locator("main")
    main.get_by_label("Email:", exact=True).fill(email)
    main.get_by_label("Password:", exact=True).fill(password)
    main.get_by_role("button", name="Sign In").click()


def log_out(page):
    page.locator("header").get_by_role("button", name="Log out").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_person_joins_affirms_pledges_and_is_approved(live_server, page, smtp_sink):
    Site.objects.get_or_create(pk=1, defaults={"domain": "localhost", "name": "CASM Portal"})
    SectorFactory(code="miners", name="Small-scale miners", requires_mining_pledge=True)
    PledgeFactory(kind=Pledge.Kind.PARTICIPATION, version=1, title="Participation commitment")
    PledgeFactory(
        kind=Pledge.Kind.RESPONSIBLE_MINING,
        version=1,
        title="Responsible mining practice",
        text="I will work towards safe, responsible mining without mercury where I can.",
    )
    staff = make_staff(email="secretariat@example.org")
    base = live_server.url

    # The visitor finds the way in from the home page.
    page.goto(base + "/")
    page.locator("main").get_by_role("link", name="Join the network").click()
    main = page.locator("main")
    main.get_by_label("Email:", exact=True).fill(EMAIL)
    main.get_by_label("Password:", exact=True).fill(PASSWORD)
    main.get_by_label("Password (again):", exact=True).fill(PASSWORD)
    main.get_by_label("Full name:", exact=True).fill("Adjoa Mensah")
    main.get_by_label("Country:", exact=True).select_option("GH")
    main.get_by_label("English", exact=True).check()
    main.get_by_label("Or a new organisation: its name").fill("Prestea Miners Cooperative")
    main.get_by_label("Type of the new organisation").select_option("miners_group")
    main.get_by_label("Size of the new organisation").select_option("small")
    main.get_by_label("Sector:", exact=True).select_option(label="Small-scale miners")
    main.get_by_label("Role or position").fill("Treasurer")
    main.get_by_label("List me in the members' directory").check()
    main.get_by_role("button", name="Send my application").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    # The verification mail arrives over SMTP; its link confirms the address and logs the person in.
    message = smtp_sink.wait_for(EMAIL, "Confirm")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", smtp_sink.body(message)).group(0)
    page.goto(link)
    page.locator("main").get_by_role("button", name="Confirm").click()
    if "/accounts/login/" in page.url:
        log_in(page, base, EMAIL, PASSWORD)

    # Both pledges apply to a miners' sector.
    page.get_by_role("heading", name="Commitments of the network").wait_for()
    page.get_by_label("I affirm the participation commitment (version 1).").check()
    page.get_by_label("I affirm the responsible mining practice commitment (version 1).").check()
    page.get_by_role("button", name="Affirm").click()
    page.get_by_role("heading", name="My membership").wait_for()
    assert page.locator("#membership-status").inner_text() == "Applied"
    assert "awaiting review" in page.locator("main").inner_text()
    member = Member.objects.get(email=EMAIL)
    assert member.organisation.name == "Prestea Miners Cooperative"
    assert member.affirmations.count() == 2
    log_out(page)

    # The secretariat approves the application (password, then the authenticator code).
    log_in(page, base, staff.email, STAFF_PASSWORD)
    page.locator("main").get_by_label("Code:", exact=True).fill(totp_code(staff))
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/(me|staff)/.*"))
    page.goto(f"{base}/staff/members/{member.pk}/")
    page.get_by_role("button", name="Approve application").click()
    page.wait_for_load_state()
    log_out(page)

    # The member logs in again and is active.
    log_in(page, base, EMAIL, PASSWORD)
    page.get_by_role("heading", name="My membership").wait_for()
    assert page.locator("#membership-status").inner_text() == "Active"
