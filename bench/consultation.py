"""Consultation benchmark: the committee's analysis page, the response form, the CSV export, reminders.

    python bench/consultation.py            # 4 sections × 5 options, 10,000 responses, 10,000 invitees
    python bench/consultation.py --quick    # small enough for CI (seconds)

Run it on PostgreSQL for figures that mean something:

    createdb -h 127.0.0.1 -U postgres casm_bench_consultation
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/casm_bench_consultation
    .venv/bin/python bench/consultation.py

With DATABASE_URL unset it uses a new SQLite file. Its own rows (addresses @bench-consultation.invalid,
consultations whose slug starts with "bench-consultation", chambers and sectors "bench-consultation-…")
are removed before seeding, nothing else. Responses are seeded in two steps: the analysis page's
queries are counted after the first few and again after all of them (the count must not grow).
Pages are timed through a live gunicorn server beside both floors of bench/urls.py: the public
floor (a bare view through the same middleware) and the logged-in floor (the same behind login,
requested with the respondent's session); both pages are behind login, so their ratios are to
the logged-in floor (no target: the analysis has a target of its own). The export is one full
streamed download; "enqueue reminders" is
``governance.consultations.services.reminders.reminders_enqueue`` for a consultation closing in
twelve hours, its batches published to Celery's in-memory broker (nothing is sent).
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

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

DOMAIN = "@bench-consultation.invalid"
PREFIX = "bench-consultation"
COMMITTEE_EMAIL = f"committee{DOMAIN}"
RESPONDENT_EMAIL = f"respondent{DOMAIN}"
COUNTRIES = ["GH", "ML", "BF", "CD", "TZ", "PE", "CO", "BO", "MN", "PH", "ID", "ZM"]
SECTIONS = 4
OPTIONS = 5
ANALYSIS_MEDIAN_TARGET_MS = 300.0
EXPORT_TARGET_SECONDS_PER_10K = 5.0
WORDS = [
    *("network", "knowledge", "miners", "services", "fund", "transparency", "community", "benefit"),
    *("governance", "chamber", "roster", "experts", "pilot", "country", "roadmap", "donors"),
    *("accountability", "training", "finance", "markets"),
]


# ---------------------------------------------------------------- the benchmark's own rows


def clear_bench_rows() -> None:
    """Remove what an earlier run left (only rows of this benchmark), without signals or history."""
    from governance.consultations.models import (
        Consultation,
        ConsultationOption,
        ConsultationSection,
        OptionPreference,
        ProposedOption,
        ReminderOptOut,
        ReminderSent,
        Response,
        SectionAnswer,
        UnclearFlag,
    )
    from network.models import Member, Membership, Organisation, User

    consultations = Consultation.objects.filter(slug__startswith=PREFIX)
    responses = Response.objects.filter(consultation__slug__startswith=PREFIX)
    members = Member.objects.filter(email__endswith=DOMAIN)
    for queryset in (
        OptionPreference.objects.filter(response__in=responses.values("pk")),
        UnclearFlag.objects.filter(response__in=responses.values("pk")),
        ProposedOption.objects.filter(response__in=responses.values("pk")),
        SectionAnswer.objects.filter(response__in=responses.values("pk")),
        Response.history.model.objects.filter(consultation__slug__startswith=PREFIX),
        responses,
        ReminderSent.objects.filter(consultation__slug__startswith=PREFIX),
        ReminderOptOut.objects.filter(consultation__slug__startswith=PREFIX),
        Consultation.invitees.through.objects.filter(consultation__slug__startswith=PREFIX),
        Consultation.chambers.through.objects.filter(consultation__slug__startswith=PREFIX),
        ConsultationOption.objects.filter(section__consultation__slug__startswith=PREFIX),
        ConsultationSection.objects.filter(consultation__slug__startswith=PREFIX),
        consultations,
        Membership.objects.filter(member__email__endswith=DOMAIN),
        members,
        Organisation.objects.filter(name__startswith="Bench consultation "),
    ):
        queryset._raw_delete(queryset.db)
    # Accounts go through the ORM: sessions, groups, MFA and allauth rows hang off them (a few only).
    User.objects.filter(email__endswith=DOMAIN).delete()


def reference_data() -> list:
    """Four chambers and five sectors between them, as the options paper has, the bench's own."""
    from network.models import Chamber, Sector

    sectors = []
    for index in range(5):
        chamber, _created = Chamber.objects.get_or_create(
            code=f"{PREFIX}-chamber-{index % 4}",
            defaults={"name": f"Bench consultation chamber {index % 4}", "order": 80 + index % 4},
        )
        sector, _created = Sector.objects.get_or_create(
            code=f"{PREFIX}-sector-{index}",
            defaults={"name": f"Bench consultation sector {index}", "chamber": chamber, "order": 80 + index},
        )
        sectors.append(sector)
    return sectors


def seed_members(count: int, sectors: list, rng: random.Random) -> list:
    """``count`` active members, one organisation per ten, in bulk; returns them with their sector."""
    from django.utils import timezone

    from network.models import Member, Membership, Organisation

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench consultation organisation {n}",
                org_type=rng.choice(Organisation.Type.values),
                country=COUNTRIES[n % len(COUNTRIES)],
                is_fictional=True,
            )
            for n in range(max(1, count // 10))
        ],
        batch_size=2000,
    )
    now = timezone.now()
    today = timezone.localdate()
    members = []
    for start in range(0, count, 2000):
        batch = []
        for n in range(start, min(count, start + 2000)):
            organisation = organisations[n % len(organisations)]
            batch.append(
                Member(
                    full_name=f"Consulted Person {n}",
                    email=f"consulted{n}{DOMAIN}",
                    organisation=organisation,
                    country=organisation.country,
                    sector=sectors[n % len(sectors)],
                    languages=["en"],
                    is_fictional=True,
                )
            )
        Member.objects.bulk_create(batch, batch_size=2000)
        Membership.objects.bulk_create(
            [
                Membership(
                    member=member,
                    status=Membership.Status.ACTIVE,
                    applied_at=now,
                    status_changed_at=now,
                    term_start=today,
                    term_end=today + datetime.timedelta(days=365),
                )
                for member in batch
            ],
            batch_size=2000,
        )
        members.extend(batch)
    return members


def make_consultation(slug: str, *, closes_in: datetime.timedelta):
    """A published consultation for named invitees: 4 sections × 5 options (the third is picked)."""
    from django.utils import timezone

    from governance.consultations.models import Consultation, ConsultationOption, ConsultationSection

    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=slug,
        title=f"Bench options paper ({slug})",
        introduction="Which options do you prefer, and why?",
        audience=Consultation.Audience.INVITEES,
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now + closes_in,
        time_zone="America/New_York",
        reminder_offsets=[7, 1],
        is_published=True,
    )
    for s in range(SECTIONS):
        section = ConsultationSection.objects.create(
            consultation=consultation,
            order=s,
            title=f"Section {s + 1}",
            body="Read the options below. " * 20,
            mode=ConsultationSection.Mode.PICK if s == 2 else ConsultationSection.Mode.RANK,
        )
        ConsultationOption.objects.bulk_create(
            [
                ConsultationOption(
                    section=section,
                    code=chr(ord("A") + o),
                    title=f"Option {chr(ord('A') + o)} of section {s + 1}",
                    description="What this option would do, for whom, at what cost. " * 5,
                    order=o,
                )
                for o in range(OPTIONS)
            ]
        )
    return consultation


def invite(consultation, members: list) -> None:
    from governance.consultations.models import Consultation

    through = Consultation.invitees.through
    through.objects.bulk_create(
        [through(consultation_id=consultation.pk, member_id=member.pk) for member in members], batch_size=5000
    )


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed_responses(consultation, members: list, sectors_by_id: dict, rng: random.Random) -> None:
    """A submitted response per member with rankings, rationale, some unclear flags and proposals."""
    from django.utils import timezone

    from governance.consultations.models import (
        ConsultationSection,
        OptionPreference,
        ProposedOption,
        Response,
        SectionAnswer,
        UnclearFlag,
    )

    sections = list(consultation.sections.order_by("order").prefetch_related("options"))
    options = {section.pk: list(section.options.order_by("order")) for section in sections}
    now = timezone.now()
    for start in range(0, len(members), 2000):
        batch = members[start : start + 2000]
        responses = Response.objects.bulk_create(
            [
                Response(
                    consultation=consultation,
                    member=member,
                    status=Response.Status.SUBMITTED,
                    submitted_at=now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 18)),
                    is_public=rng.random() < 0.2,
                    general_comments=_sentence(rng, 30) if index == 0 or rng.random() < 0.2 else "",
                    chamber_id=sectors_by_id[member.sector_id].chamber_id,
                    sector_id=member.sector_id,
                    country=member.country,
                    org_type=member.organisation.org_type if member.organisation else "",
                )
                for index, member in enumerate(batch)
            ],
            batch_size=2000,
        )
        answers, preferences, flags, proposals = [], [], [], []
        for index, response in enumerate(responses):
            # The first of each batch says everything, so every kind of text exists from the start.
            full = index == 0
            for section in sections:
                if not full and rng.random() < 0.05:
                    continue  # some leave a section out
                choices = options[section.pk]
                if section.mode == ConsultationSection.Mode.PICK:
                    picked = rng.sample(choices, rng.randint(1, 2))
                    ranks = [(option, 1) for option in picked]
                else:
                    picked = rng.sample(choices, rng.randint(1, 4))
                    ranks = [(option, rank) for rank, option in enumerate(picked, start=1)]
                preferences.extend(
                    OptionPreference(response=response, option=option, section=section, rank=rank)
                    for option, rank in ranks
                )
                answers.append(
                    SectionAnswer(response=response, section=section, rationale=_sentence(rng, 35))
                )
                if full or rng.random() < 0.05:
                    flags.append(
                        UnclearFlag(response=response, option=rng.choice(choices), text=_sentence(rng, 15))
                    )
                if full or rng.random() < 0.02:
                    proposals.append(
                        ProposedOption(
                            response=response,
                            section=section,
                            title=_sentence(rng, 4),
                            description=_sentence(rng, 25),
                        )
                    )
        SectionAnswer.objects.bulk_create(answers, batch_size=5000)
        OptionPreference.objects.bulk_create(preferences, batch_size=5000)
        UnclearFlag.objects.bulk_create(flags, batch_size=5000)
        ProposedOption.objects.bulk_create(proposals, batch_size=5000)


def accounts(respondent_member):
    """A committee member's account (with TOTP) and the account of an invitee who has not responded yet."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from casm import roles
    from network.models import Member, User

    committee = User.objects.create_user(email=COMMITTEE_EMAIL, password="bench")
    committee.groups.add(Group.objects.get(name=roles.COMMITTEE))
    TOTP.activate(committee, generate_totp_secret())  # reading individual responses needs a second factor
    respondent = User.objects.create_user(email=RESPONDENT_EMAIL, password="bench")
    Member.objects.filter(pk=respondent_member.pk).update(user=respondent)
    return committee, respondent


def seeded_models() -> list:
    """The models whose tables the seeding fills in bulk (see bench._common.refresh_statistics)."""
    from governance.consultations.models import (
        Consultation,
        OptionPreference,
        ProposedOption,
        Response,
        SectionAnswer,
        UnclearFlag,
    )
    from network.models import Member, Membership, Organisation

    answers = [Response, OptionPreference, SectionAnswer, UnclearFlag, ProposedOption]
    return [*answers, Consultation.invitees.through, Member, Membership, Organisation]


# ---------------------------------------------------------------- measures


def time_export(server, path: str, cookies: dict, repeats: int) -> tuple[list[float], int, int]:
    """Seconds of full streamed downloads of the export, its status and size in bytes."""
    seconds, size, status = [], 0, 0
    for _ in range(repeats):
        status, elapsed, size = server.get(path, cookies)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}; see {server.log_path}")
        seconds.append(elapsed)
    return seconds, status, size


def time_enqueue(consultation) -> tuple[float, int, int]:
    """Seconds to queue the due reminders (published to the in-memory broker), people and batches."""
    from casm.celery import app
    from governance.consultations.services import reminders

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # publish the batches, do not run them here
    batches = []

    def dispatch(consultation_id, offset, member_ids):
        reminders._queue_batch(consultation_id, offset, member_ids)
        batches.append(len(member_ids))

    try:
        start = time.perf_counter()
        queued = reminders.reminders_enqueue(consultation=consultation, dispatch=dispatch)
        seconds = time.perf_counter() - start
    finally:
        app.conf.task_always_eager = eager
    return seconds, queued, len(batches)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument("--responses", type=int, help="responses to seed (default 10,000; quick 500)")
    parser.add_argument("--invitees", type=int, help="invitees to remind (default 10,000; quick 1,000)")
    parser.add_argument("--requests", type=int, help="timed requests per page (default 100; quick 15)")
    parser.add_argument("--keep", action="store_true", help="leave the seeded rows in place at the end")
    args = parser.parse_args(argv)
    responses = args.responses or (500 if args.quick else 10_000)
    invitees = args.invitees or (1_000 if args.quick else 10_000)
    requests = args.requests or (15 if args.quick else 100)

    vendor = setup_django()
    try:
        return run(vendor, responses=responses, invitees=invitees, requests=requests, keep=args.keep)
    finally:
        cleanup()


def run(vendor: str, *, responses: int, invitees: int, requests: int, keep: bool = False) -> int:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    report = Report()
    rng = random.Random(2010)
    print(
        f"# consultation benchmark on {vendor}: {SECTIONS} sections × {OPTIONS} options, "
        f"{responses:,} responses, {invitees:,} invitees to remind, {requests} requests a page"
    )

    clear_bench_rows()
    sectors = reference_data()
    sectors_by_id = {sector.pk: sector for sector in sectors}
    start = time.perf_counter()
    members = seed_members(max(responses, invitees) + 1, sectors, rng)
    respondent_member, members = members[-1], members[:-1]
    analysed = make_consultation(f"{PREFIX}-analysis", closes_in=datetime.timedelta(days=30))
    reminded = make_consultation(f"{PREFIX}-reminders", closes_in=datetime.timedelta(hours=12))
    invite(analysed, [*members[:responses], respondent_member])
    invite(reminded, members[:invitees])
    committee, respondent = accounts(respondent_member)
    first_step = max(10, responses // 100)
    seed_responses(analysed, members[:first_step], sectors_by_id, rng)

    committee_client = Client()
    committee_client.force_login(committee)
    respondent_client = Client()
    respondent_client.force_login(respondent)
    analysis_path = reverse("consultations:consultation_analysis", args=[analysed.slug])
    export_path = reverse("consultations:consultation_export", args=[analysed.slug])
    try:
        respond_path = reverse("consultations:consultation_respond", args=[analysed.slug])
    except NoReverseMatch:
        respond_path = None
        print("# consultations:consultation_respond does not exist yet: the response form is not measured")
    pages = {"analysis": (analysis_path, committee_client)}
    if respond_path:
        pages["response_form"] = (respond_path, respondent_client)
    queries_few = {name: count_queries(client, path) for name, (path, client) in pages.items()}

    seed_responses(analysed, members[first_step:responses], sectors_by_id, rng)
    refresh_statistics(seeded_models())
    report.figure("seed_seconds", time.perf_counter() - start, "s")
    report.figure("responses_seeded", responses, "responses")
    queries_all = {name: count_queries(client, path) for name, (path, client) in pages.items()}

    cookies = {name: browser_cookies(client, path) for name, (path, client) in pages.items()}
    # The logged-in floor is requested as the respondent (as the committee member without the form).
    floor_viewer = "response_form" if "response_form" in pages else "analysis"
    floor_queries = {
        "public_floor": count_queries(Client(), PUBLIC_FLOOR_PATH),
        "logged_in_floor": count_queries(pages[floor_viewer][1], LOGGED_IN_FLOOR_PATH),
    }
    timed = {
        "public_floor": (PUBLIC_FLOOR_PATH, {}),
        "logged_in_floor": (LOGGED_IN_FLOOR_PATH, cookies[floor_viewer]),
        **{name: (path, cookies[name]) for name, (path, _c) in pages.items()},
    }
    with gunicorn() as server:
        times = time_pages(server, timed, requests=requests)
        server.get(export_path, cookies["analysis"])  # warm
        export_times, _status, export_bytes = time_export(server, export_path, cookies["analysis"], repeats=3)

    floors = report_floors(report, times, floor_queries)
    for name in pages:
        median = percentile(times[name], 50) * 1000
        report.figure(f"{name}_median_ms", median, "ms")
        report.figure(f"{name}_p95_ms", percentile(times[name], 95) * 1000, "ms")
        report.figure(f"{name}_queries", queries_all[name], "queries")
        report.figure(f"{name}_logged_in_floor_ratio", median / floors["logged_in_floor"], "x")
        report.target(
            queries_all[name] == queries_few[name],
            f"{name} queries {queries_few[name]} with {first_step:,} responses and {queries_all[name]} with "
            f"{responses:,} (must not grow)",
        )
    analysis_median = percentile(times["analysis"], 50) * 1000
    report.target(
        analysis_median < ANALYSIS_MEDIAN_TARGET_MS,
        f"analysis median {analysis_median:.1f} ms < {ANALYSIS_MEDIAN_TARGET_MS:.0f} ms "
        f"at {responses:,} responses",
    )

    export_seconds = percentile(export_times, 50)
    rows = responses * SECTIONS
    report.figure("export_seconds", export_seconds, "s")
    report.figure("export_rows", rows, "rows")
    report.figure("export_megabytes", export_bytes / 1_000_000, "MB")
    export_limit = EXPORT_TARGET_SECONDS_PER_10K * max(responses, 10_000) / 10_000
    report.target(
        export_seconds < export_limit,
        f"CSV export of {responses:,} responses streamed in {export_seconds:.2f} s "
        f"(limit {export_limit:.1f} s)",
    )

    try:
        from governance.consultations.services.reminders import reminders_enqueue  # noqa: F401 - is it there?
    except ImportError:
        print("# reminders_enqueue does not exist yet: reminders not measured")
    else:
        seconds, queued, batches = time_enqueue(reminded)
        report.figure("reminders_enqueue_seconds", seconds, "s")
        report.figure("reminders_queued", queued, "people")
        report.figure("reminders_batches", batches, "tasks")
        report.target(queued == invitees, f"reminders queued for {queued:,} of {invitees:,} invitees")

    if not keep:
        clear_bench_rows()
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
