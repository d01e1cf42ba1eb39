"""What staff read on the mail page: every notice with its counts, in one query."""

import pytest

from casm.outbox.selectors import notice_failed_messages, notice_list_with_counts
from casm.outbox.services.delivery import outbox_send_due
from tests.casm.outbox.support import queue

pytestmark = pytest.mark.django_db


def test_notice_list_with_counts_gives_pending_sent_and_failed_per_notice_in_one_query(
    smtp_sink, django_assert_num_queries
):
    reminder = queue(5, kind="test.reminder", to="r{i}@example.org")
    publication = queue(3, kind="test.publication", to="p{i}@example.org")
    smtp_sink.refuse_recipients.update({reminder[0].to, reminder[1].to})
    smtp_sink.defer_recipients.add(reminder[2].to)
    outbox_send_due()
    queue(1, kind="test.publication", to="late@example.org")  # not tried yet
    queue(0, kind="test.empty")  # a notice with no message at all

    with django_assert_num_queries(1):
        notices = {notice.key: notice for notice in notice_list_with_counts()}

    counts = {key: (n.pending, n.sent, n.failed, n.total) for key, n in notices.items()}
    assert counts == {
        "test.reminder": (1, 2, 2, 5),
        "test.publication": (1, 3, 0, 4),
        "test.empty": (0, 0, 0, 0),
    }
    assert notices["test.reminder"].last_sent_at is not None
    assert notices["test.empty"].last_sent_at is None
    assert {m.to for m in notice_failed_messages(reminder[0].notice)} == {reminder[0].to, reminder[1].to}
    assert publication[0].notice_id == notices["test.publication"].pk
