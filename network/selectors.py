"""Reads of the network app that cross relations or need tuning."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django_countries import countries

from casm.outbox.selectors import address_failures
from network import permissions
from network.models import (
    Chamber,
    CountryIncomeGroup,
    ImportJob,
    MeansTestRule,
    Member,
    Membership,
    Organisation,
    OrganisationChangeRequest,
    Pledge,
    PledgeAffirmation,
)
from network.services.means_test import fee_tier_for


def active_members(*, chambers=None) -> QuerySet[Member]:
    """The network's audience: active members, narrowed to ``chambers`` when given (a queryset or list).

    Shared by every app that addresses the network (consultations, endorsement windows): a
    suspended, lapsed or departed member is never in it.
    """
    members = Member.objects.filter(membership__status=Membership.Status.ACTIVE)
    if chambers is not None:
        members = members.filter(sector__chamber__in=chambers)
    return members


def chambers_with_member_counts() -> list[dict]:
    """Each chamber with its sectors and its active members counted by country (two queries)."""
    chambers = list(Chamber.objects.prefetch_related("sectors").order_by("order", "name"))
    rows = (
        Member.objects.filter(membership__status=Membership.Status.ACTIVE)
        .values("sector__chamber_id", "country")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_chamber: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        by_chamber[row["sector__chamber_id"]][row["country"]] = row["n"]
    result = []
    for chamber in chambers:
        counts = by_chamber.get(chamber.pk, {})
        by_country = sorted(
            ({"code": code, "name": countries.name(code), "count": n} for code, n in counts.items()),
            key=lambda item: (-item["count"], item["name"]),
        )
        result.append(
            {
                "chamber": chamber,
                "sectors": list(chamber.sectors.all()),
                "total": sum(counts.values()),
                "by_country": by_country,
            }
        )
    return result


# ---------------------------------------------------------------- the secretariat's pages

Status = Membership.Status


def membership_counts_for_staff() -> dict:
    """Open applications, those waiting for a reply or for staff, and members by status (one query)."""
    applied = Q(status=Status.APPLIED)
    asked = applied & ~Q(information_request="")
    return Membership.objects.aggregate(
        applications=Count("pk", filter=applied),
        awaiting_reply=Count("pk", filter=asked & Q(information_reply="")),
        replied=Count("pk", filter=asked & ~Q(information_reply="")),
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        lapsed=Count("pk", filter=Q(status=Status.LAPSED)),
        suspended=Count("pk", filter=Q(status=Status.SUSPENDED)),
    )


def membership_applications_list() -> QuerySet[Membership]:
    """Open applications, oldest first, with the member, organisation, sector and chamber joined."""
    return (
        Membership.objects.filter(status=Status.APPLIED)
        .select_related("member__organisation", "member__sector__chamber", "member__sub_chamber")
        .order_by("applied_at", "pk")
    )


def member_queryset_for_staff() -> QuerySet[Member]:
    """Members with everything the staff record page shows joined."""
    return Member.objects.select_related(
        "user", "organisation", "sector__chamber", "sub_chamber", "membership__fee_rule"
    )


def organisation_members_for_staff(organisation: Organisation) -> QuerySet[Member]:
    return organisation.members.select_related("membership", "sector__chamber").order_by("full_name", "pk")


def means_test_rules_list() -> QuerySet[MeansTestRule]:
    """Every rule, active or not, in the order the means test tries them."""
    return MeansTestRule.objects.order_by("priority", "id")


def country_income_groups_list() -> list[CountryIncomeGroup]:
    """Income groups by country name (the table stores codes, so sort in Python)."""
    return sorted(CountryIncomeGroup.objects.all(), key=lambda entry: entry.country.name)


def fee_tier_counts() -> dict[str, int]:
    """How many memberships are in each fee tier (one query)."""
    rows = Membership.objects.values("fee_tier").annotate(n=Count("pk")).order_by()
    return {row["fee_tier"]: row["n"] for row in rows}


def pledge_versions_by_kind() -> list[dict]:
    """Each kind of pledge with its versions, newest first (the first is in force), and who published them."""
    versions: dict[str, list[Pledge]] = defaultdict(list)
    for pledge in Pledge.objects.select_related("published_by").order_by("kind", "-version"):
        versions[pledge.kind].append(pledge)
    return [
        {"kind": kind, "label": label, "versions": versions[kind], "current": (versions[kind] or [None])[0]}
        for kind, label in Pledge.Kind.choices
    ]


def members_bound_by_pledge(kind: str) -> QuerySet[Member]:
    """Members and applicants who must affirm pledges of ``kind``.

    The query form of ``network.services.pledges.required_kinds``: everyone affirms participation;
    the responsible-mining commitment binds the sectors that require it.
    """
    members = Member.objects.filter(membership__status__in=Membership.PLEDGE_BOUND_STATUSES)
    if kind == Pledge.Kind.RESPONSIBLE_MINING:
        members = members.filter(sector__requires_mining_pledge=True)
    return members


def pledge_affirmation_rows(kind: str) -> QuerySet[Member]:
    """Members bound by ``kind``, each with the newest version of it they affirmed and when (one query)."""
    newest = PledgeAffirmation.objects.filter(member=OuterRef("pk"), pledge__kind=kind).order_by(
        "-pledge__version"
    )
    return (
        members_bound_by_pledge(kind)
        .select_related("organisation", "membership")
        .annotate(
            affirmed_version=Subquery(newest.values("pledge__version")[:1]),
            affirmed_at=Subquery(newest.values("affirmed_at")[:1]),
        )
        .order_by("full_name", "pk")
    )


def pledge_affirmed_count(pledge: Pledge) -> int:
    """How many of the members bound by ``pledge``'s kind affirmed this version (one query)."""
    return members_bound_by_pledge(pledge.kind).filter(affirmations__pledge=pledge).count()


def pledges_in_force() -> dict[str, int]:
    """The id of the version in force (the newest) of each kind of pledge published (one query)."""
    in_force = {}
    for kind, pk in Pledge.objects.order_by("kind", "-version").values_list("kind", "pk"):
        in_force.setdefault(kind, pk)
    return in_force


def pledges_affirmed_condition(in_force: dict[str, int] | None = None) -> Q:
    """The query form of "nothing pending" in ``network.services.pledges.pledges_pending_for``.

    Every member affirms the participation commitment in force; members of a sector that requires
    it also affirm the responsible-mining commitment in force. A kind never published asks nothing.
    The versions in force are read first (``pledges_in_force``), so each affirmation is a plain
    ``EXISTS`` on the (member, pledge) unique index.
    """
    in_force = pledges_in_force() if in_force is None else in_force

    def affirmed(kind) -> Q:
        if kind not in in_force:
            return Q(pk__isnull=False)
        return Q(Exists(PledgeAffirmation.objects.filter(member=OuterRef("pk"), pledge_id=in_force[kind])))

    return affirmed(Pledge.Kind.PARTICIPATION) & (
        Q(sector__requires_mining_pledge=False) | affirmed(Pledge.Kind.RESPONSIBLE_MINING)
    )


# ---------------------------------------------------------------- the member directories


def member_search_for_staff() -> QuerySet[Member]:
    """Every member, by name, with nothing joined: what the staff directory's filters narrow and count.

    The page's rows are then loaded by id with ``member_rows_for_staff``, so neither the count nor
    the search for a page's ids pays for joins and the pledge state.
    """
    return Member.objects.order_by(Lower("full_name"), "pk")


def member_rows_for_staff(ids) -> QuerySet[Member]:
    """The members of ``ids`` (a list or a subquery of ids), as ``member_list_for_staff`` shows them."""
    return member_list_for_staff().filter(pk__in=ids)


def member_list_for_staff(*, filters=None) -> QuerySet[Member]:
    """Members for the staff directory and its CSV export, by name, each with ``pledges_affirmed``.

    ``filters`` are the GET parameters of ``network.filters.MemberFilter`` (a ``QueryDict`` or a
    dict); parameters that do not validate are ignored. Organisation, sector, chamber, sub-chamber
    and membership are joined, so a page of rows is one query.
    """
    members = (
        Member.objects.select_related("organisation", "sector__chamber", "sub_chamber", "membership")
        .annotate(
            pledges_affirmed=ExpressionWrapper(pledges_affirmed_condition(), output_field=BooleanField())
        )
        .order_by(Lower("full_name"), "pk")
    )
    if filters is not None:
        from network.filters import MemberFilter  # the filter set builds on this module

        members = MemberFilter(filters, queryset=members).qs
    return members


def member_directory_for(*, user, filters=None) -> QuerySet[Member]:
    """The members' directory: active members who chose to be listed, by name.

    Only for those ``network.permissions.can_view_directory`` lets in. ``filters`` are the GET
    parameters of ``network.filters.DirectoryFilter``. Templates must not show email addresses.
    """
    if not permissions.can_view_directory(user):
        raise PermissionDenied
    members = (
        Member.objects.filter(membership__status=Membership.Status.ACTIVE, listed_in_directory=True)
        .select_related("organisation", "sector__chamber", "sub_chamber")
        .order_by(Lower("full_name"), "pk")
    )
    if filters is not None:
        from network.filters import DirectoryFilter

        members = DirectoryFilter(filters, queryset=members).qs
    return members


def member_country_choices(members: QuerySet[Member] | None = None) -> list[tuple[str, str]]:
    """The countries of ``members`` (every member by default) as choices, by name (one query)."""
    members = Member.objects.all() if members is None else members
    codes = members.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: choice[1])


def import_job_list() -> QuerySet[ImportJob]:
    """Recent member imports, newest first, without the stored files."""
    return ImportJob.objects.select_related("created_by").defer("content", "errors").order_by("-created_at")


# ---------------------------------------------------------------- requests to change organisation


def organisation_requests_for_staff() -> QuerySet[OrganisationChangeRequest]:
    """Every request, those waiting first (oldest first), with what the list shows joined."""
    return OrganisationChangeRequest.objects.select_related(
        "member__membership", "organisation", "previous_organisation", "decided_by"
    ).order_by(
        ExpressionWrapper(~Q(status=OrganisationChangeRequest.Status.PENDING), output_field=BooleanField()),
        "created_at",
        "pk",
    )


def organisation_requests_pending_count() -> int:
    return OrganisationChangeRequest.objects.filter(status=OrganisationChangeRequest.Status.PENDING).count()


def organisation_requests_of(member: Member) -> QuerySet[OrganisationChangeRequest]:
    """A member's own requests, newest first."""
    return member.organisation_requests.select_related("organisation", "previous_organisation").order_by(
        "-created_at", "-pk"
    )


def organisation_request_fee_preview(change: OrganisationChangeRequest) -> tuple[str, MeansTestRule | None]:
    """The fee tier (and rule) the member would have with the organisation asked for. Nothing is saved."""
    organisation = change.organisation or Organisation(
        name=change.new_name, org_type=change.new_org_type, country=change.new_country, size=change.new_size
    )
    member = Member(country=change.member.country, organisation=organisation)
    return fee_tier_for(member=member)


def member_mail_bounce(member):
    """The last permanent failure of mail to the member's current address, or None (one query).

    The flag goes away by itself once mail to that address is accepted again, or once the
    address is corrected.
    """
    return address_failures([member.email]).get((member.email or "").lower())
