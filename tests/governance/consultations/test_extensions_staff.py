"""The secretariat decides on requests for more time: services, emails, pages, denials, history."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.consultations.models import ExtensionRequest
from governance.consultations.selectors import audience as selectors
from governance.consultations.services import extensions as services
from tests.governance.consultations.factories import ConsultationFactory, ExtensionRequestFactory
from tests.network.factories import MemberFactory
from tests.network.staff_factories import assert_staff_only

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
Status = ExtensionRequest.Status
CLOSES = datetime.datetime(2010, 12, 11, 4, 59, tzinfo=UTC)  # 10 December 2010, 23:59 in New York


@pytest.fixture
def consultation(db):
    return ConsultationFactory(
        title="Revitalising CASM",
        opens_at=CLOSES - datetime.timedelta(days=40),
        closes_at=CLOSES,
        time_zone="America/New_York",
    )


@pytest.fixture
def extension(consultation):
    member = MemberFactory(full_name="Ama Mensah", email="ama@example.org", user__email="ama@example.org")
    return ExtensionRequestFactory(
        consultation=consultation, member=member, reason="Our board meets on the 15th."
    )


def _values(extension) -> dict:
    return ExtensionRequest.objects.filter(pk=extension.pk).values().get()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ---------------------------------------------------------------- services


def test_extension_grant_sets_a_personal_deadline_tells_the_member_and_records_history(
    staff_user, extension, django_capture_on_commit_callbacks
):
    until = CLOSES + datetime.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        services.extension_grant(
            request=extension, actor=staff_user, until=until, reply="Good luck <b>all</b>."
        )

    extension.refresh_from_db()
    assert (extension.status, extension.granted_until, extension.decided_by) == (
        Status.GRANTED,
        until,
        staff_user,
    )
    assert extension.decided_at is not None
    assert selectors.deadline_for(extension.consultation, extension.member) == until
    row = extension.history.first()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Extension granted")
    (message,) = mail.outbox
    assert message.to == ["ama@example.org"]
    assert message.subject == "More time granted: Revitalising CASM"
    assert "17 December 2010, 23:59 (America/New_York)" in message.body
    assert "Good luck <b>all</b>." in message.body  # plain text: the reply as typed


def test_extension_mail_is_in_the_members_language(staff_user, extension, django_capture_on_commit_callbacks):
    extension.member.user.preferred_language = "fr"
    extension.member.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.extension_grant(
            request=extension, actor=staff_user, until=CLOSES + datetime.timedelta(days=7)
        )

    assert "17 décembre 2010 23:59 (America/New_York)"  # French DATETIME_FORMAT in mail.outbox[0].body


def test_no_mail_leaves_when_the_decision_is_rolled_back(
    staff_user, extension, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.extension_decline(request=extension, actor=staff_user, reply="Too late.")
    assert len(callbacks) == 1 and mail.outbox == []  # sent only once the decision is committed


@pytest.mark.parametrize(
    ("until", "field"),
    [
        (CLOSES, "until"),  # must be later than the closing time
        (CLOSES - datetime.timedelta(days=1), "until"),
        (datetime.datetime(2010, 12, 20, 12, 0), "until"),  # naive: which zone?
    ],
)
def test_extension_grant_refuses_a_deadline_not_after_closing(staff_user, extension, until, field):
    before = _values(extension)
    with pytest.raises(ValidationError) as raised:
        services.extension_grant(request=extension, actor=staff_user, until=until)
    assert field in raised.value.message_dict
    assert _values(extension) == before
    assert mail.outbox == []


def test_extension_decisions_are_for_staff_only(member, extension):
    before = _values(extension)
    with pytest.raises(PermissionDenied):
        services.extension_grant(
            request=extension, actor=member.user, until=CLOSES + datetime.timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):
        services.extension_decline(request=extension, actor=member.user, reply="No.")
    assert _values(extension) == before


def test_extension_decline_needs_a_reply_tells_the_member_and_records_history(
    staff_user, extension, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as raised:
        services.extension_decline(request=extension, actor=staff_user, reply="   ")
    assert "reply" in raised.value.message_dict

    with django_capture_on_commit_callbacks(execute=True):
        services.extension_decline(
            request=extension, actor=staff_user, reply="The committee meets on the 13th."
        )

    extension.refresh_from_db()
    assert (extension.status, extension.granted_until, extension.reply) == (
        Status.DECLINED,
        None,
        "The committee meets on the 13th.",
    )
    assert selectors.deadline_for(extension.consultation, extension.member) == CLOSES
    assert extension.history.first().history_change_reason == "Extension declined"
    (message,) = mail.outbox
    assert message.subject == "Your request for more time: Revitalising CASM"
    assert "The committee meets on the 13th." in message.body
    assert "10 December 2010, 23:59 (America/New_York)" in message.body


def test_a_decided_request_cannot_be_decided_again(staff_user, extension):
    services.extension_decline(request=extension, actor=staff_user, reply="No.")
    with pytest.raises(ValidationError, match="already decided"):
        services.extension_grant(
            request=extension, actor=staff_user, until=CLOSES + datetime.timedelta(days=1)
        )
    assert ExtensionRequest.objects.get(pk=extension.pk).status == Status.DECLINED


def test_the_mail_goes_through_a_real_smtp_server(
    staff_user, extension, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_grant(
            request=extension, actor=staff_user, until=CLOSES + datetime.timedelta(days=2)
        )

    message = smtp_sink.wait_for("ama@example.org", "More time granted")
    assert "12 December 2010, 23:59 (America/New_York)" in smtp_sink.body(message)


# ---------------------------------------------------------------- pages


def test_extension_pages_are_for_staff_with_mfa(role_clients, extension):
    slug = extension.consultation.slug
    before = _values(extension)
    decide = reverse("consultations:staff_extension_decide", args=[slug, extension.pk])

    assert_staff_only(role_clients, "get", reverse("consultations:staff_extension_list", args=[slug]))
    assert_staff_only(role_clients, "get", decide)
    assert_staff_only(role_clients, "post", decide, {"decision": "grant", "grant-until": "2010-12-20T12:00"})
    assert_staff_only(role_clients, "post", decide, {"decision": "decline", "decline-reply": "No"})

    assert _values(extension) == before
    assert mail.outbox == []


def test_staff_grant_a_deadline_typed_in_the_consultations_zone(
    staff_client, staff_user, extension, django_capture_on_commit_callbacks
):
    url = reverse("consultations:staff_extension_decide", args=[extension.consultation.slug, extension.pk])
    page = staff_client.get(url).content.decode()
    assert "Our board meets on the 15th." in page
    assert "time zone, America/New_York." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"decision": "grant", "grant-until": "2010-12-17T23:59", "grant-reply": ""}, follow=True
        )

    extension.refresh_from_db()
    assert extension.status == Status.GRANTED
    assert extension.granted_until == datetime.datetime(2010, 12, 18, 4, 59, tzinfo=UTC)
    assert "More time was granted; Ama Mensah has been told by email." in _messages(response)
    assert "until 17 December 2010, 23:59 (America/New_York)" in response.content.decode()
    assert len(mail.outbox) == 1


def test_staff_decline_with_a_reply(staff_client, extension, django_capture_on_commit_callbacks):
    url = reverse("consultations:staff_extension_decide", args=[extension.consultation.slug, extension.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"decision": "decline", "decline-reply": "Too late, sorry."}, follow=True
        )

    assert ExtensionRequest.objects.get(pk=extension.pk).status == Status.DECLINED
    assert "The request was declined; Ama Mensah has been told by email." in _messages(response)
    assert mail.outbox[0].to == ["ama@example.org"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "grant", "grant-until": "2010-12-09T12:00"}, "until", "later than the consultation"),
        ({"decision": "grant", "grant-until": "soon"}, "until", "Enter a valid date/time"),
        ({"decision": "grant", "grant-until": ""}, "until", "This field is required"),
        ({"decision": "decline", "decline-reply": ""}, "reply", "This field is required"),
    ],
)
def test_bad_decisions_are_shown_beside_the_field_and_change_nothing(
    staff_client, extension, data, field, message
):
    url = reverse("consultations:staff_extension_decide", args=[extension.consultation.slug, extension.pk])
    before = _values(extension)

    response = staff_client.post(url, data)

    assert response.status_code == 200
    form = response.context["grant_form" if data["decision"] == "grant" else "decline_form"]
    assert message in " ".join(form.errors[field])
    assert _values(extension) == before
    assert mail.outbox == []


def test_an_unknown_decision_says_so_and_changes_nothing(staff_client, extension):
    url = reverse("consultations:staff_extension_decide", args=[extension.consultation.slug, extension.pk])
    before = _values(extension)

    response = staff_client.post(url, {"decision": "maybe"})

    assert "Nothing was changed: choose to grant or to decline." in _messages(response)
    assert _values(extension) == before


def test_a_request_of_another_consultation_is_404(staff_client, extension):
    other = ConsultationFactory()
    url = reverse("consultations:staff_extension_decide", args=[other.slug, extension.pk])
    assert staff_client.get(url).status_code == 404


def test_extension_list_shows_pending_first_and_escapes_what_people_typed(
    staff_client, staff_user, consultation
):
    script = "<script>alert(1)</script>"
    decided = ExtensionRequestFactory(consultation=consultation, reason=f"Old {script}")
    services.extension_decline(request=decided, actor=staff_user, reply=f"No {script}")
    pending = ExtensionRequestFactory(consultation=consultation, reason=f"Please {script}")

    page = staff_client.get(
        reverse("consultations:staff_extension_list", args=[consultation.slug])
    ).content.decode()

    assert script not in page and "&lt;script&gt;" in page
    assert page.index("Please &lt;script&gt;") < page.index("Old &lt;script&gt;")
    assert reverse("consultations:staff_extension_decide", args=[consultation.slug, pending.pk]) in page
    assert reverse("consultations:staff_extension_decide", args=[consultation.slug, decided.pk]) not in page
    assert f"by {staff_user.email}" in page


def test_extension_list_queries_do_not_grow_with_rows(
    staff_client, staff_user, consultation, django_assert_max_num_queries
):
    """Queries: session, user, groups, MFA; the consultation; the paginator's count; one page of
    requests with member, organisation, sector, chamber and the deciding staff joined."""
    url = reverse("consultations:staff_extension_list", args=[consultation.slug])
    ExtensionRequestFactory(consultation=consultation)
    staff_client.get(url)
    with django_assert_max_num_queries(8) as one:
        assert staff_client.get(url).status_code == 200
    for n in range(49):
        extension = ExtensionRequestFactory(consultation=consultation)
        if n % 2:
            services.extension_decline(request=extension, actor=staff_user, reply="No.")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff_client.get(url)
    assert response.content.decode().count("<tr>") == 51


def test_history_page_shows_the_decision(staff_client, staff_user, extension):
    services.extension_decline(request=extension, actor=staff_user, reply="No.")
    url = reverse("consultations:staff_consultation_history", args=[extension.consultation.slug])

    page = staff_client.get(url).content.decode()

    assert "Extension declined" in page and "Ama Mensah" in page


@pytest.mark.parametrize("until", ["9999-12-31T23:00", "0001-01-01T01:00", "2101-01-01T00:00"])
def test_a_deadline_near_the_ends_of_the_calendar_is_a_form_error(staff_client, extension, until):
    url = reverse("consultations:staff_extension_decide", args=[extension.consultation.slug, extension.pk])
    before = _values(extension)

    response = staff_client.post(url, {"decision": "grant", "grant-until": until, "grant-reply": ""})

    assert response.status_code == 200
    assert "between the years 2000 and 2100" in " ".join(response.context["grant_form"].errors["until"])
    assert _values(extension) == before
    assert mail.outbox == []


def test_extension_grant_refuses_a_deadline_outside_the_sane_range(staff_user, extension):
    with pytest.raises(ValidationError) as raised:
        services.extension_grant(
            request=extension, actor=staff_user, until=datetime.datetime(2101, 1, 1, tzinfo=UTC)
        )
    assert "until" in raised.value.message_dict
    assert _values(extension)["status"] == Status.PENDING
