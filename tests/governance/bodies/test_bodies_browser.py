"""axe-core over the bodies' pages in Chromium: the public page with members, vacancies, past terms
and seats falling vacant; the secretariat's pages, a form with errors, and the landing page's panel.

The whole-site scan (``tests/test_accessibility.py``) covers these pages too, through the matrix; this
one fills them with terms and runs alone (``-k bodies``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.bodies.models import Seat, Term
from tests.governance.bodies.factories import BodyFactory, SeatFactory, TermFactory
from tests.network.factories import MemberFactory
from tests.test_accessibility import _axe, _errors_are_tied_to_fields, _failing, _log_in_with_cookie, _report


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bodies_pages_pass_axe(live_server, page, staff_user, sector):
    today = timezone.localdate()
    smag = BodyFactory(
        slug="smag", name="Strategic Management Advisory Group", description="The advisory group."
    )
    isc = BodyFactory(
        slug="isc", name="Interim Steering Committee", parent=smag, min_size=7, has_vice_chair=True
    )
    TermFactory(
        seat=SeatFactory(body=isc, label="Civil society 1", chamber=None, sector=sector),
        member=MemberFactory(full_name="Ama Mensah", sector=sector),
        role=Seat.Role.CHAIR,
        ends_on=today + datetime.timedelta(days=40),
    )
    seat = SeatFactory(body=isc, label="Civil society 2")
    past = TermFactory(
        seat=seat,
        member=MemberFactory(full_name="Pierre Kabila"),
        starts_on=datetime.date(2008, 1, 1),
        ended_on=datetime.date(2010, 1, 1),
        end_reason=Term.EndReason.EXPIRED,
    )
    running = isc.seats.get(label="Civil society 1").terms.get()
    base = live_server.url
    found = []

    for path in (reverse("bodies:body_detail", args=["isc"]), reverse("bodies:body_detail", args=["smag"])):
        page.goto(base + path)
        found += _axe(page, f"{path} (visitor)")

    _log_in_with_cookie(page, base, staff_user)
    for name, args in (
        ("network:staff_home", []),
        ("bodies:staff_body_list", []),
        ("bodies:staff_body_new", []),
        ("bodies:staff_body_detail", ["isc"]),
        ("bodies:staff_body_edit", ["isc"]),
        ("bodies:staff_body_history", ["isc"]),
        ("bodies:staff_seat_new", ["isc"]),
        ("bodies:staff_seat_appoint", ["isc", seat.pk]),
        ("bodies:staff_term_end", ["isc", running.pk]),
        ("bodies:staff_term_end", ["isc", past.pk]),
    ):
        response = page.goto(base + reverse(name, args=args))
        assert response.status == 200, name
        found += _axe(page, f"{name} (secretariat)")

    # The body form with errors, as the server sends it.
    page.goto(base + reverse("bodies:staff_body_new"))
    form = page.locator("main form").first
    form.locator("input[name=name]").fill("Board")
    form.locator("input[name=min_size]").fill("9")
    form.locator("input[name=max_size]").fill("7")
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("main .errorlist").count() > 0
    found += _axe(page, "body form with errors (secretariat)")
    found += _errors_are_tied_to_fields(page, "body form with errors (secretariat)")

    failing = [v for v in found if _failing(v)]
    assert not failing, "accessibility violations:\n" + _report(failing)
