"""Phase 2 of an import: every checked row written, inside the caller's one transaction.

New members are created with their membership, changed ones updated, unchanged ones left alone,
so importing the same file twice creates nothing the second time. Writes go in batches
(``bulk_create_with_history`` / ``bulk_update_with_history``), each record with its history row
naming the staff member and the file. A term starts through ``membership_term_start`` and a fee
tier through the means test, as on every other path.
"""

from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from network.imports.rows import MemberRow, existing_members, membership_of, transition_problem
from network.models import ImportJob, Member, Membership, Organisation
from network.services.means_test import fee_tier_apply, means_test_context
from network.services.membership import membership_term_start

BATCH_SIZE = 1000
Status = Membership.Status

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
    "information_request",
    "fee_tier",
    "fee_rule",
    "updated_at",
]


class Refused(Exception):
    """Phase 2 found problems after all (the data changed since phase 1): roll everything back."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _organisations(rows: list[MemberRow], *, actor, reason: str) -> dict[tuple[str, str], Organisation]:
    """The organisations the rows name, by (lower-cased name, country); the missing ones created."""
    wanted: dict[tuple[str, str], MemberRow] = {}
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


def _set_status(membership: Membership, status: str, *, now, reason: str) -> None:
    membership.status = status
    membership.status_reason = reason
    membership.status_changed_at = now
    if status == Status.APPLIED and membership.applied_at is None:
        membership.applied_at = now
    if status == Status.ACTIVE:
        membership_term_start(membership=membership, today=timezone.localdate(now))


def _update_member(member: Member, row: MemberRow, organisation) -> tuple[bool, bool]:
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


def write_rows(job: ImportJob, rows: list[MemberRow], *, actor, progress) -> dict[str, int]:
    """Create, update or leave each member; raises Refused if a status change became impossible."""
    reason = f"Imported from {job.filename}"[:100]
    now = timezone.now()
    rules, income_groups = means_test_context()
    means_test = {"rules": rules, "income_groups": income_groups}
    organisations = _organisations(rows, actor=actor, reason=reason)
    existing = existing_members((row.email for row in rows), lock=True)
    problems = [p for p in (transition_problem(row, existing.get(row.email)) for row in rows) if p]
    if problems:
        raise Refused(problems)
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
            membership = membership_of(member)
            membership_changed = False
            if membership is None:
                membership = Membership(member=member, applied_at=now, fee_tier="")
                _set_status(membership, row.status or Status.ACTIVE, now=now, reason=reason)
                new_memberships.append(membership)
                means_inputs = True
            elif row.status and row.status != membership.status:
                _set_status(membership, row.status, now=now, reason=reason)
                membership_changed = True
            if means_inputs and fee_tier_apply(membership, member=member, **means_test):
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
                fee_tier_apply(membership, member=member, **means_test)
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
    return counts
