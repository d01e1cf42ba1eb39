import datetime
import zoneinfo

import pytest
from django.core.management import call_command

from governance.bodies.models import Body
from governance.consultations.models import Consultation, Response
from network.models import Member, Organisation


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates_and_marks_invented_data_fictional():
    call_command("load_demo", verbosity=0)
    counts = (Member.objects.count(), Organisation.objects.count(), Response.objects.count())
    call_command("load_demo", verbosity=0)

    assert (Member.objects.count(), Organisation.objects.count(), Response.objects.count()) == counts
    assert not Organisation.objects.filter(is_fictional=False).exists()
    assert Body.objects.filter(slug="smag").exists()


@pytest.mark.django_db
def test_demo_has_the_2010_consultation_closed_with_responses_and_an_open_copy():
    call_command("load_demo", verbosity=0)

    closed = Consultation.objects.get(slug="casm-options-paper-2010")
    deadline = closed.closes_at.astimezone(zoneinfo.ZoneInfo(closed.time_zone))
    assert (deadline.year, deadline.month, deadline.day) == (2010, 12, 10)
    assert closed.responses.filter(status=Response.Status.SUBMITTED).count() >= 200
    assert set(closed.responses.values_list("chamber__code", flat=True)) >= {
        "government",
        "civil-society",
        "asm",
        "corporations",
    }
    codes = set(closed.sections.get(title__startswith="Program").options.values_list("code", flat=True))
    assert codes == {"A", "B", "C", "D", "E", "F"}

    practice = Consultation.objects.get(slug="casm-options-paper-open")
    assert practice.closes_at - practice.opens_at > datetime.timedelta(days=14)
    assert practice.responses.count() == 0
