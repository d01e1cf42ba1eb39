"""Reads of slates that cross relations: each returns what its page needs, already joined."""

from django.db.models import Count, Q

from casm.history import HistorySource, history_entries
from governance.slates.models import Nominee, Slate, TaskGroup
from governance.slates.permissions import PUBLIC_STATUSES
from network.models import Member


def _with_counts(slates):
    return slates.select_related("body", "proposed_by").annotate(
        nominee_count=Count("nominees", distinct=True),
        accepted_count=Count("nominees", filter=Q(nominees__status=Nominee.Status.ACCEPTED), distinct=True),
    )


def slate_list_for_staff():
    """Every slate, newest first, with its body, proposer and counts of nominees (one query)."""
    return _with_counts(Slate.objects.all())


def slate_list_for_composer(body_ids):
    """The slates proposed by the bodies ``body_ids`` (one query)."""
    return _with_counts(Slate.objects.filter(proposed_by_id__in=body_ids))


def slate_list_public():
    """Slates that went to endorsement, whatever came of it (one query)."""
    return _with_counts(Slate.objects.filter(status__in=PUBLIC_STATUSES))


def nominations_open_for(member):
    """The member's nominations on slates still being composed (one query)."""
    return (
        Nominee.objects.filter(member=member, slate__status=Slate.Status.DRAFT)
        .select_related("slate__body")
        .order_by("-slate__created_at")
    )


def task_group_list_for(committee):
    """The task groups ``committee`` appointed, with their consultation (one query)."""
    return TaskGroup.objects.filter(body__parent=committee).select_related("body", "consultation")


def slate_history(slate: Slate) -> list[dict]:
    """Who changed the slate and its nominees, newest first; removed nominees keep their rows (3 queries)."""
    nominee_rows = list(
        Nominee.history.filter(slate_id=slate.pk).select_related("history_user").order_by("history_date")
    )
    names = dict(
        Member.objects.filter(pk__in={row.member_id for row in nominee_rows}).values_list("pk", "full_name")
    )
    return history_entries(
        HistorySource(
            model=Slate, rows=slate.history.select_related("history_user").order_by("history_date")
        ),
        HistorySource(model=Nominee, rows=nominee_rows, describe=lambda row: names.get(row.member_id, "")),
    )
