"""Versioned documents (a body's ground rules, the network's mission, goals and strategies) and
bodies' decisions logs.

One mechanism serves both kinds of document: a ``Document`` names what is versioned (its kind,
and its body for ground rules); each ``DocumentVersion`` is a whole text as published, never
edited afterwards, so that every version stays as it was with who published it and when.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casm.content import TranslatableContent
from casm.models import TimeStampedModel


class Document(TimeStampedModel):
    """What is versioned: the ground rules of one body, or the network's mission (no body)."""

    class Kind(models.TextChoices):
        GROUND_RULES = "ground_rules", _("Ground rules")
        MISSION = "mission", _("Mission, goals and strategies")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charter_documents",
        verbose_name=_("body"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("versioned document")
        verbose_name_plural = _("versioned documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "body"], name="charter_document_one_per_body"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(body__isnull=True), name="charter_document_one_without_body"
            ),
            # Ground rules belong to a body; the mission is the network's.
            models.CheckConstraint(
                condition=Q(kind="ground_rules", body__isnull=False) | Q(kind="mission", body__isnull=True),
                name="charter_document_body_by_kind",
            ),
        ]

    def __str__(self):
        if self.body_id:
            return f"{self.get_kind_display()}: {self.body}"
        return str(self.get_kind_display())


class DocumentVersion(TranslatableContent, TimeStampedModel):
    """One published version of a document: its whole text in Markdown, numbered from 1."""

    translatable_fields = ("title", "text", "summary")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    summary = models.TextField(_("what changed"), blank=True)
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultation that informed it"),
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="charter_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="charter_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.document}, v{self.number}"

    def get_absolute_url(self):
        if self.document.kind == Document.Kind.MISSION:
            return reverse("charter:mission_version", args=[self.number])
        return reverse("charter:ground_rules_version", args=[self.document.body.slug, self.number])


class Decision(TranslatableContent, TimeStampedModel):
    """An entry of a body's decisions log: what was decided, when, how, and who may read it."""

    translatable_fields = ("text",)

    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("By consensus")
        VOTE = "vote", _("By vote")
        CHAIR = "chair", _("By the chair")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    body = models.ForeignKey(
        "bodies.Body", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("body")
    )
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("date of the decision"))
    method = models.CharField(_("how it was decided"), max_length=16, choices=Method.choices)
    votes_for = models.PositiveIntegerField(
        _("votes for"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    votes_against = models.PositiveIntegerField(
        _("votes against"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    votes_abstain = models.PositiveIntegerField(
        _("abstentions"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    visibility = models.CharField(
        _("who may read it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["body", "visibility", "decided_on"], name="charter_decision_body_idx")
        ]
        constraints = [
            # A vote carries its three figures; other methods carry none.
            models.CheckConstraint(
                condition=(
                    Q(
                        method="vote",
                        votes_for__isnull=False,
                        votes_against__isnull=False,
                        votes_abstain__isnull=False,
                    )
                    | (
                        ~Q(method="vote")
                        & Q(votes_for__isnull=True, votes_against__isnull=True, votes_abstain__isnull=True)
                    )
                ),
                name="charter_decision_figures_by_method",
            ),
        ]

    def __str__(self):
        return f"{self.body}: {self.decided_on}"

    @property
    def is_members_only(self) -> bool:
        return self.visibility == self.Visibility.MEMBERS
