"""Helpers for the respondent's tests: answers as the service takes them, and as the form posts them."""

from governance.consultations.models import ConsultationSection
from governance.consultations.services.responses import ResponseValues, SectionValues
from tests.governance.consultations.factories import SectionFactory, consultation_with_options


def paper(**kwargs):
    """A consultation with a rank section (A–C), a pick section (A–C) and a comment section."""
    consultation = consultation_with_options(sections=2, options=3, **kwargs)
    rank, pick = consultation.sections.order_by("order")
    pick.mode = ConsultationSection.Mode.PICK
    pick.save()
    SectionFactory(
        consultation=consultation, order=9, title="Draft mission", mode=ConsultationSection.Mode.COMMENT
    )
    return consultation


def sections_of(consultation):
    return list(consultation.sections.order_by("order").prefetch_related("options"))


def option(consultation, section_index: int, code: str):
    return sections_of(consultation)[section_index].options.get(code=code)


def answer(
    consultation, *, ranks=None, picks=(), rationale="", pick_rationale="", comment="", **extra
) -> ResponseValues:
    """Service values: ``ranks`` maps codes of the rank section to ranks; ``picks`` codes to tick."""
    rank_section, pick_section, comment_section = sections_of(consultation)[:3]
    rank_options = {o.code: o.pk for o in rank_section.options.all()}
    pick_options = {o.code: o.pk for o in pick_section.options.all()}
    return ResponseValues(
        sections={
            rank_section.pk: SectionValues(
                ranks={rank_options[code]: rank for code, rank in (ranks or {}).items()}, rationale=rationale
            ),
            pick_section.pk: SectionValues(picks={pick_options[c] for c in picks}, rationale=pick_rationale),
            comment_section.pk: SectionValues(rationale=comment),
        },
        **extra,
    )


def form_post(consultation, *, action="draft", ranks=None, picks=(), rationale="", **fields) -> dict:
    """What the browser posts: ``ranks`` by code in the rank section, ``picks`` codes in the pick section."""
    rank_section, pick_section, comment_section = sections_of(consultation)[:3]
    post = {"action": action, "proposed_rows": "3"}
    for o in rank_section.options.all():
        post[f"rank-{o.pk}"] = str((ranks or {}).get(o.code, ""))
    for o in pick_section.options.all():
        if o.code in picks:
            post[f"pick-{o.pk}"] = "on"
    post[f"rationale-{rank_section.pk}"] = rationale
    post[f"rationale-{pick_section.pk}"] = fields.pop("pick_rationale", "")
    post[f"rationale-{comment_section.pk}"] = fields.pop("comment", "")
    for row in range(3):
        post.setdefault(f"proposed-{row}-section", "")
        post.setdefault(f"proposed-{row}-title", "")
        post.setdefault(f"proposed-{row}-description", "")
    post.update(fields)
    return post
