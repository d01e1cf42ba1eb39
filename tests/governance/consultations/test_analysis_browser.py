"""The committee's analysis at a laptop's width: wide tables fit, and scrolling regions take the keyboard."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.test import Client

from casm import roles
from tests.governance.consultations.factories import consultation_with_options, submitted_response
from tests.network.factories import ChamberFactory, MemberFactory, SectorFactory, UserFactory

# The demo's chambers and sectors: the longest names the breakdowns have to hold.
SECTORS = [
    ("Government and agencies", "Governments of ASM countries"),
    ("Government and agencies", "Other governments"),
    ("Civil society", "Civil society"),
    ("Artisanal and small-scale miners", "Small-scale miners and their representatives"),
    ("Corporations", "Corporations"),
]


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_breakdown_by_sector_fits_at_1280_px_and_scroll_regions_are_keyboard_reachable(live_server, page):
    Site.objects.get_or_create(pk=1, defaults={"domain": "localhost", "name": "CASM Portal"})
    consultation = consultation_with_options(sections=1, options=6, slug="options-2010")
    options = list(consultation.sections.get().options.order_by("order"))
    chambers = {}
    for n, (chamber_name, sector_name) in enumerate(SECTORS):
        if chamber_name not in chambers:
            chambers[chamber_name] = ChamberFactory(name=chamber_name, order=len(chambers))
        sector = SectorFactory(name=sector_name, chamber=chambers[chamber_name], order=n)
        for k in range(3):
            submitted_response(consultation, MemberFactory(sector=sector), ranks={options[(n + k) % 6]: 1})
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.COMMITTEE))
    TOTP.activate(user, generate_totp_secret())  # reading individual responses needs a second factor
    _log_in(page, live_server, user)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/consultations/{consultation.slug}/analysis/")

    region = page.get_by_role("region", name="Section 1 — First choices by sector")
    region.wait_for()
    widths = region.evaluate("node => [node.scrollWidth, node.clientWidth]")
    assert widths[0] <= widths[1], f"the table scrolls: {widths}"
    for name in ["Small-scale miners and their representatives", "Corporations"]:
        assert region.get_by_role("columnheader", name=name).is_visible()
    regions = page.locator(".table-scroll")
    assert regions.count() == 4  # rates, preferences, by chamber, by sector
    for index in range(regions.count()):
        scroll = regions.nth(index)
        assert scroll.get_attribute("tabindex") == "0"
        assert scroll.get_attribute("role") == "region"
        assert scroll.get_attribute("aria-label")
    # Keyboard users reach the regions with Tab.
    page.locator(".table-scroll").first.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
