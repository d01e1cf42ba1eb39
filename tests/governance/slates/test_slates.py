"""Composing a slate: who may, nominees in and out of a draft, the check, asking, answering, revising."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casm.outbox.models import Message
from casm.signed_links import link_token
from governance.slates import permissions
from governance.slates.models import Nominee, Slate
from governance.slates.services import slates as services
from network.models import Membership
from tests.governance.bodies.factories import BodyFactory, SeatFactory, TermFactory
from tests.governance.slates.factories import NomineeFactory, SlateFactory
from tests.network.factories import MemberFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db
ACCEPTED, DECLINED, PENDING = Nominee.Status.ACCEPTED, Nominee.Status.DECLINED, Nominee.Status.PENDING


@pytest.fixture
def committee():
    return BodyFactory(name="Interim Steering Committee", kind="steering_committee")


@pytest.fixture
def board():
    return BodyFactory(name="Board", kind="board", max_per_country=2)


def _seated(body):
    """An active member holding a seat on ``body`` now."""
    return TermFactory(seat=SeatFactory(body=body)).member


# ---------------------------------------------------------------- who may compose


def test_slate_create_by_staff_leaves_a_history_row_naming_them(staff_user, board):
    slate = services.slate_create(actor=staff_user, body=board, title="First Board")

    assert (slate.status, slate.round, slate.proposed_by) == (Slate.Status.DRAFT, 1, None)
    row = slate.history.get()
    assert (row.history_user, row.history_change_reason) == (staff_user, "Slate created")


def test_a_member_seated_on_the_proposing_body_composes_in_its_name(committee, board):
    composer = _seated(committee)

    slate = services.slate_create(actor=composer.user, body=board, title="Board", proposed_by=committee)
    nominee = services.nominee_add(actor=composer.user, slate=slate, member=MemberFactory())

    assert permissions.can_compose_slate(composer.user, slate)
    assert nominee.history.get().history_user == composer.user


@pytest.mark.parametrize("who", ["visitor", "applicant", "member", "member_of_another_body"])
def test_roles_that_must_not_compose_cannot(who, committee, board, staff_user):
    slate = SlateFactory(body=board, proposed_by=committee, created_by=staff_user)
    user = {
        "visitor": lambda: UserFactory.build(),
        "applicant": lambda: MemberFactory(status=Membership.Status.APPLIED).user,
        "member": lambda: MemberFactory().user,
        "member_of_another_body": lambda: _seated(BodyFactory()).user,
    }[who]()
    if who == "visitor":
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()

    assert not permissions.can_compose_slate(user, slate)
    with pytest.raises(PermissionDenied):
        services.nominee_add(actor=user, slate=slate, member=MemberFactory())
    with pytest.raises(PermissionDenied):
        services.slate_create(actor=user, body=board, title="x", proposed_by=committee)
    assert not slate.nominees.exists()
    assert Slate.objects.count() == 1


def test_a_seated_member_cannot_compose_a_secretariat_slate(committee, board):
    composer = _seated(committee)

    with pytest.raises(PermissionDenied):
        services.slate_create(actor=composer.user, body=board, title="Board")


def test_an_applicant_on_a_seat_cannot_compose(committee, board):
    seated = _seated(committee)
    Membership.objects.filter(member=seated).update(status=Membership.Status.APPLIED)

    user = type(seated.user).objects.get(pk=seated.user_id)  # fresh: no membership cached

    assert not permissions.can_propose_for(user, committee)


# ---------------------------------------------------------------- nominees in and out


def test_nominee_add_refuses_an_inactive_member_and_a_second_nomination(staff_user, board):
    slate = SlateFactory(body=board)
    member = MemberFactory()
    services.nominee_add(actor=staff_user, slate=slate, member=member)

    with pytest.raises(ValidationError) as twice:
        services.nominee_add(actor=staff_user, slate=slate, member=member)
    with pytest.raises(ValidationError) as inactive:
        services.nominee_add(
            actor=staff_user, slate=slate, member=MemberFactory(status=Membership.Status.APPLIED)
        )

    assert "member" in twice.value.error_dict and "member" in inactive.value.error_dict
    assert slate.nominees.count() == 1


def test_nominee_add_refuses_a_seat_of_another_body(staff_user, board):
    slate = SlateFactory(body=board)

    with pytest.raises(ValidationError) as error:
        services.nominee_add(actor=staff_user, slate=slate, member=MemberFactory(), seat=SeatFactory())

    assert "seat" in error.value.error_dict
    assert not slate.nominees.exists()


def test_nominee_update_and_remove_leave_history_rows(staff_user, board):
    slate = SlateFactory(body=board)
    seat = SeatFactory(body=board)
    nominee = services.nominee_add(actor=staff_user, slate=slate, member=MemberFactory())
    pk = nominee.pk

    services.nominee_update(actor=staff_user, nominee=nominee, role=Nominee.Role.CHAIR, seat=seat)
    services.nominee_remove(actor=staff_user, nominee=nominee)

    reasons = list(
        Nominee.history.filter(id=pk)
        .order_by("history_date")
        .values_list("history_change_reason", "history_type", "history_user")
    )
    assert reasons == [
        ("Nominee added", "+", staff_user.pk),
        ("Nominee's role or seat changed", "~", staff_user.pk),
        ("Nominee removed", "-", staff_user.pk),
    ]
    assert not slate.nominees.exists()


@pytest.mark.parametrize("status", [s for s in Slate.Status.values if s != Slate.Status.DRAFT])
def test_nominees_change_only_while_the_slate_is_a_draft(staff_user, board, status):
    slate = SlateFactory(body=board, status=status)
    nominee = NomineeFactory(slate=slate)

    with pytest.raises(ValidationError):
        services.nominee_add(actor=staff_user, slate=slate, member=MemberFactory())
    with pytest.raises(ValidationError):
        services.nominee_remove(actor=staff_user, nominee=nominee)
    assert list(slate.nominees.all()) == [nominee]


# ---------------------------------------------------------------- the check


def test_a_slate_that_breaks_a_composition_rule_cannot_be_marked_ready_and_each_rule_is_named(board):
    board.max_per_country, board.min_size = 1, 3
    board.save()
    slate = SlateFactory(body=board)
    for _ in range(2):
        NomineeFactory(slate=slate, member=MemberFactory(country="GH"), status=ACCEPTED)

    with pytest.raises(ValidationError) as error:
        services.slate_require_ready(slate)

    codes = [e.code for e in error.value.error_list]
    assert codes == ["rule:min_size", "rule:max_per_country"]
    assert len(error.value.messages) == 2


def test_a_slate_with_a_nominee_who_has_not_accepted_is_not_ready(board):
    slate = SlateFactory(body=board)
    NomineeFactory(slate=slate, status=ACCEPTED)
    NomineeFactory(slate=slate, status=DECLINED)

    with pytest.raises(ValidationError) as error:
        services.slate_require_ready(slate)

    assert [e.code for e in error.value.error_list] == ["not_accepted"]


def test_a_slate_that_meets_every_rule_with_everyone_accepted_is_ready(board):
    slate = SlateFactory(body=board)
    NomineeFactory(slate=slate, status=ACCEPTED)

    services.slate_require_ready(slate)


# ---------------------------------------------------------------- asking and answering


def _asked(staff_user, slate, *members):
    nominees = [services.nominee_add(actor=staff_user, slate=slate, member=m) for m in members]
    services.slate_ask_nominees(actor=staff_user, slate=slate)
    return [Nominee.objects.get(pk=n.pk) for n in nominees]


def test_slate_ask_nominees_mails_each_pending_nominee_in_their_language_with_a_signed_link(
    staff_user, board
):
    slate = SlateFactory(body=board)
    french = MemberFactory(user__preferred_language="fr")
    english = MemberFactory()
    answered = NomineeFactory(slate=slate, status=ACCEPTED)

    asked = _asked(staff_user, slate, french, english)

    messages = {m.to: m for m in Message.objects.all()}
    assert set(messages) == {french.email, english.email}
    assert messages[french.email].language == "fr"
    for nominee in asked:
        assert nominee.asked_at and nominee.nonce and nominee.message_id
        token = re.search(r"/slates/nomination/link/([^/\s]+)/", messages[nominee.member.email].body)[1]
        assert services.nominee_link_read(token) == nominee
        assert nominee.history.latest().history_change_reason == "Asked to accept the nomination"
    assert Nominee.objects.get(pk=answered.pk).message_id is None


def test_only_the_secretariat_asks_the_nominees(board, committee):
    composer = _seated(committee)
    slate = SlateFactory(body=board, proposed_by=committee)
    NomineeFactory(slate=slate)

    with pytest.raises(PermissionDenied):
        services.slate_ask_nominees(actor=composer.user, slate=slate)
    assert not Message.objects.exists()


def test_a_nominee_added_after_asking_is_asked_in_turn(staff_user, board):
    slate = SlateFactory(body=board)
    (first,) = _asked(staff_user, slate, MemberFactory())
    late = services.nominee_add(actor=staff_user, slate=slate, member=MemberFactory())

    assert services.slate_ask_nominees(actor=staff_user, slate=slate) == 2
    assert Nominee.objects.get(pk=first.pk).nonce == first.nonce  # the first link still works
    assert Nominee.objects.get(pk=late.pk).asked_at is not None


def test_answer_by_link_records_acceptance_with_the_nominee_as_author(staff_user, board):
    slate = SlateFactory(body=board)
    (nominee,) = _asked(staff_user, slate, MemberFactory())

    services.nominee_answer_by_link(
        token=services.nominee_link_token(nominee), accept=True, comment="Glad to serve."
    )

    nominee.refresh_from_db()
    assert (nominee.status, nominee.comment) == (ACCEPTED, "Glad to serve.")
    row = nominee.history.latest()
    assert (row.history_user, row.history_change_reason) == (
        nominee.member.user,
        "Accepted the nomination through the signed link",
    )


def test_answer_in_the_portal_declines_with_a_comment(staff_user, board):
    slate = SlateFactory(body=board)
    (nominee,) = _asked(staff_user, slate, MemberFactory())

    services.nominee_answer(actor=nominee.member.user, nominee=nominee, accept=False, comment="No time.")

    nominee.refresh_from_db()
    assert (nominee.status, nominee.comment) == (DECLINED, "No time.")


def test_another_member_cannot_answer_a_nomination(staff_user, board):
    slate = SlateFactory(body=board)
    (nominee,) = _asked(staff_user, slate, MemberFactory())
    other = MemberFactory()

    with pytest.raises(PermissionDenied):
        services.nominee_answer(actor=other.user, nominee=nominee, accept=True)
    with pytest.raises(ValidationError) as error:
        services.nominee_answer_by_link(
            token=services.nominee_link_token(nominee), accept=True, actor=other.user
        )

    assert error.value.error_list[0].code == "other_member"
    assert Nominee.objects.get(pk=nominee.pk).status == PENDING


def _refused_code(token):
    with pytest.raises(ValidationError) as error:
        services.nominee_answer_by_link(token=token, accept=True)
    return error.value.error_list[0].code


def test_forged_altered_expired_and_revoked_links_are_refused_and_record_nothing(staff_user, board):
    slate = SlateFactory(body=board)
    (nominee,) = _asked(staff_user, slate, MemberFactory())
    token = services.nominee_link_token(nominee)
    before = Nominee.history.count()

    assert _refused_code("forged-0123456789") == "invalid"
    assert _refused_code(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == "invalid"
    other_purpose = link_token(
        purpose="casm.bodies.survey-answer",
        object_id=slate.pk,
        member_id=nominee.member_id,
        nonce=nominee.nonce,
    )
    assert _refused_code(other_purpose) == "invalid"
    wrong_nonce = link_token(
        purpose=services.LINK_PURPOSE, object_id=slate.pk, member_id=nominee.member_id, nonce="x" * 22
    )
    assert _refused_code(wrong_nonce) == "invalid"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "LINK_MAX_AGE", datetime.timedelta(seconds=-1))
        assert _refused_code(token) == "expired"

    assert Nominee.objects.get(pk=nominee.pk).status == PENDING
    assert Nominee.history.count() == before


def test_one_members_link_cannot_reach_another_nominee(staff_user, board):
    slate = SlateFactory(body=board)
    first, second = _asked(staff_user, slate, MemberFactory(), MemberFactory())
    # A link signed for the first member with the second's nonce (as if the nonce leaked) is refused.
    mixed = link_token(
        purpose=services.LINK_PURPOSE, object_id=slate.pk, member_id=first.member_id, nonce=second.nonce
    )

    assert _refused_code(mixed) == "invalid"
    assert not Nominee.objects.exclude(status=PENDING).exists()


def test_answers_close_once_the_slate_leaves_the_draft(staff_user, board):
    slate = SlateFactory(body=board)
    (nominee,) = _asked(staff_user, slate, MemberFactory())
    Slate.objects.filter(pk=slate.pk).update(status=Slate.Status.ENDORSEMENT)

    assert _refused_code(services.nominee_link_token(nominee)) == "closed"


# ---------------------------------------------------------------- revising


def test_slate_revise_makes_the_next_round_with_the_nominees_to_accept_again(staff_user, board):
    slate = SlateFactory(body=board, status=Slate.Status.NOT_ENDORSED)
    seat = SeatFactory(body=board)
    kept = NomineeFactory(slate=slate, status=ACCEPTED, role=Nominee.Role.CHAIR, seat=seat)

    revision = services.slate_revise(actor=staff_user, slate=slate)

    assert (revision.round, revision.previous, revision.status) == (2, slate, Slate.Status.DRAFT)
    copied = revision.nominees.get()
    assert (copied.member, copied.role, copied.seat, copied.status) == (kept.member, "chair", seat, PENDING)
    assert revision.history.get().history_user == staff_user
    assert services.slate_rounds(revision) == [slate, revision]
    assert services.slate_rounds(slate) == [slate, revision]
    with pytest.raises(ValidationError):
        services.slate_revise(actor=staff_user, slate=slate)


@pytest.mark.parametrize("status", [s for s in Slate.Status.values if s != Slate.Status.NOT_ENDORSED])
def test_only_a_slate_not_endorsed_can_be_revised(staff_user, board, status):
    slate = SlateFactory(body=board, status=status)

    with pytest.raises(ValidationError):
        services.slate_revise(actor=staff_user, slate=slate)
    assert Slate.objects.count() == 1


def test_a_member_not_on_the_proposing_body_cannot_revise(board, committee):
    slate = SlateFactory(body=board, proposed_by=committee, status=Slate.Status.NOT_ENDORSED)

    with pytest.raises(PermissionDenied):
        services.slate_revise(actor=MemberFactory().user, slate=slate)
    assert Slate.objects.count() == 1


def test_staff_without_a_member_record_is_not_a_nominee(board):
    assert permissions.seated_body_ids(make_staff(email="s2@example.org")) == set()
