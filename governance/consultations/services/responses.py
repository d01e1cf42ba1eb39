"""A stakeholder responds to a consultation: drafts, submissions, revisions, requests for more time.

Who may respond and until when is decided by ``governance.consultations.permissions.respond_refusal`` (the
audience, the opening time, the respondent's own deadline), asked first by every service here and
enforced on the server whatever the form says.

``response_save`` takes the answer as values (``ResponseValues``: per section the ranks or picks
by option id and the rationale; unclear flags by option id; proposed options; general comments),
whatever form or client produced them, and reports every problem at once in a ``ValidationError``
whose keys say where in those values it belongs (``Place``): a section's preferences or rationale,
an option's unclear flag, a part of a proposed option, ``on_behalf``, or ``__all__``. A form turns
those places into its own fields (``forms.responses.ResponseForm.add_service_errors``).
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casm.history import save_with_history
from casm.links import absolute_reverse
from governance.consultations import permissions
from governance.consultations.models import (
    ConsultationSection,
    ExtensionRequest,
    OptionPreference,
    ProposedOption,
    Response,
    SectionAnswer,
    UnclearFlag,
)
from governance.consultations.notices import notice_of
from governance.consultations.selectors import audience as selectors
from governance.consultations.selectors import responses as selectors_responses
from network.services.notify import notify_member

Mode = ConsultationSection.Mode
OFFICIAL_CONSTRAINT = "response_one_official_per_organisation"
TITLE_MAX = ProposedOption._meta.get_field("title").max_length


@dataclass
class SectionValues:
    """What a respondent says about one section."""

    ranks: dict[int, int] = field(default_factory=dict)  # option id -> rank, in rank sections
    picks: set[int] = field(default_factory=set)  # option ids, in pick sections
    rationale: str = ""  # why these preferences; the comment, in comment sections


@dataclass
class UnclearValues:
    """An option the respondent finds unclear (``flagged``), and what is unclear about it."""

    flagged: bool = False
    text: str = ""


@dataclass
class ProposalValues:
    """A new option proposed for a section (``section_id``) or, with None, for the whole paper."""

    section_id: int | None = None
    title: str = ""
    description: str = ""


@dataclass
class ResponseValues:
    """A whole answer, as ``response_save`` takes it."""

    sections: dict[int, SectionValues] = field(default_factory=dict)  # by section id
    unclear: dict[int, UnclearValues] = field(default_factory=dict)  # by option id
    proposed: list[ProposalValues] = field(default_factory=list)
    general_comments: str = ""
    on_behalf: bool = False
    is_public: bool = False


def values_to_json(values: ResponseValues) -> dict:
    """``values`` as JSON (a draft revision is stored so); ``values_from_json`` reads it back."""
    return {
        "sections": {
            str(section_id): {
                "ranks": {str(option_id): rank for option_id, rank in section.ranks.items()},
                "picks": sorted(section.picks),
                "rationale": section.rationale,
            }
            for section_id, section in values.sections.items()
        },
        "unclear": {
            str(option_id): {"flagged": flag.flagged, "text": flag.text}
            for option_id, flag in values.unclear.items()
        },
        "proposed": [
            {"section_id": p.section_id, "title": p.title, "description": p.description}
            for p in values.proposed
        ],
        "general_comments": values.general_comments,
        "on_behalf": values.on_behalf,
        "is_public": values.is_public,
    }


def values_from_json(data: dict) -> ResponseValues:
    return ResponseValues(
        sections={
            int(section_id): SectionValues(
                ranks={int(option_id): int(rank) for option_id, rank in section.get("ranks", {}).items()},
                picks={int(option_id) for option_id in section.get("picks", [])},
                rationale=section.get("rationale", ""),
            )
            for section_id, section in data.get("sections", {}).items()
        },
        unclear={
            int(option_id): UnclearValues(flagged=bool(flag.get("flagged")), text=flag.get("text", ""))
            for option_id, flag in data.get("unclear", {}).items()
        },
        proposed=[
            ProposalValues(
                section_id=p.get("section_id"), title=p.get("title", ""), description=p.get("description", "")
            )
            for p in data.get("proposed", [])
        ],
        general_comments=data.get("general_comments", ""),
        on_behalf=bool(data.get("on_behalf")),
        is_public=bool(data.get("is_public")),
    )


def _says_something(values: ResponseValues) -> bool:
    """Whether the respondent gave anything at all, valid or not (so "empty" is never said wrongly)."""
    return bool(
        _text(values.general_comments)
        or any(
            section.ranks or section.picks or _text(section.rationale) for section in values.sections.values()
        )
        or any(flag.flagged or _text(flag.text) for flag in values.unclear.values())
        or any(_text(p.title) or _text(p.description) for p in values.proposed)
    )


class Place:
    """Where a problem belongs in ``ResponseValues``: the keys of ``response_save``'s ValidationError."""

    ON_BEHALF = "on_behalf"
    WHOLE = NON_FIELD_ERRORS

    @staticmethod
    def preferences(section_id: int) -> str:
        return f"sections.{section_id}.preferences"

    @staticmethod
    def rationale(section_id: int) -> str:
        return f"sections.{section_id}.rationale"

    @staticmethod
    def unclear(option_id: int) -> str:
        return f"unclear.{option_id}"

    @staticmethod
    def proposal(row: int, part: str) -> str:
        """``part`` is ``section``, ``title`` or ``description`` of the ``row``-th proposal."""
        return f"proposed.{row}.{part}"


def _paper_changed() -> str:
    return _("The paper has changed since this form was opened: reload the page and check your answers.")


class _Problems:
    """Problems collected across the whole answer, raised together."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _text(value) -> str:
    return (value or "").strip()


def _official_response_taken(consultation, organisation, response) -> bool:
    others = Response.objects.filter(consultation=consultation, on_behalf_of=organisation)
    if response.pk:
        others = others.exclude(pk=response.pk)
    return others.exists()


def _clean_answers(sections, values: ResponseValues, *, complete: bool, problems: _Problems) -> dict:
    """The answer checked section by section; returns what to store.

    ``complete`` is True for a submission: a preference then needs its rationale. A draft may be
    saved before the rationale is written, but never inconsistent (gaps in ranks, unknown options).
    """
    by_id = {section.pk: section for section in sections}
    options = {option.pk: option for section in sections for option in section.options.all()}
    given = values.sections
    cleaned = {"answers": [], "preferences": [], "unclear": [], "proposed": []}

    unknown_sections = set(given) - set(by_id)
    if unknown_sections:
        problems.add(Place.WHOLE, _paper_changed())

    for section in sections:
        answer = given.get(section.pk) or SectionValues()
        rationale = _text(answer.rationale)
        ranks = answer.ranks or {}
        picks = set(answer.picks or ())
        chosen = []  # (option, rank)
        section_options = {option.pk for option in section.options.all()}
        if (set(ranks) | picks) - section_options:
            problems.add(
                Place.preferences(section.pk),
                _("Some options of this section have changed: reload the page and check your answers."),
            )
        elif section.mode == Mode.RANK:
            if picks:
                problems.add(
                    Place.preferences(section.pk), _("Rank the options of this section; do not tick them.")
                )
            try:
                rank_of = {option_id: int(rank) for option_id, rank in ranks.items()}
            except (TypeError, ValueError):
                rank_of = None
            if rank_of is None:
                problems.add(Place.preferences(section.pk), _("Ranks must be whole numbers."))
            elif rank_of:
                expected = set(range(1, len(rank_of) + 1))
                if len(set(rank_of.values())) != len(rank_of):
                    problems.add(
                        Place.preferences(section.pk),
                        _("Give each option you rank a different rank: two options share a rank."),
                    )
                elif set(rank_of.values()) != expected:
                    problems.add(
                        Place.preferences(section.pk),
                        _(
                            "Number your preferences 1, 2, 3… without gaps: "
                            "you ranked %(count)s options, so use ranks 1 to %(count)s."
                        )
                        % {"count": len(rank_of)},
                    )
                else:
                    chosen = [(options[option_id], rank) for option_id, rank in rank_of.items()]
        elif section.mode == Mode.PICK:
            if ranks:
                problems.add(
                    Place.preferences(section.pk), _("Tick the options you prefer; do not rank them.")
                )
            chosen = [(options[option_id], 1) for option_id in picks]
        elif ranks or picks:
            problems.add(
                Place.preferences(section.pk), _("This section asks for comments only, not preferences.")
            )

        if chosen and complete and not rationale:
            problems.add(Place.rationale(section.pk), _("Explain why you prefer these options."))
        if rationale or chosen:
            cleaned["answers"].append((section, rationale))
        cleaned["preferences"].extend(chosen)

    for option_id, flag in values.unclear.items():
        option = options.get(option_id)
        flagged, text = bool(flag.flagged), _text(flag.text)
        if option is None:
            if flagged or text:
                problems.add(Place.WHOLE, _paper_changed())
            continue
        if flagged and not text:
            problems.add(Place.unclear(option_id), _("Say what is unclear about this option."))
        elif text and not flagged:
            problems.add(
                Place.unclear(option_id),
                _("Tick the box “… is unclear to me” to send this note, or clear the text."),
            )
        elif flagged:
            cleaned["unclear"].append((option, text))

    for row, proposal in enumerate(values.proposed):
        title, description = _text(proposal.title), _text(proposal.description)
        section_id = proposal.section_id
        if not title and not description:
            continue  # a blank row of the form
        section = by_id.get(section_id) if section_id else None
        if section_id and section is None:
            problems.add(
                Place.proposal(row, "section"), _("Choose a section of this paper, or the whole paper.")
            )
        if not title:
            problems.add(Place.proposal(row, "title"), _("Give your proposed option a title."))
        elif len(title) > TITLE_MAX:
            problems.add(
                Place.proposal(row, "title"),
                _("Keep the title under %(max)s characters; put the rest in the description.")
                % {"max": TITLE_MAX},
            )
        if not description:
            problems.add(Place.proposal(row, "description"), _("Describe your proposed option."))
        cleaned["proposed"].append((section, title, description))
    return cleaned


def _replace_answers(response: Response, cleaned: dict) -> None:
    """The new answer set replaces the previous one whole."""
    for model in (SectionAnswer, OptionPreference, UnclearFlag, ProposedOption):
        model.objects.filter(response=response).delete()
    SectionAnswer.objects.bulk_create(
        SectionAnswer(response=response, section=section, rationale=rationale)
        for section, rationale in cleaned["answers"]
    )
    OptionPreference.objects.bulk_create(
        OptionPreference(response=response, option=option, section_id=option.section_id, rank=rank)
        for option, rank in cleaned["preferences"]
    )
    UnclearFlag.objects.bulk_create(
        UnclearFlag(response=response, option=option, text=text) for option, text in cleaned["unclear"]
    )
    ProposedOption.objects.bulk_create(
        ProposedOption(response=response, section=section, title=title, description=description)
        for section, title, description in cleaned["proposed"]
    )


def _send_copy(consultation, member, sections) -> None:
    """Email the respondent what they submitted, in their language, once the transaction commits."""

    response = selectors_responses.response_for(consultation=consultation, member=member)
    notify_member(
        member,
        template="consultations/email/response_copy",
        context={
            "consultation": consultation,
            "response": response,
            "rows": selectors_responses.response_rows(response, sections),
            "deadline": selectors.deadline_for(consultation, member),
            "my_response_url": absolute_reverse("consultations:consultation_my_response", consultation.slug),
        },
        **notice_of(consultation, "consultations.response_copy"),
    )


@transaction.atomic
def response_save(*, consultation, member, actor, values: ResponseValues, submit: bool, now=None) -> Response:
    """Save ``member``'s draft, or submit (or revise) their response, replacing their previous answer.

    Rules: only the audience, once open and until the respondent's own deadline (PermissionDenied,
    nothing changed); members answer for themselves. Rank sections take distinct ranks 1…n
    without gaps among the options ranked; pick sections any set of options; comment sections
    text only. On submission a preference needs its rationale and the answer must say something.
    An unclear flag needs its text; a proposed option a title and a description. Answering on an
    organisation's behalf needs its official contact, and an organisation has one official response
    per consultation (a database constraint, so it holds under races). A submitted response stays
    submitted: submitting it again is a revision, checked as a submission and mailed again, and
    ``submitted_at`` becomes the time of that latest submission. Saving it without submitting keeps
    the revision as a draft (``revision_draft``, checked as a draft) while the submitted answer stays
    in force — what the analysis, public responses and exports count — until the revision is
    submitted. An answer is "empty" only when nothing at all was given, valid or not.
    """
    now = now or timezone.now()
    refusal = permissions.respond_refusal(consultation, member, now=now)
    if refusal:
        raise PermissionDenied(refusal)
    if actor is None or member.user_id is None or member.user_id != actor.pk:
        raise PermissionDenied(_("Members respond for themselves only."))

    member = type(member).objects.select_related("organisation", "sector__chamber", "user").get(pk=member.pk)
    response = (
        Response.objects.select_for_update().filter(consultation=consultation, member=member).first()
    ) or Response(consultation=consultation, member=member)
    was_submitted = response.status == Response.Status.SUBMITTED
    submit = bool(submit)
    draft_revision = was_submitted and not submit

    sections = selectors_responses.consultation_sections(consultation)
    problems = _Problems()
    cleaned = _clean_answers(sections, values, complete=submit, problems=problems)
    general_comments = _text(values.general_comments)

    organisation = None
    if values.on_behalf:
        organisation = selectors_responses.official_organisation_of(member)
        if organisation is None:
            problems.add(
                Place.ON_BEHALF,
                _("Only the official contact of an organisation can respond on its behalf."),
            )
        elif _official_response_taken(consultation, organisation, response):
            problems.add(Place.ON_BEHALF, _("Your organisation has already sent its official response."))
            organisation = None
    if submit and not _says_something(values):
        problems.add(
            Place.WHOLE,
            _("Your response is empty: give a preference, a comment or a proposed option before submitting."),
        )
    problems.raise_if_any()

    if draft_revision:
        # The submitted answer stays as it is, in force; only the unsent revision is kept.
        response.revision_draft = values_to_json(values)
        response.revision_saved_at = now
        save_with_history(response, actor=actor, reason="Revision saved as a draft", validate=False)
        return response

    response.on_behalf_of = organisation
    response.is_public = bool(values.is_public)
    response.general_comments = general_comments
    # Who responded, as they are now: the analysis counts these without joins.
    response.chamber = member.sector.chamber
    response.sector = member.sector
    response.country = member.country
    response.org_type = member.organisation.org_type if member.organisation else ""
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = now
        response.revision_draft = None
        response.revision_saved_at = None
        reason = "Response revised" if was_submitted else "Response submitted"
    else:
        reason = "Draft saved"
    # Constraints are checked above with clear messages, and by the database itself under races.
    response.full_clean(
        exclude=["consultation", "member", "on_behalf_of", "chamber", "sector"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            save_with_history(response, actor=actor, reason=reason, validate=False)
    except IntegrityError as error:
        text = str(error)
        if organisation is not None and (OFFICIAL_CONSTRAINT in text or "on_behalf_of" in text):
            raise ValidationError(
                {Place.ON_BEHALF: [_("Your organisation has already sent its official response.")]}
            ) from error
        raise ValidationError(
            _(
                "Your response was saved from another window at the same moment: "
                "reload the page and try again."
            )
        ) from error
    _replace_answers(response, cleaned)
    if submit:
        _send_copy(consultation, member, sections)
    return response


@transaction.atomic
def extension_request(*, consultation, member, actor, reason: str, now=None) -> ExtensionRequest:
    """The respondent asks the secretariat for more time, giving a reason.

    Only someone who may respond now can ask: the audience, while the consultation is open, up to
    their own deadline (a granted extension included) — after it the consultation is closed to
    them, and the secretariat is reached by other means. One request waits at a time (a database
    constraint); after a decision they may ask again.
    """
    refusal = permissions.respond_refusal(consultation, member, now=now)
    if refusal:
        raise PermissionDenied(refusal)
    if actor is None or member.user_id is None or member.user_id != actor.pk:
        raise PermissionDenied(_("Members ask for more time for themselves only."))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why you need more time.")]})
    pending = _("You have already asked for more time: the secretariat will answer your request by email.")
    if ExtensionRequest.objects.filter(
        consultation=consultation, member=member, status=ExtensionRequest.Status.PENDING
    ).exists():
        raise ValidationError(pending)
    request = ExtensionRequest(consultation=consultation, member=member, reason=reason)
    request.full_clean(exclude=["consultation", "member"], validate_constraints=False)
    try:
        with transaction.atomic():
            save_with_history(request, actor=actor, reason="Extension requested", validate=False)
    except IntegrityError as error:
        raise ValidationError(pending) from error
    return request
