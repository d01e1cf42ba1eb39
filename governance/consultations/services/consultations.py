"""Building a consultation: the paper, its sections in order, the options of each, the audience.

Only the secretariat builds consultations. Every change is saved with its author and reason
(django-simple-history), so staff can see who changed what and when.

Answers point to sections and options by id, never by position or code: reordering sections
or options is therefore always safe, even after people have answered, and so is renumbering
the codes of a section's options (A, B, C… or 1, 2, 3…) to follow their order after a move
or a deletion. What would corrupt
answers is refused once responses exist: deleting a section or an option that has answers,
changing how a section is answered (ranked, picked, commented), moving an option to another
section, or deleting the consultation.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.content import content_apply
from casm.history import save_with_history, stamp
from casm.reminders import clean_reminder_offsets as shared_clean_reminder_offsets
from casm.timezones import check_zone, local_to_utc
from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    OptionPreference,
    ProposedOption,
    Response,
    SectionAnswer,
    UnclearFlag,
    default_reminder_offsets,
)
from governance.consultations.services.publication import publication_notices_enqueue
from network.models import Chamber
from network.permissions import require_secretariat

# What every staff service here answers someone who is not secretariat staff.
STAFF_ONLY = gettext_lazy("Only secretariat staff may build consultations.")

Audience = Consultation.Audience
Mode = ConsultationSection.Mode

UP, DOWN = "up", "down"
RESERVED_SLUGS = {"new"}  # staff/consultations/new/ is the form that makes one


# ---------------------------------------------------------------- times and offsets
# The helpers of deadlines in a named zone and of reminder offsets are shared (casm.timezones,
# casm.reminders); these names stay importable from here.


def clean_reminder_offsets(offsets: Iterable | None) -> list[int]:
    """Positive whole days before the deadline, each once, largest first; None gives [7, 1]."""
    return shared_clean_reminder_offsets(offsets, default=default_reminder_offsets())


def _check_zone(zone_name: str) -> None:
    check_zone(zone_name)


def _unique_slug(title: str, wanted: str = "") -> str:
    base = slugify(wanted or title)[:70] or "consultation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Consultation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_audience(audience: str, chambers: list, invitees: list) -> None:
    if audience == Audience.CHAMBERS and not chambers:
        raise ValidationError({"chambers": _("Choose at least one chamber, or another audience.")})
    if audience == Audience.INVITEES and not invitees:
        raise ValidationError({"invitees": _("Name at least one invitee, or choose another audience.")})


def has_responses(consultation: Consultation) -> bool:
    """Whether anyone has started answering (a draft counts)."""
    return Response.objects.filter(consultation=consultation).exists()


# ---------------------------------------------------------------- the consultation


@transaction.atomic
def consultation_create(
    *,
    actor,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    time_zone: str,
    introduction: str = "",
    slug: str = "",
    audience: str = Audience.ALL_ACTIVE,
    chambers: Iterable[Chamber] = (),
    invitees: Iterable = (),
    reminder_offsets: Iterable[int] | None = None,
    translations: dict | None = None,
    content_language: str | None = None,
) -> Consultation:
    """A new, unpublished consultation.

    ``opens_at`` and ``closes_at`` are wall-clock times in ``time_zone`` (naive) or aware
    datetimes; they are stored in UTC. It must close after it opens. Reminder offsets are
    positive whole days before the deadline (default 7 and 1).
    """
    require_secretariat(actor, STAFF_ONLY)
    _check_zone(time_zone)
    chambers, invitees = list(chambers), list(invitees)
    _check_audience(audience, chambers, invitees)
    consultation = Consultation(
        title=title.strip(),
        slug=_unique_slug(title, slug),
        introduction=introduction,
        audience=audience,
        time_zone=time_zone,
        opens_at=local_to_utc(opens_at, time_zone, field="opens_at"),
        closes_at=local_to_utc(closes_at, time_zone, field="closes_at"),
        reminder_offsets=clean_reminder_offsets(reminder_offsets),
        is_published=False,
        created_by=actor,
    )
    content_apply(consultation, translations, content_language)
    _check_dates(consultation)
    save_with_history(consultation, actor=actor, reason="Consultation created")
    if audience == Audience.CHAMBERS:
        consultation.chambers.set(chambers)  # a second history row: the chambers chosen
    if audience == Audience.INVITEES:
        consultation.invitees.set(invitees)
    return consultation


def _check_dates(consultation: Consultation) -> None:
    if consultation.closes_at <= consultation.opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    actor,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    time_zone: str,
    introduction: str = "",
    audience: str = Audience.ALL_ACTIVE,
    chambers: Iterable[Chamber] = (),
    invitees: Iterable = (),
    reminder_offsets: Iterable[int] | None = None,
    translations: dict | None = None,
    content_language: str | None = None,
) -> Consultation:
    """Change the paper, the audience, the dates (wall-clock in ``time_zone``) or the reminders.

    The same rules as at creation. The chambers and invitees as they now stand are part of the
    same history row, and the row's reason sums up the change of invitees.
    """
    require_secretariat(actor, STAFF_ONLY)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_zone(time_zone)
    chambers, invitees = list(chambers), list(invitees)
    _check_audience(audience, chambers, invitees)
    consultation.title = title.strip()
    consultation.introduction = introduction
    consultation.audience = audience
    consultation.time_zone = time_zone
    consultation.opens_at = local_to_utc(opens_at, time_zone, field="opens_at")
    consultation.closes_at = local_to_utc(closes_at, time_zone, field="closes_at")
    consultation.reminder_offsets = clean_reminder_offsets(reminder_offsets)
    translated = content_apply(consultation, translations, content_language)
    _check_dates(consultation)
    consultation.full_clean()

    reason = "Consultation changed" + ("; language or translations changed" if translated else "")
    new_chambers = {c.pk for c in chambers} if audience == Audience.CHAMBERS else set()
    if new_chambers != set(consultation.chambers.values_list("pk", flat=True)):
        # Set the chambers without a history row of their own: the save below records them.
        consultation.skip_history_when_saving = True
        try:
            consultation.chambers.set(new_chambers)
        finally:
            del consultation.skip_history_when_saving
    new_invitees = {m.pk for m in invitees} if audience == Audience.INVITEES else set()
    old_invitees = set(consultation.invitees.values_list("pk", flat=True))
    if new_invitees != old_invitees:
        consultation.skip_history_when_saving = True
        try:
            consultation.invitees.set(new_invitees)
        finally:
            del consultation.skip_history_when_saving
        added, removed = len(new_invitees - old_invitees), len(old_invitees - new_invitees)
        reason += f"; invitees: {added} added, {removed} removed"
    return save_with_history(consultation, actor=actor, reason=reason, validate=False)


@transaction.atomic
def consultation_publish(*, consultation: Consultation, actor) -> Consultation:
    """Publish: respondents in the audience can answer from the opening time.

    The paper must be complete: at least one section, and options in every section that is
    ranked or picked. Once committed, the audience is told by email, each person once ever
    (``services.publication``): publishing again after unpublishing tells nobody twice.
    """
    require_secretariat(actor, STAFF_ONLY)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.is_published:
        raise ValidationError(_("This consultation is already published."))
    sections = list(consultation.sections.all())
    if not sections:
        raise ValidationError(_("Add at least one section before publishing."))
    empty = [
        s.title
        for s in sections
        if s.mode != Mode.COMMENT and not ConsultationOption.objects.filter(section=s).exists()
    ]
    if empty:
        raise ValidationError(
            _("These sections have no options to weigh: %(sections)s. Add options or make them comment-only.")
            % {"sections": ", ".join(empty)}
        )
    consultation.is_published = True
    save_with_history(consultation, actor=actor, reason="Published")
    # Once committed, the audience is told through the queue (one task per batch), nobody twice.
    consultation_id = consultation.pk
    transaction.on_commit(lambda: publication_notices_enqueue(consultation_id=consultation_id))
    return consultation


@transaction.atomic
def consultation_unpublish(*, consultation: Consultation, actor) -> Consultation:
    """Take back an unpublished draft. Refused once anyone has answered (their work would vanish)."""
    require_secretariat(actor, STAFF_ONLY)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_published:
        raise ValidationError(_("This consultation is not published."))
    if has_responses(consultation):
        raise ValidationError(
            _(
                "People have already answered this consultation, so it cannot be unpublished. "
                "To stop it early, change its closing time."
            )
        )
    consultation.is_published = False
    return save_with_history(consultation, actor=actor, reason="Unpublished")


@transaction.atomic
def consultation_delete(*, consultation: Consultation, actor) -> None:
    """Delete a consultation nobody has answered; refused once any response (even a draft) exists."""
    require_secretariat(actor, STAFF_ONLY)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if has_responses(consultation):
        raise ValidationError(_("People have answered this consultation: it cannot be deleted."))
    for section in consultation.sections.all():
        _delete_section_rows(section, actor=actor, reason="Deleted with its consultation")
    stamp(consultation, actor=actor, reason="Consultation deleted")
    consultation.delete()


# ---------------------------------------------------------------- sections


def _section_has_answers(section: ConsultationSection) -> bool:
    return (
        SectionAnswer.objects.filter(section=section).exists()
        or OptionPreference.objects.filter(section=section).exists()
        or ProposedOption.objects.filter(section=section).exists()
        or UnclearFlag.objects.filter(option__section=section).exists()
    )


def _option_has_answers(option: ConsultationOption) -> bool:
    return (
        OptionPreference.objects.filter(option=option).exists()
        or UnclearFlag.objects.filter(option=option).exists()
    )


@transaction.atomic
def section_create(
    *,
    consultation: Consultation,
    actor,
    title: str,
    body: str = "",
    mode: str = Mode.RANK,
    translations: dict | None = None,
    content_language: str | None = None,
) -> ConsultationSection:
    """A new section, placed after the last one."""
    require_secretariat(actor, STAFF_ONLY)
    last = consultation.sections.aggregate(last=Max("order"))["last"]
    section = ConsultationSection(
        consultation=consultation,
        title=title.strip(),
        body=body,
        mode=mode,
        order=0 if last is None else last + 1,
    )
    content_apply(section, translations, content_language)
    return save_with_history(section, actor=actor, reason="Section added")


@transaction.atomic
def section_update(
    *,
    section: ConsultationSection,
    actor,
    title: str,
    body: str = "",
    mode: str,
    translations: dict | None = None,
    content_language: str | None = None,
) -> ConsultationSection:
    """Change a section's title, text, translations or mode. The mode is fixed once anyone has answered.

    ``translations`` (``{"fr": {"title": …}}``, see ``casm.content``) replaces the section's; None keeps them.
    """
    require_secretariat(actor, STAFF_ONLY)
    section = ConsultationSection.objects.select_for_update().get(pk=section.pk)
    if mode != section.mode and has_responses(section.consultation):
        raise ValidationError(
            {
                "mode": _(
                    "People have already answered this consultation, so how this section is "
                    "answered can no longer change."
                )
            }
        )
    if mode == Mode.COMMENT and section.mode != Mode.COMMENT and section.options.exists():
        raise ValidationError(
            {"mode": _("This section has options: delete them before making it comment-only.")}
        )
    section.title, section.body, section.mode = title.strip(), body, mode
    translated = content_apply(section, translations, content_language)
    reason = "Section changed" + ("; language or translations changed" if translated else "")
    return save_with_history(section, actor=actor, reason=reason)


def _delete_section_rows(section: ConsultationSection, *, actor, reason: str) -> None:
    # Options one by one, so each deletion is in the history with its author.
    for option in section.options.all():
        stamp(option, actor=actor, reason=reason)
        option.delete()
    stamp(section, actor=actor, reason=reason)
    section.delete()


@transaction.atomic
def section_delete(*, section: ConsultationSection, actor) -> None:
    """Delete a section and its options, unless anyone has answered it (preferences, rationale,
    unclear flags or proposed options)."""
    require_secretariat(actor, STAFF_ONLY)
    section = ConsultationSection.objects.select_for_update().get(pk=section.pk)
    if _section_has_answers(section):
        raise ValidationError(
            _(
                "The section “%(title)s” has answers, so it cannot be deleted. "
                "You can still change its title and text."
            )
            % {"title": section.title}
        )
    _delete_section_rows(section, actor=actor, reason="Section deleted")


def _move(item, siblings: list, direction: str, *, actor, reason: str) -> bool:
    """Swap ``item`` with its neighbour and number all siblings 0, 1, 2…; False at either end."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Move up or down."))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = index - 1 if direction == UP else index + 1
    if not 0 <= target < len(siblings):
        return False
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            save_with_history(sibling, actor=actor, reason=reason, validate=False)
    return True


@transaction.atomic
def section_move(*, section: ConsultationSection, actor, direction: str) -> bool:
    """Move a section up or down. Safe at any time: answers point to sections by id."""
    require_secretariat(actor, STAFF_ONLY)
    siblings = list(
        ConsultationSection.objects.select_for_update()
        .filter(consultation_id=section.consultation_id)
        .order_by("order", "id")
    )
    return _move(section, siblings, direction, actor=actor, reason=f"Section moved {direction}")


# ---------------------------------------------------------------- options


def _check_code_free(section: ConsultationSection, code: str, *, exclude_pk=None) -> None:
    taken = ConsultationOption.objects.filter(section=section, code__iexact=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"code": _("Another option of this section already has the code %(code)s.") % {"code": code}}
        )


@transaction.atomic
def option_create(
    *,
    section: ConsultationSection,
    actor,
    code: str,
    title: str,
    description: str = "",
    translations: dict | None = None,
    content_language: str | None = None,
) -> ConsultationOption:
    """A new option at the end of its section; its code is unique in the section."""
    require_secretariat(actor, STAFF_ONLY)
    section = ConsultationSection.objects.select_for_update().get(pk=section.pk)
    if section.mode == Mode.COMMENT:
        raise ValidationError(_("This section asks for comments only: it has no options."))
    code = code.strip()
    _check_code_free(section, code)
    last = section.options.aggregate(last=Max("order"))["last"]
    option = ConsultationOption(
        section=section,
        code=code,
        title=title.strip(),
        description=description,
        order=0 if last is None else last + 1,
    )
    content_apply(option, translations, content_language)
    return save_with_history(option, actor=actor, reason="Option added")


@transaction.atomic
def option_update(
    *,
    option: ConsultationOption,
    actor,
    code: str,
    title: str,
    description: str = "",
    translations: dict | None = None,
    content_language: str | None = None,
) -> ConsultationOption:
    """Change an option's code, title, description or translations (answers keep pointing to it by id).

    ``translations`` replaces the option's (``casm.content.clean_translations``); None keeps them.
    """
    require_secretariat(actor, STAFF_ONLY)
    option = ConsultationOption.objects.select_for_update().get(pk=option.pk)
    code = code.strip()
    _check_code_free(option.section, code, exclude_pk=option.pk)
    option.code, option.title, option.description = code, title.strip(), description
    translated = content_apply(option, translations, content_language)
    reason = "Option changed" + ("; language or translations changed" if translated else "")
    return save_with_history(option, actor=actor, reason=reason)


@transaction.atomic
def option_delete(*, option: ConsultationOption, actor) -> None:
    """Delete an option, unless someone preferred it or flagged it unclear (even in a draft)."""
    require_secretariat(actor, STAFF_ONLY)
    option = ConsultationOption.objects.select_for_update().get(pk=option.pk)
    if _option_has_answers(option):
        raise ValidationError(
            _(
                "Option %(code)s has answers (preferences or questions), so it cannot be deleted. "
                "You can still change its title and description."
            )
            % {"code": option.code}
        )
    stamp(option, actor=actor, reason="Option deleted")
    option.delete()
    _renumber_codes(option.section_id, actor=actor)


def _sequence_codes(codes: list[str]) -> list[str] | None:
    """The codes a section's options should have in their order, when they are a simple sequence.

    Single letters become A, B, C… (in the case of the first), whole numbers 1, 2, 3…; codes of
    any other kind ("Program A", "O1", a mix) are the staff's own and stay as they are (None).
    """
    if not codes:
        return None
    if all(len(code) == 1 and "A" <= code.upper() <= "Z" for code in codes) and len(codes) <= 26:
        first = "a" if codes[0].islower() else "A"
        return [chr(ord(first) + index) for index in range(len(codes))]
    if all(code.isascii() and code.isdecimal() for code in codes):
        return [str(index) for index in range(1, len(codes) + 1)]
    return None


def _renumber_codes(section_id: int, *, actor) -> None:
    """Give the section's options the codes of their order (A, B, C…), each change in the history.

    Codes are unique in a section, so changed codes are first parked on placeholders (a plain
    UPDATE, not in the history) and then saved with their final value, each with its author.
    """
    options = list(
        ConsultationOption.objects.select_for_update().filter(section_id=section_id).order_by("order", "id")
    )
    wanted = _sequence_codes([option.code for option in options])
    if wanted is None:
        return
    changed = [(option, code) for option, code in zip(options, wanted, strict=True) if option.code != code]
    if not changed:
        return
    for option, _code in changed:
        ConsultationOption.objects.filter(pk=option.pk).update(code=f"#{option.pk}"[:12])
    for option, code in changed:
        option.code = code
        save_with_history(option, actor=actor, reason="Option code follows the order", validate=False)


@transaction.atomic
def option_move(*, option: ConsultationOption, actor, direction: str) -> bool:
    """Move an option up or down in its section; codes that are a sequence (A, B, C… or 1, 2, 3…)
    are renumbered to follow the new order. Safe at any time: answers point to options by id."""
    require_secretariat(actor, STAFF_ONLY)
    siblings = list(
        ConsultationOption.objects.select_for_update()
        .filter(section_id=option.section_id)
        .order_by("order", "id")
    )
    moved = _move(option, siblings, direction, actor=actor, reason=f"Option moved {direction}")
    if moved:
        _renumber_codes(option.section_id, actor=actor)
    return moved
