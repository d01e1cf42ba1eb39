"""Terms end on their date: the beat task's service, its task, and the beat entry."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from governance.bodies.models import Term
from governance.bodies.services.seats import terms_end_due
from governance.bodies.tasks import terms_end_due_task
from tests.governance.bodies.factories import TermFactory

pytestmark = pytest.mark.django_db


def test_terms_end_due_vacates_seats_whose_term_date_came_and_keeps_the_terms():
    today = timezone.localdate()
    due = TermFactory(starts_on=datetime.date(2024, 1, 1), ends_on=today)
    later = TermFactory(starts_on=datetime.date(2024, 1, 1), ends_on=today + datetime.timedelta(days=1))
    open_ended = TermFactory(starts_on=datetime.date(2024, 1, 1))

    assert terms_end_due() == 1
    assert terms_end_due() == 0  # twice ends nothing twice

    due.refresh_from_db()
    due.seat.refresh_from_db()
    assert due.ended_on == today and due.end_reason == Term.EndReason.EXPIRED
    assert due.seat.holder is None and due.seat.term_end is None
    row = due.history.latest()
    assert row.history_user is None and row.history_change_reason == "Term of office ended on its date"
    for running in (later, open_ended):
        running.seat.refresh_from_db()
        assert running.seat.holder == running.member


def test_a_term_whose_date_passed_long_ago_ends_on_that_date():
    term = TermFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 6, 30))

    terms_end_due()

    term.refresh_from_db()
    assert term.ended_on == datetime.date(2021, 6, 30)


def test_the_task_ends_due_terms_run_eagerly():
    term = TermFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 6, 30))

    result = terms_end_due_task.delay()

    assert result.get() == 1
    term.refresh_from_db()
    assert term.ended_on is not None


def test_the_task_function_calls_the_service():
    TermFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 6, 30))

    assert terms_end_due_task() == 1


def test_beat_runs_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["body-terms-end"]
    assert entry["task"] == terms_end_due_task.name and entry["schedule"] > 0
