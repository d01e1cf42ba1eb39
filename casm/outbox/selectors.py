"""Reads of the outbox for staff: notices with their counts, failed messages, bouncing addresses."""

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from casm.outbox.models import Message, Notice

S = Message.Status


def notice_list_with_counts() -> QuerySet[Notice]:
    """Every notice with its pending, sent and failed counts and its last activity (one query)."""
    return Notice.objects.annotate(
        pending=Count("messages", filter=Q(messages__status=S.PENDING)),
        sent=Count("messages", filter=Q(messages__status=S.SENT)),
        failed=Count("messages", filter=Q(messages__status=S.FAILED)),
        total=Count("messages"),
        last_sent_at=Max("messages__sent_at"),
    ).order_by("-created_at", "-pk")


def outbox_totals() -> dict:
    """Messages waiting and failed, over every notice (one query): for the secretariat's home page."""
    return Message.objects.aggregate(
        pending=Count("pk", filter=Q(status=S.PENDING)),
        failed=Count("pk", filter=Q(status=S.FAILED)),
    )


def notice_get_with_counts(pk: int) -> Notice | None:
    return notice_list_with_counts().filter(pk=pk).first()


def notice_failed_messages(notice: Notice) -> QuerySet[Message]:
    """The failed messages of a notice, with the reason the server gave, newest failure first."""
    return (
        Message.objects.filter(notice=notice, status=S.FAILED)
        .only(
            "pk",
            "to",
            "last_error",
            "failed_at",
            "attempts",
            "recipient_type_id",
            "recipient_id",
            "notice_id",
        )
        .order_by("-failed_at", "pk")
    )


def notice_deferred_messages(notice: Notice) -> QuerySet[Message]:
    """Mail waiting after a transient failure (a 4xx, a lost connection), with its next attempt."""
    return (
        Message.objects.filter(notice=notice, status=S.PENDING, attempts__gt=0)
        .only("pk", "to", "last_error", "available_at", "attempts", "notice_id")
        .order_by("available_at", "pk")
    )


def address_failures(addresses) -> dict[str, Message]:
    """The latest permanent failure per address (lower-cased) among ``addresses`` (one query).

    An address is flagged while its last outcome is a failure: once a later mail to it is
    accepted, or the failed mail is sent after a retry, it is no longer flagged.
    """
    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return {}
    latest: dict[str, Message] = {}
    rows = (
        Message.objects.filter(to__in=_case_variants(addresses), status__in=[S.FAILED, S.SENT])
        .only("to", "status", "failed_at", "sent_at", "last_error", "notice_id")
        # By outcome, not by creation: a failed mail sent again keeps its row (and its pk).
        .order_by(Coalesce("failed_at", "sent_at"), "pk")
    )
    for message in rows:
        latest[message.to.lower()] = message
    return {address: m for address, m in latest.items() if address in wanted and m.status == S.FAILED}


def _case_variants(addresses) -> list[str]:
    values = set()
    for address in addresses:
        if address:
            values.update({address, address.lower()})
    return sorted(values)


def notice_failed_count(key: str) -> int:
    """How many messages of the notice ``key`` (``kind:scope``) failed for good (one query; 0 if none)."""
    return Message.objects.filter(notice__key=key, status=S.FAILED).count()
