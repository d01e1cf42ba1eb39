"""The demo's bodies carry rules, seats and terms, like the source's path (§1, §8)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from governance.bodies.models import Body, Term
from governance.bodies.selectors import terms_ending_soon


@pytest.mark.django_db
def test_demo_bodies_have_rules_terms_and_seats_falling_vacant(client):
    call_command("load_demo", verbosity=0)

    isc = Body.objects.get(slug="interim-steering-committee")
    assert (isc.min_size, isc.max_size, isc.min_per_sector, isc.max_per_sector) == (7, 9, 1, 2)
    assert isc.seats.filter(is_permanent=True, label__startswith="World Bank").exists()
    assert Body.objects.get(slug="asm-issue-analysis-task-group").parent == isc
    smag = Body.objects.get(slug="smag")
    assert (
        Term.objects.filter(seat__body=smag, ended_on__isnull=True).count()
        == smag.seats.filter(holder__isnull=False).count()
    )
    assert Term.objects.filter(seat__body=smag, ended_on__isnull=False).exists()
    assert terms_ending_soon(body=smag).exists()
    assert not Term.objects.filter(member__is_fictional=False).exists()

    html = client.get(reverse("bodies:body_detail", args=["smag"])).content.decode()
    assert "Seats falling vacant in the next 90 days" in html and "Term from" in html
