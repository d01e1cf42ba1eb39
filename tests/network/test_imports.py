"""Member CSV import (all-or-nothing, idempotent, with progress) and the CSV export."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.imports import progress, writing
from network.imports import rows as row_checks
from network.imports.reading import COLUMNS
from network.imports.services import import_job_create, import_job_run
from network.models import FeeTier, ImportJob, Member, Membership, Organisation
from tests.network.factories import (
    CountryIncomeGroupFactory,
    MeansTestRuleFactory,
    MemberFactory,
    OrganisationFactory,
    SubChamberFactory,
)
from tests.network.staff_factories import assert_staff_only

pytestmark = pytest.mark.django_db
Status = Membership.Status


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """The import task runs in this process, also when REDIS_URL is set (the worker test covers Redis)."""
    from casm.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def row(**values) -> dict:
    base = {
        "email": "ama@example.org",
        "full_name": "Ama Mensah",
        "organisation": "Tarkwa Miners Association",
        "organisation_type": "miners_group",
        "organisation_size": "micro",
        "country": "GH",
        "sector": "civil-society",
        "sub_chamber": "",
        "languages": "en;fr",
        "role": "Chair",
        "status": "",
        "listed": "yes",
    }
    base.update(values)
    return base


def csv_bytes(*rows: dict, columns=None, delimiter=",", bom=False) -> bytes:
    columns = columns or COLUMNS
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(name, "") for name in columns])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def three_rows(**middle) -> bytes:
    return csv_bytes(
        row(),
        row(
            email="Kofi@Example.org",
            full_name="Kofi Boateng",
            organisation="tarkwa miners association",
            **middle,
        ),
        row(
            email="ines@example.org",
            full_name="Inês Costa",
            organisation="",
            organisation_type="",
            organisation_size="",
            country="Mozambique",
            languages="pt",
            role="",
            listed="no",
        ),
    )


def upload(client, content: bytes, name="members.csv", capture=None):
    """Post a file to the upload page; with ``capture`` the import runs (eagerly) on commit."""
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if capture is None:
        return client.post(reverse("network:staff_import_new"), data)
    with capture(execute=True):
        return client.post(reverse("network:staff_import_new"), data)


def run_file(staff_user, content: bytes, name="members.csv") -> ImportJob:
    job = import_job_create(actor=staff_user, filename=name, raw_bytes=content)
    return import_job_run(job_id=job.pk)


def form_errors(response) -> str:
    return " ".join(response.context["form"].errors["file"])


# ---------------------------------------------------------------- a good file


def test_import_of_a_good_file_creates_members_memberships_and_one_organisation(
    staff_client, staff_user, sector, django_capture_on_commit_callbacks
):
    CountryIncomeGroupFactory(country="GH", group="low")
    rule = MeansTestRuleFactory(org_type="miners_group", income_group="low", tier=FeeTier.NO_FEE)

    response = upload(staff_client, three_rows(), capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("done", 3, 0, 0)
    assert Member.objects.count() == 3
    assert Organisation.objects.count() == 1  # the same name in another case is the same organisation
    kofi = Member.objects.get(email="kofi@example.org")
    assert kofi.organisation.name == "Tarkwa Miners Association"
    assert kofi.languages == ["en", "fr"] and kofi.listed_in_directory
    assert (kofi.membership.status, kofi.membership.fee_tier, kofi.membership.fee_rule) == (
        Status.ACTIVE,
        FeeTier.NO_FEE,
        rule,
    )
    assert kofi.membership.term_end is not None
    ines = Member.objects.get(email="ines@example.org")
    assert (ines.country.code, ines.organisation, ines.languages, ines.listed_in_directory) == (
        "MZ",
        None,
        ["pt"],
        False,
    )
    assert ines.membership.fee_tier == FeeTier.STANDARD
    page = staff_client.get(job.get_absolute_url()).content.decode()
    assert "New members" in page and "<progress" not in page and 'http-equiv="refresh"' not in page


def test_import_accepts_bom_semicolons_names_and_optional_columns_left_out(staff_user, sector):
    sub = SubChamberFactory(chamber=sector.chamber, code="north", name="North")
    columns = ["Email", "Full Name", "country", "sector", "sub_chamber", "status"]
    content = csv_bytes(
        {
            "Email": "a@example.org",
            "Full Name": "A B",
            "country": "ghana",
            "sector": "Civil society",
            "sub_chamber": "North",
            "status": "Applied",
        },
        columns=columns,
        delimiter=";",
        bom=True,
    )

    job = run_file(staff_user, content)

    assert job.status == ImportJob.Status.DONE, job.errors
    member = Member.objects.get()
    assert (member.country.code, member.sector, member.sub_chamber, member.membership.status) == (
        "GH",
        sector,
        sub,
        Status.APPLIED,
    )


# ---------------------------------------------------------------- bad rows: nothing imported


def test_one_bad_row_in_the_middle_imports_nothing_and_the_page_names_it(
    staff_client, sector, django_capture_on_commit_callbacks
):
    response = upload(
        staff_client, three_rows(sector="gold-panning"), capture=django_capture_on_commit_callbacks
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [{"line": 3, "column": "sector", "reason": "Unknown sector “gold-panning”."}]
    assert Member.objects.count() == 0 and Membership.objects.count() == 0
    assert Organisation.objects.count() == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page
    assert "<td>3</td>" in page and "Unknown sector “gold-panning”." in page


def test_every_bad_row_is_listed_with_its_line_and_reason(staff_user, sector):
    content = csv_bytes(
        row(email="not-an-address"),
        row(email="ok@example.org"),
        row(email="OK@example.org", full_name="Twice"),
        row(email="c@example.org", country="Atlantis", organisation_type="bank"),
        row(email="d@example.org", status="emperor", listed="maybe", languages="en;xx"),
        row(email="e@example.org", full_name=""),
    )

    job = run_file(staff_user, content)

    assert job.status == ImportJob.Status.FAILED
    found = [(error["line"], error["column"]) for error in job.errors]
    assert found == [
        (2, "email"),
        (4, "email"),
        (5, "country"),
        (5, "organisation_type"),
        (6, "languages"),
        (6, "status"),
        (6, "listed"),
        (7, "full_name"),
    ]
    assert "ok@example.org is already on line 3" in job.errors[1]["reason"]
    assert Member.objects.count() == 0


def test_a_row_with_the_wrong_number_of_values_is_a_bad_row(staff_user, sector):
    content = csv_bytes(row()) + b"x@example.org,Only two\n"

    job = run_file(staff_user, content)

    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["line"] == 3 and "2 values" in job.errors[0]["reason"]
    assert Member.objects.count() == 0


def test_a_status_change_staff_could_not_make_refuses_the_file(staff_user, sector):
    applicant = MemberFactory(sector=sector, status=Status.APPLIED)
    content = csv_bytes(row(), row(email=applicant.email, status="lapsed"))

    job = run_file(staff_user, content)

    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["line"] == 3 and "cannot become lapsed" in job.errors[0]["reason"]
    assert not Member.objects.filter(email="ama@example.org").exists()


# ---------------------------------------------------------------- re-import


def test_reimporting_the_same_file_creates_no_duplicates_and_counts_unchanged(staff_user, sector):
    first = run_file(staff_user, three_rows())
    history_rows = Member.history.count() + Membership.history.count()

    second = run_file(staff_user, three_rows())

    assert (first.created_count, second.created_count) == (3, 0)
    assert (second.status, second.updated_count, second.unchanged_count) == ("done", 0, 3)
    assert Member.objects.count() == 3 and Membership.objects.count() == 3
    assert Organisation.objects.count() == 1
    assert Member.history.count() + Membership.history.count() == history_rows


def test_reimport_updates_only_the_changed_rows_with_history(staff_user, sector):
    run_file(staff_user, three_rows())

    job = run_file(staff_user, three_rows(role="Treasurer", status="suspended"), name="fix.csv")

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    kofi = Member.objects.get(email="kofi@example.org")
    assert kofi.role == "Treasurer" and kofi.membership.status == Status.SUSPENDED
    assert kofi.membership.status_reason == "Imported from fix.csv"
    latest = kofi.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        staff_user,
        "Imported from fix.csv",
    )
    assert Member.objects.get(email="ama@example.org").history.count() == 1


def test_history_rows_name_the_staff_member_and_the_file(staff_user, sector):
    run_file(staff_user, three_rows(), name="march.csv")

    for model in (Member, Membership, Organisation):
        records = model.history.all()
        assert records.count() >= 1
        assert {(r.history_type, r.history_user_id, r.history_change_reason) for r in records} == {
            ("+", staff_user.pk, "Imported from march.csv")
        }


def test_running_a_finished_job_again_changes_nothing(staff_user, sector):
    job = run_file(staff_user, three_rows())

    assert import_job_run(job_id=job.pk) is None
    assert Member.objects.count() == 3


def test_import_queries_do_not_grow_with_the_number_of_rows(staff_user, sector):
    """Per run: job claim and reads, reference data, existing members and organisations, then one bulk
    insert per table and batch, progress updates and the job's result: the same for 5 rows and 40
    (SQLite splits bulk inserts above 999 parameters, so the larger file stays under that)."""

    def queries_for(count: int, prefix: str) -> int:
        rows = [row(email=f"{prefix}{n}@example.org", organisation=f"{prefix} org {n}") for n in range(count)]
        job = import_job_create(actor=staff_user, filename="x.csv", raw_bytes=csv_bytes(*rows))
        with CaptureQueriesContext(connection) as queries:
            import_job_run(job_id=job.pk)
        assert ImportJob.objects.get(pk=job.pk).created_count == count
        return len(queries)

    assert queries_for(5, "small") == queries_for(40, "large")


# ---------------------------------------------------------------- files that cannot be read


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(staff_client, sector):
    content = "email,full_name,country,sector\njose@example.org,José,GH,civil-society\n".encode("latin-1")

    response = upload(staff_client, content)

    assert response.status_code == 200
    assert "not UTF-8" in form_errors(response) and "CSV UTF-8" in form_errors(response)
    assert ImportJob.objects.count() == 0 and Member.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        (b"PK\x03\x04\x00\x00\x00\x00", "binary data"),
        (b"Dear secretariat,\nplease add my cousin.\n", "header row is not that of a member import"),
        (b"email,full_name,country\na@example.org,A,GH\n", "missing columns: sector"),
        (b"email,full_name,country,sector,organisaton\n", "unknown columns: organisaton"),
        (b'email,full_name,country,sector\na@example.org,"A "B,GH,x\n', "not valid CSV: line 2"),
        (b"", "file is empty."),
        (b"  \n\n", "The file is empty."),
        (b"email,full_name,country,sector\n\n", "header row but no members"),
    ],
)
def test_a_file_that_is_not_a_member_csv_is_refused_with_a_clear_message(
    staff_client, sector, content, expected
):
    response = upload(staff_client, content)

    assert response.status_code == 200
    assert expected in form_errors(response)
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(staff_client, monkeypatch):
    monkeypatch.setattr("network.forms.imports.MAX_UPLOAD_BYTES", 100)

    response = upload(staff_client, csv_bytes(row(), row(email="b@example.org")))

    assert "at most 100" in form_errors(response)
    assert ImportJob.objects.count() == 0


def test_the_upload_page_documents_the_columns_and_offers_the_template(staff_client, sector):
    page = staff_client.get(reverse("network:staff_import_new")).content.decode()
    for column in COLUMNS:
        assert f"<code>{column}</code>" in page
    assert "civil-society" in page

    template = staff_client.get(reverse("network:staff_import_template"))

    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode().strip() == ",".join(COLUMNS)


# ---------------------------------------------------------------- export


def export(client, query: str = "") -> bytes:
    response = client.get(reverse("network:staff_export") + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_export_then_reimport_is_unchanged(staff_client, staff_user, sector):
    sub = SubChamberFactory(chamber=sector.chamber, code="south")
    MemberFactory(sector=sector, languages=["fr", "en"], role="=HYPERLINK(1)", sub_chamber=sub)
    MemberFactory(sector=sector, organisation=None, listed_in_directory=False)
    MemberFactory(sector=sector, status=Status.SUSPENDED)

    content = export(staff_client)

    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "'=HYPERLINK(1)" in text  # a spreadsheet does not run it as a formula
    job = run_file(staff_user, content, name="export.csv")
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("done", 0, 0, 3)


def test_export_follows_the_staff_directory_filters(staff_client, sector):
    MemberFactory(sector=sector, country="GH", full_name="Ghana Person")
    MemberFactory(sector=sector, country="ML", full_name="Mali Person")

    text = export(staff_client, "?country=ML").decode("utf-8-sig")

    assert "Mali Person" in text and "Ghana Person" not in text


# ---------------------------------------------------------------- who may, and the pages


@pytest.mark.parametrize(
    "name",
    [
        "network:staff_imports",
        "network:staff_import_new",
        "network:staff_import_template",
        "network:staff_export",
    ],
)
def test_import_and_export_pages_are_for_staff_with_mfa(role_clients, name):
    assert_staff_only(role_clients, "get", reverse(name))


def test_uploads_and_import_pages_are_refused_to_others(role_clients, staff_user, sector):
    job = import_job_create(actor=staff_user, filename="a.csv", raw_bytes=three_rows())
    assert_staff_only(role_clients, "get", job.get_absolute_url())
    assert_staff_only(
        role_clients,
        "post",
        reverse("network:staff_import_new"),
        {"file": SimpleUploadedFile("m.csv", three_rows())},
    )
    assert ImportJob.objects.count() == 1


def test_only_staff_may_create_an_import(member, sector):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_job_create(actor=member.user, filename="a.csv", raw_bytes=three_rows())


def test_progress_page_of_a_running_job_shows_checked_rows_and_refreshes(staff_client, staff_user):
    job = ImportJob.objects.create(
        created_by=staff_user,
        filename="big.csv",
        content="",
        status="running",
        total_rows=10,
        processed_rows=4,
    )

    page = staff_client.get(job.get_absolute_url()).content.decode()

    # Brought up to date by a script in place (no reload that loses the reader's place); by a meta
    # refresh only where scripts do not run (a meta refresh is an axe-core "meta-refresh" violation).
    assert "casm/import-progress.js" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'max="100" value="20"' in page and "checking rows, 4 of 10" in page


def test_progress_page_shows_the_writing_phase_published_through_the_cache(staff_client, staff_user):
    """Phase 2 writes in one transaction, so the job row cannot show its progress: the cache does."""
    job = ImportJob.objects.create(
        created_by=staff_user,
        filename="big.csv",
        content="",
        status="running",
        total_rows=10,
        processed_rows=10,
    )
    cache.set(progress.progress_key(job.pk), {"phase": "writing", "done": 6})

    page = staff_client.get(job.get_absolute_url()).content.decode()

    assert 'value="80"' in page and "saving rows, 6 of 10" in page


def test_a_pending_job_waits_for_a_worker(staff_client, staff_user, sector):
    job = import_job_create(actor=staff_user, filename="a.csv", raw_bytes=three_rows())

    page = staff_client.get(job.get_absolute_url()).content.decode()

    assert job.status == ImportJob.Status.PENDING
    assert "Waiting for a worker" in page and 'value="0"' in page


def test_import_list_shows_recent_jobs_with_their_result(staff_client, staff_user, sector):
    run_file(staff_user, three_rows(), name="good.csv")
    run_file(staff_user, three_rows(sector="nope"), name="bad.csv")

    page = staff_client.get(reverse("network:staff_imports")).content.decode()

    assert "good.csv" in page and "bad.csv" in page
    assert "3 created, 0 updated, 0 unchanged" in page and "Nothing imported" in page


def test_progress_is_published_while_rows_are_checked_and_written(staff_user, sector, monkeypatch):
    seen = []
    real = progress.publisher

    def spy(job):
        publish = real(job)

        def wrapped(phase, done):
            publish(phase, done)
            seen.append((phase, done, ImportJob.objects.get(pk=job.pk).processed_rows))

        return wrapped

    monkeypatch.setattr(row_checks, "BATCH_SIZE", 2)
    monkeypatch.setattr(writing, "BATCH_SIZE", 2)
    monkeypatch.setattr("network.imports.services.publisher", spy)

    run_file(staff_user, three_rows())

    assert seen == [
        ("checking", 2, 2),
        ("checking", 3, 3),
        ("writing", 2, 3),
        ("writing", 3, 3),
    ]
    assert cache.get(progress.progress_key(ImportJob.objects.get().pk)) is None


def test_existing_organisation_is_reused(staff_user, sector):
    organisation = OrganisationFactory(name="Tarkwa Miners Association", country="GH")

    run_file(staff_user, three_rows())

    assert Organisation.objects.count() == 1
    assert Member.objects.get(email="ama@example.org").organisation == organisation


def test_export_queries_do_not_grow_with_the_number_of_members(staff_client, sector):
    """The viewer's session, account, groups and MFA check, the filter's options, then the members with
    their organisation, sector, sub-chamber and membership joined, read in chunks of 2,000."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(staff_client)
        return len(captured)

    MemberFactory(sector=sector)
    one = queries()
    for _ in range(20):
        MemberFactory(sector=sector)

    assert queries() == one


# ---------------------------------------------------------------- the member's rules, as on every path


def test_an_import_that_activates_an_applicant_closes_the_information_request(staff_user, sector):
    """Activation starts the term the one way (membership_term_start), which closes the question."""
    applicant = MemberFactory(sector=sector, status=Status.APPLIED)
    Membership.objects.filter(member=applicant).update(information_request="Which mine site?")

    job = run_file(staff_user, csv_bytes(row(email=applicant.email, status="active")))

    assert job.status == ImportJob.Status.DONE, job.errors
    membership = Membership.objects.get(member=applicant)
    assert (membership.status, membership.information_request) == (Status.ACTIVE, "")
    assert membership.term_start is not None and membership.term_end is not None
    assert membership.history.first().information_request == ""


def test_an_import_refuses_a_sub_chamber_of_another_chamber_with_a_clear_message(staff_user, sector):
    from tests.network.factories import ChamberFactory

    SubChamberFactory(chamber=ChamberFactory(name="Donor chamber"), code="north", name="North")

    job = run_file(staff_user, csv_bytes(row(), row(email="b@example.org", sub_chamber="north")))

    assert job.status == ImportJob.Status.FAILED
    assert [(error["line"], error["column"]) for error in job.errors] == [(3, "sub_chamber")]
    assert job.errors[0]["reason"] == (
        "The sub-chamber North belongs to the Donor chamber, not to the chamber of the sector Civil society."
    )
    assert Member.objects.count() == 0


def test_an_import_still_names_a_sub_chamber_that_exists_nowhere(staff_user, sector):
    job = run_file(staff_user, csv_bytes(row(sub_chamber="atlantis")))

    assert job.errors == [
        {
            "line": 2,
            "column": "sub_chamber",
            "reason": "Unknown sub-chamber “atlantis” in the chamber of sector “Civil society”.",
        }
    ]
