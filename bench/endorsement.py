"""Endorsement benchmark: a window for N members, N answers through a live server, the outcome, the pages.

    python bench/endorsement.py            # 20,000 members, 20 concurrent clients
    python bench/endorsement.py --quick    # small enough for CI (seconds), SQLite too

Run it on PostgreSQL for figures that mean something:

    createdb -h 127.0.0.1 -U postgres casm_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casm_bench .venv/bin/python bench/endorsement.py

Its own rows (addresses @bench-endorsement.invalid, chambers and sectors "bench-endorsement-…", the
body "bench-endorsement" and its slates) are removed before seeding, nothing else. The window's
audience is the bench's own chambers, so other benchmarks' members are not invited.

- "open" is ``window_open`` with every invitation mail written to the outbox: the tasks run
  in-process here (bench settings), as the workers would run them; nothing is sent (the
  outbox's sender is not woken);
- answers are POSTed to the signed links by 20 threads against gunicorn (4 workers on
  PostgreSQL; 1 on SQLite, which takes one writer at a time), with a CSRF cookie and token as a
  browser that opened the form has; "lost" are answers the database does not hold afterwards;
- "outcome" is ``window_close`` (the count, the record, the slate's status, queueing the
  outcome mail to Celery's in-memory broker), timed alone; the outcome mails are timed apart;
- pages: the staff window page and the member's answer page against the logged-in floor, the
  public outcome page against the public floor (medians through gunicorn).
"""

import argparse
import datetime
import http.client
import queue
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402 - the path above first
    LOGGED_IN_FLOOR_PATH,
    PUBLIC_FLOOR_PATH,
    Report,
    browser_cookies,
    cleanup,
    count_queries,
    gunicorn,
    percentile,
    refresh_statistics,
    report_floors,
    setup_django,
    time_pages,
)
from bench._seed import BenchNames, clear_bench_rows, reference_data, seed_members, seeded_models  # noqa: E402

DOMAIN = "@bench-endorsement.invalid"
PREFIX = "bench-endorsement"
NAMES = BenchNames(domain=DOMAIN, prefix=PREFIX, label="Bench endorsement")
CLIENTS = 20
OUTCOME_TARGET_SECONDS = 2.0  # for 20,000 members, scaled
ANSWERS_PER_SECOND_TARGET = 200
FLOOR_RATIO_TARGET = 3.0
CHOICES = ["endorse"] * 6 + ["object"] * 3 + ["abstain"]


def clear_endorsement_rows() -> None:
    """Remove this benchmark's slates, windows and their rows (before its members go)."""
    from casm.outbox.models import Message, Notice
    from governance.bodies.models import Body
    from governance.slates.models import (
        EndorsementAnswer,
        EndorsementInvitation,
        EndorsementReminder,
        EndorsementWindow,
        Nominee,
        Slate,
    )

    slates = Slate.objects.filter(body__slug=PREFIX)
    windows = EndorsementWindow.objects.filter(slate__in=slates)
    notices = Notice.objects.filter(key__startswith="slates.endorsement", messages__to__endswith=DOMAIN)
    for queryset in (
        EndorsementAnswer.objects.filter(window__in=windows),
        EndorsementReminder.objects.filter(window__in=windows),
        EndorsementInvitation.objects.filter(window__in=windows),
        EndorsementWindow.chambers.through.objects.filter(endorsementwindow__in=windows),
        EndorsementWindow.history.model.objects.filter(slate__in=slates),
        windows,
        Nominee.history.model.objects.filter(slate__in=slates),
        Nominee.objects.filter(slate__in=slates),
        Slate.history.model.objects.filter(body__slug=PREFIX),
        slates,
        Message.objects.filter(to__endswith=DOMAIN),
    ):
        queryset._raw_delete(queryset.db)
    Notice.objects.filter(pk__in=list(notices.values_list("pk", flat=True))).delete()
    Body.objects.filter(slug=PREFIX).delete()


def staff_account():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from casm import roles
    from network.models import User

    user = User.objects.create_user(email=f"secretariat{DOMAIN}", password="bench")
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    TOTP.activate(user, generate_totp_secret())
    return user


def member_account(member):
    from network.models import Member, User

    user = User.objects.create_user(email=f"voter{DOMAIN}", password="bench")
    Member.objects.filter(pk=member.pk).update(user=user)
    return user


def ready_slate(staff, nominee):
    from governance.bodies.models import Body
    from governance.slates.models import Nominee, Slate

    body = Body.objects.create(slug=PREFIX, name="Bench endorsement committee", kind=Body.Kind.ADVISORY_GROUP)
    slate = Slate.objects.create(body=body, title="Bench endorsement slate", created_by=staff)
    Nominee.objects.create(slate=slate, member=nominee, status=Nominee.Status.ACCEPTED)
    return slate


def post_answers(port: int, links: list[str], *, clients: int) -> tuple[float, dict[int, int]]:
    """POST an answer to each link from ``clients`` threads; seconds taken and responses by status.

    Each thread keeps one connection open (as a browser does) and sends the CSRF cookie and token
    a browser holds once it has opened a form (Django accepts the cookie's secret as the token).
    """
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    secret = "b" * 32
    rng = random.Random(2010)
    choices = [rng.choice(CHOICES) for _ in links]

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            try:
                index, link = work.get_nowait()
            except queue.Empty:
                break
            body = urlencode({"csrfmiddlewaretoken": secret, "choice": choices[index], "comment": ""})
            headers = {
                "Host": "127.0.0.1",
                "Cookie": f"csrftoken={secret}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            try:
                conn.request("POST", link, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    work: queue.Queue = queue.Queue()
    for item in enumerate(links):
        work.put(item)
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, statuses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument("--members", type=int, help="members invited (default 20,000; quick 300)")
    parser.add_argument("--requests", type=int, help="timed requests per page (default 200; quick 20)")
    args = parser.parse_args(argv)
    members = args.members or (300 if args.quick else 20_000)
    requests = args.requests or (20 if args.quick else 200)

    vendor = setup_django()
    try:
        return run(vendor, members=members, requests=requests)
    finally:
        cleanup()


def run(vendor: str, *, members: int, requests: int) -> int:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from casm.celery import app
    from casm.outbox.services import queue as outbox_queue
    from governance.slates.models import EndorsementAnswer, EndorsementInvitation, EndorsementWindow
    from governance.slates.services import endorsement as services

    # The mail is written to the outbox and not sent: the benchmark times the queueing, not SMTP.
    outbox_queue._wake_sender = lambda: None
    report = Report()
    rng = random.Random(2010)
    print(f"# endorsement benchmark on {vendor}: {members:,} members, {CLIENTS} concurrent clients")

    clear_endorsement_rows()
    clear_bench_rows(NAMES)
    sectors = reference_data(NAMES)
    start = time.perf_counter()
    seeded = seed_members(NAMES, members, sectors, rng)
    staff = staff_account()
    nominee = seeded[-1]
    voter = member_account(seeded[0])
    slate = ready_slate(staff, nominee)
    refresh_statistics(seeded_models())
    report.figure("seed_seconds", time.perf_counter() - start, "s")

    chambers = sorted({sector.chamber_id for sector in sectors})
    start = time.perf_counter()
    window = services.window_open(
        actor=staff,
        slate=slate,
        closes_at=timezone.now() + datetime.timedelta(days=7),
        time_zone="UTC",
        audience=EndorsementWindow.Audience.CHAMBERS,
        chambers=chambers,
        reminder_offsets=[2],
    )
    open_seconds = time.perf_counter() - start
    invited = window.invitations.count()
    mailed = window.invitations.filter(message__isnull=False).count()
    report.figure("members_invited", invited, "members")
    report.figure("invitation_mails_queued", mailed, "mails")
    report.figure("open_and_enqueue_seconds", open_seconds, "s")
    report.figure("mails_enqueued_per_second", round(mailed / open_seconds), "mails/s")
    report.target(invited == members and mailed == members, f"{mailed:,} of {members:,} invitations mailed")
    refresh_statistics([EndorsementInvitation])

    links = [
        reverse("slates:endorsement_link", args=[services.window_link_token(invitation)])
        for invitation in window.invitations.exclude(member_id=seeded[0].pk).order_by("member_id")
    ]

    staff_client = Client()
    staff_client.force_login(staff)
    voter_client = Client()
    voter_client.force_login(voter)
    visitor = Client()
    staff_page = reverse("slates:staff_window_detail", args=[window.pk])
    answer_page = reverse("slates:endorsement_answer", args=[window.pk])
    outcome_page = reverse("slates:endorsement_outcome", args=[window.pk])
    staff_cookies = browser_cookies(staff_client, reverse("slates:staff_window_extend", args=[window.pk]))
    voter_cookies = browser_cookies(voter_client, answer_page)
    workers = 4 if vendor == "postgresql" else 1  # SQLite takes one writer at a time

    with gunicorn(workers=workers) as server:
        seconds, statuses = post_answers(server.port, links, clients=CLIENTS)
        recorded = EndorsementAnswer.objects.filter(window=window).count()
        lost = len(links) - recorded
        rate = len(links) / seconds
        report.figure("answers_posted", len(links), "answers")
        report.figure("answers_seconds", seconds, "s")
        report.figure("answers_per_second", round(rate), "answers/s")
        report.figure("answers_lost", lost, "answers")
        report.figure(
            "answers_refused", sum(n for status, n in statuses.items() if status != 302), "responses"
        )
        report.target(lost == 0, f"{lost} answers lost of {len(links):,}")
        report.target(
            rate >= ANSWERS_PER_SECOND_TARGET,
            f"{rate:.0f} answers/s with {CLIENTS} clients ≥ {ANSWERS_PER_SECOND_TARGET}",
        )
        refresh_statistics([EndorsementAnswer])

        pages = {
            "staff_window_page": (staff_page, staff_client, staff_cookies, "logged_in_floor"),
            "answer_page": (answer_page, voter_client, voter_cookies, "logged_in_floor"),
        }
        _time_pages(report, server, pages, staff_client, visitor, staff_cookies, requests)

        # The close: due now (the bench does not wait a week), counted alone; its mail queued, not sent.
        EndorsementWindow.objects.filter(pk=window.pk).update(
            closes_at=timezone.now(), opens_at=timezone.now() - datetime.timedelta(days=1)
        )
        app.conf.task_always_eager = False
        try:
            start = time.perf_counter()
            counted = services.window_close(window_id=window.pk)
            outcome_seconds = time.perf_counter() - start
        finally:
            app.conf.task_always_eager = True
        window.refresh_from_db()
        report.figure("outcome_seconds", outcome_seconds, "s")
        report.figure("outcome", window.outcome)
        limit = OUTCOME_TARGET_SECONDS * max(1, members / 20_000)
        report.target(
            counted and outcome_seconds < limit and window.outcome_figures["totals"]["answers"] == recorded,
            f"outcome of {members:,} members in {outcome_seconds:.2f} s < {limit:.1f} s",
        )
        start = time.perf_counter()
        with transaction.atomic():
            services.window_mail_enqueue(window_id=window.pk, kind=services.OUTCOME)
        report.figure("outcome_mails_seconds", time.perf_counter() - start, "s")

        pages = {"outcome_page": (outcome_page, visitor, {}, "public_floor")}
        _time_pages(report, server, pages, staff_client, visitor, staff_cookies, requests)

    clear_endorsement_rows()
    clear_bench_rows(NAMES)
    return report.finish()


def _time_pages(report, server, pages, staff_client, visitor, staff_cookies, requests):
    queries = {name: count_queries(client, path) for name, (path, client, *_rest) in pages.items()}
    floor_queries = {
        "public_floor": count_queries(visitor, PUBLIC_FLOOR_PATH),
        "logged_in_floor": count_queries(staff_client, LOGGED_IN_FLOOR_PATH),
    }
    timed = {
        "public_floor": (PUBLIC_FLOOR_PATH, {}),
        "logged_in_floor": (LOGGED_IN_FLOOR_PATH, staff_cookies),
        **{name: (path, cookies) for name, (path, _client, cookies, _floor) in pages.items()},
    }
    times = time_pages(server, timed, requests=requests)
    floors = report_floors(report, times, floor_queries)
    for name, (_path, _client, _cookies, floor) in pages.items():
        median = percentile(times[name], 50) * 1000
        ratio = median / floors[floor]
        report.figure(f"{name}_median_ms", median, "ms")
        report.figure(f"{name}_queries", queries[name], "queries")
        report.figure(f"{name}_{floor}_ratio", ratio, "x")
        report.target(
            ratio <= FLOOR_RATIO_TARGET,
            f"{name} median {ratio:.2f}× the {floor.replace('_', ' ')} ≤ {FLOOR_RATIO_TARGET:.0f}×",
        )


if __name__ == "__main__":
    sys.exit(main())
