"""Who gets what on every URL of the project's own apps: one row per URL name, one column per role.

Roles (``role_clients`` in ``tests/conftest.py``, and ``matrix_clients`` below): a visitor, an
applicant (APPLIED membership), an active member, secretariat staff with MFA and no member record;
secretariat staff with the admin's ``is_staff`` flag and TOTP passed in the session (``admin``),
without a second factor (``staff_no_mfa``), with recovery codes only (``staff_recovery_codes``:
not a second factor); a committee member with TOTP and one without. A new page must add its
row here: ``test_every_url_name_is_in_the_matrix`` fails otherwise.
"""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casm import roles
from casm.outbox.models import Message
from casm.testing import log_in_with_second_factor
from governance.bodies.models import Body, Seat, SurveyInvitation, SurveyReminderSent, Term
from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    ExtensionRequest,
)
from governance.slates.models import (
    ChairChoice,
    EndorsementAnswer,
    EndorsementWindow,
    Nominee,
    Slate,
    TaskGroup,
)
from network.models import (
    ImportJob,
    MeansTestRule,
    Member,
    Membership,
    Organisation,
    OrganisationChangeRequest,
)
from network.services.notify import notify_member
from tests.governance.bodies.factories import BodyFactory, SeatFactory, SurveyInvitationFactory, TermFactory
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MeansTestRuleFactory, UserFactory, make_staff

ROLES = (
    "visitor",
    "applicant",
    "member",
    "staff",
    "admin",
    "staff_no_mfa",
    "staff_recovery_codes",
    "committee",
    "committee_no_mfa",
)
# Accounts with no member record: the staff accounts and the committee's.
NO_RECORD = ("staff", "admin", "staff_no_mfa", "staff_recovery_codes", "committee", "committee_no_mfa")
SECRETARIAT_WITH_MFA = ("staff", "admin")
SECRETARIAT_WITHOUT_MFA = ("staff_no_mfa", "staff_recovery_codes")
# The namespaces of the project's apps, and the project's own un-namespaced URL names.
APP_NAMESPACES = ("network", "bodies", "consultations", "charter", "slates")
PROJECT_NAMES = ("healthz",)

LOGIN = "login"  # 302 to the login page, coming back here after
MFA_SETUP = "mfa setup"  # 302 to setting up TOTP
NOT_FOUND = (404, 410)  # a forged or spent link: not found, or gone


def _rule(default, **by_role):
    """``default`` for every role but the visitor (sent to log in) and those named."""
    return {"visitor": LOGIN, **{role: default for role in ROLES if role != "visitor"}, **by_role}


def _for(roles_: tuple, answer) -> dict:
    return dict.fromkeys(roles_, answer)


PUBLIC = {role: 200 for role in ROLES}
# allauth sends people who are already signed in on from the log-in and sign-up pages.
ACCOUNT_ENTRY = {**{role: 302 for role in ROLES}, "visitor": 200}
OWN_MEMBERSHIP = _rule(403, applicant=200, member=200)
# The directory is for active members and the secretariat (a second factor is not asked there).
DIRECTORY = _rule(403, member=200, **_for(SECRETARIAT_WITH_MFA + SECRETARIAT_WITHOUT_MFA, 200))
STAFF = _rule(403, **_for(SECRETARIAT_WITH_MFA, 200), **_for(SECRETARIAT_WITHOUT_MFA, MFA_SETUP))
STAFF_POST_ONLY = _rule(403, **_for(SECRETARIAT_WITH_MFA, 405), **_for(SECRETARIAT_WITHOUT_MFA, MFA_SETUP))
# Responding: the test consultation is open to all active members (the staff account has no record).
RESPOND = _rule(403, member=200)
# A survey's own page: the member asked in it; someone else with a record was not asked (404).
OWN_SURVEY = _rule(403, applicant=404, member=200)
# The analysis: staff and the committee, each with a second factor.
ANALYSIS = _rule(
    403,
    **_for(SECRETARIAT_WITH_MFA + ("committee",), 200),
    **_for(SECRETARIAT_WITHOUT_MFA + ("committee_no_mfa",), MFA_SETUP),
)
# The Django admin: accounts with ``is_staff`` and a second factor passed in this session.
ADMIN = _rule(403, admin=200, **_for(SECRETARIAT_WITHOUT_MFA, MFA_SETUP))

# name → (URL arguments by placeholder, expected answer to GET by role)
MATRIX = {
    # ------------------------------------------------ public
    "network:home": ((), PUBLIC),
    "network:join": ((), {role: 302 for role in ROLES}),
    "bodies:body_list": ((), PUBLIC),
    "bodies:body_detail": (("body",), PUBLIC),
    "healthz": ((), PUBLIC),
    "account_login": ((), ACCOUNT_ENTRY),
    "account_signup": ((), ACCOUNT_ENTRY),
    "network:invitation_accept": (("forged_token",), {role: NOT_FOUND for role in ROLES}),
    "consultations:consultation_list": ((), PUBLIC),
    "consultations:consultation_detail": (("consultation",), PUBLIC),
    "consultations:consultation_public_responses": (("consultation",), PUBLIC),
    "consultations:reminder_stop": (("forged_token",), {role: NOT_FOUND for role in ROLES}),
    "bodies:survey_answer_link": (("forged_token",), {role: NOT_FOUND for role in ROLES}),
    "charter:mission": ((), PUBLIC),
    "charter:mission_version": (("mission_version",), PUBLIC),
    "charter:ground_rules": (("body",), PUBLIC),
    "charter:ground_rules_version": (("body", "ground_rules_version"), PUBLIC),
    "charter:decision_list": (("body",), PUBLIC),
    # ------------------------------------------------ responding to a consultation
    "consultations:consultation_respond": (("consultation",), RESPOND),
    "consultations:consultation_extension_request": (("consultation",), RESPOND),
    "consultations:consultation_my_response": (("consultation",), OWN_MEMBERSHIP),
    # ------------------------------------------------ answering a survey of continued service
    # The test survey asks the active member; the applicant was not asked (404: it may not know of it).
    "bodies:survey_answer": (("survey",), OWN_SURVEY),
    # ------------------------------------------------ one's own membership
    "network:me": ((), OWN_MEMBERSHIP),
    "network:profile_edit": ((), OWN_MEMBERSHIP),
    "network:pledges": ((), OWN_MEMBERSHIP),
    "network:organisation_change": ((), OWN_MEMBERSHIP),
    "network:reply_information": ((), _rule(403, applicant=405, member=405)),
    # ------------------------------------------------ the members' directory
    "network:directory": ((), DIRECTORY),
    # ------------------------------------------------ the secretariat
    "network:staff_home": ((), STAFF),
    "network:staff_applications": ((), STAFF),
    "network:staff_directory": ((), STAFF),
    "network:staff_member_detail": (("member",), STAFF),
    "network:staff_membership_approve": (("member",), STAFF_POST_ONLY),
    "network:staff_membership_reject": (("member",), STAFF_POST_ONLY),
    "network:staff_membership_request_information": (("member",), STAFF_POST_ONLY),
    "network:staff_membership_status": (("member",), STAFF_POST_ONLY),
    "network:staff_membership_term": (("member",), STAFF_POST_ONLY),
    "network:staff_membership_fee_tier": (("member",), STAFF_POST_ONLY),
    "network:staff_member_email": (("member",), STAFF_POST_ONLY),
    "network:staff_organisation_detail": (("organisation",), STAFF),
    "network:staff_organisation_contact": (("organisation",), STAFF_POST_ONLY),
    "network:staff_organisation_requests": ((), STAFF),
    "network:staff_organisation_request": (("organisation_request",), STAFF),
    "network:staff_organisation_request_approve": (("organisation_request",), STAFF_POST_ONLY),
    "network:staff_organisation_request_decline": (("organisation_request",), STAFF_POST_ONLY),
    "network:staff_invite": ((), STAFF),
    "network:staff_pledges": ((), STAFF),
    "network:staff_pledge_publish": ((), STAFF),
    "network:staff_means_test": ((), STAFF),
    "network:staff_means_test_rule_new": ((), STAFF),
    "network:staff_means_test_rule_edit": (("rule",), STAFF),
    "network:staff_means_test_rule_delete": (("rule",), STAFF_POST_ONLY),
    "network:staff_income_groups": ((), STAFF),
    "network:staff_export": ((), STAFF),
    "network:staff_imports": ((), STAFF),
    "network:staff_import_new": ((), STAFF),
    "network:staff_import_template": ((), STAFF),
    "network:staff_import_detail": (("import_job",), STAFF),
    "network:staff_mail": ((), STAFF),
    "network:staff_mail_notice": (("mail_notice",), STAFF),
    "network:staff_mail_retry": (("mail_notice",), STAFF_POST_ONLY),
    # ------------------------------------------------ the analysis of a consultation
    "consultations:consultation_analysis": (("consultation",), ANALYSIS),
    "consultations:consultation_option_rationale": (("consultation", "option"), ANALYSIS),
    "consultations:consultation_section_comments": (("consultation", "section"), ANALYSIS),
    "consultations:consultation_general_comments": (("consultation",), ANALYSIS),
    "consultations:consultation_responses": (("consultation",), ANALYSIS),
    "consultations:consultation_response_detail": (("consultation", "response"), ANALYSIS),
    "consultations:consultation_export": (("consultation",), ANALYSIS),
    "consultations:consultation_report": (("consultation",), ANALYSIS),
    # ------------------------------------------------ the secretariat: consultations
    "consultations:staff_consultation_list": ((), STAFF),
    "consultations:staff_consultation_new": ((), STAFF),
    "consultations:staff_consultation_detail": (("consultation",), STAFF),
    "consultations:staff_consultation_edit": (("consultation",), STAFF),
    "consultations:staff_consultation_publish": (("consultation",), STAFF_POST_ONLY),
    "consultations:staff_consultation_delete": (("consultation",), STAFF_POST_ONLY),
    "consultations:staff_consultation_preview": (("consultation",), STAFF),
    "consultations:staff_consultation_history": (("consultation",), STAFF),
    "consultations:staff_consultation_reminders": (("consultation",), STAFF),
    "consultations:staff_section_new": (("consultation",), STAFF),
    "consultations:staff_section_edit": (("consultation", "section"), STAFF),
    "consultations:staff_section_delete": (("consultation", "section"), STAFF_POST_ONLY),
    "consultations:staff_section_move": (("consultation", "section"), STAFF_POST_ONLY),
    "consultations:staff_option_new": (("consultation", "section"), STAFF),
    "consultations:staff_option_edit": (("consultation", "option"), STAFF),
    "consultations:staff_option_delete": (("consultation", "option"), STAFF_POST_ONLY),
    "consultations:staff_option_move": (("consultation", "option"), STAFF_POST_ONLY),
    "consultations:staff_extension_list": (("consultation",), STAFF),
    "consultations:staff_extension_decide": (("consultation", "extension"), STAFF),
    # ------------------------------------------------ the secretariat: bodies, seats and terms
    "bodies:staff_body_list": ((), STAFF),
    "bodies:staff_body_new": ((), STAFF),
    "bodies:staff_body_detail": (("body",), STAFF),
    "bodies:staff_body_edit": (("body",), STAFF),
    "bodies:staff_body_history": (("body",), STAFF),
    "bodies:staff_seat_new": (("body",), STAFF),
    "bodies:staff_seat_appoint": (("body", "seat"), STAFF),
    "bodies:staff_term_end": (("body", "term"), STAFF),
    # ------------------------------------------------ the secretariat: surveys of bodies' members
    "bodies:staff_survey_list": ((), STAFF),
    "bodies:staff_survey_new": (("body",), STAFF),
    "bodies:staff_survey_detail": (("survey",), STAFF),
    "bodies:staff_survey_remind": (("survey",), STAFF_POST_ONLY),
    # ------------------------------------------------ the secretariat: ground rules, decisions, mission
    "charter:staff_home": ((), STAFF),
    "charter:staff_mission_publish": ((), STAFF),
    "charter:staff_mission_history": ((), STAFF),
    "charter:staff_ground_rules_publish": (("body",), STAFF),
    "charter:staff_decision_new": (("body",), STAFF),
    "charter:staff_decision_edit": (("body", "decision"), STAFF),
    "charter:staff_body_history": (("body",), STAFF),
    # ------------------------------------------------ slates: the public pages and the nominees' answers
    "slates:public_slate_list": ((), PUBLIC),
    "slates:public_slate_detail": (("public_slate",), PUBLIC),
    "slates:nominee_answer_link": (("forged_token",), {role: NOT_FOUND for role in ROLES}),
    # The test nominee is the active member; the applicant has no nomination (404).
    "slates:nominee_answer": (("nominee",), OWN_SURVEY),
    # ---------------------------------------- slates: composing (no role here sits on a proposing body)
    "slates:slate_list": ((), STAFF),
    "slates:slate_new": ((), STAFF),
    "slates:slate_detail": (("slate",), STAFF),
    "slates:nominee_add": (("slate",), STAFF),
    "slates:nominee_edit": (("slate", "slate_nominee"), STAFF),
    "slates:nominee_remove": (("slate", "slate_nominee"), STAFF_POST_ONLY),
    "slates:slate_ask": (("slate",), STAFF_POST_ONLY),
    "slates:slate_revise": (("slate",), STAFF_POST_ONLY),
    # ------------------------------------------------ slates: constitution, chair, task groups
    "slates:slate_constitute": (("slate",), STAFF),
    "slates:body_constitution": (("body",), STAFF),
    "slates:chair_choose": (("body",), STAFF),
    "slates:task_group_new": (("body",), STAFF),
    "slates:task_group_detail": (("task_group",), STAFF),
    "slates:task_group_consult": (("task_group",), STAFF),
    # ------------------------------------------------ the Django admin
    "admin:index": ((), ADMIN),
    # ------------------------------------------------ endorsement of a slate by the network
    # The test window invites every active member; the applicant is not in its audience (404).
    "slates:endorsement_link": (("forged_token",), {role: NOT_FOUND for role in ROLES}),
    "slates:endorsement_answer": (("window",), OWN_SURVEY),
    "slates:endorsement_outcome": (("window",), PUBLIC),
    "slates:staff_window_open": (("ready_slate",), STAFF),
    "slates:staff_window_detail": (("window",), STAFF),
    "slates:staff_window_extend": (("window",), STAFF),
    "admin:network_user_changelist": ((), ADMIN),
    "admin:network_member_changelist": ((), ADMIN),
}

STAFF_POST_ONLY_NAMES = [name for name, (_args, expected) in MATRIX.items() if expected is STAFF_POST_ONLY]

# What a POST to a staff action might carry; refused before any form is read, it must change nothing.
ATTEMPT = {
    "reason": "Approved by a member",
    "status": Membership.Status.SUSPENDED,
    "fee_tier": "no_fee",
    "question": "?",
    "term_end": "2099-01-01",
    "scope": "all",
    **{
        f"{prefix}-{field}": value
        for prefix in ("approve", "reject", "decline", "info", "status", "term", "fee", "fee_tier")
        for field, value in (
            ("reason", "x"),
            ("status", "suspended"),
            ("question", "?"),
            ("term_end", "2099-01-01"),
            ("fee_tier", "no_fee"),
        )
    },
}


def _logged_in(user, *, second_factor: bool) -> Client:
    client = Client()
    if second_factor:
        log_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client


def _staff_without_a_factor(email: str, *, recovery_codes: bool = False):
    user = make_staff(is_staff=True, email=email)
    user.authenticator_set.all().delete()
    if recovery_codes:
        RecoveryCodes.activate(user)
    return user


def _committee_member(email: str, *, totp: bool):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name=roles.COMMITTEE))
    if totp:
        TOTP.activate(user, generate_totp_secret())
    return user


# The roles this matrix adds to ``role_clients``; those without a factor log in with a password alone.
EXTRA_ROLES = {
    "admin": lambda: _logged_in(make_staff(is_staff=True, email="admin@example.org"), second_factor=True),
    "staff_no_mfa": lambda: _logged_in(_staff_without_a_factor("no-mfa@example.org"), second_factor=False),
    "staff_recovery_codes": lambda: _logged_in(
        _staff_without_a_factor("recovery@example.org", recovery_codes=True), second_factor=False
    ),
    "committee": lambda: _logged_in(
        _committee_member("committee@example.org", totp=True), second_factor=True
    ),
    "committee_no_mfa": lambda: _logged_in(
        _committee_member("c-no-mfa@example.org", totp=False), second_factor=False
    ),
}


class _Clients(dict):
    """``role_clients``, with the extra roles' accounts made when a test first asks for them."""

    def __missing__(self, role):
        self[role] = EXTRA_ROLES[role]()
        return self[role]


@pytest.fixture
def matrix_clients(role_clients):
    return _Clients(role_clients)


@pytest.fixture
def url_args(db, applicant, member, staff_user):
    """The objects the URLs point at: the applicant's record, an organisation, a rule, an import…"""
    from tests.governance.charter.factories import DecisionFactory, publish_ground_rules, publish_mission
    from tests.governance.consultations.factories import (
        ExtensionRequestFactory,
        consultation_with_options,
        submitted_response,
    )
    from tests.governance.slates.endorsement_factories import open_window, ready_slate

    consultation = consultation_with_options(sections=1)
    section = consultation.sections.get()
    body = BodyFactory()
    # Two versions of each document, so that their pages show the changes too; a members-only decision.
    publish_ground_rules(staff_user, body, text="By consensus.")
    ground_rules = publish_ground_rules(staff_user, body, text="By consensus, or a vote.")
    publish_mission(staff_user, text="CASM reduces poverty.")
    mission = publish_mission(
        staff_user, text="CASM reduces poverty and mercury use.", consultation=consultation
    )
    decision = DecisionFactory(body=body, visibility="members")
    slate = SlateFactory(body=body, title="Interim Steering Committee")
    task_group = TaskGroup.objects.create(
        body=BodyFactory(name="ASM issue analysis", kind="task_group", parent=body), created_by=staff_user
    )
    window = open_window(staff_user)
    return {
        "consultation": consultation.slug,
        "section": section.pk,
        "option": section.options.first().pk,
        "extension": ExtensionRequestFactory(consultation=consultation).pk,
        "response": submitted_response(consultation).pk,
        "member": applicant.pk,
        "organisation": applicant.organisation_id,
        "rule": MeansTestRuleFactory().pk,
        "import_job": ImportJob.objects.create(filename="members.csv", content="full_name,email\n").pk,
        "body": body.slug,
        "seat": SeatFactory(body=body, label="Vacant seat").pk,
        "term": TermFactory(seat=SeatFactory(body=body, label="Held seat")).pk,
        "survey": SurveyInvitationFactory(member=member).survey_id,
        "ground_rules_version": ground_rules.number,
        "mission_version": mission.number,
        "decision": decision.pk,
        "slate": slate.pk,
        "slate_nominee": NomineeFactory(slate=slate).pk,
        "nominee": NomineeFactory(slate=slate, member=member).pk,
        "public_slate": SlateFactory(body=body, status="endorsed").pk,
        "task_group": task_group.pk,
        "ready_slate": ready_slate().pk,
        "window": window.pk,
        "organisation_request": OrganisationChangeRequest.objects.create(
            member=applicant,
            new_name="New Co-op",
            new_org_type="miners_group",
            new_country="GH",
            new_size="micro",
        ).pk,
        "forged_token": "forged-0123456789abcdef0123456789abcdef",
        "mail_notice": _failed_mail_notice(applicant),
    }


def _failed_mail_notice(member) -> int:
    """A notice whose one message the mail server refused for good (as delivery leaves it after a 550)."""
    notify_member(
        member,
        template="network/email/information_requested",
        context={"membership": member.membership},
        kind="network.membership",
    )
    message = Message.objects.get(to=member.email)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED,
        attempts=1,
        failed_at=timezone.now(),
        last_error=f"550 5.1.1 mailbox unavailable ({member.email})",
    )
    return message.notice_id


def _url(name: str, url_args: dict) -> str:
    placeholders, _expected = MATRIX[name]
    return reverse(name, args=[url_args[key] for key in placeholders])


def _state() -> dict:
    """Everything a staff action could change, to show that a refused one changed nothing."""
    return {
        "memberships": list(Membership.objects.order_by("pk").values()),
        "members": list(Member.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "rules": list(MeansTestRule.objects.order_by("pk").values()),
        "membership_history": Membership.history.count(),
        "member_history": Member.history.count(),
        "rule_history": MeansTestRule.history.count(),
        "consultations": list(Consultation.objects.order_by("pk").values()),
        "sections": list(ConsultationSection.objects.order_by("pk").values()),
        "options": list(ConsultationOption.objects.order_by("pk").values()),
        "extensions": list(ExtensionRequest.objects.order_by("pk").values()),
        "organisation_requests": list(OrganisationChangeRequest.objects.order_by("pk").values()),
        "mail": len(mail.outbox),
        "outbox": list(Message.objects.order_by("pk").values()),
        "bodies": list(Body.objects.order_by("pk").values()),
        "seats": list(Seat.objects.order_by("pk").values()),
        "terms": list(Term.objects.order_by("pk").values()),
        "body_history": Body.history.count() + Seat.history.count() + Term.history.count(),
        "survey_invitations": list(SurveyInvitation.objects.order_by("pk").values()),
        "survey_reminders": list(SurveyReminderSent.objects.order_by("pk").values()),
        "slates": list(Slate.objects.order_by("pk").values()),
        "nominees": list(Nominee.objects.order_by("pk").values()),
        "chair_choices": list(ChairChoice.objects.order_by("pk").values()),
        "task_groups": list(TaskGroup.objects.order_by("pk").values()),
        "slate_history": Slate.history.count() + Nominee.history.count(),
        "endorsement_windows": list(EndorsementWindow.objects.order_by("pk").values()),
        "endorsement_answers": list(EndorsementAnswer.objects.order_by("pk").values()),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_get_answers_each_role_as_the_matrix_says(matrix_clients, url_args, name, role):
    url = _url(name, url_args)
    expected = MATRIX[name][1][role]

    response = matrix_clients[role].get(url)

    if expected == MFA_SETUP:
        assert response.status_code == 302, (name, role, response.status_code)
        assert response["Location"] == reverse("mfa_activate_totp"), (name, role, response["Location"])
    elif expected == LOGIN:
        assert response.status_code == 302, (name, role, response.status_code)
        assert response["Location"].startswith(reverse("account_login") + "?next="), response["Location"]
    elif isinstance(expected, tuple):
        assert response.status_code in expected, (name, role, response.status_code)
    else:
        assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.django_db
def test_join_sends_visitors_to_the_sign_up_form(client):
    response = client.get(reverse("network:join"))

    assert response.status_code == 302 and response["Location"] == reverse("account_signup")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["applicant", "member"])
@pytest.mark.parametrize("name", STAFF_POST_ONLY_NAMES)
def test_staff_actions_posted_by_members_are_refused_and_change_nothing(role_clients, url_args, name, role):
    before = _state()

    response = role_clients[role].post(_url(name, url_args), ATTEMPT)

    assert response.status_code == 403, (name, role, response.status_code)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_no_mfa", "staff_recovery_codes", "committee"])
@pytest.mark.parametrize("name", STAFF_POST_ONLY_NAMES)
def test_staff_actions_posted_without_a_second_factor_or_by_the_committee_change_nothing(
    matrix_clients, url_args, name, role
):
    before = _state()

    response = matrix_clients[role].post(_url(name, url_args), ATTEMPT)

    assert response.status_code in (302, 403), (name, role, response.status_code)
    if response.status_code == 302:
        assert response["Location"] == reverse("mfa_activate_totp")
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_POST_ONLY_NAMES)
def test_staff_actions_posted_by_visitors_go_to_log_in_and_change_nothing(role_clients, url_args, name):
    before = _state()

    response = role_clients["visitor"].post(_url(name, url_args), ATTEMPT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert _state() == before


# The secretariat's body forms (GET shows them, POST acts): a valid-looking post from anyone else.
BODY_FORMS = [
    name for name in MATRIX if name.startswith("bodies:staff_") and not name.endswith(("_list", "_history"))
]
BODY_ATTEMPT = {
    "name": "Forged body",
    "kind": "board",
    "order": "0",
    "label": "Forged seat",
    "role": "member",
    "email": "someone@example.org",
    "starts_on": "2026-01-01",
    "ended_on": "2026-01-01",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "applicant", "member", "staff_no_mfa", "committee"])
@pytest.mark.parametrize("name", BODY_FORMS)
def test_body_forms_posted_by_anyone_but_the_secretariat_change_nothing(matrix_clients, url_args, name, role):
    before = _state()

    response = matrix_clients[role].post(_url(name, url_args), BODY_ATTEMPT)

    assert response.status_code in (302, 403), (name, role, response.status_code)
    if role in ("applicant", "member", "committee"):
        assert response.status_code == 403
    assert _state() == before


@pytest.mark.django_db
def test_information_reply_posted_by_staff_without_a_member_record_is_refused(role_clients):
    response = role_clients["staff"].post(reverse("network:reply_information"), {"reply": "x"})

    assert response.status_code == 403


# ---------------------------------------------------------------- no page skips the matrix


def _url_names(patterns, namespace=None):
    """Every URL name below ``patterns``, with its namespaces (``network:me``; ``healthz``)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace and (f"{namespace}:{entry.namespace}" if namespace else entry.namespace)
            yield from _url_names(entry.url_patterns, inner or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_name_is_in_the_matrix():
    names = set(_url_names(get_resolver().url_patterns))
    ours = {name for name in names if name in PROJECT_NAMES or name.split(":", 1)[0] in APP_NAMESPACES}

    assert "network:staff_directory" in ours and "healthz" in ours  # the walk itself works
    missing = sorted(ours - set(MATRIX))
    assert not missing, f"URL names with no row in the permission matrix: {missing}"


def test_the_matrix_names_only_urls_that_exist():
    names = set(_url_names(get_resolver().url_patterns))

    assert not sorted(set(MATRIX) - names)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [name for name, (_args, expected) in MATRIX.items() if expected is STAFF or expected is STAFF_POST_ONLY],
)
def test_staff_pages_send_staff_without_mfa_to_set_it_up(url_args, name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    client = Client()
    client.force_login(user)

    response = client.get(_url(name, url_args))

    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
