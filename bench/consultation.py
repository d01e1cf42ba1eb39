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
from bench._seed import (  # noqa: E402
    OPTIONS,
    SECTIONS,
    BenchNames,
    accounts,
    clear_bench_rows,
    invite,
    make_consultation,
    reference_data,
    seed_members,
    seed_responses,
    seeded_models,
)

DOMAIN = "@bench-consultation.invalid"
PREFIX = "bench-consultation"
NAMES = BenchNames(domain=DOMAIN, prefix=PREFIX, label="Bench consultation")
ANALYSIS_MEDIAN_TARGET_MS = 300.0
EXPORT_TARGET_SECONDS_PER_10K = 5.0


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

    clear_bench_rows(NAMES)
    sectors = reference_data(NAMES)
    sectors_by_id = {sector.pk: sector for sector in sectors}
    start = time.perf_counter()
    members = seed_members(NAMES, max(responses, invitees) + 1, sectors, rng)
    respondent_member, members = members[-1], members[:-1]
    analysed = make_consultation(f"{PREFIX}-analysis", closes_in=datetime.timedelta(days=30))
    reminded = make_consultation(f"{PREFIX}-reminders", closes_in=datetime.timedelta(hours=12))
    invite(analysed, [*members[:responses], respondent_member])
    invite(reminded, members[:invitees])
    committee, respondent = accounts(NAMES, respondent_member)
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
        clear_bench_rows(NAMES)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
