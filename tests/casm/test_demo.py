import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

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


@pytest.mark.django_db
def test_demo_responses_say_what_fits_each_option_and_each_sector():
    """Every rationale was written for the option it explains (the respondent's first choice) and for
    the respondent's sector; every unclear note and comment likewise; proposals are grouped."""
    from casm import demo_consultations as demo
    from governance.consultations.models import OptionPreference, SectionAnswer, UnclearFlag
    from governance.consultations.selectors.analysis import proposed_option_groups

    call_command("load_demo", verbosity=0)
    closed = Consultation.objects.get(slug="casm-options-paper-2010")

    firsts = {
        (p.response_id, p.section_id): p.option.code
        for p in OptionPreference.objects.filter(response__consultation=closed, rank=1).select_related(
            "option"
        )
    }
    answers = SectionAnswer.objects.filter(response__consultation=closed).select_related(
        "section", "response__sector"
    )
    checked = 0
    for answer in answers:
        sector = answer.response.sector.code
        if answer.section.mode == answer.section.Mode.COMMENT:
            assert answer.rationale in demo._for_sector(demo.COMMENTS, sector)
            continue
        code = firsts[answer.response_id, answer.section_id]
        written = demo.RATIONALES[demo.KEYS[answer.section.title]][code]
        assert answer.rationale in demo._for_sector(written, sector), (answer.section.title, code, sector)
        checked += 1
    assert checked >= 4 * 200
    flags = UnclearFlag.objects.filter(response__consultation=closed).select_related("option__section")
    assert flags.exists()
    for flag in flags:
        assert flag.text == demo.UNCLEAR[demo.KEYS[flag.option.section.title], flag.option.code]
    for response in closed.responses.exclude(general_comments=""):
        assert response.general_comments in demo._for_sector(demo.GENERAL_COMMENTS, response.sector.code)
    groups = proposed_option_groups(closed)
    assert groups[0].title == "Regional hubs" and groups[0].count >= 3


@pytest.mark.django_db
def test_demo_memberships_and_means_test_rules_agree_with_themselves():
    """Applied ≤ approved ≤ term start ≤ term end; respondents joined before the 2010 paper opened;
    every means-test rule's name says the organisation type and income group it matches."""
    from network.models import MeansTestRule, Membership

    call_command("load_demo", verbosity=0)
    closed = Consultation.objects.get(slug="casm-options-paper-2010")
    today = timezone.localdate()

    for membership in Membership.objects.all():
        assert membership.applied_at is not None
        assert membership.applied_at <= membership.status_changed_at
        if membership.term_start is not None:
            assert membership.applied_at.date() <= membership.term_start <= membership.term_end
        if membership.status == Membership.Status.ACTIVE:
            approved = membership.status_changed_at
            assert approved.date() <= membership.term_start <= today <= membership.term_end
        if membership.status == Membership.Status.LAPSED:
            assert membership.term_end < membership.status_changed_at.date() <= today
    respondents = Membership.objects.filter(member__consultation_responses__consultation=closed)
    assert respondents.exists()
    assert not respondents.filter(status_changed_at__gte=closed.opens_at).exists()

    names = {
        "low": "low-income",
        "lower_middle": "lower-middle income",
        "upper_middle": "upper-middle income",
        "high": "high-income",
    }
    types = {"miners_group": "Miners' groups", "service_ngo": "Service NGOs", "": "organisation"}
    for rule in MeansTestRule.objects.all():
        for group, words in names.items():
            assert (words in rule.name) == (rule.income_group == group), rule.name
        if not rule.income_group:
            assert "income" not in rule.name, rule.name
        assert types[rule.org_type] in rule.name, rule.name


@pytest.mark.django_db
def test_demo_texts_all_carry_french_spanish_and_portuguese():
    """The demo consultations (title, introduction, every section and option), the pledges and the
    bodies have every translatable field in each language, and the French follows French spacing."""
    import re

    from governance.consultations.models import ConsultationOption, ConsultationSection
    from network.models import Pledge

    call_command("load_demo", verbosity=0)
    consultations = list(Consultation.objects.filter(slug__startswith="casm-options-paper"))
    assert len(consultations) == 2
    records = [
        *consultations,
        *ConsultationSection.objects.filter(consultation__in=consultations),
        *ConsultationOption.objects.filter(section__consultation__in=consultations),
        *Pledge.objects.all(),
        *Body.objects.all(),
    ]
    assert len(records) > 2 + 5 + 18
    for record in records:
        assert set(record.translations) == {"fr", "es", "pt"}, record
        assert record.missing_translations() == {}, record
        for text in record.translations["fr"].values():
            assert not re.search(r" [;:?!»]|« ", text), (record, text)
