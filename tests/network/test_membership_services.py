"""The membership services of the secretariat: rules, denials and the history each change leaves."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from network.models import CountryIncomeGroup, FeeTier, Membership, Organisation
from network.services import membership as services
from tests.network.factories import (
    CountryIncomeGroupFactory,
    MeansTestRuleFactory,
    MemberFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.network.staff_factories import make_applicant

Status = Membership.Status
pytestmark = pytest.mark.django_db


def _latest_history(membership):
    return membership.history.order_by("-history_date", "-history_id").first()


def _reload(membership):
    return Membership.objects.get(pk=membership.pk)


# ---------------------------------------------------------------- approve


def test_membership_approve_activates_for_a_new_term_and_mails(
    staff_user, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(
            membership=applicant.membership, actor=staff_user, reason="Checked references"
        )

    membership = _reload(applicant.membership)
    assert membership.status == Status.ACTIVE
    assert membership.status_reason == "Checked references"
    assert membership.term_start == timezone.localdate()
    assert membership.term_end > membership.term_start
    row = _latest_history(membership)
    assert row.history_user == staff_user
    assert row.history_change_reason == "Checked references"
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert "approved" in mail.outbox[0].subject


def test_membership_approve_refuses_non_staff(member, applicant):
    with pytest.raises(PermissionDenied):
        services.membership_approve(membership=applicant.membership, actor=member.user)
    assert _reload(applicant.membership).status == Status.APPLIED


def test_membership_approve_refuses_a_missing_actor(applicant):
    with pytest.raises(PermissionDenied):
        services.membership_approve(membership=applicant.membership, actor=None)
    assert _reload(applicant.membership).status == Status.APPLIED


def test_membership_approve_refuses_what_is_not_an_application(staff_user, member):
    with pytest.raises(ValidationError):
        services.membership_approve(membership=member.membership, actor=staff_user)


# ---------------------------------------------------------------- reject


def test_membership_reject_records_the_reason_and_tells_the_applicant(
    staff_user, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_reject(
            membership=applicant.membership, actor=staff_user, reason="Not an ASM actor"
        )

    membership = _reload(applicant.membership)
    assert membership.status == Status.REJECTED
    assert membership.status_reason == "Not an ASM actor"
    row = _latest_history(membership)
    assert (row.history_user, row.history_change_reason) == (staff_user, "Not an ASM actor")
    assert len(mail.outbox) == 1
    assert "Not an ASM actor" in mail.outbox[0].body


def test_membership_reject_requires_a_reason(staff_user, applicant):
    with pytest.raises(ValidationError):
        services.membership_reject(membership=applicant.membership, actor=staff_user, reason="   ")
    assert _reload(applicant.membership).status == Status.APPLIED


def test_membership_reject_refuses_non_staff(member, applicant):
    with pytest.raises(PermissionDenied):
        services.membership_reject(membership=applicant.membership, actor=member.user, reason="No")


# ---------------------------------------------------------------- information requests


def test_membership_request_information_keeps_the_application_open(
    staff_user, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request_information(
            membership=applicant.membership, actor=staff_user, question="Which mine site?"
        )

    membership = _reload(applicant.membership)
    assert membership.status == Status.APPLIED
    assert membership.information_request == "Which mine site?"
    assert membership.awaiting_reply
    row = _latest_history(membership)
    assert (row.history_user, row.history_change_reason) == (staff_user, "Information requested")
    assert "Which mine site?" in mail.outbox[0].body


def test_membership_request_information_refuses_non_staff_and_empty_questions(staff_user, member, applicant):
    with pytest.raises(PermissionDenied):
        services.membership_request_information(
            membership=applicant.membership, actor=member.user, question="?"
        )
    with pytest.raises(ValidationError):
        services.membership_request_information(
            membership=applicant.membership, actor=staff_user, question=" "
        )
    assert _reload(applicant.membership).information_request == ""


def test_membership_reply_information_is_for_the_applicant_only(staff_user, member):
    applicant = make_applicant(question="Which mine site?")
    with pytest.raises(PermissionDenied):
        services.membership_reply_information(membership=applicant.membership, actor=member.user, reply="X")

    services.membership_reply_information(
        membership=applicant.membership, actor=applicant.user, reply="Site 4"
    )

    membership = _reload(applicant.membership)
    assert membership.information_reply == "Site 4"
    assert _latest_history(membership).history_user == applicant.user


# ---------------------------------------------------------------- status changes


@pytest.mark.parametrize(
    ("start", "new"),
    [
        (Status.ACTIVE, Status.SUSPENDED),
        (Status.ACTIVE, Status.LEFT),
        (Status.ACTIVE, Status.LAPSED),
        (Status.SUSPENDED, Status.ACTIVE),
        (Status.LAPSED, Status.ACTIVE),
        (Status.LEFT, Status.ACTIVE),
    ],
)
def test_membership_change_status_allows_the_listed_transitions(staff_user, sector, start, new):
    member = MemberFactory(sector=sector, status=start)

    services.membership_change_status(
        membership=member.membership, actor=staff_user, status=new, reason="Board"
    )

    membership = _reload(member.membership)
    assert membership.status == new
    assert membership.status_reason == "Board"
    row = _latest_history(membership)
    assert (row.history_user, row.history_change_reason, row.status) == (staff_user, "Board", new)


@pytest.mark.parametrize(
    ("start", "new"),
    [
        (Status.APPLIED, Status.SUSPENDED),
        (Status.ACTIVE, Status.APPLIED),
        (Status.ACTIVE, Status.ACTIVE),
        (Status.LEFT, Status.SUSPENDED),
        (Status.REJECTED, Status.ACTIVE),
        (Status.SUSPENDED, Status.LAPSED),
    ],
)
def test_membership_change_status_refuses_illegal_transitions(staff_user, sector, start, new):
    member = MemberFactory(sector=sector, status=start)
    history_before = member.membership.history.count()

    with pytest.raises(ValidationError):
        services.membership_change_status(
            membership=member.membership, actor=staff_user, status=new, reason="R"
        )

    assert _reload(member.membership).status == start
    assert member.membership.history.count() == history_before


def test_membership_change_status_refuses_unknown_status_and_missing_reason(staff_user, member):
    with pytest.raises(ValidationError):
        services.membership_change_status(
            membership=member.membership, actor=staff_user, status="gone", reason="R"
        )
    with pytest.raises(ValidationError):
        services.membership_change_status(
            membership=member.membership, actor=staff_user, status=Status.SUSPENDED, reason=""
        )
    assert _reload(member.membership).status == Status.ACTIVE


def test_membership_change_status_refuses_non_staff(member, applicant):
    with pytest.raises(PermissionDenied):
        services.membership_change_status(
            membership=member.membership, actor=applicant.user, status=Status.SUSPENDED, reason="R"
        )
    assert _reload(member.membership).status == Status.ACTIVE


def test_reactivating_a_lapsed_membership_starts_a_new_term(staff_user, sector):
    member = MemberFactory(sector=sector, status=Status.LAPSED)
    Membership.objects.filter(pk=member.membership.pk).update(
        term_start=datetime.date(2020, 1, 1), term_end=datetime.date(2021, 1, 1)
    )

    services.membership_change_status(
        membership=member.membership, actor=staff_user, status=Status.ACTIVE, reason="Renewed"
    )

    membership = _reload(member.membership)
    assert membership.term_start == timezone.localdate()
    assert membership.term_end > timezone.localdate()


# ---------------------------------------------------------------- term


def test_membership_set_term_records_dates_and_reason(staff_user, member):
    start, end = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)

    services.membership_set_term(
        membership=member.membership, actor=staff_user, term_start=start, term_end=end, reason="Fee paid"
    )

    membership = _reload(member.membership)
    assert (membership.term_start, membership.term_end) == (start, end)
    row = _latest_history(membership)
    assert (row.history_user, row.history_change_reason) == (staff_user, "Fee paid")


def test_membership_set_term_refuses_end_before_start_and_missing_reason(staff_user, member):
    before = (member.membership.term_start, member.membership.term_end)
    with pytest.raises(ValidationError):
        services.membership_set_term(
            membership=member.membership,
            actor=staff_user,
            term_start=datetime.date(2027, 1, 1),
            term_end=datetime.date(2026, 1, 1),
            reason="R",
        )
    with pytest.raises(ValidationError):
        services.membership_set_term(
            membership=member.membership,
            actor=staff_user,
            term_start=datetime.date(2026, 1, 1),
            term_end=datetime.date(2027, 1, 1),
            reason=" ",
        )
    membership = _reload(member.membership)
    assert (membership.term_start, membership.term_end) == before


def test_membership_set_term_refuses_non_staff(member):
    with pytest.raises(PermissionDenied):
        services.membership_set_term(
            membership=member.membership,
            actor=member.user,
            term_start=datetime.date(2026, 1, 1),
            term_end=datetime.date(2030, 1, 1),
            reason="Me",
        )


# ---------------------------------------------------------------- fee tier


def test_membership_recompute_fee_tier_applies_the_first_matching_rule(staff_user, sector):
    CountryIncomeGroupFactory(country="GH", group=CountryIncomeGroup.Group.LOW)
    MeansTestRuleFactory(
        name="Big NGOs",
        priority=1,
        org_type=Organisation.Type.ADVOCACY_NGO,
        max_size="",
        income_group=CountryIncomeGroup.Group.HIGH,
        tier=FeeTier.STANDARD,
    )
    rule = MeansTestRuleFactory(
        name="Low-income miners", priority=2, income_group=CountryIncomeGroup.Group.LOW, tier=FeeTier.NO_FEE
    )
    member = MemberFactory(sector=sector, organisation=OrganisationFactory(country="GH"))

    services.membership_recompute_fee_tier(membership=member.membership, actor=staff_user)

    membership = _reload(member.membership)
    assert (membership.fee_tier, membership.fee_rule) == (FeeTier.NO_FEE, rule)
    row = _latest_history(membership)
    assert (row.history_user, row.history_change_reason) == (staff_user, "Means test applied")


def test_membership_recompute_fee_tier_refuses_non_staff(member):
    with pytest.raises(PermissionDenied):
        services.membership_recompute_fee_tier(membership=member.membership, actor=member.user)


def test_membership_recompute_fee_tiers_all_changes_only_what_differs(
    staff_user, sector, django_assert_num_queries
):
    CountryIncomeGroupFactory(country="GH", group=CountryIncomeGroup.Group.LOW)
    rule = MeansTestRuleFactory(income_group=CountryIncomeGroup.Group.LOW, tier=FeeTier.MEANS_TESTED)
    in_ghana = [
        MemberFactory(sector=sector, organisation=OrganisationFactory(country="GH")) for _ in range(3)
    ]
    elsewhere = MemberFactory(sector=sector, country="FR", organisation=OrganisationFactory(country="FR"))
    elsewhere_history = elsewhere.membership.history.count()

    # Savepoint in and out, the actor's groups, rules, income groups, memberships with organisations,
    # one bulk update and one history insert: the same for 3 or 3,000 memberships.
    with django_assert_num_queries(8):
        changed = services.membership_recompute_fee_tiers_all(actor=staff_user)

    assert changed == 3
    for member in in_ghana:
        membership = _reload(member.membership)
        assert (membership.fee_tier, membership.fee_rule) == (FeeTier.MEANS_TESTED, rule)
        row = _latest_history(membership)
        assert (row.history_user, row.history_change_reason) == (staff_user, "Means test applied to all")
    assert _reload(elsewhere.membership).fee_tier == FeeTier.STANDARD
    assert elsewhere.membership.history.count() == elsewhere_history
    assert services.membership_recompute_fee_tiers_all(actor=staff_user) == 0


def test_membership_recompute_fee_tiers_all_refuses_non_staff(member):
    with pytest.raises(PermissionDenied):
        services.membership_recompute_fee_tiers_all(actor=member.user)
    with pytest.raises(PermissionDenied):
        services.membership_recompute_fee_tiers_all(actor=UserFactory())


# ---------------------------------------------------------------- lapse


def test_membership_lapse_due_lapses_only_expired_active_memberships_and_is_idempotent(sector):
    today = datetime.date(2026, 6, 1)
    expired = MemberFactory(sector=sector)
    ends_today = MemberFactory(sector=sector)
    suspended_expired = MemberFactory(sector=sector, status=Status.SUSPENDED)
    Membership.objects.filter(pk=expired.membership.pk).update(term_end=datetime.date(2026, 5, 31))
    Membership.objects.filter(pk=ends_today.membership.pk).update(term_end=today)
    Membership.objects.filter(pk=suspended_expired.membership.pk).update(term_end=datetime.date(2025, 1, 1))

    assert services.membership_lapse_due(today=today) == 1
    assert services.membership_lapse_due(today=today) == 0

    lapsed = _reload(expired.membership)
    assert lapsed.status == Status.LAPSED
    assert "2026-05-31" in lapsed.status_reason
    row = _latest_history(lapsed)
    assert row.history_user is None
    assert row.history_change_reason == "Term ended: lapsed by the lapse check"
    assert lapsed.history.filter(status=Status.LAPSED).count() == 1
    assert _reload(ends_today.membership).status == Status.ACTIVE
    assert _reload(suspended_expired.membership).status == Status.SUSPENDED


# ---------------------------------------------------------------- one way to start a term


def test_membership_term_start_keeps_a_running_term_and_closes_the_question(applicant):
    membership = _reload(applicant.membership)
    membership.information_request = "Which mine site?"
    today = timezone.localdate()

    services.membership_term_start(membership=membership, today=today)

    assert (membership.term_start, membership.information_request) == (today, "")
    assert membership.term_end == today + datetime.timedelta(days=settings.MEMBERSHIP_TERM_DAYS)
    running_until = membership.term_end
    services.membership_term_start(membership=membership, today=today + datetime.timedelta(days=10))
    assert (membership.term_start, membership.term_end) == (today, running_until)


def test_membership_approve_closes_the_information_request(staff_user, applicant):
    services.membership_request_information(
        membership=applicant.membership, actor=staff_user, question="Which mine site?"
    )

    services.membership_approve(membership=applicant.membership, actor=staff_user)

    assert _reload(applicant.membership).information_request == ""


# ---------------------------------------------------------------- the sub-chamber rule


def test_membership_apply_refuses_a_sub_chamber_of_another_chamber(sector):
    from tests.network.factories import ChamberFactory, SubChamberFactory

    other = SubChamberFactory(chamber=ChamberFactory(name="Donor chamber"), name="North")

    with pytest.raises(ValidationError) as refused:
        services.membership_apply(
            user=UserFactory(), full_name="Ama Mensah", country="GH", sector=sector, sub_chamber=other
        )

    assert "belongs to the Donor chamber" in refused.value.message_dict["sub_chamber"][0]
    assert not Membership.objects.exists()
