"""Publishing versions of ground rules and of the mission, and keeping bodies' decisions logs.

Only the secretariat writes here. A published version is never changed: a correction is a new
version, so every version stays as it was published, with who published it and when. Decisions
can be corrected; each change is in their history with who made it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.content import content_apply
from casm.history import save_with_history
from governance.bodies.models import Body
from governance.charter.models import Decision, Document, DocumentVersion
from governance.charter.permissions import require_secretariat

STAFF_ONLY = gettext_lazy("Only secretariat staff may publish ground rules, the mission or decisions.")
FIRST_YEAR = 2000

Method = Decision.Method


# ---------------------------------------------------------------- versioned documents


def _document_locked(*, kind: str, body: Body | None, actor) -> Document:
    """The document, created with its first version; locked so that two publishers get two numbers."""
    document = Document.objects.select_for_update().filter(kind=kind, body=body).first()
    if document is not None:
        return document
    try:
        with transaction.atomic():
            return save_with_history(Document(kind=kind, body=body), actor=actor, reason="Document created")
    except (IntegrityError, ValidationError):
        # Another publisher created it meanwhile (its unique constraint says so): use theirs.
        return Document.objects.select_for_update().get(kind=kind, body=body)


def _version_publish(
    *,
    actor,
    kind: str,
    body: Body | None,
    title: str,
    text: str,
    summary: str = "",
    consultation=None,
    translations: dict | None = None,
    content_language: str | None = None,
) -> DocumentVersion:
    require_secretariat(actor, STAFF_ONLY)
    title, text, summary = (title or "").strip(), (text or "").strip(), (summary or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the text of the new version.")})
    if not title:
        raise ValidationError({"title": _("Give the new version a title.")})
    if consultation is not None and not consultation.is_published:
        raise ValidationError(
            {"consultation": _("Link a published consultation: readers cannot open a draft.")}
        )
    document = _document_locked(kind=kind, body=body, actor=actor)
    latest = document.versions.order_by("-number").first()
    version = DocumentVersion(
        document=document,
        number=(latest.number + 1) if latest else 1,
        title=title,
        text=text,
        summary=summary,
        consultation=consultation,
        published_at=timezone.now(),
        published_by=actor,
    )
    content_apply(version, translations or {}, content_language)
    if latest is not None and (latest.title, latest.text, latest.translations) == (
        version.title,
        version.text,
        version.translations,
    ):
        raise ValidationError(
            {
                "text": _("This is the text of version %(number)s: change it first.")
                % {"number": latest.number}
            }
        )
    return save_with_history(version, actor=actor, reason=f"Version {version.number} published")


@transaction.atomic
def ground_rules_publish(
    *,
    actor,
    body: Body,
    title: str,
    text: str,
    summary: str = "",
    translations: dict | None = None,
    content_language: str | None = None,
) -> DocumentVersion:
    """A new version of ``body``'s ground rules (Markdown), numbered after the last one.

    The secretariat only; the text cannot be empty nor the same as the current version's.
    """
    return _version_publish(
        actor=actor,
        kind=Document.Kind.GROUND_RULES,
        body=body,
        title=title,
        text=text,
        summary=summary,
        translations=translations,
        content_language=content_language,
    )


@transaction.atomic
def mission_publish(
    *,
    actor,
    title: str,
    text: str,
    summary: str = "",
    consultation=None,
    translations: dict | None = None,
    content_language: str | None = None,
) -> DocumentVersion:
    """A new version of the network's mission, goals and strategies, with the (published)
    consultation that informed it if any. Same rules as ``ground_rules_publish``."""
    return _version_publish(
        actor=actor,
        kind=Document.Kind.MISSION,
        body=None,
        title=title,
        text=text,
        summary=summary,
        consultation=consultation,
        translations=translations,
        content_language=content_language,
    )


# ---------------------------------------------------------------- decisions


def _figure(value, field: str):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: _("Enter a whole number, zero or more.")})
    return value


def _check_decision(decision: Decision) -> None:
    """A vote has its three figures; other methods none. The date is not in the future."""
    figures = {
        "votes_for": _figure(decision.votes_for, "votes_for"),
        "votes_against": _figure(decision.votes_against, "votes_against"),
        "votes_abstain": _figure(decision.votes_abstain, "votes_abstain"),
    }
    if decision.method == Method.VOTE:
        missing = {
            field: _("A vote is recorded with its figures.") for field, v in figures.items() if v is None
        }
        if missing:
            raise ValidationError(missing)
    elif any(v is not None for v in figures.values()):
        raise ValidationError(
            {"method": _("Figures are recorded only for a vote: choose “By vote”, or leave them blank.")}
        )
    if not (decision.text or "").strip():
        raise ValidationError({"text": _("Write what was decided.")})
    if decision.decided_on is None or decision.decided_on.year < FIRST_YEAR:
        raise ValidationError({"decided_on": _("Enter the date of the decision.")})
    if decision.decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})


def _decision_fill(
    decision: Decision,
    *,
    text: str,
    decided_on: datetime.date,
    method: str,
    visibility: str,
    votes_for=None,
    votes_against=None,
    votes_abstain=None,
    translations=None,
    content_language=None,
) -> None:
    decision.text = (text or "").strip()
    decision.decided_on = decided_on
    decision.method = method
    decision.visibility = visibility
    decision.votes_for, decision.votes_against, decision.votes_abstain = (
        votes_for,
        votes_against,
        votes_abstain,
    )
    content_apply(decision, translations, content_language)
    _check_decision(decision)


@transaction.atomic
def decision_record(
    *,
    actor,
    body: Body,
    text: str,
    decided_on: datetime.date,
    method: str,
    visibility: str = Decision.Visibility.PUBLIC,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    translations: dict | None = None,
    content_language: str | None = None,
) -> Decision:
    """A new entry in ``body``'s decisions log, by the secretariat.

    A vote needs its figures (for, against, abstentions: whole numbers, zero or more); consensus
    and the chair's decisions carry none. The text is required; the date not in the future.
    """
    require_secretariat(actor, STAFF_ONLY)
    decision = Decision(body=body, recorded_by=actor)
    _decision_fill(
        decision,
        text=text,
        decided_on=decided_on,
        method=method,
        visibility=visibility,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        translations=translations or {},
        content_language=content_language,
    )
    return save_with_history(decision, actor=actor, reason="Decision recorded")


@transaction.atomic
def decision_update(
    *,
    actor,
    decision: Decision,
    text: str,
    decided_on: datetime.date,
    method: str,
    visibility: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    translations: dict | None = None,
    content_language: str | None = None,
) -> Decision:
    """A correction of a decision, by the secretariat; the same rules as ``decision_record``."""
    require_secretariat(actor, STAFF_ONLY)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _decision_fill(
        decision,
        text=text,
        decided_on=decided_on,
        method=method,
        visibility=visibility,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        translations=translations,
        content_language=content_language,
    )
    return save_with_history(decision, actor=actor, reason="Decision changed")
