"""Reads for the respondent's pages and the public pages of consultations.

Each returns what its template needs already joined, so the pages run a fixed number of queries
whatever the number of sections, options or responses.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)

from governance.consultations import permissions
from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    ExtensionRequest,
    OptionPreference,
    Response,
    UnclearFlag,
)
from governance.consultations.selectors import audience as selectors


def official_organisation_of(member):
    """The organisation ``member`` may answer for: the one that names them its official contact, or None."""
    organisation = getattr(member, "organisation", None) if member is not None else None
    if organisation is not None and organisation.contact_id == member.pk:
        return organisation
    return None


def consultation_list_public(*, now=None):
    """Published consultations: open ones first (closing soonest first), then upcoming, then closed.

    One query (plus the paginator's count).
    """
    state = Consultation.State
    return (
        Consultation.objects.published()
        .with_state(now)
        .annotate(
            state_order=Case(
                When(annotated_state=state.OPEN, then=Value(0)),
                When(annotated_state=state.SCHEDULED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("state_order", "closes_at", "pk")
    )


def with_member_status(queryset, member):
    """Annotate each consultation with ``member_in_audience`` and ``member_response_status`` (draft,
    submitted or None), computed by the database in the same query, whatever the number of rows.

    The audience rule is ``selectors.audience.consultation_audience``'s, spelt for one member.
    """
    from network.models import Membership, Sector

    active = Membership.objects.filter(member_id=member.pk, status=Membership.Status.ACTIVE)
    chamber = Sector.objects.filter(pk=member.sector_id).values("chamber_id")
    chosen_chamber = Consultation.chambers.through.objects.filter(
        consultation_id=OuterRef("pk"), chamber_id__in=chamber
    )
    invited = Consultation.invitees.through.objects.filter(
        consultation_id=OuterRef("pk"), member_id=member.pk
    )
    audience = Consultation.Audience
    in_audience = Exists(active) & (
        Q(audience=audience.ALL_ACTIVE)
        | (Q(audience=audience.CHAMBERS) & Exists(chosen_chamber))
        | (Q(audience=audience.INVITEES) & Exists(invited))
    )
    status = Response.objects.filter(consultation_id=OuterRef("pk"), member_id=member.pk).values("status")[:1]
    return queryset.annotate(
        member_in_audience=ExpressionWrapper(in_audience, output_field=BooleanField()),
        member_response_status=Subquery(status),
    )


def open_consultations_for(member, *, now=None) -> list[Consultation]:
    """Open consultations addressed to ``member``, closing soonest first, with their response status
    (one query)."""
    opened = Consultation.objects.in_state(Consultation.State.OPEN, now=now)
    return list(
        with_member_status(opened, member).filter(member_in_audience=True).order_by("closes_at", "pk")
    )


def consultation_sections(consultation) -> list[ConsultationSection]:
    """The paper's sections in order, each with its options in order (two queries)."""
    options = ConsultationOption.objects.order_by("order", "id")
    return list(
        consultation.sections.order_by("order", "id").prefetch_related(Prefetch("options", queryset=options))
    )


def _response_prefetches():
    return (
        "answers",
        Prefetch("preferences", queryset=OptionPreference.objects.order_by("section_id", "rank", "id")),
        Prefetch("unclear_flags", queryset=UnclearFlag.objects.order_by("id")),
        "proposed_options",
    )


def response_for(*, consultation, member) -> Response | None:
    """``member``'s own response with everything it holds (five queries), or None.

    There is no way to ask for another person's response here: the caller passes the viewer.
    """
    if member is None:
        return None
    return (
        Response.objects.filter(consultation=consultation, member=member)
        .select_related("on_behalf_of")
        .prefetch_related(*_response_prefetches())
        .first()
    )


def public_responses(consultation):
    """Submitted responses their authors chose to publish, newest first, with who sent them.

    Queries for a page, whatever its length: the responses with member, organisation, chamber and
    sector joined, then answers, preferences, unclear flags and proposed options (one each).
    Email addresses are not selected: the page never shows them.
    """
    return (
        Response.objects.filter(consultation=consultation, is_public=True, status=Response.Status.SUBMITTED)
        .select_related("member__organisation", "on_behalf_of", "chamber", "sector")
        .defer("member__email")
        .prefetch_related(*_response_prefetches())
        .order_by("-submitted_at", "-id")
    )


FICTIONAL_SUFFIX = " (fictional)"


def _without_fictional_suffix(name: str, is_fictional: bool) -> str:
    # Demo records say "(fictional)" in their names; the page marks them once with a badge instead.
    return name.removesuffix(FICTIONAL_SUFFIX) if is_fictional else name


@dataclass
class PublicAuthor:
    """Who sent a published response, as its heading shows it: a name, an organisation, one fictional mark."""

    name: str  # the person, or the organisation for an official response
    sender: str  # the person who sent an official response ("" otherwise)
    organisation: str  # the person's organisation, for an individual response ("" otherwise)
    is_fictional: bool


def public_author(response: Response) -> PublicAuthor:
    """The author of a response of ``public_responses`` (no queries: everything is joined)."""
    member = response.member
    official = response.on_behalf_of
    organisation = official or member.organisation
    fictional_org = organisation is not None and organisation.is_fictional
    person = _without_fictional_suffix(member.full_name, member.is_fictional)
    org_name = _without_fictional_suffix(organisation.name, fictional_org) if organisation else ""
    return PublicAuthor(
        name=org_name if official else person,
        sender=person if official else "",
        organisation="" if official else org_name,
        is_fictional=member.is_fictional or fictional_org,
    )


@dataclass
class SectionRow:
    """What one response says about one section, ready for a template."""

    section: ConsultationSection
    preferences: list = field(default_factory=list)  # (rank, option), in rank order
    rationale: str = ""
    unclear: list = field(default_factory=list)  # (option, text)
    proposed: list = field(default_factory=list)  # ProposedOption

    @property
    def is_empty(self) -> bool:
        return not (self.preferences or self.rationale or self.unclear or self.proposed)


def response_rows(response: Response, sections: list[ConsultationSection]) -> dict:
    """A response laid out section by section from its prefetched rows (no queries).

    Returns ``{"sections": [SectionRow…], "proposed_general": [ProposedOption…]}``.
    """
    options = {option.pk: option for section in sections for option in section.options.all()}
    rows = {section.pk: SectionRow(section=section) for section in sections}
    for answer in response.answers.all():
        if answer.section_id in rows:
            rows[answer.section_id].rationale = answer.rationale
    for preference in response.preferences.all():
        option = options.get(preference.option_id)
        if option is not None and option.section_id in rows:
            rows[option.section_id].preferences.append((preference.rank, option))
    for flag in response.unclear_flags.all():
        option = options.get(flag.option_id)
        if option is not None and option.section_id in rows:
            rows[option.section_id].unclear.append((option, flag.text))
    general = []
    for proposal in response.proposed_options.all():
        if proposal.section_id in rows:
            rows[proposal.section_id].proposed.append(proposal)
        else:
            general.append(proposal)
    for row in rows.values():
        row.preferences.sort(key=lambda pair: (pair[0], pair[1].order, pair[1].pk))
    return {"sections": [rows[section.pk] for section in sections], "proposed_general": general}


@dataclass
class RevisionDraft:
    """An unsent revision of a submitted response, laid out like ``response_rows`` for a template."""

    saved_at: object
    rows: dict
    general_comments: str
    is_public: bool
    on_behalf: bool


def revision_draft_of(response: Response | None, sections: list[ConsultationSection]) -> RevisionDraft | None:
    """The unsent revision of ``response`` (no queries), or None when there is none."""
    from governance.consultations.services.responses import values_from_json

    if response is None or response.revision_draft is None:
        return None
    values = values_from_json(response.revision_draft)
    options = {option.pk: option for section in sections for option in section.options.all()}
    rows = {section.pk: SectionRow(section=section) for section in sections}
    for section_id, answer in values.sections.items():
        row = rows.get(section_id)
        if row is None:
            continue
        row.rationale = answer.rationale.strip()
        chosen = [(rank, options.get(option_id)) for option_id, rank in answer.ranks.items()]
        chosen += [(1, options.get(option_id)) for option_id in answer.picks]
        row.preferences = sorted(
            ((rank, option) for rank, option in chosen if option is not None),
            key=lambda pair: (pair[0], pair[1].order, pair[1].pk),
        )
    for option_id, flag in values.unclear.items():
        option = options.get(option_id)
        if option is not None and flag.flagged and option.section_id in rows:
            rows[option.section_id].unclear.append((option, flag.text))
    general = []
    for proposal in values.proposed:
        if not (proposal.title.strip() or proposal.description.strip()):
            continue
        if proposal.section_id in rows:
            rows[proposal.section_id].proposed.append(proposal)
        else:
            general.append(proposal)
    return RevisionDraft(
        saved_at=response.revision_saved_at,
        rows={"sections": [rows[section.pk] for section in sections], "proposed_general": general},
        general_comments=values.general_comments.strip(),
        is_public=values.is_public,
        on_behalf=values.on_behalf,
    )


def extension_requests_for(*, consultation, member) -> list[ExtensionRequest]:
    """The member's own requests for more time on this consultation, newest first (one query)."""
    if member is None:
        return []
    return list(
        ExtensionRequest.objects.filter(consultation=consultation, member=member).order_by(
            "-created_at", "-id"
        )
    )


def respondent_status(*, consultation, member, now=None) -> dict:
    """What the consultation page tells a viewer about responding: may they, until when, how far along.

    ``refusal`` is None when they may respond now; ``deadline`` is their own (an extension may move it).
    """
    refusal = permissions.respond_refusal(consultation, member, now=now)
    in_audience = member is not None and selectors.is_in_audience(consultation, member)
    response = None
    if member is not None:
        response = (
            Response.objects.filter(consultation=consultation, member=member)
            .only("pk", "status", "submitted_at", "updated_at", "revision_saved_at")
            .first()
        )
    requests = extension_requests_for(consultation=consultation, member=member) if in_audience else []
    return {
        "member": member,
        "refusal": refusal,
        "in_audience": in_audience,
        "deadline": selectors.deadline_for(consultation, member) if in_audience else consultation.closes_at,
        "response": response,
        "extension_requests": requests,
        "pending_extension": next(
            (request for request in requests if request.status == ExtensionRequest.Status.PENDING), None
        ),
    }
