"""Members benchmark: CSV import time, and the home page and staff directory against their floors.

    python bench/members.py            # 20,000 members, an import of 10,000 rows, 200 requests a page
    python bench/members.py --quick    # small enough for CI (a few seconds)

Uses the database of DATABASE_URL (PostgreSQL for figures that mean something), or a new SQLite
file when it is unset. Its own rows (addresses @bench.invalid, organisations named "Bench …")
are removed before seeding, nothing else. Pages are timed through a live gunicorn server, each
against the floor of its kind (bench/urls.py): the home page against the public floor (a bare
view through the same middleware), the staff directories against the logged-in floor (the same
behind login, with the staff member's session: session, account, one trivial query).
"""

import argparse
import csv
import io
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

DOMAIN = "@bench.invalid"
STAFF_EMAIL = f"staff{DOMAIN}"
COUNTRIES = ["GH", "ML", "BF", "CD", "TZ", "PE", "CO", "BO", "MN", "PH", "ID", "ZM"]
IMPORT_TARGET_SECONDS_PER_10K = 15.0
PAGE_MEDIAN_TARGET_MS = 100.0
FLOOR_RATIO_TARGET = 3.0


def clear_bench_rows() -> None:
    """Remove what an earlier run of this benchmark left in the database (only its own rows)."""
    from network.models import Member, Membership, Organisation

    members = Member.objects.filter(email__endswith=DOMAIN)
    member_ids = members.values("pk")
    for queryset in (
        Membership.history.model.objects.filter(member_id__in=member_ids),
        Membership.objects.filter(member_id__in=member_ids),
        Member.history.model.objects.filter(email__endswith=DOMAIN),
        members,
        Organisation.history.model.objects.filter(name__startswith="Bench "),
        Organisation.objects.filter(name__startswith="Bench "),
    ):
        queryset._raw_delete(queryset.db)  # no signals or history: these rows are the benchmark's own


def reference_data() -> list:
    """Four chambers with five sectors between them (as the options paper has), the bench's own."""
    from network.models import Chamber, Sector

    sectors = []
    for index in range(5):
        chamber, _created = Chamber.objects.get_or_create(
            code=f"bench-chamber-{index % 4}", defaults={"name": f"Bench chamber {index % 4}", "order": 90}
        )
        sector, _created = Sector.objects.get_or_create(
            code=f"bench-sector-{index}",
            defaults={"name": f"Bench sector {index}", "chamber": chamber, "order": 90 + index},
        )
        sectors.append(sector)
    return sectors


def seeded_models() -> list:
    """The models whose tables the seeding and the import fill in bulk (bench._common.refresh_statistics)."""
    from network.models import Member, Membership, Organisation

    return [Member, Membership, Organisation]


def staff_user():
    from network.models import User
    from tests.network.factories import make_staff

    return User.objects.filter(email=STAFF_EMAIL).first() or make_staff(email=STAFF_EMAIL)


def seed(count: int, sectors: list, rng: random.Random) -> None:
    """``count`` members with memberships and one organisation per ten, in bulk (not what is measured)."""
    import datetime

    from django.utils import timezone

    from network.models import FeeTier, Member, Membership, Organisation

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench organisation {n}",
                org_type=rng.choice(Organisation.Type.values),
                country=COUNTRIES[n % len(COUNTRIES)],
                size=rng.choice(Organisation.Size.values),
                is_fictional=True,
            )
            for n in range(max(1, count // 10))
        ],
        batch_size=2000,
    )
    now = timezone.now()
    today = timezone.localdate()
    statuses = [Membership.Status.ACTIVE] * 8 + [Membership.Status.APPLIED, Membership.Status.LAPSED]
    for start in range(0, count, 2000):
        members = []
        for n in range(start, min(count, start + 2000)):
            organisation = organisations[n % len(organisations)]
            members.append(
                Member(
                    full_name=f"Seeded Person {n}",
                    email=f"seed{n}{DOMAIN}",
                    organisation=organisation,
                    country=organisation.country,
                    sector=sectors[n % len(sectors)],
                    languages=rng.choice([["en"], ["fr"], ["en", "fr"], ["es"], ["pt", "en"]]),
                    role=rng.choice(["", "Chair", "Member", "Treasurer"]),
                    listed_in_directory=n % 2 == 0,
                    is_fictional=True,
                )
            )
        Member.objects.bulk_create(members, batch_size=2000)
        memberships = []
        for member in members:
            status = rng.choice(statuses)
            memberships.append(
                Membership(
                    member=member,
                    status=status,
                    applied_at=now,
                    status_changed_at=now,
                    term_start=today if status != Membership.Status.APPLIED else None,
                    term_end=today + datetime.timedelta(days=365)
                    if status != Membership.Status.APPLIED
                    else None,
                    fee_tier=rng.choice(FeeTier.values),
                )
            )
        Membership.objects.bulk_create(memberships, batch_size=2000)


def import_file(rows: int, sectors: list, rng: random.Random) -> bytes:
    from network.imports.reading import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for n in range(rows):
        writer.writerow(
            [
                f"import{n}{DOMAIN}",
                f"Imported Person {n}",
                f"Bench import organisation {n % max(1, rows // 10)}",
                "miners_group",
                "micro",
                COUNTRIES[n % len(COUNTRIES)],
                sectors[n % len(sectors)].code,
                "",
                rng.choice(["en", "fr", "en;fr", "es", "pt"]),
                rng.choice(["", "Chair", "Member"]),
                "",
                rng.choice(["yes", "no"]),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def run_import(actor, content: bytes, name: str):
    """Create the job; its task runs in-process when the upload's transaction commits (eager)."""
    from network.imports.services import import_job_create
    from network.models import ImportJob

    start = time.perf_counter()
    job = import_job_create(actor=actor, filename=name, raw_bytes=content)
    seconds = time.perf_counter() - start
    job = ImportJob.objects.get(pk=job.pk)
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"the import did not succeed: {job.status} {job.errors[:5]}")
    return job, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument("--members", type=int, help="members to seed (default 20,000; quick 1,000)")
    parser.add_argument("--import-rows", type=int, help="rows of the import (default 10,000; quick 1,000)")
    parser.add_argument("--requests", type=int, help="timed requests per page (default 200; quick 30)")
    args = parser.parse_args(argv)
    members = args.members or (1_000 if args.quick else 20_000)
    import_rows = args.import_rows or (1_000 if args.quick else 10_000)
    requests = args.requests or (30 if args.quick else 200)

    vendor = setup_django()
    try:
        return run(vendor, members=members, import_rows=import_rows, requests=requests)
    finally:
        cleanup()


def run(vendor: str, *, members: int, import_rows: int, requests: int) -> int:
    from django.test import Client
    from django.urls import reverse

    report = Report()
    rng = random.Random(2010)
    print(
        f"# members benchmark on {vendor}: {members:,} members seeded, import of {import_rows:,} rows, "
        f"{requests} requests a page"
    )

    clear_bench_rows()
    sectors = reference_data()
    staff = staff_user()
    start = time.perf_counter()
    seed(members, sectors, rng)
    refresh_statistics(seeded_models())
    report.figure("seed_seconds", time.perf_counter() - start, "s")
    report.figure("members_seeded", members, "members")

    staff_client = Client()
    staff_client.force_login(staff)
    visitor = Client()
    directory = reverse("network:staff_directory")
    staff_cookies = browser_cookies(staff_client, directory)
    # name: (path, client, cookies, the floor it is compared with)
    pages = {
        "home": (reverse("network:home"), visitor, {}, "public_floor"),
        "staff_directory": (directory, staff_client, staff_cookies, "logged_in_floor"),
        "staff_directory_filtered": (
            f"{directory}?country=GH&status=active",
            staff_client,
            staff_cookies,
            "logged_in_floor",
        ),
    }
    queries_before = {name: count_queries(client, path) for name, (path, client, *_rest) in pages.items()}

    content = import_file(import_rows, sectors, rng)
    job, seconds = run_import(staff, content, "bench-import.csv")
    report.figure("import_rows", job.created_count, "rows")
    report.figure("import_seconds", seconds, "s")
    report.figure("import_rows_per_second", round(job.created_count / seconds), "rows/s")
    again, again_seconds = run_import(staff, content, "bench-import-again.csv")
    report.figure("reimport_unchanged_rows", again.unchanged_count, "rows")
    report.figure("reimport_seconds", again_seconds, "s")
    import_limit = IMPORT_TARGET_SECONDS_PER_10K * import_rows / 10_000
    report.target(
        seconds < import_limit and job.created_count == import_rows,
        f"import of {import_rows:,} rows in {seconds:.2f} s (limit {import_limit:.1f} s)",
    )
    report.target(
        again.unchanged_count == import_rows and again.created_count == 0,
        f"re-import of the same file: {again.created_count} created, {again.unchanged_count:,} unchanged",
    )

    refresh_statistics(seeded_models())
    queries_after = {name: count_queries(client, path) for name, (path, client, *_rest) in pages.items()}
    floor_queries = {
        "public_floor": count_queries(visitor, PUBLIC_FLOOR_PATH),
        "logged_in_floor": count_queries(staff_client, LOGGED_IN_FLOOR_PATH),
    }
    timed = {
        "public_floor": (PUBLIC_FLOOR_PATH, {}),
        "logged_in_floor": (LOGGED_IN_FLOOR_PATH, staff_cookies),
        **{name: (path, cookies) for name, (path, _client, cookies, _floor) in pages.items()},
    }
    with gunicorn() as server:
        times = time_pages(server, timed, requests=requests)

    floors = report_floors(report, times, floor_queries)
    for name, (_path, _client, _cookies, floor) in pages.items():
        median = percentile(times[name], 50) * 1000
        ratio = median / floors[floor]
        report.figure(f"{name}_median_ms", median, "ms")
        report.figure(f"{name}_p95_ms", percentile(times[name], 95) * 1000, "ms")
        report.figure(f"{name}_queries", queries_after[name], "queries")
        report.figure(f"{name}_{floor}_ratio", ratio, "x")
        report.target(
            median < PAGE_MEDIAN_TARGET_MS, f"{name} median {median:.1f} ms < {PAGE_MEDIAN_TARGET_MS:.0f} ms"
        )
        report.target(
            ratio <= FLOOR_RATIO_TARGET,
            f"{name} median {ratio:.2f}× the {floor.replace('_', ' ')} ≤ {FLOOR_RATIO_TARGET:.0f}×",
        )
        report.target(
            queries_after[name] == queries_before[name],
            f"{name} queries {queries_before[name]} with {members:,} members and {queries_after[name]} with "
            f"{members + import_rows:,} (must not grow)",
        )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
