"""Member imports from CSV, all-or-nothing, and the CSV export that uses the same columns.

An import runs in two phases. Phase 1 checks every row and collects every problem with its line
number; one problem and the job fails with nothing written. Phase 2 writes everything in one
transaction: new members with their membership, changed members updated, unchanged ones left
alone, so importing the same file twice creates nothing the second time.

Progress: phase 1 runs outside any transaction, so the job row's ``processed_rows`` is updated as
it goes and every process sees it. Phase 2 is one transaction whose writes nobody sees before the
commit, so its progress is published through the cache (Redis in production) instead.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casm.csv import csv_lines, unguard_cell
from network import permissions
from network.models import ImportJob, Member, Membership, Organisation, Sector, SubChamber
from network.services.means_test import fee_tier_for, means_test_context
from network.services.membership import ALLOWED_TRANSITIONS

# The columns of the import file and of the export, in this order.
COLUMNS = [
    "email",
    "full_name",
    "organisation",
    "organisation_type",
    "organisation_size",
    "country",
    "sector",
    "sub_chamber",
    "languages",
    "role",
    "status",
    "listed",
]
REQUIRED_COLUMNS = ["email", "full_name", "country", "sector"]
MAX_ROWS = 50_000
BATCH_SIZE = 1000
PROGRESS_TIMEOUT = 24 * 3600
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
Status = Membership.Status


class ImportFileError(ValidationError):
    """The uploaded file cannot be read as a member CSV at all (encoding, format, header)."""


class _Refused(Exception):
    """Phase 2 found problems after all (the data changed since phase 1): roll everything back."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


# ---------------------------------------------------------------- reading the file


def _decode(raw_bytes: bytes) -> str:
    if not raw_bytes or not raw_bytes.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)s). If it comes from "
                "a spreadsheet, save it as “CSV UTF-8” and upload it again."
            )
            % {"position": error.start + 1},
            code="encoding",
        ) from error
    if "\x00" in text:
        raise ImportFileError(
            _("The file is not a CSV file: it contains binary data. Upload a CSV (comma-separated) file."),
            code="binary",
        )
    return text


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets write instead, judged from the header line."""
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header(cells: list[str]) -> list[str]:
    return [cell.strip().lower().replace(" ", "_") for cell in cells]


def _parse(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows, each with the line number it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    header, rows = None, []
    line = 1
    try:
        for cells in reader:
            if header is None:
                header = _header(cells)
            elif any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV: line %(line)s cannot be read (%(error)s).")
            % {"line": reader.line_num, "error": error},
            code="csv",
        ) from error
    return header or [], rows


def _check_header(header: list[str]) -> None:
    expected = ", ".join(COLUMNS)
    if not any(header):
        raise ImportFileError(
            _("The first line must be the header row with the column names: %(columns)s.")
            % {"columns": expected},
            code="header",
        )
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(
            _("unknown columns: %(names)s") % {"names": ", ".join(n or "(blank)" for n in unknown)}
        )
    if repeated:
        problems.append(_("columns given twice: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        raise ImportFileError(
            _(
                "The header row is not that of a member import (%(problems)s). The columns are: "
                "%(columns)s; download the template from the upload page."
            )
            % {"problems": "; ".join(problems), "columns": expected},
            code="header",
        )


def read_import_file(raw_bytes: bytes) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """Decode and parse an uploaded file; raises ImportFileError with a clear message if it is unusable."""
    text = _decode(raw_bytes)
    header, rows = _parse(text)
    _check_header(header)
    if not rows:
        raise ImportFileError(_("The file has a header row but no members in it."), code="no_rows")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(max)s can be imported at once. Split the file.")
            % {"count": len(rows), "max": MAX_ROWS},
            code="too_many",
        )
    return text, header, rows


# ---------------------------------------------------------------- checking the rows (phase 1)


@dataclass
class _Row:
    line: int
    email: str
    full_name: str
    country: str
    sector: Sector
    organisation: str = ""
    organisation_type: str = ""
    organisation_size: str = ""
    sub_chamber: SubChamber | None = None
    languages: list[str] = field(default_factory=list)
    role: str = ""
    status: str = ""  # blank: new members are active, existing ones keep their status
    listed: bool | None = None  # None: new members are not listed, existing ones keep their choice


def _choice_lookup(choices) -> dict[str, str]:
    """Codes and English labels of a TextChoices, lower-cased, to the code."""
    lookup = {}
    with translation.override("en"):
        for value, label in choices:
            lookup[str(value).lower()] = value
            lookup[str(label).lower()] = value
    return lookup


class _Reference:
    """What the rows are checked against, loaded once (a few queries whatever the file's size)."""

    def __init__(self):
        self.sectors: dict[str, Sector] = {}
        for sector in Sector.objects.all():
            self.sectors[sector.code.lower()] = sector
            self.sectors.setdefault(sector.name.strip().lower(), sector)
        self.sub_chambers: dict[tuple[int, str], SubChamber] = {}
        for sub in SubChamber.objects.all():
            self.sub_chambers[(sub.chamber_id, sub.code.lower())] = sub
            self.sub_chambers.setdefault((sub.chamber_id, sub.name.strip().lower()), sub)
        self.org_types = _choice_lookup(Organisation.Type.choices)
        self.org_sizes = _choice_lookup(Organisation.Size.choices)
        self.statuses = _choice_lookup(Status.choices)
        self.languages = _choice_lookup(settings.LANGUAGES)
        self.language_order = [code for code, _label in settings.LANGUAGES]


_unescape = unguard_cell


def _country(value: str) -> str:
    if not value:
        return ""
    code = countries.alpha2(value) if len(value) <= 3 else ""
    if not code:
        with translation.override("en"):
            code = countries.by_name(value) or ""
    return code


def _check_row(line: int, values: dict[str, str], reference: _Reference, errors: list) -> _Row | None:
    """One row's values, or None after adding each of its problems to ``errors``."""
    problems = []

    def problem(column: str, reason: str):
        problems.append({"line": line, "column": column, "reason": reason})

    email = values.get("email", "").lower()
    if not email:
        problem("email", _("The email address is missing."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", _("“%(value)s” is not a valid email address.") % {"value": email})
        if len(email) > 254:
            problem("email", _("The email address is longer than 254 characters."))
    full_name = " ".join(values.get("full_name", "").split())
    if not full_name:
        problem("full_name", _("The full name is missing."))
    elif len(full_name) > 200:
        problem("full_name", _("The full name is longer than 200 characters."))

    country = _country(values.get("country", ""))
    if not values.get("country"):
        problem("country", _("The country is missing."))
    elif not country:
        problem(
            "country",
            _("Unknown country “%(value)s”: give its ISO code (GH) or English name (Ghana).")
            % {"value": values["country"]},
        )

    sector = reference.sectors.get(values.get("sector", "").lower())
    if not values.get("sector"):
        problem("sector", _("The sector is missing."))
    elif sector is None:
        problem("sector", _("Unknown sector “%(value)s”.") % {"value": values["sector"]})

    sub_chamber = None
    if values.get("sub_chamber") and sector is not None:
        sub_chamber = reference.sub_chambers.get((sector.chamber_id, values["sub_chamber"].lower()))
        if sub_chamber is None:
            problem(
                "sub_chamber",
                _("Unknown sub-chamber “%(value)s” in the chamber of sector “%(sector)s”.")
                % {"value": values["sub_chamber"], "sector": sector.name},
            )

    organisation = " ".join(values.get("organisation", "").split())
    org_type = org_size = ""
    if organisation:
        if len(organisation) > 200:
            problem("organisation", _("The organisation's name is longer than 200 characters."))
        org_type = reference.org_types.get(values.get("organisation_type", "").lower(), "")
        if not values.get("organisation_type"):
            problem("organisation_type", _("Give the organisation type when an organisation is named."))
        elif not org_type:
            problem(
                "organisation_type",
                _("Unknown organisation type “%(value)s”.") % {"value": values["organisation_type"]},
            )
        org_size = Organisation.Size.SMALL
        if values.get("organisation_size"):
            org_size = reference.org_sizes.get(values["organisation_size"].lower(), "")
            if not org_size:
                problem(
                    "organisation_size",
                    _("Unknown organisation size “%(value)s”.") % {"value": values["organisation_size"]},
                )

    languages = set()
    for item in values.get("languages", "").replace(",", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        code = reference.languages.get(item.lower())
        if code is None:
            problem("languages", _("Unknown language “%(value)s”.") % {"value": item})
        else:
            languages.add(code)

    role = values.get("role", "")
    if len(role) > 160:
        problem("role", _("The role is longer than 160 characters."))

    status = ""
    if values.get("status"):
        status = reference.statuses.get(values["status"].lower(), "")
        if not status:
            problem(
                "status",
                _("Unknown status “%(value)s”; use one of: %(choices)s.")
                % {"value": values["status"], "choices": ", ".join(Status.values)},
            )

    listed = None
    if values.get("listed"):
        answer = values["listed"].lower()
        if answer in YES:
            listed = True
        elif answer in NO:
            listed = False
        else:
            problem("listed", _("Write “yes” or “no”, not “%(value)s”.") % {"value": values["listed"]})

    if problems:
        errors.extend(problems)
        return None
    return _Row(
        line=line,
        email=email,
        full_name=full_name,
        country=country,
        sector=sector,
        organisation=organisation,
        organisation_type=org_type,
        organisation_size=org_size,
        sub_chamber=sub_chamber,
        languages=[code for code in reference.language_order if code in languages],
        role=role,
        status=status,
        listed=listed,
    )


def _existing_members(emails: Iterable[str], *, lock: bool = False) -> dict[str, Member]:
    """Members whose address (compared case-insensitively) is among ``emails``, with their memberships."""
    emails = sorted(set(emails))
    found = {}
    base = Member.objects.annotate(email_lower=Lower("email")).select_related("membership", "organisation")
    if lock:
        base = base.select_for_update(of=("self",))
    for start in range(0, len(emails), BATCH_SIZE):
        for member in base.filter(email_lower__in=emails[start : start + BATCH_SIZE]):
            found[member.email_lower] = member
    return found


def _membership_of(member: Member) -> Membership | None:
    try:
        return member.membership
    except Membership.DoesNotExist:
        return None


def _transition_problem(row: _Row, member: Member | None) -> dict | None:
    membership = _membership_of(member) if member else None
    if membership is None or not row.status or row.status == membership.status:
        return None
    if row.status in ALLOWED_TRANSITIONS.get(membership.status, set()):
        return None
    return {
        "line": row.line,
        "column": "status",
        "reason": _("This member's membership is %(old)s and cannot become %(new)s.")
        % {"old": membership.get_status_display().lower(), "new": Status(row.status).label.lower()},
    }


def _check_all(header: list[str], raw_rows: list, reference: _Reference, progress) -> tuple:
    """Phase 1: every row checked; returns (rows, errors), errors being every problem found."""
    errors: list[dict] = []
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    width = len(header)
    for done, (line, cells) in enumerate(raw_rows, start=1):
        if len(cells) != width:
            errors.append(
                {
                    "line": line,
                    "column": "",
                    "reason": _("This row has %(count)s values where the header has %(width)s columns.")
                    % {"count": len(cells), "width": width},
                }
            )
        else:
            values = {name: _unescape(cell) for name, cell in zip(header, cells, strict=True)}
            row = _check_row(line, values, reference, errors)
            if row is not None:
                if row.email in first_line:
                    errors.append(
                        {
                            "line": line,
                            "column": "email",
                            "reason": _("%(email)s is already on line %(first)s of this file.")
                            % {"email": row.email, "first": first_line[row.email]},
                        }
                    )
                else:
                    first_line[row.email] = line
                    rows.append(row)
        if done % BATCH_SIZE == 0:
            progress("checking", done)
    existing = _existing_members(row.email for row in rows)
    for row in rows:
        problem = _transition_problem(row, existing.get(row.email))
        if problem:
            errors.append(problem)
    errors.sort(key=lambda error: error["line"] or 0)
    return rows, errors


# ---------------------------------------------------------------- writing (phase 2)


def _organisations(rows: list[_Row], *, actor, reason: str) -> dict[tuple[str, str], Organisation]:
    """The organisations the rows name, by (lower-cased name, country); the missing ones created."""
    wanted: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if row.organisation:
            wanted.setdefault((row.organisation.lower(), row.country), row)
    found: dict[tuple[str, str], Organisation] = {}
    names = sorted({name for name, _country in wanted})
    for start in range(0, len(names), BATCH_SIZE):
        candidates = Organisation.objects.annotate(name_lower=Lower("name")).filter(
            name_lower__in=names[start : start + BATCH_SIZE]
        )
        for organisation in candidates:
            key = (organisation.name_lower, organisation.country.code)
            if key in wanted:
                found[key] = organisation
    new = [
        Organisation(
            name=row.organisation,
            org_type=row.organisation_type,
            size=row.organisation_size,
            country=row.country,
        )
        for key, row in wanted.items()
        if key not in found
    ]
    if new:
        created = bulk_create_with_history(
            new, Organisation, batch_size=BATCH_SIZE, default_user=actor, default_change_reason=reason
        )
        for organisation in created:
            found[(organisation.name.lower(), organisation.country.code)] = organisation
    return found


MEMBER_FIELDS = [
    "full_name",
    "organisation",
    "country",
    "sector",
    "sub_chamber",
    "languages",
    "role",
    "listed_in_directory",
    "updated_at",
]
MEMBERSHIP_FIELDS = [
    "status",
    "status_reason",
    "status_changed_at",
    "term_start",
    "term_end",
    "fee_tier",
    "fee_rule",
    "updated_at",
]


def _set_status(membership: Membership, status: str, *, now, reason: str) -> None:
    membership.status = status
    membership.status_reason = reason
    membership.status_changed_at = now
    if status == Status.APPLIED and membership.applied_at is None:
        membership.applied_at = now
    if status == Status.ACTIVE:
        today = timezone.localdate(now)
        if membership.term_end is None or membership.term_end < today:
            membership.term_start = today
            membership.term_end = today + datetime.timedelta(days=settings.MEMBERSHIP_TERM_DAYS)


def _update_member(member: Member, row: _Row, organisation) -> tuple[bool, bool]:
    """Copy the row onto ``member``; returns (anything changed, organisation or country changed)."""
    values = {
        "full_name": row.full_name,
        "organisation_id": organisation.pk if organisation else None,
        "country": row.country,
        "sector_id": row.sector.pk,
        "sub_chamber_id": row.sub_chamber.pk if row.sub_chamber else None,
        "role": row.role,
    }
    if row.listed is not None:
        values["listed_in_directory"] = row.listed
    changed = means_inputs = False
    for name, value in values.items():
        current = getattr(member, name)
        current = current.code if name == "country" else current
        if current != value:
            changed = True
            means_inputs = means_inputs or name in ("organisation_id", "country")
            setattr(member, name, value)
    member.organisation = organisation
    if set(member.languages or []) != set(row.languages):
        member.languages = row.languages
        changed = True
    return changed, means_inputs


def _apply(job: ImportJob, rows: list[_Row], *, actor, progress) -> dict[str, int]:
    """Phase 2, inside the caller's transaction: create, update or leave each member."""
    reason = f"Imported from {job.filename}"[:100]
    now = timezone.now()
    rules, income_groups = means_test_context()
    organisations = _organisations(rows, actor=actor, reason=reason)
    existing = _existing_members((row.email for row in rows), lock=True)
    problems = [p for p in (_transition_problem(row, existing.get(row.email)) for row in rows) if p]
    if problems:
        raise _Refused(problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    history = {"default_user": actor, "default_change_reason": reason}
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        new_members, changed_members, changed_memberships, new_memberships = [], [], [], []
        for row in batch:
            organisation = (
                organisations.get((row.organisation.lower(), row.country)) if row.organisation else None
            )
            member = existing.get(row.email)
            if member is None:
                new_members.append(
                    Member(
                        email=row.email,
                        full_name=row.full_name,
                        organisation=organisation,
                        country=row.country,
                        sector=row.sector,
                        sub_chamber=row.sub_chamber,
                        languages=row.languages,
                        role=row.role,
                        listed_in_directory=bool(row.listed),
                    )
                )
                continue
            member_changed, means_inputs = _update_member(member, row, organisation)
            membership = _membership_of(member)
            membership_changed = False
            if membership is None:
                membership = Membership(member=member, applied_at=now, fee_tier="")
                _set_status(membership, row.status or Status.ACTIVE, now=now, reason=reason)
                new_memberships.append(membership)
                means_inputs = True
            elif row.status and row.status != membership.status:
                _set_status(membership, row.status, now=now, reason=reason)
                membership_changed = True
            if means_inputs:
                tier, rule = fee_tier_for(member=member, rules=rules, income_groups=income_groups)
                if (tier, rule.pk if rule else None) != (membership.fee_tier, membership.fee_rule_id):
                    membership.fee_tier, membership.fee_rule = tier, rule
                    membership_changed = True
            if member_changed:
                member.updated_at = now
                changed_members.append(member)
            if membership_changed and membership.pk:
                membership.updated_at = now
                changed_memberships.append(membership)
            if member_changed or membership_changed or membership.pk is None:
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if new_members:
            bulk_create_with_history(new_members, Member, batch_size=BATCH_SIZE, **history)
            rows_by_email = {row.email: row for row in batch}
            for member in new_members:
                membership = Membership(member=member, applied_at=now)
                _set_status(
                    membership, rows_by_email[member.email].status or Status.ACTIVE, now=now, reason=reason
                )
                tier, rule = fee_tier_for(member=member, rules=rules, income_groups=income_groups)
                membership.fee_tier, membership.fee_rule = tier, rule
                new_memberships.append(membership)
            counts["created"] += len(new_members)
        if new_memberships:
            bulk_create_with_history(new_memberships, Membership, batch_size=BATCH_SIZE, **history)
        if changed_members:
            bulk_update_with_history(changed_members, Member, MEMBER_FIELDS, batch_size=500, **history)
        if changed_memberships:
            bulk_update_with_history(
                changed_memberships, Membership, MEMBERSHIP_FIELDS, batch_size=500, **history
            )
        progress("writing", start + len(batch))
    # Bulk writes send no signals: tell the listings' cache here (after the commit).
    return counts


# ---------------------------------------------------------------- progress


def _progress_key(job_id: int) -> str:
    return f"network:import-job:{job_id}:progress"


def _publisher(job: ImportJob):
    """A function that makes the rows done so far visible to other processes while the job runs."""

    def publish(phase: str, done: int):
        cache.set(_progress_key(job.pk), {"phase": phase, "done": done}, PROGRESS_TIMEOUT)
        if phase == "checking":
            # Phase 1 runs in autocommit: this update is visible at once. Phase 2's would not be.
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    return publish


def import_job_progress(job: ImportJob) -> dict:
    """Where a job is: its phase (waiting, checking, writing, finished), rows done and a percentage.

    Checking the rows counts for the first half of the bar, writing them for the second.
    """
    total = job.total_rows or 0
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return {"phase": "finished", "done": total, "total": total, "percent": 100}
    if job.status == ImportJob.Status.PENDING:
        return {"phase": "waiting", "done": 0, "total": total, "percent": 0}
    published = cache.get(_progress_key(job.pk)) or {}
    phase = published.get("phase", "checking")
    done = published.get("done", 0)
    if phase == "checking":
        done = max(done, job.processed_rows)
    done = min(done, total)
    finished = done + (total if phase == "writing" else 0)
    percent = int(100 * finished / (2 * total)) if total else 0
    return {"phase": phase, "done": done, "total": total, "percent": percent}


# ---------------------------------------------------------------- the services


@transaction.atomic
def import_job_create(*, actor, filename: str, raw_bytes: bytes) -> ImportJob:
    """Staff upload a member CSV: a pending job, run by a worker once this transaction commits.

    A file that is not UTF-8 text, not CSV, has the wrong header or no rows is refused with
    ImportFileError and nothing is stored.
    """
    if not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only secretariat staff may import members."))
    text, _header_row, rows = read_import_file(raw_bytes)
    job = ImportJob(
        created_by=actor, filename=(filename or "members.csv")[:255], content=text, total_rows=len(rows)
    )
    job.full_clean()
    job.save()
    from network.tasks import import_job_run_task  # the tasks module imports this one

    transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def _finish(job_id: int, **values) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        finished_at=timezone.now(), updated_at=timezone.now(), **values
    )
    cache.delete(_progress_key(job_id))


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Check every row, then write them all in one transaction, or nothing if any row is wrong.

    Safe to run twice (a redelivered task): a job that is done or failed is left as it is.
    Problems are written in the language of the staff member who uploaded the file.
    """
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, processed_rows=0, updated_at=timezone.now())
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by
    language = getattr(actor, "preferred_language", None) or settings.LANGUAGE_CODE
    progress = _publisher(job)
    with translation.override(language):
        try:
            _text, header, raw_rows = read_import_file(job.content.encode("utf-8"))
            reference = _Reference()
            rows, errors = _check_all(header, raw_rows, reference, progress)
            progress("checking", len(raw_rows))
        except ImportFileError as error:
            _finish(
                job.pk,
                status=ImportJob.Status.FAILED,
                errors=[{"line": None, "column": "", "reason": " ".join(error.messages)}],
            )
            return ImportJob.objects.get(pk=job.pk)
        if errors:
            _finish(job.pk, status=ImportJob.Status.FAILED, errors=errors, processed_rows=len(raw_rows))
            return ImportJob.objects.get(pk=job.pk)
        try:
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.status != ImportJob.Status.RUNNING:
                    return locked  # another run of the same job finished it meanwhile
                counts = _apply(locked, rows, actor=actor, progress=progress)
                ImportJob.objects.filter(pk=job.pk).update(
                    status=ImportJob.Status.DONE,
                    processed_rows=len(raw_rows),
                    created_count=counts["created"],
                    updated_count=counts["updated"],
                    unchanged_count=counts["unchanged"],
                    errors=[],
                    finished_at=timezone.now(),
                    updated_at=timezone.now(),
                )
        except _Refused as refused:
            _finish(job.pk, status=ImportJob.Status.FAILED, errors=refused.errors)
        except IntegrityError:
            _finish(
                job.pk,
                status=ImportJob.Status.FAILED,
                errors=[
                    {
                        "line": None,
                        "column": "",
                        "reason": _(
                            "Another change to the same members or organisations was saved while this "
                            "file was imported. Upload the file again."
                        ),
                    }
                ],
            )
        except Exception:
            _finish(
                job.pk,
                status=ImportJob.Status.FAILED,
                errors=[
                    {"line": None, "column": "", "reason": _("The import stopped on an internal error.")}
                ],
            )
            raise
        cache.delete(_progress_key(job.pk))
    return ImportJob.objects.get(pk=job.pk)


def import_job_list() -> QuerySet[ImportJob]:
    """Recent imports, newest first, without the stored files."""
    return ImportJob.objects.select_related("created_by").defer("content", "errors").order_by("-created_at")


# ---------------------------------------------------------------- export


def member_export_queryset() -> QuerySet[Member]:
    """Every member with what the export writes joined (the export reads it in chunks)."""
    return Member.objects.select_related("organisation", "sector", "sub_chamber", "membership").order_by("pk")


def member_export_rows(queryset: QuerySet[Member]) -> Iterator[list[str]]:
    """The header, then one row per member, in the import's columns: an export re-imports as unchanged."""
    yield list(COLUMNS)
    for member in queryset.iterator(chunk_size=2000):
        organisation = member.organisation
        membership = _membership_of(member)
        row = [
            member.email,
            member.full_name,
            organisation.name if organisation else "",
            organisation.org_type if organisation else "",
            organisation.size if organisation else "",
            member.country.code,
            member.sector.code,
            member.sub_chamber.code if member.sub_chamber else "",
            ";".join(member.languages or []),
            member.role,
            membership.status if membership else "",
            "yes" if member.listed_in_directory else "no",
        ]
        yield [str(cell) for cell in row]


def member_export_csv(queryset: QuerySet[Member]) -> Iterator[str]:
    """The export as CSV text, line by line (for a streaming response); starts with a BOM for Excel."""
    return csv_lines(member_export_rows(queryset))


def import_template_csv() -> str:
    """The header row a file to import starts with."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue()
