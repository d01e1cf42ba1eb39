"""A member logs in, ranks the options of a consultation, saves a draft, comes back and submits."""

import pytest
from django.contrib.sites.models import Site

from governance.consultations.models import Response
from tests.governance.consultations.respond_factories import paper
from tests.network.factories import MemberFactory, SectorFactory

PASSWORD = "correct horse battery staple"  # UserFactory's


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_ranks_saves_a_draft_comes_back_and_submits(live_server, page, mailoutbox):
    Site.objects.get_or_create(pk=1, defaults={"domain": "localhost", "name": "CASM Portal"})
    consultation = paper(title="Options for a revitalised CASM")
    member = MemberFactory(sector=SectorFactory(), full_name="Adjoa Mensah")
    base = live_server.url

    # The paper is public; responding starts with logging in.
    page.goto(f"{base}/consultations/{consultation.slug}/")
    page.get_by_role("heading", name="Options for a revitalised CASM").wait_for()
    page.locator("main").get_by_role("link", name="Log in to respond").click()
    main = page.locator("main")
    main.get_by_label("Email:", exact=True).fill(member.email)
    main.get_by_label("Password:", exact=True).fill(PASSWORD)
    main.get_by_role("button", name="Sign In").click()

    # Back on the form: rank B first and A second, and say why.
    section = page.get_by_role("group", name="Section 1")
    section.get_by_label("Your rank for B. Option B").select_option("1")
    section.get_by_label("Your rank for A. Option A").select_option("2")
    section.get_by_label("Why do you prefer these options?").fill("B reaches miners; A keeps the network.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved").wait_for()
    assert Response.objects.get(member=member).status == Response.Status.DRAFT

    # Later: the paper offers to continue the draft, which comes back as it was left.
    page.goto(f"{base}/consultations/{consultation.slug}/")
    page.get_by_role("link", name="Continue your draft").click()
    section = page.get_by_role("group", name="Section 1")
    assert section.get_by_label("Your rank for B. Option B").input_value() == "1"
    assert section.get_by_label("Your rank for A. Option A").input_value() == "2"
    page.get_by_role("button", name="Submit", exact=True).click()

    page.get_by_text("Thank you: your response is submitted").wait_for()
    assert page.locator("#response-status").inner_text().startswith("Submitted")
    assert "B reaches miners; A keeps the network." in page.locator("main").inner_text()
    response = Response.objects.get(member=member)
    assert response.status == Response.Status.SUBMITTED
    assert [mail.to for mail in mailoutbox] == [[member.email]]
