"""Staff build consultations: the services (rules, denials, history) and the pages (as staff, and denied)."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    OptionPreference,
    Response,
    UnclearFlag,
)
from governance.consultations.services import consultations as services
from tests.governance.consultations.builder_factories import draft_response, local
from tests.governance.consultations.factories import (
    ConsultationFactory,
    OptionFactory,
    SectionFactory,
    consultation_with_options,
    submitted_response,
)
from tests.network.factories import ChamberFactory, MemberFactory, SectorFactory
from tests.network.staff_factories import assert_staff_only

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
Mode = ConsultationSection.Mode


def _create(staff_user, **overrides) -> Consultation:
    data = {
        "actor": staff_user,
        "title": "Revitalising CASM: options paper",
        "opens_at": local("2010-11-01T09:00"),
        "closes_at": local("2010-12-10T23:59"),
        "time_zone": "America/New_York",
    }
    return services.consultation_create(**{**data, **overrides})


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _snapshot(consultation) -> dict:
    """Everything a consultation's structure and answers are made of, to show that nothing changed."""
    return {
        "consultation": list(Consultation.objects.filter(pk=consultation.pk).values()),
        "sections": list(
            ConsultationSection.objects.filter(consultation=consultation).values().order_by("id")
        ),
        "options": list(
            ConsultationOption.objects.filter(section__consultation=consultation).values().order_by("id")
        ),
        "preferences": list(
            OptionPreference.objects.filter(response__consultation=consultation).values().order_by("id")
        ),
        "flags": list(
            UnclearFlag.objects.filter(response__consultation=consultation).values().order_by("id")
        ),
    }


# ---------------------------------------------------------------- services: the consultation


def test_consultation_create_stores_local_times_in_utc_with_default_reminders_and_history(staff_user):
    consultation = _create(staff_user)

    # 23:59 in New York on 10 December 2010 (EST, UTC-5) is 04:59 UTC the next day.
    assert consultation.closes_at == datetime.datetime(2010, 12, 11, 4, 59, tzinfo=UTC)
    assert consultation.opens_at == datetime.datetime(2010, 11, 1, 13, 0, tzinfo=UTC)  # EDT, UTC-4
    assert consultation.reminder_offsets == [7, 1]
    assert consultation.is_published is False
    assert consultation.slug == "revitalising-casm-options-paper"
    row = consultation.history.get()
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        staff_user,
        "Consultation created",
    )


def test_consultation_create_refuses_a_member(member):
    with pytest.raises(PermissionDenied):
        _create(member.user)
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": local("2010-10-01T09:00")}, "closes_at"),
        ({"closes_at": local("2010-11-01T09:00")}, "closes_at"),
        ({"reminder_offsets": [7, 0]}, "reminder_offsets"),
        ({"reminder_offsets": [-1]}, "reminder_offsets"),
        ({"reminder_offsets": [1.5]}, "reminder_offsets"),
        ({"reminder_offsets": [True]}, "reminder_offsets"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"audience": Consultation.Audience.CHAMBERS}, "chambers"),
        ({"audience": Consultation.Audience.INVITEES}, "invitees"),
        # The clocks went forward in New York at 02:00 on 13 March 2011: 02:30 never happened.
        ({"opens_at": local("2011-03-13T02:30"), "closes_at": local("2011-04-01T00:00")}, "opens_at"),
    ],
)
def test_consultation_create_refuses_bad_input_and_creates_nothing(staff_user, overrides, field):
    with pytest.raises(ValidationError) as raised:
        _create(staff_user, **overrides)
    assert field in raised.value.message_dict
    assert not Consultation.objects.exists()


def test_consultation_create_for_chambers_and_invitees(staff_user):
    chamber = ChamberFactory()
    invitee = MemberFactory()

    by_chamber = _create(staff_user, audience=Consultation.Audience.CHAMBERS, chambers=[chamber])
    by_invitation = _create(staff_user, audience=Consultation.Audience.INVITEES, invitees=[invitee])

    assert list(by_chamber.chambers.all()) == [chamber]
    assert list(by_invitation.invitees.all()) == [invitee]
    assert by_invitation.slug == "revitalising-casm-options-paper-2"
    assert by_chamber.history.first().chambers.count() == 1  # the chambers are in the history


def test_reminder_offsets_are_whole_days_each_once_largest_first(staff_user):
    consultation = _create(staff_user, reminder_offsets=[1, 14, 7, 7])
    assert consultation.reminder_offsets == [14, 7, 1]
    assert _create(staff_user, reminder_offsets=[]).reminder_offsets == []


def test_consultation_update_records_the_change_and_chambers_in_one_history_row(staff_user):
    consultation = _create(staff_user)
    chamber = ChamberFactory(name="Civil society")

    services.consultation_update(
        consultation=consultation,
        actor=staff_user,
        title="Options paper (revised)",
        introduction="Read *carefully*.",
        audience=Consultation.Audience.CHAMBERS,
        chambers=[chamber],
        opens_at=local("2010-11-01T09:00"),
        closes_at=local("2010-12-17T17:00"),
        time_zone="Europe/London",
        reminder_offsets=[3],
    )

    consultation.refresh_from_db()
    assert consultation.title == "Options paper (revised)"
    assert consultation.closes_at == datetime.datetime(2010, 12, 17, 17, 0, tzinfo=UTC)
    assert list(consultation.chambers.all()) == [chamber]
    newest, older = consultation.history.all()[:2]
    assert newest.history_user == staff_user and newest.history_change_reason == "Consultation changed"
    assert older.history_type == "+"  # one row for the whole change, chambers included
    assert list(newest.chambers.values_list("chamber_id", flat=True)) == [chamber.pk]
    changed = {change.field for change in newest.diff_against(older).changes}
    assert {"title", "closes_at", "time_zone", "reminder_offsets", "audience", "chambers"} <= changed


def test_consultation_update_refuses_a_member_and_closing_before_opening(staff_user, member):
    consultation = _create(staff_user)
    before = _snapshot(consultation)
    fields = {
        "title": "x",
        "opens_at": local("2010-11-01T09:00"),
        "closes_at": local("2010-11-01T08:00"),
        "time_zone": "UTC",
    }
    with pytest.raises(PermissionDenied):
        services.consultation_update(consultation=consultation, actor=member.user, **fields)
    with pytest.raises(ValidationError):
        services.consultation_update(consultation=consultation, actor=staff_user, **fields)
    assert _snapshot(consultation) == before


def test_consultation_publish_needs_sections_with_options(staff_user, member):
    consultation = _create(staff_user)
    with pytest.raises(ValidationError, match="at least one section"):
        services.consultation_publish(consultation=consultation, actor=staff_user)
    section = services.section_create(consultation=consultation, actor=staff_user, title="Programme options")
    with pytest.raises(ValidationError, match="Programme options"):
        services.consultation_publish(consultation=consultation, actor=staff_user)
    services.option_create(section=section, actor=staff_user, code="A", title="Strengthen the status quo")
    with pytest.raises(PermissionDenied):
        services.consultation_publish(consultation=consultation, actor=member.user)

    services.consultation_publish(consultation=consultation, actor=staff_user)

    consultation.refresh_from_db()
    assert consultation.is_published
    assert consultation.history.first().history_change_reason == "Published"


def test_consultation_unpublish_is_refused_once_anyone_answered(staff_user):
    consultation = consultation_with_options(sections=1)
    services.consultation_unpublish(consultation=consultation, actor=staff_user)
    services.consultation_publish(consultation=consultation, actor=staff_user)
    draft_response(consultation)

    with pytest.raises(ValidationError, match="cannot be unpublished"):
        services.consultation_unpublish(consultation=consultation, actor=staff_user)

    assert Consultation.objects.get(pk=consultation.pk).is_published


def test_consultation_delete_only_while_nobody_answered(staff_user):
    answered = consultation_with_options(sections=1)
    draft_response(answered)
    empty = consultation_with_options(sections=2)

    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.consultation_delete(consultation=answered, actor=staff_user)
    services.consultation_delete(consultation=empty, actor=staff_user)

    assert Consultation.objects.filter(pk=answered.pk).exists()
    assert not Consultation.objects.filter(pk=empty.pk).exists()
    deleted = Consultation.history.filter(id=empty.pk, history_type="-").get()
    assert deleted.history_user == staff_user
    assert ConsultationOption.history.filter(history_type="-", history_user=staff_user).count() == 6


# ---------------------------------------------------------------- services: sections


def test_section_create_appends_and_records_history(staff_user, member):
    consultation = _create(staff_user)
    first = services.section_create(
        consultation=consultation, actor=staff_user, title="Mission", mode=Mode.COMMENT
    )
    second = services.section_create(consultation=consultation, actor=staff_user, title="Programme options")

    assert (first.order, second.order) == (0, 1)
    assert second.history.get().history_user == staff_user
    with pytest.raises(PermissionDenied):
        services.section_create(consultation=consultation, actor=member.user, title="x")
    with pytest.raises(ValidationError):
        services.section_create(consultation=consultation, actor=staff_user, title="x", mode="vote")
    assert consultation.sections.count() == 2


def test_section_mode_changes_until_someone_answers(staff_user):
    consultation = consultation_with_options(sections=1)
    section = consultation.sections.get()

    services.section_update(section=section, actor=staff_user, title="Governance options", mode=Mode.PICK)
    draft_response(consultation)  # a draft is enough: its author may already have ranked
    with pytest.raises(ValidationError) as raised:
        services.section_update(section=section, actor=staff_user, title="Governance options", mode=Mode.RANK)
    assert "mode" in raised.value.message_dict
    services.section_update(
        section=section, actor=staff_user, title="Governance options (revised)", mode=Mode.PICK
    )

    section.refresh_from_db()
    assert (section.mode, section.title) == (Mode.PICK, "Governance options (revised)")
    assert [row.history_change_reason for row in section.history.all()[:2]] == ["Section changed"] * 2


def test_section_with_options_cannot_become_comment_only(staff_user):
    section = consultation_with_options(sections=1).sections.get()
    with pytest.raises(ValidationError):
        services.section_update(section=section, actor=staff_user, title="x", mode=Mode.COMMENT)


def test_section_delete_refused_when_answered_and_nothing_changes(staff_user):
    consultation = consultation_with_options(sections=2)
    answered, unanswered = consultation.sections.all()
    draft_response(consultation, prefer=[answered.options.first()], rationale="Cheapest.")
    before = _snapshot(consultation)

    with pytest.raises(ValidationError, match="has answers"):
        services.section_delete(section=answered, actor=staff_user)
    assert _snapshot(consultation) == before

    services.section_delete(section=unanswered, actor=staff_user)  # unanswered: fine, even now
    assert list(consultation.sections.all()) == [answered]
    assert (
        ConsultationSection.history.filter(id=unanswered.pk, history_type="-").get().history_user
        == staff_user
    )


def test_section_delete_refused_when_only_a_new_option_was_proposed(staff_user):
    from governance.consultations.models import ProposedOption

    consultation = consultation_with_options(sections=1)
    section = consultation.sections.get()
    response = draft_response(consultation)
    ProposedOption.objects.create(
        response=response, section=section, title="A fund", description="For pilots"
    )

    with pytest.raises(ValidationError):
        services.section_delete(section=section, actor=staff_user)


def test_section_move_swaps_and_numbers_the_sections(staff_user, member):
    consultation = consultation_with_options(sections=3, options=1)
    one, two, three = consultation.sections.all()

    assert services.section_move(section=three, actor=staff_user, direction="up") is True
    assert list(consultation.sections.all()) == [one, three, two]
    assert services.section_move(section=one, actor=staff_user, direction="up") is False
    assert three.history.first().history_change_reason == "Section moved up"
    with pytest.raises(PermissionDenied):
        services.section_move(section=one, actor=member.user, direction="down")
    with pytest.raises(ValidationError):
        services.section_move(section=one, actor=staff_user, direction="sideways")


# ---------------------------------------------------------------- services: options


def test_option_create_appends_with_a_code_unique_in_its_section(staff_user, member):
    consultation = consultation_with_options(sections=2, options=2)
    first, second = consultation.sections.all()

    option = services.option_create(section=first, actor=staff_user, code="C", title="In-country services")
    services.option_create(section=second, actor=staff_user, code="C", title="Same code, other section")

    assert option.order == 2 and option.history.get().history_user == staff_user
    with pytest.raises(ValidationError) as raised:
        services.option_create(section=first, actor=staff_user, code="c", title="Duplicate")
    assert "code" in raised.value.message_dict
    with pytest.raises(PermissionDenied):
        services.option_create(section=first, actor=member.user, code="D", title="x")
    assert first.options.count() == 3


def test_option_create_refused_in_a_comment_section(staff_user):
    section = SectionFactory(mode=Mode.COMMENT)
    with pytest.raises(ValidationError):
        services.option_create(section=section, actor=staff_user, code="A", title="x")
    assert not section.options.exists()


def test_option_update_keeps_codes_unique_and_records_history(staff_user):
    section = consultation_with_options(sections=1).sections.get()
    a, b, _c = section.options.all()

    with pytest.raises(ValidationError):
        services.option_update(option=b, actor=staff_user, code="A", title="x")
    services.option_update(
        option=b, actor=staff_user, code="B", title="Experts roster", description="**Roster**"
    )

    b.refresh_from_db()
    assert (b.code, b.title) == ("B", "Experts roster")
    assert b.history.first().history_change_reason == "Option changed"


def test_once_responses_exist_deleting_an_answered_option_is_refused_and_nothing_changes(staff_user):
    consultation = consultation_with_options(sections=1)
    a, b, c = consultation.sections.get().options.all()
    submitted_response(consultation, ranks={a: 1})
    draft_response(consultation, unclear=[b])  # a flag in a mere draft also counts
    before = _snapshot(consultation)

    for option in (a, b):
        with pytest.raises(ValidationError, match="has answers"):
            services.option_delete(option=option, actor=staff_user)

    assert _snapshot(consultation) == before
    services.option_delete(option=c, actor=staff_user)  # nobody answered C
    assert list(consultation.sections.get().options.all()) == [a, b]
    assert ConsultationOption.history.filter(id=c.pk, history_type="-").get().history_user == staff_user


def test_option_delete_refuses_a_member(staff_user, member):
    option = OptionFactory()
    with pytest.raises(PermissionDenied):
        services.option_delete(option=option, actor=member.user)
    assert ConsultationOption.objects.filter(pk=option.pk).exists()


def test_reordering_options_after_responses_keeps_every_answer_intact(staff_user):
    consultation = consultation_with_options(sections=1)
    a, b, c = consultation.sections.get().options.all()
    response = submitted_response(consultation, ranks={c: 1, a: 2})
    answers = list(
        OptionPreference.objects.filter(response=response).values("option_id", "rank", "section_id")
    )

    services.option_move(option=c, actor=staff_user, direction="up")
    services.option_move(option=c, actor=staff_user, direction="up")
    services.section_move(section=c.section, actor=staff_user, direction="down")  # a lone section: no-op

    assert list(consultation.sections.get().options.all()) == [c, a, b]
    # The codes follow the new order; the answers point to the options by id.
    assert list(ConsultationOption.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "code")) == [
        (c.pk, "A"),
        (a.pk, "B"),
        (b.pk, "C"),
    ]
    assert (
        list(OptionPreference.objects.filter(response=response).values("option_id", "rank", "section_id"))
        == answers
    )
    # The first choice is still the option that was C, whatever its position and code now.
    assert OptionPreference.objects.get(response=response, rank=1).option_id == c.pk
    assert [row.history_change_reason for row in c.history.all()[:2]] == [
        "Option code follows the order",
        "Option moved up",
    ]


# ---------------------------------------------------------------- pages: who may open them


def _urls(consultation, section, option):
    slug = consultation.slug
    return [
        ("get", reverse("consultations:staff_consultation_list"), None),
        ("get", reverse("consultations:staff_consultation_new"), None),
        ("post", reverse("consultations:staff_consultation_new"), {"title": "x"}),
        ("get", reverse("consultations:staff_consultation_detail", args=[slug]), None),
        ("get", reverse("consultations:staff_consultation_edit", args=[slug]), None),
        ("post", reverse("consultations:staff_consultation_edit", args=[slug]), {"title": "Hacked"}),
        ("post", reverse("consultations:staff_consultation_publish", args=[slug]), {"action": "unpublish"}),
        ("post", reverse("consultations:staff_consultation_delete", args=[slug]), None),
        ("get", reverse("consultations:staff_consultation_preview", args=[slug]), None),
        ("get", reverse("consultations:staff_consultation_history", args=[slug]), None),
        ("get", reverse("consultations:staff_section_new", args=[slug]), None),
        ("post", reverse("consultations:staff_section_new", args=[slug]), {"title": "x", "mode": "rank"}),
        (
            "post",
            reverse("consultations:staff_section_edit", args=[slug, section.pk]),
            {"title": "x", "mode": "rank"},
        ),
        ("post", reverse("consultations:staff_section_delete", args=[slug, section.pk]), None),
        ("post", reverse("consultations:staff_section_move", args=[slug, section.pk]), {"direction": "down"}),
        ("get", reverse("consultations:staff_option_new", args=[slug, section.pk]), None),
        (
            "post",
            reverse("consultations:staff_option_new", args=[slug, section.pk]),
            {"code": "Z", "title": "x"},
        ),
        (
            "post",
            reverse("consultations:staff_option_edit", args=[slug, option.pk]),
            {"code": "Z", "title": "x"},
        ),
        ("post", reverse("consultations:staff_option_delete", args=[slug, option.pk]), None),
        ("post", reverse("consultations:staff_option_move", args=[slug, option.pk]), {"direction": "down"}),
    ]


def test_builder_pages_are_for_staff_with_mfa(role_clients):
    consultation = consultation_with_options(sections=2)
    section = consultation.sections.first()
    option = section.options.first()
    before = _snapshot(consultation)

    for method, url, data in _urls(consultation, section, option):
        assert_staff_only(role_clients, method, url, data)

    assert _snapshot(consultation) == before
    assert Consultation.objects.count() == 1


def test_staff_pages_of_an_unknown_consultation_or_a_foreign_option_are_404(staff_client):
    one = consultation_with_options(sections=1)
    other = consultation_with_options(sections=1)
    foreign = other.sections.get().options.first()

    assert (
        staff_client.get(reverse("consultations:staff_consultation_detail", args=["nope"])).status_code == 404
    )
    url = reverse("consultations:staff_option_edit", args=[one.slug, foreign.pk])
    assert staff_client.get(url).status_code == 404


# ---------------------------------------------------------------- pages: building a consultation


def _consultation_form(**overrides) -> dict:
    data = {
        "title": "Revitalising CASM",
        "slug": "",
        "introduction": "Tell us which options you prefer.",
        "audience": "all_active",
        "invitees": "",
        "time_zone": "America/New_York",
        "opens_at": "2010-11-01T09:00",
        "closes_at": "2010-12-10T23:59",
        "reminder_offsets": "7, 1",
    }
    return {**data, **overrides}


def test_staff_create_a_consultation_through_the_form(staff_client, staff_user):
    assert staff_client.get(reverse("consultations:staff_consultation_new")).status_code == 200

    response = staff_client.post(
        reverse("consultations:staff_consultation_new"), _consultation_form(), follow=True
    )

    consultation = Consultation.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "consultations:staff_consultation_detail", args=[consultation.slug]
    )
    assert consultation.closes_at == datetime.datetime(2010, 12, 11, 4, 59, tzinfo=UTC)
    assert consultation.created_by == staff_user
    page = response.content.decode()
    assert "10 December 2010, 23:59 (America/New_York)" in page
    assert "Add a section" in page


def test_staff_create_for_named_invitees_by_email(staff_client):
    invitee = MemberFactory(email="Ama@Example.org")
    data = _consultation_form(audience="invitees", invitees="ama@example.org, ama@example.org")

    staff_client.post(reverse("consultations:staff_consultation_new"), data)

    assert list(Consultation.objects.get().invitees.all()) == [invitee]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_at": "2010-10-01T09:00"}, "closes_at", "must close after it opens"),
        ({"reminder_offsets": "7, zero"}, "reminder_offsets", "is not a whole number"),
        ({"audience": "invitees", "invitees": "nobody@example.org"}, "invitees", "nobody@example.org"),
        ({"audience": "chambers"}, "chambers", "at least one chamber"),
        ({"closes_at": "next week"}, "closes_at", "Enter a valid date/time"),
        ({"title": ""}, "title", "This field is required"),
    ],
)
def test_consultation_form_errors_are_shown_beside_the_field_and_nothing_is_created(
    staff_client, overrides, field, message
):
    response = staff_client.post(
        reverse("consultations:staff_consultation_new"), _consultation_form(**overrides)
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Consultation.objects.exists()


def test_staff_edit_shows_times_in_the_zone_and_saves_changes(staff_client, staff_user):
    consultation = _create(staff_user)
    url = reverse("consultations:staff_consultation_edit", args=[consultation.slug])

    page = staff_client.get(url).content.decode()
    assert 'value="2010-12-10T23:59"' in page

    response = staff_client.post(url, _consultation_form(title="Revised", closes_at="2010-12-17T23:59"))

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Revised"
    assert consultation.closes_at == datetime.datetime(2010, 12, 18, 4, 59, tzinfo=UTC)
    assert consultation.slug == "revitalising-casm-options-paper"  # the address does not change


def test_text_typed_by_staff_is_shown_escaped_and_markdown_is_sanitised(staff_client, staff_user):
    script = "<script>alert('x')</script>"
    consultation = _create(staff_user, title=f"Paper {script}", introduction=f"**Bold** {script}")
    section = services.section_create(
        consultation=consultation,
        actor=staff_user,
        title=f"Section {script}",
        body='[link](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    services.option_create(section=section, actor=staff_user, code="A", title=f"Option {script}")

    for name in ("staff_consultation_detail", "staff_consultation_preview", "staff_consultation_history"):
        page = staff_client.get(reverse(f"consultations:{name}", args=[consultation.slug])).content.decode()
        assert script not in page, name
        assert "onerror" not in page and "javascript:" not in page, name
        assert "&lt;script&gt;" in page, name
    list_page = staff_client.get(reverse("consultations:staff_consultation_list")).content.decode()
    assert script not in list_page and "&lt;script&gt;" in list_page
    preview = staff_client.get(reverse("consultations:staff_consultation_preview", args=[consultation.slug]))
    assert "<strong>Bold</strong>" in preview.content.decode()


def test_staff_publish_and_unpublish_from_the_overview(staff_client, staff_user):
    consultation = consultation_with_options(sections=1, is_published=False)
    url = reverse("consultations:staff_consultation_publish", args=[consultation.slug])

    response = staff_client.post(url, {"action": "publish"}, follow=True)
    assert "The consultation is published." in _messages(response)
    assert Consultation.objects.get(pk=consultation.pk).is_published

    draft_response(consultation)
    response = staff_client.post(url, {"action": "unpublish"}, follow=True)
    assert any("cannot be unpublished" in message for message in _messages(response))
    assert Consultation.objects.get(pk=consultation.pk).is_published


def test_publishing_an_empty_paper_says_why_and_changes_nothing(staff_client, staff_user):
    consultation = _create(staff_user)
    response = staff_client.post(
        reverse("consultations:staff_consultation_publish", args=[consultation.slug]),
        {"action": "publish"},
        follow=True,
    )
    assert any("Add at least one section" in message for message in _messages(response))
    assert not Consultation.objects.get(pk=consultation.pk).is_published


def test_staff_delete_an_unanswered_consultation_but_not_an_answered_one(staff_client):
    empty = consultation_with_options(sections=1)
    answered = consultation_with_options(sections=1)
    draft_response(answered)

    staff_client.post(reverse("consultations:staff_consultation_delete", args=[empty.slug]))
    response = staff_client.post(
        reverse("consultations:staff_consultation_delete", args=[answered.slug]), follow=True
    )

    assert list(Consultation.objects.all()) == [answered]
    assert any("cannot be deleted" in message for message in _messages(response))
    assert "Delete the consultation" not in response.content.decode()  # not offered once answered


def test_overview_shows_status_audience_counts_and_links(staff_client, sector):
    consultation = consultation_with_options(sections=1)
    for _ in range(3):
        MemberFactory(sector=sector)
    submitted_response(consultation, MemberFactory(sector=sector))
    draft_response(consultation, MemberFactory(sector=sector))
    from tests.governance.consultations.factories import ExtensionRequestFactory

    ExtensionRequestFactory(consultation=consultation)

    page = staff_client.get(
        reverse("consultations:staff_consultation_detail", args=[consultation.slug])
    ).content.decode()

    assert "Open" in page
    assert "6 members may respond" in page  # 3, the 2 respondents and the one asking for more time
    assert "1 submitted, 1 drafts" in page
    assert "1 waiting for a decision" in page
    assert reverse("consultations:staff_consultation_preview", args=[consultation.slug]) in page
    assert reverse("consultations:staff_extension_list", args=[consultation.slug]) in page
    assert reverse("consultations:consultation_analysis", args=[consultation.slug]) in page


def test_overview_audience_size_counts_only_chosen_chambers(staff_client, sector):
    other = SectorFactory()
    consultation = consultation_with_options(sections=1, audience=Consultation.Audience.CHAMBERS)
    consultation.chambers.set([sector.chamber])
    MemberFactory(sector=sector)
    MemberFactory(sector=other)

    page = staff_client.get(
        reverse("consultations:staff_consultation_detail", args=[consultation.slug])
    ).content.decode()

    assert "1 member may respond" in page


def test_consultation_list_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    """Queries: session, user, groups, MFA check; the paginator's count; one page with its counts."""
    url = reverse("consultations:staff_consultation_list")
    consultation_with_options(sections=0)
    staff_client.get(url)  # warm the session
    with django_assert_max_num_queries(7) as one:
        assert staff_client.get(url).status_code == 200
    for _ in range(49):
        consultation = ConsultationFactory()
        submitted_response(consultation)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff_client.get(url)
    assert response.content.decode().count("<tr>") == 51


def test_overview_queries_do_not_grow_with_sections_and_options(staff_client, django_assert_max_num_queries):
    """Queries: session, user, groups, MFA; the consultation with counts, its sections, their options;
    the audience count; the chambers."""
    small = consultation_with_options(sections=1, options=1)
    big = consultation_with_options(sections=6, options=6)
    staff_client.get(reverse("consultations:staff_consultation_detail", args=[small.slug]))
    with django_assert_max_num_queries(10) as one:
        staff_client.get(reverse("consultations:staff_consultation_detail", args=[small.slug]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        staff_client.get(reverse("consultations:staff_consultation_detail", args=[big.slug]))


# ---------------------------------------------------------------- pages: sections and options


def test_staff_add_edit_move_and_delete_sections(staff_client, staff_user):
    consultation = _create(staff_user)
    new_url = reverse("consultations:staff_section_new", args=[consultation.slug])
    assert staff_client.get(new_url).status_code == 200

    staff_client.post(new_url, {"title": "Mission, goals, strategies", "body": "Comment.", "mode": "comment"})
    staff_client.post(new_url, {"title": "Programme options", "body": "A–F", "mode": "rank"})
    mission, programme = consultation.sections.all()
    staff_client.post(
        reverse("consultations:staff_section_move", args=[consultation.slug, programme.pk]),
        {"direction": "up"},
    )
    edit_url = reverse("consultations:staff_section_edit", args=[consultation.slug, mission.pk])
    assert "Mission, goals, strategies" in staff_client.get(edit_url).content.decode()
    staff_client.post(edit_url, {"title": "Draft mission", "body": "Comment on it.", "mode": "comment"})
    staff_client.post(reverse("consultations:staff_section_delete", args=[consultation.slug, programme.pk]))

    assert [(s.title, s.mode) for s in consultation.sections.all()] == [("Draft mission", "comment")]


def test_section_form_errors_are_shown_and_nothing_changes(staff_client, staff_user):
    consultation = _create(staff_user)
    response = staff_client.post(
        reverse("consultations:staff_section_new", args=[consultation.slug]), {"title": "", "mode": "vote"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "mode"}
    assert not consultation.sections.exists()


def test_section_mode_is_locked_on_the_page_once_answered(staff_client):
    consultation = consultation_with_options(sections=1)
    section = consultation.sections.get()
    draft_response(consultation)
    url = reverse("consultations:staff_section_edit", args=[consultation.slug, section.pk])

    assert "the mode can no longer change" in staff_client.get(url).content.decode()
    staff_client.post(url, {"title": "Renamed", "body": "", "mode": "pick"})

    section.refresh_from_db()
    assert (section.title, section.mode) == ("Renamed", "rank")


def test_deleting_an_answered_section_from_the_page_says_why_and_changes_nothing(staff_client):
    consultation = consultation_with_options(sections=1)
    section = consultation.sections.get()
    submitted_response(consultation)
    before = _snapshot(consultation)

    response = staff_client.post(
        reverse("consultations:staff_section_delete", args=[consultation.slug, section.pk]), follow=True
    )

    assert any("has answers" in message for message in _messages(response))
    assert _snapshot(consultation) == before


def test_staff_add_edit_move_and_delete_options(staff_client, staff_user):
    consultation = _create(staff_user)
    section = services.section_create(consultation=consultation, actor=staff_user, title="Governance options")
    new_url = reverse("consultations:staff_option_new", args=[consultation.slug, section.pk])
    assert staff_client.get(new_url).status_code == 200

    for code in ("1", "2", "3"):
        staff_client.post(new_url, {"code": code, "title": f"Governance option {code}", "description": ""})
    one, two, three = section.options.all()
    staff_client.post(
        reverse("consultations:staff_option_move", args=[consultation.slug, three.pk]), {"direction": "up"}
    )
    edit_url = reverse("consultations:staff_option_edit", args=[consultation.slug, one.pk])
    assert "Governance option 1" in staff_client.get(edit_url).content.decode()
    staff_client.post(
        edit_url, {"code": "1", "title": "Donor/stakeholder governed", "description": "*Volunteer*"}
    )
    staff_client.post(reverse("consultations:staff_option_delete", args=[consultation.slug, two.pk]))

    # The codes follow the order after the move and the deletion.
    assert [(o.code, o.title) for o in section.options.all()] == [
        ("1", "Donor/stakeholder governed"),
        ("2", "Governance option 3"),
    ]


def test_duplicate_option_code_is_shown_beside_the_field_and_nothing_changes(staff_client):
    consultation = consultation_with_options(sections=1)
    section = consultation.sections.get()
    before = _snapshot(consultation)

    response = staff_client.post(
        reverse("consultations:staff_option_new", args=[consultation.slug, section.pk]),
        {"code": "B", "title": "Again"},
    )

    assert response.status_code == 200
    assert "already has the code B" in " ".join(response.context["form"].errors["code"])
    assert _snapshot(consultation) == before


def test_deleting_an_answered_option_from_the_page_says_why_and_changes_nothing(staff_client):
    consultation = consultation_with_options(sections=1)
    option = consultation.sections.get().options.first()
    submitted_response(consultation, ranks={option: 1})
    before = _snapshot(consultation)

    response = staff_client.post(
        reverse("consultations:staff_option_delete", args=[consultation.slug, option.pk]), follow=True
    )

    assert any("has answers" in message for message in _messages(response))
    assert _snapshot(consultation) == before
    assert Response.objects.count() == 1


def test_a_bad_move_says_so_and_changes_nothing(staff_client):
    consultation = consultation_with_options(sections=2)
    section = consultation.sections.first()
    before = _snapshot(consultation)

    response = staff_client.post(
        reverse("consultations:staff_section_move", args=[consultation.slug, section.pk]),
        {"direction": "left"},
        follow=True,
    )

    assert any("move up or down" in message for message in _messages(response))
    assert _snapshot(consultation) == before


# ---------------------------------------------------------------- pages: preview and history


def test_preview_shows_the_paper_as_respondents_see_it_with_controls_off(staff_client, staff_user):
    consultation = consultation_with_options(sections=1, options=3, is_published=False)
    SectionFactory(
        consultation=consultation, order=5, title="Draft mission", mode=Mode.COMMENT, body="*Mission*"
    )
    url = reverse("consultations:staff_consultation_preview", args=[consultation.slug])
    before = _snapshot(consultation)

    response = staff_client.get(url)

    page = response.content.decode()
    assert any("Preview" in message and "Draft (not published)" in message for message in _messages(response))
    assert page.index("Section 1") < page.index("Draft mission")
    assert "A. Option A" in page and "C. Option C" in page
    assert "<em>Mission</em>" in page
    assert "(America/New_York)" in page  # the deadline, in the consultation's zone
    fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
    answer_fields = [
        tag for tag in fields if re.search(r'name="(rank|unclear|rationale|general_comments)', tag)
    ]
    assert len(answer_fields) >= 3 * 3 + 2  # a rank, a flag and its text per option; a rationale per section
    assert all(" disabled" in tag for tag in answer_fields)

    pressed = staff_client.post(
        url, {"action": "submit", f"rank-{consultation.sections.first().options.first().pk}": "1"}
    )

    assert pressed.status_code == 200
    assert "Nothing was saved or sent: this is a preview." in _messages(pressed)
    assert _snapshot(consultation) == before and not Response.objects.exists()


def test_history_page_shows_who_changed_what_including_deleted_options(staff_client, staff_user):
    consultation = _create(staff_user)
    section = services.section_create(consultation=consultation, actor=staff_user, title="Housing options")
    option = services.option_create(section=section, actor=staff_user, code="1", title="Host university")
    services.option_update(option=option, actor=staff_user, code="1", title="Host NGO")
    gone = services.option_create(section=section, actor=staff_user, code="2", title="Stand-alone office")
    services.option_delete(option=gone, actor=staff_user)

    page = staff_client.get(
        reverse("consultations:staff_consultation_history", args=[consultation.slug])
    ).content.decode()

    assert staff_user.email in page
    assert "Host university" in page and "Host NGO" in page  # the title change, old → new
    assert "Option deleted" in page and "Stand-alone office" in page
    assert "Consultation created" in page and "Section added" in page


@pytest.mark.django_db
def test_a_change_of_invitees_is_in_the_consultations_history(staff_user):
    """The history row of an edit records who was invited after it (m2m history)."""
    import zoneinfo

    from governance.consultations.models import Consultation
    from governance.consultations.services.consultations import consultation_update
    from tests.governance.consultations.factories import ConsultationFactory
    from tests.network.factories import MemberFactory

    consultation = ConsultationFactory(is_published=False)
    invitee = MemberFactory()
    zone = zoneinfo.ZoneInfo(consultation.time_zone)
    consultation_update(
        consultation=consultation,
        actor=staff_user,
        title=consultation.title,
        opens_at=consultation.opens_at.astimezone(zone).replace(tzinfo=None),
        closes_at=consultation.closes_at.astimezone(zone).replace(tzinfo=None),
        time_zone=consultation.time_zone,
        audience=Consultation.Audience.INVITEES,
        invitees=[invitee],
    )

    latest = consultation.history.first()
    assert [row.member_id for row in latest.invitees.all()] == [invitee.pk]
    assert latest.history_user == staff_user
    assert "1 added" in latest.history_change_reason


# ---------------------------------------------------------------- what people hit: offsets, dates, codes


@pytest.mark.parametrize("offsets", ["7, ²", "³", "1, 7, ٣", "400"])
def test_reminder_offsets_that_are_not_ascii_days_are_a_form_error(staff_client, offsets):
    response = staff_client.post(
        reverse("consultations:staff_consultation_new"), _consultation_form(reminder_offsets=offsets)
    )

    assert response.status_code == 200
    assert "is not a whole number of days between 1 and 365" in " ".join(
        response.context["form"].errors["reminder_offsets"]
    )
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("zone", "field", "value"),
    [
        ("America/New_York", "closes_at", "9999-12-31T23:00"),
        ("Asia/Tokyo", "opens_at", "0001-01-01T01:00"),
        ("UTC", "opens_at", "1999-12-31T23:59"),
        ("UTC", "closes_at", "2101-01-01T00:00"),
    ],
)
def test_dates_near_the_ends_of_the_calendar_are_a_form_error(staff_client, staff_user, zone, field, value):
    data = _consultation_form(time_zone=zone, **{field: value})

    response = staff_client.post(reverse("consultations:staff_consultation_new"), data)

    assert response.status_code == 200
    assert "between the years 2000 and 2100" in " ".join(response.context["form"].errors[field])
    assert not Consultation.objects.exists()
    # The edit form too, and nothing changes.
    consultation = _create(staff_user)
    before = _snapshot(consultation)
    response = staff_client.post(
        reverse("consultations:staff_consultation_edit", args=[consultation.slug]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _snapshot(consultation) == before


@pytest.mark.parametrize(
    ("zone", "field", "value"),
    [
        ("America/New_York", "closes_at", datetime.datetime(9999, 12, 31, 23, 0)),
        ("Asia/Tokyo", "opens_at", datetime.datetime(1, 1, 1, 1, 0)),
        ("UTC", "closes_at", datetime.datetime(9999, 12, 31, 23, 0, tzinfo=UTC)),
    ],
)
def test_local_to_utc_refuses_dates_outside_the_sane_range(staff_user, zone, field, value):
    with pytest.raises(ValidationError) as raised:
        services.local_to_utc(value, zone, field=field)
    assert "between the years 2000 and 2100" in raised.value.message_dict[field][0]
    with pytest.raises(ValidationError):
        _create(staff_user, time_zone=zone, **{field: value})
    assert not Consultation.objects.exists()


def _lettered_section(staff_user, codes=("A", "B", "C")):
    consultation = _create(staff_user)
    section = services.section_create(consultation=consultation, actor=staff_user, title="Programme options")
    for code in codes:
        services.option_create(section=section, actor=staff_user, code=code, title=f"Option {code}")
    return section


def test_option_codes_follow_the_order_after_a_move_with_history(staff_user):
    section = _lettered_section(staff_user)
    a, b, c = section.options.all()
    preference = draft_response(section.consultation, prefer=[c]).preferences.get()

    services.option_move(option=c, actor=staff_user, direction=services.UP)

    assert [(o.pk, o.code) for o in section.options.all()] == [(a.pk, "A"), (c.pk, "B"), (b.pk, "C")]
    row = ConsultationOption.history.filter(id=c.pk).first()
    assert (row.code, row.history_user, row.history_change_reason) == (
        "B",
        staff_user,
        "Option code follows the order",
    )
    assert preference.option_id == c.pk  # answers point to the option, whatever its code
    assert OptionPreference.objects.get(pk=preference.pk).option_id == c.pk


def test_option_codes_follow_the_order_after_a_delete_and_numbers_stay_numbers(staff_user):
    lettered = _lettered_section(staff_user)
    numbered = _lettered_section(staff_user, codes=("1", "2", "3"))

    services.option_delete(option=lettered.options.get(code="A"), actor=staff_user)
    services.option_move(option=numbered.options.get(code="1"), actor=staff_user, direction=services.DOWN)

    assert [(o.code, o.title) for o in lettered.options.all()] == [("A", "Option B"), ("B", "Option C")]
    assert [(o.code, o.title) for o in numbered.options.all()] == [
        ("1", "Option 2"),
        ("2", "Option 1"),
        ("3", "Option 3"),
    ]


def test_option_codes_of_their_own_kind_are_left_alone(staff_user):
    section = _lettered_section(staff_user, codes=("Program A", "B2", "C"))
    services.option_move(option=section.options.get(code="C"), actor=staff_user, direction=services.UP)
    assert [o.code for o in section.options.all()] == ["Program A", "C", "B2"]
    # A new option may still take any free code.
    services.option_create(section=section, actor=staff_user, code="Z", title="Another")
    assert section.options.count() == 4
